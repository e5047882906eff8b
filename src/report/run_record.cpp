// The run store's rows of each command's results.
#include "report/run_record.h"

#include <fmt/format.h>

#include "common/calendar.h"
#include "report/clv_summary.h"
#include "report/predict_summary.h"

namespace custlens::report {
namespace {

void add(io::RunRecord& run, std::string_view name, double value) {
  run.kpis.push_back({std::string(name), value});
}

}  // namespace

std::string tier_kpi_name(std::string_view tier, std::string_view share) {
  return fmt::format("tier.{}.{}", tier, share);
}

void add_json_kpis(io::RunRecord& run, const nlohmann::json& result,
                   std::span<const JsonKpi> kpis) {
  for (const JsonKpi& kpi : kpis) {
    const nlohmann::json::json_pointer pointer{std::string(kpi.pointer)};
    if (!result.contains(pointer)) continue;
    const nlohmann::json& value = result.at(pointer);
    if (value.is_number()) add(run, kpi.name, value.get<double>());
  }
}

void fill_orders_record(io::RunRecord& run, const Summary& summary) {
  const RfmResult& rfm = summary.rfm;
  run.scheme = rfm.scheme;
  run.as_of = common::format_date(rfm.as_of);
  const double customers = static_cast<double>(rfm.customers.size());
  std::int64_t orders = 0;
  std::int64_t repeat = 0;
  for (const CustomerRfm& c : rfm.customers) {
    orders += c.frequency;
    if (c.frequency >= 2) ++repeat;
  }
  add(run, kKpiCustomers, customers);
  add(run, kKpiRevenue, rfm.revenue);
  add(run, kKpiOrders, static_cast<double>(orders));
  if (orders > 0) add(run, kKpiAov, rfm.revenue / static_cast<double>(orders));
  if (customers > 0) add(run, kKpiRepurchaseRate, static_cast<double>(repeat) / customers);
  for (const SegmentSummary& s : rfm.segments) {
    if (s.name == "Lost") add(run, kKpiChurnShare, s.customer_share);
    add(run, tier_kpi_name(s.name, "customer_share"), s.customer_share);
    add(run, tier_kpi_name(s.name, "revenue_share"), s.revenue_share);
    run.segments.push_back({s.name, s.name_zh, s.customers, s.customer_share, s.revenue,
                            s.revenue_share, s.mean_recency, s.mean_frequency, s.mean_monetary});
  }
  add(run, "rows_read", static_cast<double>(summary.audit.rows_read));
  add(run, "rows_kept", static_cast<double>(summary.audit.rows_kept));
  if (!rfm.customers.empty()) {
    add(run, "top20_revenue_share", rfm.pareto.top20pct_revenue_share);
  }
  if (summary.prediction)
    add_json_kpis(run, prediction_to_json(*summary.prediction), predict_kpis());
  if (summary.clv) add_json_kpis(run, clv_to_json(*summary.clv), clv_kpis());
  run.customer_count = rfm.customers.size();
  run.customer_at = [&rfm](std::size_t i, io::StoredCustomer& out) {
    const CustomerRfm& c = rfm.customers[i];
    out.customer_id = c.customer_id;
    out.recency_days = c.recency_days;
    out.frequency = c.frequency;
    out.monetary = c.monetary;
    out.r_score = c.r_score;
    out.f_score = c.f_score;
    out.m_score = c.m_score;
    out.segment = rfm.segments[static_cast<std::size_t>(c.segment)].name;
  };
}

void fill_campaign_record(io::RunRecord& run, std::span<const analysis::CampaignReadout> readouts,
                          const CleaningAudit& audit) {
  add(run, "rows_read", static_cast<double>(audit.rows_read));
  add(run, "rows_kept", static_cast<double>(audit.rows_kept));
  for (const analysis::CampaignReadout& readout : readouts) {
    run.campaigns.push_back({readout.name, common::format_day(readout.first_send_day),
                             common::format_day(readout.last_send_day), readout.window_days,
                             readout.channels.size() == 1 ? readout.channels.front() : ""});
    for (const analysis::CampaignResultRow& row : analysis::result_rows(readout)) {
      io::StoredCampaignResult stored;
      stored.campaign = row.campaign;
      stored.breakdown = row.breakdown;
      stored.level = row.level;
      stored.treatment_customers = row.treatment_customers;
      stored.control_customers = row.control_customers;
      stored.treatment_converters = row.treatment_converters;
      stored.control_converters = row.control_converters;
      stored.treatment_rate = row.treatment_rate;
      stored.control_rate = row.control_rate;
      // A group without customers has no rate to compare: no uplift.
      if (row.treatment_customers > 0 && row.control_customers > 0) {
        stored.uplift = row.uplift;
        stored.revenue_uplift = row.revenue_uplift;
        stored.incremental_profit = row.incremental_profit;
      }
      stored.ci_lower = row.ci_lower;
      stored.ci_upper = row.ci_upper;
      stored.p_value = row.p_value;
      run.campaign_results.push_back(std::move(stored));
    }
    const analysis::Comparison& overall = readout.overall;
    const auto named = [&](std::string_view kpi) {
      return fmt::format("campaign.{}.{}", readout.name, kpi);
    };
    add(run, named("treatment_rate"), overall.treatment.conversion_rate);
    add(run, named("control_rate"), overall.control.conversion_rate);
    const bool both = overall.treatment.customers > 0 && overall.control.customers > 0;
    if (both) {
      add(run, named("uplift"), overall.uplift.absolute);
      add(run, named("revenue_uplift"), overall.revenue_uplift.difference);
      add(run, named("incremental_profit"), overall.profit.incremental_profit);
    }
    if (overall.uplift.ci_lower) add(run, named("ci_lower"), *overall.uplift.ci_lower);
    if (overall.uplift.ci_upper) add(run, named("ci_upper"), *overall.uplift.ci_upper);
    if (overall.uplift.p_value) add(run, named("p_value"), *overall.uplift.p_value);
    if (readouts.size() == 1) {
      add(run, "conversion_rate", overall.treatment.conversion_rate);
      add(run, "control_conversion_rate", overall.control.conversion_rate);
      if (both) add(run, "uplift", overall.uplift.absolute);
      if (overall.uplift.p_value) add(run, "p_value", *overall.uplift.p_value);
    }
  }
}

}  // namespace custlens::report

