// EventsDashboard: validates view queries, runs the behaviour analysis on the events that pass
// them (pipeline::analyze_view) and caches the answers by the normalised query.
#include "server/events_dashboard.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <utility>

#include "common/calendar.h"
#include "custlens/error.h"
#include "report/html_report.h"

namespace custlens::server {
namespace {

namespace ev = analysis::events;

constexpr const char* kJson = "application/json; charset=utf-8";
constexpr std::size_t kErrorChoices = 20;  // an unknown category's error lists this many

std::string choices_text(const std::vector<std::string>& values, std::size_t total) {
  const std::size_t shown = std::min(values.size(), kErrorChoices);
  if (shown == total) return fmt::format("{}", fmt::join(values, ", "));
  return fmt::format(
      "{}, … ({} more)",
      fmt::join(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
      total - shown);
}

// The `key` of the first and last objects of summary.events[list], if there.
std::pair<std::string, std::string> first_last(const nlohmann::json& summary, const char* list,
                                               const char* key) {
  const nlohmann::json::json_pointer pointer(fmt::format("/events/{}", list));
  const nlohmann::json entries = summary.value(pointer, nlohmann::json());
  if (!entries.is_array() || entries.empty() || !entries.front().is_object() ||
      !entries.back().is_object()) {
    return {};
  }
  return {entries.front().value(key, ""), entries.back().value(key, "")};
}

}  // namespace

EventsDashboard::EventsDashboard(EventsDashboardData data, Lang lang, std::size_t cache_entries)
    : data_(std::move(data)), lang_(lang), views_(cache_entries), reports_(cache_entries) {
  auto full = std::make_shared<Computed>();
  if (data_.full) {
    EventsFullData& log = *data_.full;
    if (log.events.events.empty()) throw Error("the behaviour dashboard needs at least one event");
    clock_.emplace(log.tz);
    behavior_ = log.options;
    // Every view has the whole log's funnel: a view without a cart or a buy keeps its steps.
    if (behavior_.funnel.steps.empty()) {
      behavior_.funnel.steps = ev::default_funnel_steps(log.names);
    }
    for (std::size_t id = 0; id < log.names.categories.size(); ++id) {
      category_ids_.emplace(log.names.categories[id], static_cast<std::uint32_t>(id));
    }
    *full = compute_uncached(View{});
    if (full->reply.status != 200) {
      throw Error(nlohmann::json::parse(full->reply.body).value("error", "no event to analyse"));
    }
  } else {
    if (!data_.summary.is_object()) throw Error("the dashboard needs a summary.json object");
    full->summary = data_.summary;
    full->reply = {200, kJson, to_body(data_.summary)};
  }
  full_ = std::move(full);
  choices_ = make_choices();
  report::ReportOptions options;
  options.lang = lang_;
  options.dashboard = true;
  options.filter_choices = choices_;
  page_ = report::render_report_html(report::build_report_model(full_->summary, lang_), options);
}

nlohmann::json EventsDashboard::make_choices() const {
  nlohmann::json choices = {{"kind", "behavior_log"}, {"filters", data_.full.has_value()}};
  const auto [from, to] = first_last(full_->summary, "days", "day");
  choices["from"] = from;
  choices["to"] = to;
  if (data_.full) {
    // Ranked by pv over the whole log (ties by name, as the report ranks them).
    const EventsFullData& log = *data_.full;
    const std::optional<std::uint16_t> pv = log.names.find_behavior("pv");
    std::vector<std::int64_t> views(log.names.categories.size(), 0);
    for (const ev::Event& e : log.events.events) {
      if (e.category != ev::kNoKey && pv && e.behavior == *pv) ++views[e.category];
    }
    std::vector<std::uint32_t> order(views.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
    const std::size_t listed = std::min(kListedCategories, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(listed),
                      order.end(), [&](std::uint32_t a, std::uint32_t b) {
                        if (views[a] != views[b]) return views[a] > views[b];
                        return log.names.categories[a] < log.names.categories[b];
                      });
    nlohmann::json categories = nlohmann::json::array();
    for (std::size_t i = 0; i < listed; ++i) categories.push_back(log.names.categories[order[i]]);
    choices["categories"] = std::move(categories);
    choices["categories_total"] = log.names.categories.size();
  } else {
    // Without the events: the report's top categories.
    nlohmann::json categories = nlohmann::json::array();
    const nlohmann::json top =
        full_->summary.value(nlohmann::json::json_pointer("/events/categories"), nlohmann::json());
    if (top.is_array()) {
      for (const auto& entry : top) {
        if (entry.is_object() && entry.contains("key")) categories.push_back(entry["key"]);
      }
    }
    choices["categories_total"] = categories.size();
    choices["categories"] = std::move(categories);
    choices["why_no_filters"] = data_.why_no_filters;
  }
  return choices;
}

EventsDashboard::View EventsDashboard::parse_view(const QueryParams& params, bool allow_lang,
                                                  Lang& lang) const {
  View view;
  std::optional<std::int64_t> from, to;
  std::string category;
  for (const auto& [name, value] :
       check_query(params, {"from", "to", "category"}, allow_lang, lang)) {
    if (name == "from") {
      from = common::floor_div(parse_query_day(name, value), common::kSecondsPerDay);
    } else if (name == "to") {
      to = common::floor_div(parse_query_day(name, value), common::kSecondsPerDay);
    } else {
      category = value;
    }
  }
  if (from && to && *from > *to) {
    throw QueryError(
        fmt::format("from={} is after to={}", common::format_day(*from), common::format_day(*to)));
  }
  if (!category.empty() && data_.full) {
    const auto found = category_ids_.find(category);
    if (found == category_ids_.end()) {
      throw QueryError(fmt::format(
          "unknown category '{}'; the most viewed categories are {}", category.substr(0, 64),
          choices_text(choices_["categories"].get<std::vector<std::string>>(),
                       data_.full->names.categories.size())));
    }
    view.filter.category = found->second;
  }
  view.filter.from_day = from;
  view.filter.to_day = to;
  if (from) view.description.from = common::format_day(*from);
  if (to) view.description.to = common::format_day(*to);
  if (!category.empty()) view.description.category = category;
  if (from || to || !category.empty()) {
    // A category is URL-decoded text and may hold '|': length-prefixed to keep keys distinct.
    view.key = fmt::format("{}|{}|{}:{}", view.description.from.value_or(""),
                           view.description.to.value_or(""), category.size(), category);
  }
  return view;
}

EventsDashboard::Computed EventsDashboard::compute_uncached(const View& view) const {
  const EventsFullData& log = *data_.full;
  try {
    std::optional<pipeline::BehaviorView> result =
        pipeline::analyze_view(log.events, log.names, *clock_, behavior_, view.filter);
    if (!result) return {error_reply(422, "no event matches the filter"), nullptr};
    // The audit stays the whole file's, as the profile and order dashboards keep theirs.
    const report::EventsSummary summary{
        log.input,
        log.layout,
        log.options,
        log.steps_map,
        log.dedup,
        report::make_events_report(log.audit, log.tz, std::move(result->result)),
        view.key.empty() ? std::nullopt : std::optional(view.description)};
    Computed computed;
    computed.summary = report::events_summary_to_json(summary);
    computed.reply = {200, kJson, to_body(computed.summary)};
    return computed;
  } catch (const Error& e) {
    return {error_reply(422, e.what()), nullptr};
  }
}

std::shared_ptr<const EventsDashboard::Computed> EventsDashboard::compute(const View& view) const {
  if (view.key.empty()) return full_;
  return views_.get(view.key, [&] { return compute_uncached(view); });
}

Reply EventsDashboard::page() const { return {200, "text/html; charset=utf-8", page_}; }

Reply EventsDashboard::summary(const QueryParams& params) const {
  try {
    Lang lang = lang_;
    const View view = parse_view(params, false, lang);
    if (!view.key.empty() && !data_.full) return error_reply(409, data_.why_no_filters);
    return compute(view)->reply;
  } catch (const QueryError& e) {
    return error_reply(400, e.what());
  } catch (const std::exception& e) {
    return error_reply(500, fmt::format("internal error: {}", e.what()));
  }
}

Reply EventsDashboard::report(const QueryParams& params) const {
  try {
    Lang lang = lang_;
    const View view = parse_view(params, true, lang);
    if (!view.key.empty() && !data_.full) return error_reply(409, data_.why_no_filters);
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

Reply EventsDashboard::health() const {
  const auto views = views_.stats();
  const nlohmann::json body = {
      {"status", "ok"},
      {"kind", "behavior_log"},
      {"filters", data_.full.has_value()},
      {"events", data_.full ? data_.full->events.events.size() : 0},
      {"users", data_.full ? data_.full->events.users() : 0},
      {"cache", {{"entries", views.entries}, {"hits", views.hits}, {"misses", views.misses}}}};
  return {200, kJson, to_body(body)};
}

}  // namespace custlens::server
