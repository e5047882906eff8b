// Section `events_funnel_breakdown`: the funnel per category, local day or new/returning users
// (`funnel.breakdown`, docs/events.md "Breakdown"): users per step and the conversion to the last.
#include <fmt/format.h>

#include <regex>

#include "report/sections/events_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

enum class By { kCategory, kDay, kNewReturning, kTier, kProfileTier };

// `funnel.by` names it; summaries written before it existed are told by their keys:
// new/returning, local days, else categories.
By breakdown_kind(const json& funnel, const json& breakdown) {
  const std::string by = events_text(funnel, "by");
  if (by == "category") return By::kCategory;
  if (by == "day") return By::kDay;
  if (by == "new_returning") return By::kNewReturning;
  if (by == "tier") return By::kTier;
  if (by == "profile_tier") return By::kProfileTier;
  bool new_returning = breakdown.size() == 2;
  bool days = true;
  static const std::regex kDay(R"(\d{4}-\d{2}-\d{2})");
  for (const json& group : breakdown) {
    const std::string key = events_text(group, "key");
    if (key != "new" && key != "returning") new_returning = false;
    if (!std::regex_match(key, kDay)) days = false;
  }
  return new_returning ? By::kNewReturning : days ? By::kDay : By::kCategory;
}

// A tier key's name in the report's language, from the joined view that grouped the users.
std::string tier_label(const SectionContext& context, const std::string& key) {
  const json* events = events_root(context);
  const json* joined =
      events != nullptr && events->contains("joined") ? &events->at("joined") : nullptr;
  if (joined == nullptr || !joined->is_object()) return key;
  for (const char* source : {"rfm_tier", "profile_tier"}) {
    if (!joined->contains(source) || !joined->at(source).is_object()) continue;
    const json* groups = events_array(joined->at(source), "groups");
    if (groups == nullptr) continue;
    for (const json& group : *groups) {
      if (events_text(group, "key") == key) {
        return events_text(group, context.lang == Lang::kZh ? "name_zh" : "name");
      }
    }
  }
  return key;
}

std::string group_label(const SectionContext& context, By by, const std::string& key) {
  if (by == By::kTier || by == By::kProfileTier) return tier_label(context, key);
  if (by != By::kNewReturning) return key;
  return std::string(key == "new" ? context.text("new (one day)", "新用户（一天）")
                                  : context.text("returning (≥ 2 days)", "回访用户（≥ 2 天）"));
}

