// Dashboard: validates view queries, filters the lines, calls build_summary, summary_to_json and
// the report model, and caches the answers by the normalised query.
#include "server/dashboard.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <utility>

#include "custlens/error.h"
#include "io/dates.h"
#include "report/html_report.h"
#include "report/json_output.h"

namespace custlens::server {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The `key` strings of an array of objects in the summary, if there.
std::vector<std::string> keys_of(const nlohmann::json& summary, const char* section,
                                 const char* list, const char* key) {
  std::vector<std::string> keys;
  if (!summary.contains(section) || !summary[section].contains(list)) return keys;
  for (const auto& entry : summary[section][list]) {
    if (entry.contains(key) && entry[key].is_string()) keys.push_back(entry[key]);
  }
  return keys;
}

}  // namespace

std::int64_t parse_query_day(const std::string& name, const std::string& value) {
  const bool shaped = value.size() == 10 && value[4] == '-' && value[7] == '-' &&
                      std::all_of(value.begin(), value.begin() + 4, is_digit) &&
                      is_digit(value[5]) && is_digit(value[6]) && is_digit(value[8]) &&
                      is_digit(value[9]);
  std::optional<std::int64_t> seconds;
  if (shaped) seconds = io::parse_timestamp(value, "%Y-%m-%d");
  if (!seconds) {
    throw QueryError(fmt::format("{}={} is not a date like 2011-12-09", name, value));
  }
  return *seconds;
}

