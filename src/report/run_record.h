// What a run leaves in the run store (io/store.h, docs/store.md): its KPIs, tiers and customers,
// taken from the typed results of each command.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/campaign.h"
#include "custlens/clean.h"
#include "io/store.h"
#include "report/summary.h"

namespace custlens::report {

/// The KPI names every order-line run records, in the order history prints them.
inline constexpr std::string_view kKpiCustomers = "customers";
inline constexpr std::string_view kKpiRevenue = "revenue";
inline constexpr std::string_view kKpiOrders = "orders";
inline constexpr std::string_view kKpiAov = "aov";
inline constexpr std::string_view kKpiRepurchaseRate = "repurchase_rate";
inline constexpr std::string_view kKpiChurnShare = "churn_share";

/// The name of the KPI of a tier's share of customers ("tier.Champions.customer_share") or of
/// revenue ("tier.Champions.revenue_share").
std::string tier_kpi_name(std::string_view tier, std::string_view share);

/// Fills `run`'s scheme, as-of, KPIs, segments and customers from an order-line summary (analyze,
/// rfm): customers, revenue, orders (the sum of frequencies), aov, repurchase_rate (share of
/// customers with two orders or more), churn_share (the share of the tier named "Lost", when the
/// scheme has one), rows_read, rows_kept, top20_revenue_share, each tier's customer and revenue
/// share; with --predict and --clv, their KPIs too. The customers are read from `summary`, which
/// must outlive the write.
void fill_orders_record(io::RunRecord& run, const Summary& summary);

/// Fills `run`'s campaigns, campaign_results (every row of analysis::result_rows) and KPIs from
/// the readouts of a `campaign` run: per campaign `campaign.<name>.uplift`, `.ci_lower`,
/// `.ci_upper`, `.p_value`, `.treatment_rate`, `.control_rate`, `.revenue_uplift`,
/// `.incremental_profit` (those the data support); with one campaign also `uplift`,
/// `conversion_rate` (the treatment's), `control_conversion_rate` and `p_value`; `rows_read`,
/// `rows_kept` of the order lines.
void fill_campaign_record(io::RunRecord& run, std::span<const analysis::CampaignReadout> readouts,
                          const CleaningAudit& audit);

/// KPIs read from a command's result object (`predict`, `clv`, `events` of summary.json), each a
/// number at a JSON pointer: {"/test/auc", "auc"}. A pointer the result lacks (a number the data
/// did not support) records nothing.
struct JsonKpi {
  std::string_view pointer;
  std::string_view name;
};
void add_json_kpis(io::RunRecord& run, const nlohmann::json& result, std::span<const JsonKpi> kpis);

/// The KPIs predict, clv and events record (docs/store.md lists them), as pointers into their
/// result objects.
std::span<const JsonKpi> predict_kpis();
std::span<const JsonKpi> clv_kpis();
std::span<const JsonKpi> events_kpis();

}  // namespace custlens::report
