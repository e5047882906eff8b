// Section `events_lifecycle`: users per lifecycle stage in every period (`lifecycle.periods`,
// docs/events.md "Lifecycle") as stacked bars, and the first-to-last-period transition table.
#include <fmt/format.h>

#include "report/sections/events_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

struct Stage {
  const char* key;
  const char* en;
  const char* zh;
  const char* color;
};

constexpr Stage kStages[] = {
    {"new", "new", "新用户", "#7fa7cf"},           {"active", "active", "活跃", "#3b6ea5"},
    {"returning", "returning", "回流", "#5cb85c"}, {"at_risk", "at risk", "流失风险", "#f0ad4e"},
    {"churned", "churned", "已流失", "#b8b8b8"},
};

std::string stage_name(const SectionContext& context, const std::string& key) {
  for (const Stage& stage : kStages) {
    if (key == stage.key) return std::string(context.text(stage.en, stage.zh));
  }
  if (key == "unseen") return std::string(context.text("not yet seen", "尚未出现"));
  return key;
}

std::optional<Section> build_events_lifecycle(const SectionContext& context) {
  const json* events = events_root(context);
  if (events == nullptr || !events->contains("lifecycle") || !events->at("lifecycle").is_object()) {
    return std::nullopt;
  }
  const json& lifecycle = events->at("lifecycle");
  const json* periods = events_array(lifecycle, "periods");
  if (periods == nullptr || periods->empty()) return std::nullopt;
  const json* transitions = events_array(lifecycle, "transitions");

  Section section;
  section.title = context.text("Lifecycle stages", "生命周期阶段");
  json labels = json::array();
  json series = json::array();
  for (const json& period : *periods) labels.push_back(events_text(period, "period"));
  for (const Stage& stage : kStages) {
    json data = json::array();
    for (const json& period : *periods) data.push_back(events_count(period, stage.key));
    series.push_back({{"name", std::string(context.text(stage.en, stage.zh))},
                      {"type", "bar"},
                      {"stack", "stages"},
                      {"itemStyle", {{"color", stage.color}}},
                      {"data", std::move(data)}});
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid",
       {{"left", kDateAxisLeft}, {"right", 8}, {"top", 36}, {"bottom", 8}, {"containLabel", true}}},
      {"xAxis", {{"type", "category"}, {"data", std::move(labels)}}},
      {"yAxis", {{"type", "value"}, {"name", std::string(context.text("Users", "用户数"))}}},
      {"series", std::move(series)}};

  SectionTable& table = section.table;
  table.columns = {std::string(context.text("First period", "第一个周期")),
                   std::string(context.text("Last period", "最后一个周期")),
                   std::string(context.text("Users", "用户数")),
                   std::string(context.text("Share of users", "用户占比"))};
  table.formats = {CellFormat::kText, CellFormat::kText, CellFormat::kInteger,
                   CellFormat::kPercent};
  std::int64_t users = 0;
  const json* largest = nullptr;
  if (transitions != nullptr) {
    for (const json& cell : *transitions) users += events_count(cell, "users");
    for (const json& cell : *transitions) {
      table.rows.push_back({stage_name(context, events_text(cell, "from")),
                            stage_name(context, events_text(cell, "to")),
                            events_count(cell, "users"),
                            events_share(events_count(cell, "users"), users)});
      if (largest == nullptr || events_count(cell, "users") > events_count(*largest, "users")) {
        largest = &cell;
      }
    }
  }

  const json& last = periods->back();
  std::int64_t seen = 0;
  for (const Stage& stage : kStages) seen += events_count(last, stage.key);
  const std::string period_word = events_period_word(
      context, events_text(events->value("retention", json::object()), "period"));
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text(
          "In the last {} ({}), of the {} users seen so far: {} new, {} active, {} returning, "
          "{} at risk, {} churned ({}).",
          "在最后一个{}（{}），截至当时出现过的 {} 个用户中：新用户 {}，活跃 {}，回流 {}，流失风险 "
          "{}，已流失 {}（{}）。")),
      period_word, events_text(last, "period"), format_count(seen),
      format_count(events_count(last, "new")), format_count(events_count(last, "active")),
      format_count(events_count(last, "returning")), format_count(events_count(last, "at_risk")),
      format_count(events_count(last, "churned")),
      format_share(events_share(events_count(last, "churned"), seen))));
  if (periods->size() >= 2 && largest != nullptr && users > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "From the first {} ({}) to the last, the most common path is {} → {}: {} users ({}).",
            "从第一个{}（{}）到最后一个，最常见的路径是 {} → {}：{} 个用户（{}）。")),
        period_word, events_text(periods->front(), "period"),
        stage_name(context, events_text(*largest, "from")),
        stage_name(context, events_text(*largest, "to")),
        format_count(events_count(*largest, "users")),
        format_share(events_share(events_count(*largest, "users"), users))));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(events_lifecycle, 760, build_events_lifecycle);

}  // namespace custlens::report
