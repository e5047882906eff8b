// What the history sections share: the runs of summary.json's `history` and the trend group,
// the runs of the same command, source and scheme as the newest run with order KPIs.
#pragma once

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "report/sections/section.h"

namespace custlens::report {

/// `/history/runs`, or nullptr when missing or empty.
inline const nlohmann::json* history_runs(const SectionContext& context) {
  const nlohmann::json* runs = context.find("/history/runs");
  return runs != nullptr && runs->is_array() && !runs->empty() ? runs : nullptr;
}

/// A KPI of a run, if recorded.
inline std::optional<double> history_kpi(const nlohmann::json& run, const std::string& name) {
  const auto kpis = run.find("kpis");
  if (kpis == run.end()) return std::nullopt;
  const auto value = kpis->find(name);
  if (value == kpis->end() || !value->is_number()) return std::nullopt;
  return value->get<double>();
}

/// The runs of the newest run's command, source and scheme among those that recorded `kpi`,
/// oldest first (the series a trend chart draws); empty when none did.
inline std::vector<const nlohmann::json*> history_trend(const nlohmann::json& runs,
                                                        const std::string& kpi) {
  const nlohmann::json* newest = nullptr;
  for (const nlohmann::json& run : runs) {
    if (history_kpi(run, kpi)) newest = &run;
  }
  std::vector<const nlohmann::json*> trend;
  if (newest == nullptr) return trend;
  for (const nlohmann::json& run : runs) {
    if (run.value("command", "") == newest->value("command", "") &&
        run.value("source_name", "") == newest->value("source_name", "") &&
        run.value("scheme", "") == newest->value("scheme", "") && history_kpi(run, kpi)) {
      trend.push_back(&run);
    }
  }
  return trend;
}

/// A run's start as a table shows it: "2026-12-04 13:47".
inline std::string history_label(const nlohmann::json& run) {
  std::string at = run.value("started_at", "");
  if (at.size() >= 16) at = at.substr(0, 10) + " " + at.substr(11, 5);
  return at;
}

/// The x-axis labels of a trend: the data's as-of days when they tell the runs apart, else the
/// runs' starts to the second.
inline std::vector<std::string> history_axis(const std::vector<const nlohmann::json*>& trend) {
  std::vector<std::string> labels;
  for (const nlohmann::json* run : trend) labels.push_back(run->value("as_of", ""));
  std::vector<std::string> sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  const bool distinct = std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end() &&
                        (sorted.empty() || !sorted.front().empty());
  if (distinct) return labels;
  labels.clear();
  for (const nlohmann::json* run : trend) {
    std::string at = run->value("started_at", "");
    if (at.size() >= 19) at = at.substr(0, 10) + " " + at.substr(11, 8);
    labels.push_back(at);
  }
  return labels;
}

}  // namespace custlens::report
