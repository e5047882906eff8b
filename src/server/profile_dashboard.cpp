// ProfileDashboard: validates view queries, filters the customers, runs the profile analysis on
// them and caches the answers by the normalised query.
#include "server/profile_dashboard.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <utility>

#include "custlens/error.h"
#include "report/html_report.h"
#include "report/profile_summary.h"

namespace custlens::server {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";
constexpr std::size_t kListedChoices = 20;  // an unknown value's error lists this many

// The levels of a text column, sorted by code point (as the analysis sorts them).
std::vector<std::string> sorted_levels(const ProfileLevels& levels) {
  std::vector<std::string> names = levels.levels;
  std::sort(names.begin(), names.end());
  return names;
}

std::string choices_text(const std::vector<std::string>& values) {
  if (values.size() <= kListedChoices) return fmt::format("{}", fmt::join(values, ", "));
  return fmt::format("{}, … ({} more)",
                     fmt::join(values.begin(), values.begin() + kListedChoices, ", "),
                     values.size() - kListedChoices);
}

// The value if it is one of `known`, else a 400 that lists them.
std::string known_level(const std::string& value, const std::vector<std::string>& known,
                        const char* role) {
  if (known.empty()) throw QueryError(fmt::format("this table has no {} column", role));
  if (std::find(known.begin(), known.end(), value) == known.end()) {
    throw QueryError(fmt::format("unknown {} '{}'; the {}s are {}", role, value.substr(0, 64), role,
                                 choices_text(known)));
  }
  return value;
}

}  // namespace

ProfileDashboard::ProfileDashboard(ProfileDashboardData data, Lang lang, std::size_t cache_entries)
    : data_(std::move(data)), lang_(lang), views_(cache_entries), reports_(cache_entries) {
  const ProfileTable& table = data_.clean.table;
  if (table.size() == 0) throw Error("the profile dashboard needs at least one customer");
  const ProfileResult result = analyze_profiles(table, data_.options);
  tier_of_ = result.scores.tier;
  auto full = std::make_shared<Computed>();
  const report::ProfileInput input{data_.files, data_.encoding, &table, &data_.clean.audit,
                                   &data_.clean.rejects};
  full->summary = report::profile_summary_json({result, input, data_.playbook});
  full->reply = {200, kJson, to_body(full->summary)};
  full_ = std::move(full);

  regions_ = sorted_levels(table.region);
  categories_ = sorted_levels(table.category);
  nlohmann::json tiers = nlohmann::json::array();
  for (const ProfileTierSummary& tier : result.tiers) {
    if (tier.customers == 0) continue;
    tiers.push_back({{"value", std::string(profile_tier_id(tier.tier))},
                     {"label", std::string(profile_tier_name(tier.tier, lang_))}});
  }
  choices_ = {{"kind", "profiles"}, {"tiers", std::move(tiers)}, {"filters", true}};
  if (table.region.present()) choices_["regions"] = regions_;
  if (table.category.present()) choices_["categories"] = categories_;

  report::ReportOptions options;
  options.lang = lang_;
  options.dashboard = true;
  options.filter_choices = choices_;
  page_ = report::render_report_html(report::build_report_model(full_->summary, lang_), options);
}

ProfileDashboard::View ProfileDashboard::parse_view(const QueryParams& params, bool allow_lang,
                                                    Lang& lang) const {
  View view;
  std::string tier;
  for (const auto& [name, value] :
       check_query(params, {"region", "category", "tier"}, allow_lang, lang)) {
    if (name == "region") {
      view.filter.region = known_level(value, regions_, "region");
    } else if (name == "category") {
      view.filter.category = known_level(value, categories_, "category");
    } else {
      const std::optional<ProfileTier> parsed = parse_profile_tier(value);
      const bool present =
          parsed && std::find(tier_of_.begin(), tier_of_.end(), *parsed) != tier_of_.end();
      if (!present) {
        std::vector<std::string> names;
        for (const auto& choice : choices_["tiers"]) names.push_back(choice["value"]);
        throw QueryError(fmt::format("unknown tier '{}'; the tiers with customers are {}",
                                     value.substr(0, 64), fmt::join(names, ", ")));
      }
      tier = profile_tier_id(*parsed);
      std::vector<std::uint8_t> rows(tier_of_.size());
      for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = tier_of_[i] == *parsed;
      view.filter.rows = std::move(rows);
    }
  }
  const std::string region = view.filter.region.value_or("");
  const std::string category = view.filter.category.value_or("");
  if (view.filter.region || view.filter.category || !tier.empty()) {
    // Values are URL-decoded and may hold '|': length-prefix them to keep keys distinct.
    view.key =
        fmt::format("{}:{}|{}:{}|{}", region.size(), region, category.size(), category, tier);
  }
  if (view.filter.region) view.description.region = region;
  if (view.filter.category) view.description.category = category;
  if (!tier.empty()) view.description.tier = tier;
  return view;
}

ProfileDashboard::Computed ProfileDashboard::compute_uncached(const View& view) const {
  const ProfileTable table = filter_profiles(data_.clean.table, view.filter);
  if (table.size() == 0) return {error_reply(422, "no customers match the filter"), nullptr};
  try {
    // The view's clusters and tiers are fitted on its customers: what `custlens profile` gives
    // for a file of their rows. The input (files, audit, rejects) stays the whole file's.
    const ProfileResult result = analyze_profiles(table, data_.options);
    const report::ProfileInput input{data_.files, data_.encoding, &table, &data_.clean.audit,
                                     &data_.clean.rejects};
    Computed computed;
    computed.summary =
        report::profile_summary_json({result, input, data_.playbook, view.description});
    computed.reply = {200, kJson, to_body(computed.summary)};
    return computed;
  } catch (const Error& e) {
    // E.g. too few customers for the k range, or a feature constant among them.
    return {error_reply(422, e.what()), nullptr};
  }
}

std::shared_ptr<const ProfileDashboard::Computed> ProfileDashboard::compute(
    const View& view) const {
  if (view.key.empty()) return full_;
  return views_.get(view.key, [&] { return compute_uncached(view); });
}

Reply ProfileDashboard::page() const { return {200, "text/html; charset=utf-8", page_}; }

Reply ProfileDashboard::summary(const QueryParams& params) const {
  try {
    Lang lang = lang_;
    return compute(parse_view(params, false, lang))->reply;
  } catch (const QueryError& e) {
    return error_reply(400, e.what());
  } catch (const std::exception& e) {
    return error_reply(500, fmt::format("internal error: {}", e.what()));
  }
}

Reply ProfileDashboard::report(const QueryParams& params) const {
  try {
    Lang lang = lang_;
    const View view = parse_view(params, true, lang);
    const std::shared_ptr<const Computed> computed = compute(view);
    if (computed->reply.status != 200) return computed->reply;
    auto body = reports_.get(fmt::format("{}|{}", lang_code(lang), view.key), [&] {
      return to_body(report::build_report_model(computed->summary, lang));
    });
    return {200, kJson, *body};
  } catch (const QueryError& e) {
    return error_reply(400, e.what());
  } catch (const std::exception& e) {
    return error_reply(500, fmt::format("internal error: {}", e.what()));
  }
}

Reply ProfileDashboard::health() const {
  const auto views = views_.stats();
  const nlohmann::json body = {
      {"status", "ok"},
      {"kind", "profiles"},
      {"filters", true},
      {"customers", data_.clean.table.size()},
      {"cache", {{"entries", views.entries}, {"hits", views.hits}, {"misses", views.misses}}}};
  return {200, kJson, to_body(body)};
}

}  // namespace custlens::server
