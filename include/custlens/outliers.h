// The outlier step of the cleaning audit: box-plot (IQR) and z-score rules per numeric field,
// and what is done with the values they flag. The contract: docs/outliers.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace custlens {

enum class OutlierMethod { kIqr, kZ, kOff };
enum class OutlierAction { kFlag, kDrop, kCap };

/// iqr, z, off / flag, drop, cap.
std::string_view outlier_method_name(OutlierMethod method);
std::string_view outlier_action_name(OutlierAction action);
/// Throws custlens::Error naming --outliers / --outlier-action for an unknown word.
OutlierMethod parse_outlier_method(std::string_view text);
OutlierAction parse_outlier_action(std::string_view text);

struct OutlierOptions {
  OutlierMethod method = OutlierMethod::kIqr;
  /// The multiplier: k of Q1 − k·IQR … Q3 + k·IQR, or the |z| limit. Unset = the method's
  /// default (kDefaultIqrK, kDefaultZLimit).
  std::optional<double> k;
  OutlierAction action = OutlierAction::kFlag;
  /// The k in force. Throws custlens::Error for a k that is not a finite number > 0.
  double multiplier() const;
};

inline constexpr double kDefaultIqrK = 1.5;
inline constexpr double kDefaultZLimit = 3.0;
/// How many flagged values each field lists as examples (the first ones, in row order).
inline constexpr std::size_t kOutlierExamples = 5;

/// One flagged value, as the audit lists it: where it came from and the value as read.
struct OutlierExample {
  std::string file;         ///< input file ("" for a per-customer field)
  std::int64_t line = 0;    ///< 1-based line (row for XLSX) of the input; 0 for a customer
  std::string customer_id;  ///< the customer of the row, or the customer of a per-customer field
  double value = 0;
};

/// The statistics, bounds and counts of one field. Quantiles use linear interpolation between
/// order statistics (pandas' and NumPy's default): h = (n − 1)·p, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] −
/// x[⌊h⌋]). sd is the sample standard deviation (n − 1; 0 when n < 2). Missing values (NaN) are
/// not counted.
struct OutlierField {
  std::string field;       ///< quantity, unit_price, amount, monetary, frequency, aov, ...
  std::string scope;       ///< "line" (a value per input row) or "customer" (per customer)
  std::string action;      ///< what was done: flag, drop or cap (per-customer fields: always flag)
  std::int64_t count = 0;  ///< values looked at
  double min = 0, q1 = 0, median = 0, q3 = 0, max = 0, iqr = 0, mean = 0, sd = 0;
  double lower = 0, upper = 0;  ///< values below lower or above upper are outliers
  std::int64_t below = 0, above = 0;
  std::int64_t dropped = 0;  ///< rows rejected with rule outlier:<field> (the first field wins)
  std::int64_t capped = 0;   ///< values set to the bound they crossed
  std::vector<OutlierExample> examples;
};

/// What the outlier step did: the options and one entry per field, in field order.
struct OutlierAudit {
  OutlierMethod method = OutlierMethod::kIqr;
  double k = kDefaultIqrK;
  OutlierAction action = OutlierAction::kFlag;
  std::vector<OutlierField> fields;
  std::int64_t rows_dropped = 0;  ///< rows rejected by --outlier-action drop (any field)
};

/// Linear-interpolation quantile (see OutlierField) of ascending `sorted`; p in [0, 1]; NaN when
/// empty.
double quantile_sorted(std::span<const double> sorted, double p);

/// Count, min/quartiles/max, mean and sd of `values` (NaN skipped) and the bounds of the rule;
/// below/above counted. No examples, no action. method must not be kOff.
OutlierField describe_field(std::string field, std::string scope, std::span<const double> values,
                            const OutlierOptions& options);

/// describe_field from the distinct values and their counts instead of every value: `counts`
/// ascending by value, no NaN; `sum` the values' sum (in row order, as describe_field adds them).
/// describe_field is this over its sorted values, so both give the very same numbers.
OutlierField describe_counts(std::string field, std::string scope,
                             std::span<const std::pair<double, std::int64_t>> counts, double sum,
                             const OutlierOptions& options);

/// Why a row was dropped as an outlier, the reject's detail: "quantity 80995 above the upper
/// bound 26.5 (iqr, k = 1.5)".
std::string outlier_drop_detail(const OutlierField& field, double value, const OutlierAudit& audit);

/// True when `value` lies outside the field's bounds (NaN never does).
inline bool is_outlier(const OutlierField& field, double value) {
  return value < field.lower || value > field.upper;
}

}  // namespace custlens
