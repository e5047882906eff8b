// The typed results of an analysis of order lines, summary.json written from them (one writer for
// every piece) and plain-text tables (en/zh) for the CLI and the dashboard.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/clean.h"
#include "custlens/ingest.h"
#include "custlens/lang.h"
#include "custlens/outliers.h"
#include "custlens/patterns.h"
#include "custlens/rfm.h"
#include "custlens/roles.h"
#include "report/playbook.h"

namespace custlens::report {

/// What summary.json says about the input (its `input` object).
struct InputInfo {
  std::vector<std::string> files;
  std::vector<std::string> header;
  RoleMap roles;
  std::vector<ColumnInfo> columns;
  std::string encoding;
};
/// files, kind, encoding, roles (role -> column name), columns (materialized ones: name, type,
/// date_format).
nlohmann::json input_to_json(const InputInfo& input);

/// summary.json's `filter` object: the dashboard's view that the results are of; each part
/// written when set.
struct SummaryFilter {
  std::optional<std::string> from;     ///< YYYY-MM-DD
  std::optional<std::string> to;       ///< YYYY-MM-DD
  std::optional<std::string> country;  ///< as in patterns.countries
  std::optional<std::string> tier;     ///< the tier's English name
};

struct PredictionReport;  // report/predict_summary.h
struct ClvReport;         // report/clv_summary.h

/// The results of an analysis of order lines: what summary.json, report.html and the customer
/// files are written from (the sinks, src/report/sinks/), by `analyze` and the dashboard alike.
struct Summary {
  InputInfo input;
  /// The audit as given, with the per-customer outlier fields (monetary, frequency) added unless
  /// it has them already (a filtered view keeps the full analysis' audit).
  CleaningAudit audit;
  RfmResult rfm;
  SalesPatterns patterns;
  /// The strategy per tier of rfm's scheme (Playbook::for_result); a filtered view keeps the
  /// full analysis' entries.
  std::vector<PlaybookEntry> playbook;
  /// Set for a filtered view of the dashboard.
  std::optional<SummaryFilter> filter;
  /// `analyze --predict`: the purchase prediction (summary.json's `predict`), ids already hashed
  /// under --hash-ids.
  std::shared_ptr<const PredictionReport> prediction;
  /// `analyze --clv`: the lifetime-value run (summary.json's `clv`), ids already hashed.
  std::shared_ptr<const ClvReport> clv;
};
/// Runs RFM, tiers, Pareto and sales patterns on `lines`; `input` and `audit` are reported as
/// given (for a filtered view: the full input's); no playbook, no filter. The one place the
/// analyses behind summary.json are called on a table of lines, by `analyze` and by the dashboard
/// alike. Throws custlens::Error as compute_rfm and compute_patterns do (no lines, bad scheme...).
Summary build_summary(const OrderLines& lines, const CleaningAudit& audit, const InputInfo& input,
                      const RfmOptions& rfm_options, const PatternOptions& pattern_options);

/// The same from results computed elsewhere (the streaming pipeline): the audit with the
/// per-customer outlier fields added.
Summary assemble_summary(RfmResult rfm, SalesPatterns patterns, const CleaningAudit& audit,
                         InputInfo input);

/// summary.json of order lines, the one writer of it (analyze's file, the dashboard's full and
/// filtered views): custlens_version, input, audit, rfm, patterns, playbook, and filter when
/// set. Ids are written as the results hold them: hash them first (hash_summary_ids).
nlohmann::json summary_to_json(const Summary& summary);
/// summary.json's `filter`: from, to, country, tier, those set.
nlohmann::json filter_to_json(const SummaryFilter& filter);
/// What `rfm --json` prints: the keys of rfm_to_json and `audit`.
nlohmann::json rfm_output_to_json(const RfmResult& rfm, const CleaningAudit& audit);
/// What `patterns --json` prints: the keys of patterns_to_json and `audit`.
nlohmann::json patterns_output_to_json(const SalesPatterns& patterns, const CleaningAudit& audit);

/// The audit counts, duplicates_dropped and `outliers` (outliers_to_json).
nlohmann::json audit_to_json(const CleaningAudit& audit);
/// method, k, quantile, action, rows_dropped and one object per field (docs/outliers.md).
nlohmann::json outliers_to_json(const OutlierAudit& outliers);
/// Adds the per-customer fields monetary and frequency of `rfm` to the outlier audit (always
/// action flag: a customer's total is the analysis' subject, not a bad reading). Nothing with
/// --outliers off.
void add_customer_outliers(OutlierAudit& outliers, const RfmResult& rfm);
/// The outlier step as text lines (one per field), after the audit table; "" when off.
std::string outliers_text(const OutlierAudit& outliers, Lang lang);
/// as_of, scheme, customers, revenue, segments, pareto, rf_grid (the `rfm --json` keys besides
/// audit).
nlohmann::json rfm_to_json(const RfmResult& rfm);
/// The key of SegmentSummary::customer_share: summary.json of order lines has "customer_share",
/// the profile summary "share" (both fixed by their goldens; one name is a later, breaking change).
inline constexpr std::string_view kOrderLineShareKey = "customer_share";
inline constexpr std::string_view kProfileShareKey = "share";
/// One tier of a tier table, the one serialiser of SegmentSummary (order-line segments, profile
/// RFM segments, profile tiers): name, name_zh, customers, revenue, revenue_share, mean_recency,
/// mean_frequency, mean_monetary and the customer share under `share_key`.
nlohmann::json segment_to_json(const SegmentSummary& segment, std::string_view share_key);

/// Buckets by country, month, weekday and hour, the peaks and the categories.
nlohmann::json patterns_to_json(const SalesPatterns& patterns);
std::string patterns_text(const SalesPatterns& patterns, Lang lang);

/// Human-readable tables.
std::string audit_text(const CleaningAudit& audit, Lang lang);
std::string rfm_text(const RfmResult& rfm, Lang lang);

}  // namespace custlens::report