std::string to_body(const nlohmann::json& json) {
  report::require_finite_numbers(json, "the answer");
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Reply error_reply(int status, const std::string& message) {
  return {status, kJson, to_body(nlohmann::json{{"error", message}})};
}

std::map<std::string, std::string> check_query(const QueryParams& params,
                                               const std::vector<std::string>& names,
                                               bool allow_lang, Lang& lang) {
  std::map<std::string, std::string> values;
  std::set<std::string> seen;
  for (const auto& [name, value] : params) {
    if (!seen.insert(name).second) {
      throw QueryError(fmt::format("parameter '{}' is given more than once", name.substr(0, 64)));
    }
    if (allow_lang && name == "lang") {
      if (value == "en" || value == "zh") {
        lang = parse_lang(value);
      } else if (!value.empty()) {
        throw QueryError(fmt::format("lang={} is not en or zh", value.substr(0, 64)));
      }
      continue;
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      throw QueryError(fmt::format("unknown parameter '{}'; the filters are {}", name.substr(0, 64),
                                   fmt::join(names, ", ")));
    }
    if (!value.empty()) values[name] = value;
  }
  return values;
}

Dashboard::Dashboard(DashboardData data, Lang lang, std::size_t cache_entries)
    : data_(std::move(data)), lang_(lang), views_(cache_entries), reports_(cache_entries) {
  if (!data_.summary.is_object()) throw Error("the dashboard needs a summary.json object");
  countries_ = keys_of(data_.summary, "patterns", "countries", "key");
  if (data_.summary.contains("rfm") && data_.summary["rfm"].contains("segments")) {
    for (const auto& segment : data_.summary["rfm"]["segments"]) {
      const std::string name = segment.value("name", "");
      tier_names_.push_back(name);
      tier_by_name_[name] = name;
      tier_by_name_[segment.value("name_zh", name)] = name;
    }
  }
  if (data_.full) {
    FullData& full = *data_.full;
    if (!full.rfm_options.as_of) full.rfm_options.as_of = full.rfm.as_of;
    for (const SegmentSummary& segment : full.rfm.segments) tier_members_[segment.name];
    for (const CustomerRfm& customer : full.rfm.customers) {
      const auto segment = static_cast<std::size_t>(customer.segment);
      tier_members_[full.rfm.segments[segment].name].push_back(customer.customer_id);
    }
    full.rfm = RfmResult{};  // only the tier members are needed from here on
  }
  choices_ = make_choices();
  full_summary_body_ = to_body(data_.summary);
  report::ReportOptions options;
  options.lang = lang_;
  options.dashboard = true;
  options.filter_choices = choices_;
  page_ = report::render_report_html(report::build_report_model(data_.summary, lang_), options);
}

nlohmann::json Dashboard::make_choices() const {
  nlohmann::json tiers = nlohmann::json::array();
  if (data_.summary.contains("rfm") && data_.summary["rfm"].contains("segments")) {
    for (const auto& segment : data_.summary["rfm"]["segments"]) {
      if (segment.value("customers", 0) == 0) continue;
      const std::string name = segment.value("name", "");
      tiers.push_back(lang_ == Lang::kZh ? segment.value("name_zh", name) : name);
    }
  }
  std::string from, to;
  if (data_.full && data_.full->lines.size() > 0) {
    const auto [first, last] =
        std::minmax_element(data_.full->lines.timestamp.begin(), data_.full->lines.timestamp.end());
    from = io::format_date(*first);
    to = io::format_date(*last);
  } else {
    // Without the lines: the first month's first day and the day before the as-of day.
    std::vector<std::string> months = keys_of(data_.summary, "patterns", "months", "key");
    if (!months.empty()) from = months.front() + "-01";
    const std::string as_of =
        data_.summary.contains("rfm") ? data_.summary["rfm"].value("as_of", "") : "";
    if (auto seconds = io::parse_timestamp(as_of, "%Y-%m-%d")) {
      to = io::format_date(*seconds - 86400);
    }
  }
  nlohmann::json choices = {{"countries", countries_},
                            {"tiers", std::move(tiers)},
                            {"from", from},
                            {"to", to},
                            {"filters", data_.full.has_value()}};
  if (!data_.full) choices["why_no_filters"] = data_.why_no_filters;
  return choices;
}

Dashboard::View Dashboard::parse_view(const QueryParams& params, bool allow_lang,
                                      Lang& lang) const {
  View view;
  std::string tier;
  for (const auto& [name, value] :
       check_query(params, {"from", "to", "country", "tier"}, allow_lang, lang)) {
    if (name == "from") {
      view.filter.from = parse_query_day(name, value);
    } else if (name == "to") {
      view.filter.to = parse_query_day(name, value);
    } else if (name == "country") {
      if (std::find(countries_.begin(), countries_.end(), value) == countries_.end()) {
        throw QueryError(fmt::format("unknown country '{}'", value.substr(0, 64)));
      }
      view.filter.country = value;
    } else {
      auto found = tier_by_name_.find(value);
      if (found == tier_by_name_.end()) {
        throw QueryError(fmt::format("unknown tier '{}'; the tiers are {}", value.substr(0, 64),
                                     fmt::join(tier_names_, ", ")));
      }
      tier = found->second;
    }
  }
  if (view.filter.from && view.filter.to && *view.filter.from > *view.filter.to) {
    throw QueryError(fmt::format("from={} is after to={}", io::format_date(*view.filter.from),
                                 io::format_date(*view.filter.to)));
  }
  auto date = [](const std::optional<std::int64_t>& day) {
    return day ? io::format_date(*day) : std::string();
  };
  const std::string country = view.filter.country.value_or("");
  if (view.filter.from || view.filter.to || view.filter.country || !tier.empty()) {
    // Values are URL-decoded and may hold '&': length-prefix them to keep keys distinct.
    view.key = fmt::format("{}|{}|{}:{}|{}:{}", date(view.filter.from), date(view.filter.to),
                           country.size(), country, tier.size(), tier);
  }
  if (view.filter.from) view.description.from = date(view.filter.from);
  if (view.filter.to) view.description.to = date(view.filter.to);
  if (view.filter.country) view.description.country = country;
  if (!tier.empty()) view.description.tier = tier;
  return view;
}

Dashboard::Computed Dashboard::compute_uncached(const View& view) const {
  const FullData& full = *data_.full;
  OrderFilter filter = view.filter;
  if (view.description.tier) filter.customers = tier_members_.at(*view.description.tier);
  OrderLines lines = filter_order_lines(full.lines, filter);
  if (lines.size() == 0) {
    Computed empty;
    empty.reply = error_reply(422, "no order lines match the filter");
    return empty;
  }
  RfmOptions rfm_options = full.rfm_options;
  rfm_options.as_of = filtered_as_of(*full.rfm_options.as_of, filter);
  try {
    report::Summary summary =
        report::build_summary(lines, full.audit, full.input, rfm_options, full.pattern_options);
    summary.playbook = full.playbook;
    summary.filter = view.description;
    Computed computed;
    computed.summary = report::summary_to_json(summary);
    computed.reply = {200, kJson, to_body(computed.summary)};
    return computed;
  } catch (const Error& e) {
    // E.g. a rules file whose segments do not cover this subset of customers.
    Computed failed;
    failed.reply = error_reply(422, e.what());
    return failed;
  }
}

std::shared_ptr<const Dashboard::Computed> Dashboard::compute(const View& view) const {
  return views_.get(view.key, [&] { return compute_uncached(view); });
}

Reply Dashboard::page() const { return {200, "text/html; charset=utf-8", page_}; }

Reply Dashboard::summary(const QueryParams& params) const {
  try {
    Lang lang = lang_;
    const View view = parse_view(params, false, lang);
    if (view.key.empty()) return {200, kJson, full_summary_body_};
    if (!data_.full) return error_reply(409, data_.why_no_filters);
    return compute(view)->reply;
  } catch (const QueryError& e) {
    return error_reply(400, e.what());
  } catch (const std::exception& e) {
    return error_reply(500, fmt::format("internal error: {}", e.what()));
  }
}

Reply Dashboard::report(const QueryParams& params) const {
  try {
    Lang lang = lang_;
    const View view = parse_view(params, true, lang);
    std::shared_ptr<const Computed> computed;
    if (!view.key.empty()) {
      if (!data_.full) return error_reply(409, data_.why_no_filters);
      computed = compute(view);
      if (computed->reply.status != 200) return computed->reply;
    }
    const nlohmann::json& summary = computed ? computed->summary : data_.summary;
    auto body = reports_.get(fmt::format("{}|{}", lang_code(lang), view.key),
                             [&] { return to_body(report::build_report_model(summary, lang)); });
    return {200, kJson, *body};
  } catch (const QueryError& e) {
    return error_reply(400, e.what());
  } catch (const std::exception& e) {
    return error_reply(500, fmt::format("internal error: {}", e.what()));
  }
}

Reply Dashboard::health() const {
  const auto views = views_.stats();
  nlohmann::json body = {
      {"status", "ok"},
      {"filters", data_.full.has_value()},
      {"lines", data_.full ? data_.full->lines.size() : 0},
      {"cache", {{"entries", views.entries}, {"hits", views.hits}, {"misses", views.misses}}}};
  return {200, kJson, to_body(body)};
}

}  // namespace custlens::server