std::optional<Section> build_events_funnel_breakdown(const SectionContext& context) {
  const json* events = events_root(context);
  if (events == nullptr || !events->contains("funnel")) return std::nullopt;
  const json& funnel = events->at("funnel");
  const json* breakdown = events_array(funnel, "breakdown");
  const json* steps = events_array(funnel, "steps");
  if (breakdown == nullptr || breakdown->empty() || steps == nullptr || steps->empty()) {
    return std::nullopt;
  }
  const By by = breakdown_kind(funnel, *breakdown);
  const bool tiers = by == By::kTier || by == By::kProfileTier;
  Section section;
  section.title = by == By::kTier ? context.text("Funnel by tier", "按客户分层的漏斗")
                  : by == By::kProfileTier
                      ? context.text("Funnel by profile tier", "按画像分层的漏斗")
                  : by == By::kDay ? context.text("Funnel by day", "按日期的漏斗")
                  : by == By::kNewReturning
                      ? context.text("Funnel: new and returning users", "漏斗：新用户与回访用户")
                      : context.text("Funnel by category", "按品类的漏斗");
  SectionTable& table = section.table;
  table.columns.push_back(std::string(tiers            ? context.text("Tier", "分层")
                                      : by == By::kDay ? context.text("Day", "日期")
                                      : by == By::kNewReturning
                                          ? context.text("Users", "用户")
                                          : context.text("Category", "品类")));
  table.formats.push_back(CellFormat::kText);
  for (std::size_t i = 0; i < steps->size(); ++i) {
    table.columns.push_back(events_step_label(*steps, i));
    table.formats.push_back(CellFormat::kInteger);
  }
  const std::string first_step = events_text(steps->front(), "step");
  const std::string last_step = events_text(steps->back(), "step");
  table.columns.push_back(
      fmt::format(fmt::runtime(context.text("{} → {}", "{} → {}")), first_step, last_step));
  table.formats.push_back(CellFormat::kPercent);

  json labels = json::array();
  json conversions = json::array();
  const json* best = nullptr;
  const json* worst = nullptr;
  auto conversion_of = [](const json& group) {
    const json* group_steps = events_array(group, "steps");
    return group_steps == nullptr || group_steps->empty()
               ? std::optional<double>()
               : events_number(group_steps->back(), "conversion_from_first");
  };
  for (const json& group : *breakdown) {
    const json* group_steps = events_array(group, "steps");
    const std::string label = group_label(context, by, events_text(group, "key"));
    json row = json::array({label});
    for (std::size_t i = 0; i < steps->size(); ++i) {
      row.push_back(group_steps != nullptr && i < group_steps->size()
                        ? json(events_count((*group_steps)[i], "users"))
                        : json(nullptr));
    }
    const std::optional<double> conversion = conversion_of(group);
    row.push_back(conversion ? json(*conversion) : json(nullptr));
    table.rows.push_back(std::move(row));
    labels.push_back(label);
    conversions.push_back(conversion ? json(chart_percent(*conversion)) : json("-"));
    if (conversion) {
      if (best == nullptr || *conversion > *conversion_of(*best)) best = &group;
      if (worst == nullptr || *conversion < *conversion_of(*worst)) worst = &group;
    }
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"grid",
       {{"left", kDateAxisLeft}, {"right", 8}, {"top", 36}, {"bottom", 8}, {"containLabel", true}}},
      {"xAxis", {{"type", "category"}, {"data", std::move(labels)}}},
      {"yAxis",
       {{"type", "value"},
        {"name", fmt::format(fmt::runtime(context.text("{} → {} (%)", "{} → {}（%）")), first_step,
                             last_step)},
        {"axisLabel", {{"formatter", "{value}%"}}}}},
      {"series", json::array({{{"name", fmt::format("{} → {}", first_step, last_step)},
                               {"type", by == By::kDay ? "line" : "bar"},
                               {"itemStyle", {{"color", "#3b6ea5"}}},
                               {"data", std::move(conversions)}}})}};

  auto describe = [&](const json& group) {
    const json& group_steps = group.at("steps");
    return fmt::format(
        fmt::runtime(context.text("{}: {} of {} users ({})", "{}：{}/{} 个用户（{}）")),
        group_label(context, by, events_text(group, "key")),
        format_count(events_count(group_steps.back(), "users")),
        format_count(events_count(group_steps.front(), "users")),
        format_share(*conversion_of(group)));
  };
  std::size_t converting_groups = 0;
  for (const json& group : *breakdown) converting_groups += conversion_of(group) ? 1 : 0;
  if (converting_groups >= 2 && *conversion_of(*best) == *conversion_of(*worst)) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("Every group with users at {} converts the same to {}: {}.",
                                  "所有在 {} 有用户的分组到 {} 的转化相同：{}。")),
        first_step, last_step, format_share(*conversion_of(*best))));
  } else if (best != nullptr && worst != nullptr && best != worst) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("From {} to {}, the best converting is {}; the worst is {}.",
                                  "从 {} 到 {}，转化最高的是 {}；最低的是 {}。")),
        first_step, last_step, describe(*best), describe(*worst)));
  } else if (best != nullptr) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("From {} to {}: {}.", "从 {} 到 {}：{}。")),
                    first_step, last_step, describe(*best)));
  }
  for (const json& group : *breakdown) {
    const json* group_steps = events_array(group, "steps");
    if (by != By::kCategory && group_steps != nullptr && !group_steps->empty() &&
        events_count(group_steps->front(), "users") == 0) {
      section.findings.push_back(fmt::format(
          fmt::runtime(context.text("No user of {} reached {}.", "{}中没有用户到达 {}。")),
          group_label(context, by, events_text(group, "key")), first_step));
    }
  }
  if (by == By::kCategory) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "The {} categories with the most users at {}; a user counts in every category "
            "whose events reach it.",
            "列出 {} 个在 {} 用户最多的品类；一个用户计入其事件到达该步的每个品类。")),
        breakdown->size(), first_step));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(events_funnel_breakdown, 715, build_events_funnel_breakdown);

}  // namespace custlens::report
