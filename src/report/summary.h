// summary.json and its pieces, CSV files and plain-text tables (en/zh) for the CLI and the
// dashboard.
#pragma once

#include <nlohmann/json.hpp>
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
#include "io/csv_writer.h"

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

/// The analysis of cleaned order lines and the summary.json object that reports it.
struct Summary {
  RfmResult rfm;
  SalesPatterns patterns;
  /// The audit as given, with the per-customer outlier fields (monetary, frequency) added unless
  /// it has them already (a filtered view keeps the full analysis' audit).
  CleaningAudit audit;
  /// custlens_version, input, audit, rfm, patterns.
  nlohmann::json json;
};
/// Runs RFM, tiers, Pareto and sales patterns on `lines` and assembles summary.json. `input` and
/// `audit` are reported as given (for a filtered view: the full input's). The one place the
/// analyses behind summary.json are called, by `analyze` and by the dashboard alike. Throws
/// custlens::Error as compute_rfm and compute_patterns do (no lines, bad scheme, ...).
Summary build_summary(const OrderLines& lines, const CleaningAudit& audit,
                      const nlohmann::json& input, const RfmOptions& rfm_options,
                      const PatternOptions& pattern_options);

/// The same from results computed elsewhere (the streaming pipeline): summary.json of `rfm` and
/// `patterns`, the audit with the per-customer outlier fields added.
Summary assemble_summary(RfmResult rfm, SalesPatterns patterns, const CleaningAudit& audit,
                         const nlohmann::json& input);
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

/// The customer table (columns documented in the README).
void write_customers_csv(const RfmResult& rfm, const std::string& path);
/// file,line,rule,detail,content — one row per rejected input row.
void write_rejects_csv(std::span<const Reject> rejects, const std::string& path);
/// The same file written as the rejects come (the scan's reject sink).
class RejectsCsv {
 public:
  /// Opens `path` and writes the header row; throws custlens::Error when it cannot.
  explicit RejectsCsv(const std::string& path);
  void add(std::span<const Reject> rejects);
  /// Throws custlens::Error on a write failure.
  void close();

 private:
  io::CsvWriter out_;
};

/// Human-readable tables.
std::string audit_text(const CleaningAudit& audit, Lang lang);
std::string rfm_text(const RfmResult& rfm, Lang lang);

}  // namespace custlens::report
