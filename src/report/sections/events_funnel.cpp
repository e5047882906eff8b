// Section `events_funnel`: users reaching each funnel step (windowFunnel semantics, docs/events.md
// "Funnel"), conversion from the previous and the first step, drop-off and time between steps.
#include <fmt/format.h>

#include "report/sections/events_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

constexpr const char* kReachedColor = "#3b6ea5";
constexpr const char* kDroppedColor = "#d9d9d9";

std::string mode_words(const SectionContext& context, const std::string& mode) {
  if (mode == "strict") return std::string(context.text("strict order", "严格顺序"));
  if (mode == "strict_once") {
    return std::string(context.text("each event counted once", "每个事件只计一次"));
  }
  return std::string(context.text("in order", "按顺序"));
}

std::optional<Section> build_events_funnel(const SectionContext& context) {
  const json* events = events_root(context);
  if (events == nullptr || !events->contains("funnel") || !events->at("funnel").is_object()) {
    return std::nullopt;
  }
  const json& funnel = events->at("funnel");
  const json* steps = events_array(funnel, "steps");
  if (steps == nullptr || steps->empty()) return std::nullopt;

  Section section;
  section.title = context.text("Funnel: users reaching each step", "漏斗：到达各步骤的用户");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Step", "步骤")),
                   std::string(context.text("Users", "用户数")),
                   std::string(context.text("From previous", "较上一步")),
                   std::string(context.text("From first", "较第一步")),
                   std::string(context.text("Dropped", "流失用户")),
                   std::string(context.text("Median s from previous", "距上一步中位秒数")),
                   std::string(context.text("P90 s from previous", "距上一步 P90 秒数"))};
  table.formats = {CellFormat::kText,    CellFormat::kInteger, CellFormat::kPercent,
                   CellFormat::kPercent, CellFormat::kInteger, CellFormat::kNumber,
                   CellFormat::kNumber};
  json labels = json::array();
  json reached = json::array();
  json dropped = json::array();
  std::int64_t previous_users = 0;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const json& step = (*steps)[i];
    const std::int64_t users = events_count(step, "users");
    const json drop = i == 0 ? json(nullptr) : json(previous_users - users);
    const std::string label = events_step_label(*steps, i);
    table.rows.push_back({label, users, step.value("conversion_from_previous", json()),
                          step.value("conversion_from_first", json()), drop,
                          step.value("median_seconds_from_previous", json()),
                          step.value("p90_seconds_from_previous", json())});
    labels.push_back(label);
    const std::optional<double> from_first = events_number(step, "conversion_from_first");
    reached.push_back({{"value", users},
                       {"label",
                        {{"formatter", from_first ? fmt::format("{} ({})", format_count(users),
                                                                format_share(*from_first))
                                                  : format_count(users)}}}});
    dropped.push_back(i == 0 ? json("-") : drop);
    previous_users = users;
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", {{"left", 8}, {"right", 8}, {"top", 36}, {"bottom", 8}, {"containLabel", true}}},
      {"xAxis", {{"type", "category"}, {"data", std::move(labels)}}},
      {"yAxis", {{"type", "value"}, {"name", std::string(context.text("Users", "用户数"))}}},
      {"series",
       json::array(
           {{{"name", std::string(context.text("Reached the step", "到达该步骤"))},
             {"type", "bar"},
             {"stack", "funnel"},
             {"itemStyle", {{"color", kReachedColor}}},
             {"label", {{"show", true}, {"position", "inside"}}},
             {"data", std::move(reached)}},
            {{"name", std::string(context.text("Dropped since the previous step", "较上一步流失"))},
             {"type", "bar"},
             {"stack", "funnel"},
             {"itemStyle", {{"color", kDroppedColor}}},
             {"data", std::move(dropped)}}})}};

  const json& first = steps->front();
  const json& last = steps->back();
  const std::int64_t first_users = events_count(first, "users");
  const std::string window = events_window(context, events_count(funnel, "window_seconds"));
  const std::string mode = mode_words(context, events_text(funnel, "mode"));
  if (first_users == 0) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("No user reached the first step, {}.",
                                              "没有用户到达第一步 {}。")),
                    events_text(first, "step")));
    return section;
  }
  if (steps->size() >= 2) {
    const std::int64_t last_users = events_count(last, "users");
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text(
                        "{} of the {} users who did {} went on to {} within {} ({}): {}.",
                        "在 {2} 的 {1} 个用户中，有 {0} 个在 {4} 内（{5}）完成了 {3}：{6}。")),
                    format_count(last_users), format_count(first_users), events_text(first, "step"),
                    events_text(last, "step"), window, mode,
                    format_share(events_share(last_users, first_users))));
  }
  // The biggest drop: the lowest conversion from the previous step (the first of equals).
  std::optional<std::size_t> worst;
  for (std::size_t i = 1; i < steps->size(); ++i) {
    const std::optional<double> conversion = events_number((*steps)[i], "conversion_from_previous");
    if (!conversion || events_count((*steps)[i - 1], "users") == 0) continue;
    if (!worst || *conversion < *events_number((*steps)[*worst], "conversion_from_previous")) {
      worst = i;
    }
  }
  if (worst) {
    const json& before = (*steps)[*worst - 1];
    const json& after = (*steps)[*worst];
    const std::int64_t before_users = events_count(before, "users");
    const std::int64_t lost = before_users - events_count(after, "users");
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "{} of the users who did {} never did {} ({} of {}); the biggest drop is {}→{}.",
            "做了 {1} 的用户中有 {0} 没有继续 {2}（{3}/{4}）；流失最大的一步是 {1}→{2}。")),
        format_share(1.0 - *events_number(after, "conversion_from_previous")),
        events_text(before, "step"), events_text(after, "step"), format_count(lost),
        format_count(before_users), events_text(before, "step"), events_text(after, "step")));
  }
  if (events_date_only(*events)) {
    section.findings.push_back(std::string(context.text(
        "The timestamps carry no time of day, so the times between steps (table) are whole days "
        "at best.",
        "时间戳不含具体时间，因此步骤之间的时间（表格）最多精确到天。")));
    return section;
  }
  for (std::size_t i = 1; i < steps->size(); ++i) {
    const std::optional<double> median = events_number((*steps)[i], "median_seconds_from_previous");
    const std::optional<double> p90 = events_number((*steps)[i], "p90_seconds_from_previous");
    if (!median || !p90) continue;
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("From {} to {}: median {}, 90th percentile {} ({} users).",
                                  "从 {} 到 {}：中位 {}，第 90 百分位 {}（{} 个用户）。")),
        events_text((*steps)[i - 1], "step"), events_text((*steps)[i], "step"),
        events_duration(context, *median), events_duration(context, *p90),
        format_count(events_count((*steps)[i], "users"))));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(events_funnel, 710, build_events_funnel);

}  // namespace custlens::report
