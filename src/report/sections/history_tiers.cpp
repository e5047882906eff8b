// Section `history_tiers`: each tier's share of customers over the runs of the newest source
// (stacked to 100 %), and the tiers that grew or shrank the most since the previous run.
#include <fmt/format.h>

#include "report/sections/history_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

// The tiers of a run in its scheme's order, with the name to show in the report's language.
std::vector<std::pair<std::string, std::string>> tier_names(const json& run, Lang lang) {
  std::vector<std::pair<std::string, std::string>> names;
  const auto segments = run.find("segments");
  if (segments == run.end() || !segments->is_array()) return names;
  for (const json& segment : *segments) {
    const std::string name = segment.value("segment", "");
    const std::string zh = segment.value("segment_zh", "");
    names.emplace_back(name, lang == Lang::kZh && !zh.empty() ? zh : name);
  }
  return names;
}

std::optional<Section> build_history_tiers(const SectionContext& context) {
  const json* runs = history_runs(context);
  if (runs == nullptr) return std::nullopt;
  const std::vector<const json*> trend = history_trend(*runs, "churn_share").empty()
                                             ? history_trend(*runs, "customers")
                                             : history_trend(*runs, "churn_share");
  if (trend.empty()) return std::nullopt;
  const std::vector<std::pair<std::string, std::string>> tiers =
      tier_names(*trend.back(), context.lang);
  if (tiers.empty()) return std::nullopt;
  Section section;
  section.title = context.text("Tier shares over time", "各层级占比变化");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Run", "运行"))};
  table.formats = {CellFormat::kText};
  for (const auto& [tier, shown] : tiers) {
    table.columns.push_back(shown);
    table.formats.push_back(CellFormat::kPercent);
  }
  json labels = history_axis(trend);
  json series = json::array();
  for (const json* run : trend) {
    json row = json::array({run->value("run_id", "")});
    for (const auto& [tier, shown] : tiers) {
      const std::optional<double> share = history_kpi(*run, "tier." + tier + ".customer_share");
      row.push_back(share ? json(*share) : json());
    }
    table.rows.push_back(std::move(row));
  }
  for (const auto& [tier, shown] : tiers) {
    json data = json::array();
    for (const json* run : trend) {
      const std::optional<double> share = history_kpi(*run, "tier." + tier + ".customer_share");
      data.push_back(share ? json(chart_percent(*share)) : json());
    }
    series.push_back({{"name", shown},
                      {"type", trend.size() == 1 ? "bar" : "line"},
                      {"stack", "share"},
                      {"areaStyle", json::object()},
                      {"data", std::move(data)}});
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", {{"left", 8}, {"right", 8}, {"top", 48}, {"bottom", 8}, {"containLabel", true}}},
      {"xAxis", {{"type", "category"}, {"data", std::move(labels)}}},
      {"yAxis", {{"type", "value"}, {"max", 100}, {"name", "%"}}},
      {"series", std::move(series)}};
  if (trend.size() >= 2) {
    const json& before = *trend[trend.size() - 2];
    const json& last = *trend.back();
    std::string grew, shrank;
    double most = 0, least = 0;
    for (const auto& [tier, shown] : tiers) {
      const std::optional<double> a = history_kpi(before, "tier." + tier + ".customer_share");
      const std::optional<double> b = history_kpi(last, "tier." + tier + ".customer_share");
      if (!a || !b) continue;
      if (*b - *a > most) most = *b - *a, grew = shown;
      if (*b - *a < least) least = *b - *a, shrank = shown;
    }
    if (!grew.empty()) {
      section.findings.push_back(fmt::format(
          fmt::runtime(context.text("Since the previous run, {} grew the most: {:+.1f} pp of "
                                    "customers.",
                                    "与上一次运行相比，{} 增长最多：客户占比 {:+.1f} 个百分点。")),
          grew, most * 100));
    }
    if (!shrank.empty()) {
      section.findings.push_back(
          fmt::format(fmt::runtime(context.text("{} shrank the most: {:+.1f} pp.",
                                                "{} 减少最多：{:+.1f} 个百分点。")),
                      shrank, least * 100));
    }
  } else {
    section.findings.push_back(
        std::string(context.text("One run of this source so far: the next run shows the change.",
                                 "该数据源目前只有一次运行：下一次运行后可看到变化。")));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(history_tiers, 902, build_history_tiers);

}  // namespace custlens::report
