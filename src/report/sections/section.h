// The report-section interface: a section turns summary.json into a chart, a table and findings;
// each src/report/sections/<id>.cpp registers one with CUSTLENS_REGISTER_SECTION.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/summary.h"

namespace custlens::report {

/// How the page prints a table column's values.
enum class CellFormat {
  kText,       ///< a string as is
  kInteger,    ///< 541,909
  kMoney,      ///< 1,161,817.38
  kNumber,     ///< up to 2 decimals: 3.27
  kPercent,    ///< a 0..1 share printed as 29.7%
  kList,       ///< an array of strings, printed as a bulleted list
  kStatistic,  ///< a model statistic: 4 significant digits, 1.23e-7 below 1e-4: -0.003104
};

struct SectionTable {
  std::vector<std::string> columns;  ///< header labels, in the report's language
  std::vector<CellFormat> formats;   ///< one per column
  /// One array per row, one cell per column: the summary's own values (unrounded numbers,
  /// shares as 0..1), so that the page and summary.json never disagree; null prints empty.
  nlohmann::json rows = nlohmann::json::array();
};

/// One labelled part of a card: a paragraph (one item) or a bulleted list (several).
struct CardField {
  std::string label;               ///< "Actions", "渠道策略"; empty for an unlabelled paragraph
  std::vector<std::string> items;  ///< the text, in the report's language
};

/// A card under the section's table: prose that would make a table column too tall to read
/// (a tier's positioning and actions), one card per row of the table.
struct SectionCard {
  std::string title;  ///< the row it belongs to: the tier's or region's name
  std::vector<CardField> fields;
};

/// What a section builder returns; build_report_model adds the section's id.
struct Section {
  std::string title;
  nlohmann::json chart;  ///< an ECharts option object (data only, no functions), or null
  int chart_height = 0;  ///< the chart's height in px when it needs more than the page's 380
  SectionTable table;
  std::vector<std::string> findings;  ///< whole sentences with their numbers, in the language
  std::vector<SectionCard> cards;     ///< drawn as a grid of cards below the table
};

/// The input of a builder: the summary.json object and the language of every text.
struct SectionContext {
  const nlohmann::json& summary;
  Lang lang;

  /// `en` or `zh` by the report's language.
  std::string_view text(std::string_view en, std::string_view zh) const {
    return lang == Lang::kZh ? zh : en;
  }
  /// The object at `pointer` ("/rfm/segments"), or nullptr when any part of it is missing.
  const nlohmann::json* find(std::string_view pointer) const;
};

/// Builds a section, or std::nullopt when the summary lacks its inputs (the page omits it).
using SectionBuilder = std::optional<Section> (*)(const SectionContext& context);

struct SectionSpec {
  std::string id;  ///< stable, used as the section's HTML id and by tests
  int order = 0;   ///< place in the report: ascending, then by id
  SectionBuilder build = nullptr;
};

/// Every registered section, sorted by order then id.
std::vector<SectionSpec> registered_sections();

struct SectionRegistrar {
  explicit SectionRegistrar(SectionSpec spec);
};

// Number formats shared by the findings sentences (the page formats table cells the same way).

/// 541909 -> "541,909".
std::string format_count(std::int64_t value);
/// 1161817.376 -> "1,161,817.38".
std::string format_money(double value);
/// 0.2974 -> "29.7%".
std::string format_share(double share);
/// A statistic in findings, 4 significant digits: 20.24997 -> "20.25", 0.0001234 -> "0.0001234".
std::string format_stat(double value);
/// A p-value in findings: "p < 0.001" or "p = 0.0923".
std::string format_p(double p);
/// A share as a chart value in percent, rounded to 0.01 so tooltips stay short: 0.29741 -> 29.74.
double chart_percent(double share);
/// A chart value rounded to 0.01.
double chart_money(double value);

/// The column formats as the model's strings ("text", "integer", ...).
nlohmann::json formats_to_json(const std::vector<CellFormat>& formats);

}  // namespace custlens::report

/// Registers a section from its own file: CUSTLENS_REGISTER_SECTION(tiers, 20, build_tiers).
#define CUSTLENS_REGISTER_SECTION(ident, order, build)                          \
  static const ::custlens::report::SectionRegistrar ident##_section_registrar { \
    ::custlens::report::SectionSpec { #ident, order, build }                    \
  }
