// RFM per customer, 1-5 scores, value tiers (several schemes) and Pareto concentration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "custlens/orders.h"

namespace custlens {

struct RfmOptions {
  /// The as-of day as seconds at 00:00; default: the day after the last purchase in the data.
  std::optional<std::int64_t> as_of;
  /// Tier scheme: a built-in name (five, cn8, rfm11) or the path of a TOML rules file.
  std::string scheme = "five";
  /// TOML file with fixed-bin score cut points; empty = rank-based quintile scores.
  std::string scoring_file;
};

/// One customer's row of the customer table.
struct CustomerRfm {
  std::string customer_id;
  std::int64_t recency_days = 0;    ///< as-of day - day of last purchase
  std::int64_t frequency = 0;       ///< distinct invoices, or distinct purchase days
  double monetary = 0;              ///< sum of line amounts
  std::int64_t first_purchase = 0;  ///< seconds
  std::int64_t last_purchase = 0;   ///< seconds
  std::int64_t tenure_days = 0;     ///< as-of day - day of first purchase
  double avg_order_value = 0;       ///< monetary / frequency
  int r_score = 0, f_score = 0, m_score = 0;
  int segment = 0;  ///< index into RfmResult::segments
};

struct SegmentSummary {
  std::string name;     ///< English name, e.g. "Champions"
  std::string name_zh;  ///< Chinese name, e.g. "冠军客户"
  std::int64_t customers = 0;
  double customer_share = 0;  ///< 0..1
  double revenue = 0;
  double revenue_share = 0;  ///< 0..1
  double mean_recency = 0, mean_frequency = 0, mean_monetary = 0;
};

struct ParetoSummary {
  /// Smallest share of customers (ranked by monetary, descending) whose revenue reaches 80 %.
  double customer_share_for_80pct_revenue = 0;
  double top20pct_revenue_share = 0;       ///< revenue share of the top ceil(0.2 n) customers
  double top_two_tiers_revenue_share = 0;  ///< revenue share of the scheme's first two tiers
  /// Lorenz-style curve: (customer share, cumulative revenue share) at 100 evenly spaced points.
  std::vector<std::pair<double, double>> curve;
  /// The same ranking at exact customer counts: (k / n, revenue of the top k / total) for k = 0
  /// and k = ceil(i n / 100), i = 1..100 (every k when n <= 100), from (0, 0) to (1, ~1).
  std::vector<std::pair<double, double>> concentration;
};

/// One cell of the R x F score grid.
struct RfCell {
  int r_score = 0, f_score = 0;
  std::int64_t customers = 0;
  double mean_monetary = 0;  ///< 0 for an empty cell
};

struct RfmResult {
  std::string scheme;
  std::int64_t as_of = 0;  ///< seconds at 00:00 of the as-of day
  double revenue = 0;
  std::vector<CustomerRfm> customers;    ///< sorted by customer_id (byte order)
  std::vector<SegmentSummary> segments;  ///< in the scheme's order; every segment listed
  ParetoSummary pareto;
  std::vector<RfCell> rf_grid;  ///< r_score 1-5, then f_score 1-5: all 25 cells
};

/// Computes the customer table, scores, tiers and Pareto summary. Throws custlens::Error for an
/// unknown scheme, a bad rules/scoring file or no order lines.
RfmResult compute_rfm(const OrderLines& lines, const RfmOptions& options);

/// What RFM needs of each customer, whatever way the lines were summed: per customer (any order,
/// ids distinct), the first and last purchase, the monetary total (each customer's lines summed
/// in input order, compensated) and the frequency (distinct invoices, or distinct purchase days).
struct CustomerTotals {
  std::vector<std::string> ids;
  std::vector<std::int64_t> first_ts;
  std::vector<std::int64_t> last_ts;
  std::vector<double> monetary;
  std::vector<std::int64_t> frequency;
  std::size_t size() const { return ids.size(); }
};

/// The second half of compute_rfm: scores, tiers, Pareto and the R x F grid of summed customers.
/// Throws custlens::Error as compute_rfm does (no customers, bad scheme or scoring file).
RfmResult rfm_from_totals(CustomerTotals totals, const RfmOptions& options);

}  // namespace custlens
