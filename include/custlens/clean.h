// Cleaning of order lines: the audit rules, counted one by one, and the cleaned OrderLines.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/ingest.h"
#include "custlens/orders.h"
#include "custlens/outliers.h"
#include "custlens/roles.h"

namespace custlens {

/// Counts of the cleaning audit. Every data row read is in exactly one of malformed,
/// missing_customer, cancelled, non_positive_quantity, non_positive_price, outliers.rows_dropped
/// or rows_kept (plus duplicates when they are dropped).
struct CleaningAudit {
  std::int64_t rows_read = 0;
  std::int64_t malformed = 0;
  std::int64_t missing_customer = 0;
  std::int64_t cancelled = 0;
  std::int64_t non_positive_quantity = 0;
  std::int64_t non_positive_price = 0;
  std::int64_t duplicates = 0;      ///< kept rows equal in every field to an earlier kept row
  bool duplicates_dropped = false;  ///< --dedup
  std::int64_t rows_kept = 0;
  std::int64_t customers_kept = 0;
  /// The outlier step, run last on the rows the other rules kept: line fields (quantity,
  /// unit_price, amount); the per-customer fields are added by the analysis (monetary,
  /// frequency).
  OutlierAudit outliers;
};

/// One named count of the audit, as summary.json and the XLSX audit sheet name it.
struct AuditCount {
  std::string_view name;  ///< rows_read, malformed, ..., customers_kept
  std::int64_t value = 0;
};
inline constexpr std::size_t kAuditCounts = 10;
/// The counts in rule order: rows_read, the five rules, duplicates, outliers_dropped, rows_kept,
/// customers_kept.
std::array<AuditCount, kAuditCounts> audit_counts(const CleaningAudit& audit);

struct CleanOptions {
  bool dedup = false;           ///< drop exact duplicates instead of only counting them
  bool collect_rejects = true;  ///< build a Reject for every rule reject (for the rejects file)
  /// Keep lines whose unit price (or amount) is exactly 0: a free purchase is still a purchase
  /// to the lifetime-value models, which count transactions. Negative values stay rejected.
  bool keep_zero_value = false;
  OutlierOptions outliers;      ///< the outlier step (default: IQR, k = 1.5, flag only)
};

struct CleanResult {
  OrderLines lines;
  CleaningAudit audit;
  std::vector<Reject> rejects;  ///< the reader's malformed rows, then rule rejects; file order
};

/// The verdicts of the order-line rules, in the order they run.
enum class LineRule : std::uint8_t {
  kKept,
  kMalformed,
  kMissingCustomer,
  kCancelled,
  kNonPositiveQuantity,
  kNonPositivePrice,
  kDuplicate,  ///< rejected by --dedup
  kOutlier,    ///< rejected by --outlier-action drop; the rejects file says outlier:<field>
};
/// The audit's and the rejects file's name of a rule: "missing_customer", "cancelled", ...
const char* line_rule_name(LineRule rule);

/// A customer id as the analyses key it: trimmed, and "17850.0" → "17850" (spreadsheets and
/// pandas write integer ids as floats).
std::string normalise_customer_id(std::string_view text);
/// True for an invoice number that starts with 'C' after spaces (a UCI cancellation).
bool is_cancelled_invoice(std::string_view invoice);
/// The same id as a view into `text` (normalising only ever trims and cuts a ".0" tail).
std::string_view customer_id_view(std::string_view text);

/// Why a row's quantity, unit price or amount is too large to add up ("" when it is not): a
/// value beyond common::kMaxMagnitude would make totals overflow to inf. line_values: quantity
/// and price are given (amount is ignored); else amount is.
std::string value_magnitude_problem(bool line_values, double quantity, double price, double amount);

/// The roles an order-line analysis needs, as ReadOptions (columns to materialize, forced
/// types, the customer column as id_column). Throws custlens::Error naming --map when the
/// customer, date or value columns are missing.
ReadOptions order_read_options(const std::vector<std::string>& header, const RoleMap& roles,
                               ReadOptions base);

/// Applies the rules in order (malformed → missing_customer → cancelled → non_positive_quantity
/// → non_positive_price), counts duplicates, then runs the outlier step on the rows kept so far
/// (quantity, unit_price, amount; a dropped row is rejected as `outlier:<field>`, the first field
/// it lies outside of), and builds the cleaned order lines.
CleanResult clean_orders(Dataset data, const RoleMap& roles, const CleanOptions& options);

}  // namespace custlens
