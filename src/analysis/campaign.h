// The campaign readout (docs/campaign.md): per campaign of a contact list, each group's
// conversion and revenue in the window after sending, the uplift with its Wald interval and
// pooled z test, revenue per customer by Welch, CUPED on the spend before sending, the sample
// ratio test, breakdowns by RFM tier at sending and by predict decile, the Qini curve, profit.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/contact_list.h"
#include "custlens/orders.h"
#include "custlens/rfm.h"

namespace custlens::analysis {

/// --window: days after sending in which an order counts.
inline constexpr int kDefaultCampaignWindowDays = 30;
/// --margin: the share of incremental revenue that is profit, when none is given.
inline constexpr double kDefaultCampaignMargin = 0.3;
/// Fewer converters or non-converters than this in a group: the normal approximation is weak
/// and no interval or p-value is given.
inline constexpr std::int64_t kMinGroupOutcomes = 10;
/// A sample-ratio test p-value below this flags a mismatch.
inline constexpr double kSrmAlpha = 0.001;

struct CampaignOptions {
  int window_days = kDefaultCampaignWindowDays;
  double margin = kDefaultCampaignMargin;
  std::optional<double> planned_split;  ///< planned treatment share, 0 < p < 1
  RfmOptions rfm;                       ///< scheme and scoring; as_of is set per campaign
};

/// One group's outcomes in the window.
struct GroupOutcome {
  std::int64_t customers = 0;
  std::int64_t converters = 0;
  double conversion_rate = 0;
  double revenue = 0;
  double revenue_per_customer = 0;
  double cost = 0;                      ///< sum of the contacts' cost
  std::int64_t without_orders = 0;      ///< contacts with no kept order line at all
  double pre_revenue_per_customer = 0;  ///< mean spend in the window before sending
};

/// Treatment minus control conversion: Wald interval (unpooled SE), pooled two-proportion z test.
struct ProportionUplift {
  double absolute = 0;
  std::optional<double> relative;  ///< absolute / control rate; none when control is 0
  std::optional<double> ci_lower, ci_upper, p_value;  ///< none when the approximation is weak
};

/// Difference of means by Welch's t (95 % interval, two-sided p).
struct MeanUplift {
  double difference = 0;
  std::optional<double> ci_lower, ci_upper, p_value, df;  ///< none when weak or degenerate
};

struct CupedAdjustment {
  double theta = 0;  ///< cov(X, Y) / var(X), both groups pooled; 0 when var(X) = 0
  double mean_pre_revenue = 0;
  double variance_reduction = 0;  ///< 1 - var(Y') / var(Y), pooled
  MeanUplift uplift;              ///< Welch on Y' = Y - theta (X - mean X)
};

struct SampleRatioTest {
  double planned_treatment_share = 0;
  double observed_treatment_share = 0;
  double chi_square = 0;
  double p_value = 1;
  bool mismatch = false;  ///< p < kSrmAlpha
};

struct Profit {
  double margin = 0;
  double incremental_conversions = 0;  ///< conversion uplift x treated customers
  double incremental_revenue = 0;      ///< revenue-per-customer uplift x treated customers
  double treatment_cost = 0;
  double incremental_profit = 0;  ///< incremental revenue x margin - treatment cost
  std::optional<double> cost_per_incremental_conversion;  ///< none unless conversions > 0
};

/// Both groups of a set of contacts compared: the whole campaign, or one tier or decile.
struct Comparison {
  GroupOutcome treatment, control;
  /// True when a group has fewer than kMinGroupOutcomes converters or non-converters.
  bool weak = false;
  ProportionUplift uplift;
  MeanUplift revenue_uplift;
  Profit profit;
};

/// One level of a breakdown.
struct LevelComparison {
  std::string level;     ///< tier name (English) or decile number
  std::string level_zh;  ///< tier name in Chinese; the decile number again
  Comparison comparison;
};

struct QiniPoint {
  std::int64_t customers = 0;          ///< the top k customers by the ranking
  double population_share = 0;         ///< k / n
  double incremental_conversions = 0;  ///< conv_T(k) - conv_C(k) n_T(k) / n_C(k)
};

struct QiniCurve {
  std::string ranked_by;          ///< "score" (descending) or "decile" (ascending)
  std::vector<QiniPoint> points;  ///< from (0, 0); at ties' ends, at most ~100 (see docs)
  double coefficient = 0;         ///< area under the curve minus that under the random line
};

struct CampaignReadout {
  std::string name;
  std::int64_t first_send_day = 0, last_send_day = 0;  ///< days since 1970-01-01
  int window_days = 0;
  std::vector<std::string> channels;  ///< distinct, sorted
  std::int64_t contacts_without_orders = 0;
  Comparison overall;
  std::optional<double> relative_revenue_uplift;
  CupedAdjustment cuped;
  std::optional<SampleRatioTest> srm;
  std::string scheme;
  std::int64_t tiered_customers = 0;       ///< customers in the RFM as of the first send day
  std::vector<LevelComparison> by_tier;    ///< scheme order, then customers with no prior order
  std::vector<LevelComparison> by_decile;  ///< ascending decile; empty without a decile column
  std::optional<QiniCurve> qini;           ///< with a score or decile column
};

/// Readouts of every campaign of `contacts`, in the list's order of campaigns. `lines` are the
/// cleaned order lines. Throws custlens::Error for bad options (window, margin, split).
std::vector<CampaignReadout> read_out_campaigns(const core::ContactList& contacts,
                                                const OrderLines& lines,
                                                const CampaignOptions& options);

/// The two-proportion comparison alone (counts of converters and customers).
ProportionUplift compare_proportions(std::int64_t converters_t, std::int64_t customers_t,
                                     std::int64_t converters_c, std::int64_t customers_c);
/// Welch's comparison of two samples (treatment minus control); none for n < 2 or zero SE.
MeanUplift welch_uplift(std::span<const double> treatment, std::span<const double> control);

/// A flat row of a readout for the run store: breakdown "all", "tier" or "decile".
struct CampaignResultRow {
  std::string campaign;
  std::string breakdown;
  std::string level;  ///< "" for "all"
  std::int64_t treatment_customers = 0, treatment_converters = 0;
  std::int64_t control_customers = 0, control_converters = 0;
  double treatment_rate = 0, control_rate = 0;
  double uplift = 0;
  std::optional<double> ci_lower, ci_upper, p_value;
  double revenue_uplift = 0;  ///< per customer
  double incremental_profit = 0;
};

/// Every comparison of a readout as rows: all, then the tiers, then the deciles.
std::vector<CampaignResultRow> result_rows(const CampaignReadout& readout);

}  // namespace custlens::analysis