namespace custlens::report {

std::span<const JsonKpi> predict_kpis() {
  static constexpr JsonKpi kKpis[] = {
      {"/population", "predict.population"},
      {"/positive_rate", "predict.positive_rate"},
      {"/test/auc", "auc"},
      {"/test/auc_ci_lower", "auc_ci_lower"},
      {"/test/auc_ci_upper", "auc_ci_upper"},
      {"/test/brier", "brier"},
      {"/baseline/auc", "baseline_auc"},
      {"/apply/customers", "predict.customers"},
      {"/apply/expected_buyers", "predict.expected_buyers"},
  };
  return kKpis;
}

std::span<const JsonKpi> clv_kpis() {
  static constexpr JsonKpi kKpis[] = {
      {"/customers", "clv.customers"},
      {"/repeat_customers", "clv.repeat_customers"},
      {"/distribution/total", "clv.total"},
      {"/distribution/mean", "clv.mean"},
      {"/distribution/median", "clv.median"},
      {"/distribution/top_decile_share", "clv.top_decile_share"},
      {"/expected_purchases_total", "clv.expected_purchases"},
      {"/active_customers", "clv.expected_active_customers"},
  };
  return kKpis;
}

std::span<const JsonKpi> events_kpis() {
  static constexpr JsonKpi kKpis[] = {
      {"/audit/rows_read", "rows_read"},
      {"/kpis/pv", "pv"},
      {"/kpis/uv", "uv"},
      {"/kpis/pv_per_uv", "pv_per_uv"},
      {"/kpis/buy_users", "buy_users"},
      {"/kpis/buys", "buys"},
      {"/kpis/conversion_rate", "conversion_rate"},
      {"/kpis/repurchase_rate", "repurchase_rate"},
      {"/kpis/bounce_rate", "bounce_rate"},
  };
  return kKpis;
}

}  // namespace custlens::report
