// The HTML report: a model of sections built from summary.json, and the self-contained page
// (ECharts inlined) that draws it, as a file (`analyze`) or as the dashboard (`serve`).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "report/summary.h"

namespace custlens::report {

/// One report section, as the page draws it: a chart, a table and findings sentences.
/// Sections register themselves by id (one file each under src/report/sections/).
///
/// Model JSON of a section:
///   {"id": "tiers", "title": "...", "chart": {ECharts option object, or null},
///    "table": {"columns": ["..."], "formats": ["text"|"integer"|"money"|"number"|"percent"|
///              "list", ...], "rows": [[...], ...]}, "findings": ["...", ...]}
/// Table cells are the summary's own values (shares as 0..1); `formats` says how the page prints
/// each column. The interface of a section and how to add one: src/report/sections/section.h,
/// docs/report.md.
/// The whole model: {"lang": "en"|"zh", "title": "...", "subtitle": "...",
///                   "sections": [section, ...]}
struct ReportOptions {
  Lang lang = Lang::kEn;
  /// Dashboard mode: filter controls (date range, country, tier) that fetch
  /// `/api/report?from=YYYY-MM-DD&to=YYYY-MM-DD&country=...&tier=...` (a new model) and redraw.
  bool dashboard = false;
  /// Dashboard mode: the values for the filter drop-downs, {"countries": [...], "tiers": [...],
  /// "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}.
  nlohmann::json filter_choices;
};

/// Builds the model from a summary.json object (the one `analyze` writes): every section whose
/// inputs are present in the summary, in registry order. All text is in `lang`.
nlohmann::json build_report_model(const nlohmann::json& summary, Lang lang);

/// The whole page: HTML with the model and ECharts embedded; every data string escaped.
std::string render_report_html(const nlohmann::json& model, const ReportOptions& options);

}  // namespace custlens::report
