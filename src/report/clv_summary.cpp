// The lifetime-value JSON object, text and customer file.
#include "report/clv_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "common/calendar.h"
#include "common/number_text.h"
#include "io/csv_writer.h"

namespace custlens::report {
namespace {

constexpr std::size_t kExcludedNamed = 100;  // excluded customers named in the JSON
constexpr std::size_t kTop = 20;

nlohmann::json number(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
}

nlohmann::json estimates_to_json(const std::vector<models::ParameterEstimate>& parameters,
                                 nlohmann::json out) {
  nlohmann::json se = nlohmann::json::object(), low = nlohmann::json::object(),
                 high = nlohmann::json::object();
  for (const models::ParameterEstimate& p : parameters) {
    out[p.name] = p.value;
    se[p.name] = number(p.se);
    low[p.name] = number(p.ci_lower);
    high[p.name] = number(p.ci_upper);
  }
  out["se"] = std::move(se);
  out["ci_lower"] = std::move(low);
  out["ci_upper"] = std::move(high);
  return out;
}

nlohmann::json fit_to_json(const models::BtydFit& fit) {
  return estimates_to_json(fit.parameters, {{"title", fit.title},
                                            {"log_likelihood", fit.log_likelihood},
                                            {"max_abs_gradient", fit.max_abs_gradient},
                                            {"converged", fit.converged},
                                            {"at_bound", fit.at_bound},
                                            {"mean_p_alive", fit.mean_p_alive},
                                            {"no_dropout", fit.no_dropout},
                                            {"starts", fit.starts},
                                            {"evaluations", fit.evaluations},
                                            {"customers", fit.customers},
                                            {"distinct_summaries", fit.groups},
                                            {"search_customers", fit.search_customers}});
}

nlohmann::json score_to_json(const models::HoldoutScore& score) {
  nlohmann::json bins = nlohmann::json::array();
  for (const models::FrequencyBin& bin : score.bins) {
    const double n = static_cast<double>(bin.customers);
    bins.push_back({{"frequency", bin.label},
                    {"customers", bin.customers},
                    {"actual_sum", bin.actual_sum},
                    {"expected_sum", bin.expected_sum},
                    {"actual_mean", bin.customers > 0 ? bin.actual_sum / n : 0.0},
                    {"expected_mean", bin.customers > 0 ? bin.expected_sum / n : 0.0}});
  }
  return {{"actual_purchases", score.actual_purchases},
          {"expected_purchases", score.expected_purchases},
          {"msle", number(score.msle)},
          {"mae", number(score.mae)},
          {"mape_by_frequency", number(score.mape_by_frequency)},
          {"bias", number(score.bias)},
          {"mape_cumulative", number(score.mape_cumulative)},
          {"bins", std::move(bins)}};
}

double quantile(std::vector<double> sorted, double q) {
  if (sorted.empty()) return std::nan("");
  const double at = q * static_cast<double>(sorted.size() - 1);
  const auto low = static_cast<std::size_t>(std::floor(at));
  const std::size_t high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (at - static_cast<double>(low)) * (sorted[high] - sorted[low]);
}

// Customers by CLV, highest first; ties in scan order.
std::vector<std::size_t> by_clv(const ClvReport& report) {
  const std::vector<double>& clv = report.run.customers.clv;
  std::vector<std::size_t> order(clv.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return clv[a] > clv[b]; });
  return order;
}

struct TierTotals {
  std::size_t customers = 0;
  double clv = 0;
  double expected = 0;
  double p_alive = 0;
  double calibration_value = 0;
};

// Tiers in the order of their total CLV, highest first.
std::vector<std::pair<std::string, TierTotals>> tier_totals(const ClvReport& report) {
  std::map<std::string, TierTotals> by_tier;
  const models::ClvCustomers& c = report.run.customers;
  for (std::size_t i = 0; i < c.clv.size(); ++i) {
    const std::string& tier = i < report.tiers.size() ? report.tiers[i] : std::string();
    TierTotals& t = by_tier[tier.empty() ? std::string("-") : tier];
    t.customers += 1;
    t.clv += c.clv[i];
    t.expected += c.expected_horizon[i];
    t.p_alive += c.p_alive[i];
    t.calibration_value += report.summary.calibration_value[i];
  }
  std::vector<std::pair<std::string, TierTotals>> out(by_tier.begin(), by_tier.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second.clv > b.second.clv; });
  return out;
}

std::string money(double value) { return common::group_thousands(fmt::format("{:.0f}", value)); }

}  // namespace

nlohmann::json clv_to_json(const ClvReport& report) {
  const models::ClvRun& run = report.run;
  const analysis::CalibrationSummary& s = report.summary;
  const models::ClvCustomers& c = run.customers;
  nlohmann::json out;
  out["model"] = run.options.model;
  out["models"] = nlohmann::json::array();
  out["unit"] = report.unit;
  out["unit_days"] = run.options.unit_days;
  out["calibration_end"] = common::format_day(s.calibration_end);
  out["holdout_end"] =
      s.holdout_end ? nlohmann::json(common::format_day(*s.holdout_end)) : nlohmann::json();
  out["holdout_length"] =
      run.options.holdout_length ? nlohmann::json(*run.options.holdout_length) : nlohmann::json();
  out["horizon"] = run.options.horizon;
  out["discount_rate"] = run.options.discount_rate;
  out["margin"] = run.options.margin;
  out["optimiser"] =
      "nlopt L-BFGS (exact forward-mode gradients) from several starts, then Newton steps on a "
      "central-difference Hessian until max |gradient| < 1e-6";
  out["data"] = {{"first_day", common::format_day(s.first_day_seen)},
                 {"last_day", common::format_day(s.last_day_seen)},
                 {"customers_seen", s.customers_seen},
                 {"later_customers", s.later_customers},
                 {"calibration_transactions", s.calibration_transactions},
                 {"holdout_transactions", s.holdout_transactions},
                 {"unused_transactions", s.unused_transactions},
                 {"zero_value_lines", s.zero_value_lines}};
  out["customers"] = s.size();
  out["repeat_customers"] = run.repeat_customers;
  for (const models::BtydFit& fit : run.fits) {
    out["models"].push_back(fit.model);
    out[fit.model] = fit_to_json(fit);
  }
  nlohmann::json excluded = nlohmann::json::array();
  for (std::size_t k = 0; k < run.excluded.size() && k < kExcludedNamed; ++k) {
    excluded.push_back(report.customer_ids[run.excluded[k]]);
  }
  nlohmann::json gg = {{"customers", run.gamma_gamma ? run.gamma_gamma->customers : 0},
                       {"excluded", run.excluded.size()},
                       {"excluded_customers", std::move(excluded)},
                       {"population_value", number(run.population_value)},
                       {"population_value_basis", run.population_value_basis}};
  if (run.gamma_gamma) {
    gg["log_likelihood"] = run.gamma_gamma->log_likelihood;
    gg["max_abs_gradient"] = run.gamma_gamma->max_abs_gradient;
    gg["converged"] = run.gamma_gamma->converged;
    gg = estimates_to_json(run.gamma_gamma->parameters, std::move(gg));
  } else {
    gg["problem"] = run.gamma_gamma_problem;
  }
  out["gamma_gamma"] = std::move(gg);

  if (!run.holdout.empty()) {
    nlohmann::json models = nlohmann::json::object();
    for (const models::HoldoutScore& score : run.holdout)
      models[score.model] = score_to_json(score);
    const models::HoldoutScore& chosen = run.holdout[run.chosen];
    out["holdout"] = {{"model", chosen.model},
                      {"actual_purchases", chosen.actual_purchases},
                      {"expected_purchases", chosen.expected_purchases},
                      {"models", std::move(models)}};
  } else {
    out["holdout"] = nullptr;
  }
  nlohmann::json tracking = nlohmann::json::array();
  for (std::size_t k = 0; k < run.tracking.size(); ++k) {
    const models::TrackingWeek& week = run.tracking[k];
    nlohmann::json expected = nlohmann::json::object(), cumulative = nlohmann::json::object();
    for (std::size_t m = 0; m < run.fits.size(); ++m) {
      expected[run.fits[m].model] = week.expected[m];
      cumulative[run.fits[m].model] = week.expected_cumulative[m];
    }
    tracking.push_back({{"week", k},
                        {"first_day", common::format_day(week.first_day)},
                        {"last_day", common::format_day(week.last_day)},
                        {"holdout", week.holdout},
                        {"actual", week.actual},
                        {"actual_cumulative", week.actual_cumulative},
                        {"expected", std::move(expected)},
                        {"expected_cumulative", std::move(cumulative)}});
  }
  out["tracking"] = std::move(tracking);

  const models::ClvGrid& grid = run.grid;
  nlohmann::json expected_rows = nlohmann::json::array(), alive_rows = nlohmann::json::array();
  for (std::size_t i = 0; i < grid.x.size(); ++i) {
    nlohmann::json e = nlohmann::json::array(), a = nlohmann::json::array();
    for (std::size_t j = 0; j < grid.t_x.size(); ++j) {
      e.push_back(number(grid.expected[i * grid.t_x.size() + j]));
      a.push_back(number(grid.p_alive[i * grid.t_x.size() + j]));
    }
    expected_rows.push_back(std::move(e));
    alive_rows.push_back(std::move(a));
  }
  out["grid"] = {{"x", grid.x},
                 {"t_x", grid.t_x},
                 {"T", grid.T},
                 {"horizon", run.options.horizon},
                 {"expected_purchases", std::move(expected_rows)},
                 {"p_alive", std::move(alive_rows)}};

  std::vector<double> sorted = c.clv;
  std::sort(sorted.begin(), sorted.end());
  const double total = std::accumulate(sorted.begin(), sorted.end(), 0.0);
  const double top = quantile(sorted, 0.99);
  constexpr int kBinsShown = 20;
  std::vector<std::int64_t> counts(kBinsShown + 1, 0);
  std::vector<double> edges;
  for (int b = 0; b <= kBinsShown; ++b) edges.push_back(top * b / kBinsShown);
  for (const double v : sorted) {
    const int b = top > 0 ? std::min(static_cast<int>(v / top * kBinsShown), kBinsShown) : 0;
    ++counts[static_cast<std::size_t>(std::max(b, 0))];
  }
  out["distribution"] = {
      {"total", total},
      {"mean", sorted.empty() ? 0.0 : total / static_cast<double>(sorted.size())},
      {"p10", number(quantile(sorted, 0.1))},
      {"p25", number(quantile(sorted, 0.25))},
      {"median", number(quantile(sorted, 0.5))},
      {"p75", number(quantile(sorted, 0.75))},
      {"p90", number(quantile(sorted, 0.9))},
      {"p99", number(top)},
      {"histogram", {{"edges", edges}, {"counts", counts}}}};
  const std::vector<std::size_t> order = by_clv(report);
  double top_decile = 0;
  for (std::size_t k = 0; k < order.size() && k < (order.size() + 9) / 10; ++k) {
    top_decile += c.clv[order[k]];
  }
  out["distribution"]["top_decile_share"] = total > 0 ? top_decile / total : 0.0;
  out["expected_purchases_total"] =
      std::accumulate(c.expected_horizon.begin(), c.expected_horizon.end(), 0.0);
  out["active_customers"] =  // expected number alive at the calibration end
      std::accumulate(c.p_alive.begin(), c.p_alive.end(), 0.0);

  nlohmann::json tiers = nlohmann::json::array();
  out["scheme"] = report.scheme;
  for (const auto& [tier, t] : tier_totals(report)) {
    const double n = static_cast<double>(t.customers);
    tiers.push_back({{"tier", tier},
                     {"customers", t.customers},
                     {"clv_total", t.clv},
                     {"clv_share", total > 0 ? t.clv / total : 0.0},
                     {"clv_mean", t.clv / n},
                     {"expected_purchases", t.expected},
                     {"p_alive_mean", t.p_alive / n},
                     {"calibration_revenue", t.calibration_value}});
  }
  out["tiers"] = std::move(tiers);
  nlohmann::json top_customers = nlohmann::json::array();
  for (std::size_t k = 0; k < order.size() && k < kTop; ++k) {
    const std::size_t i = order[k];
    top_customers.push_back({{"customer_id", report.customer_ids[i]},
                             {"tier", i < report.tiers.size() ? report.tiers[i] : ""},
                             {"x", s.x[i]},
                             {"t_x", s.t_x[i]},
                             {"T", s.T[i]},
                             {"p_alive", c.p_alive[i]},
                             {"expected_purchases", c.expected_horizon[i]},
                             {"expected_value", c.expected_value[i]},
                             {"clv", c.clv[i]}});
  }
  out["top_customers"] = std::move(top_customers);
  return out;
}

std::string clv_customers_csv(const ClvReport& report) {
  const analysis::CalibrationSummary& s = report.summary;
  const models::ClvCustomers& c = report.run.customers;
  const bool holdout = s.holdout_end.has_value();
  std::string out = "customer_id,tier,x,t_x,T,zbar";
  if (holdout) out += ",holdout_x";
  out += ",p_alive,expected_purchases,expected_purchases_horizon,expected_value,value_basis,clv\n";
  for (const std::size_t i : by_clv(report)) {
    out += io::csv_escape(report.customer_ids[i]);
    out += ',';
    out += io::csv_escape(i < report.tiers.size() ? report.tiers[i] : "");
    out += fmt::format(",{},{:.10g},{:.10g},", s.x[i], s.t_x[i], s.T[i]);
    if (std::isfinite(s.zbar[i])) out += fmt::format("{:.10g}", s.zbar[i]);
    if (holdout) out += fmt::format(",{}", s.holdout_x[i]);
    out += fmt::format(",{:.10g},{:.10g},{:.10g},{:.10g},{},{:.10g}\n", c.p_alive[i],
                       c.expected_purchases[i], c.expected_horizon[i], c.expected_value[i],
                       c.value_from_population[i] ? "population" : "own", c.clv[i]);
  }
  return out;
}

std::string clv_text(const ClvReport& report, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const models::ClvRun& run = report.run;
  const analysis::CalibrationSummary& s = report.summary;
  std::string out;
  out += fmt::format(fmt::runtime(zh ? "客户终身价值（{} 为单位，校准期截至 {}{}）\n"
                                     : "Customer lifetime value (unit: {}, calibration to {}{})\n"),
                     report.unit, common::format_day(s.calibration_end),
                     s.holdout_end
                         ? fmt::format(fmt::runtime(zh ? "，验证期截至 {}" : ", holdout to {}"),
                                       common::format_day(*s.holdout_end))
                         : std::string());
  out += fmt::format(
      fmt::runtime(zh ? "  客户 {}，其中重复购买 {}；校准期交易 {}，验证期交易 {}\n"
                      : "  customers {}, of whom {} bought again; calibration transactions {}, "
                        "holdout transactions {}\n"),
      s.size(), run.repeat_customers, s.calibration_transactions, s.holdout_transactions);
  if (s.later_customers > 0) {
    out += fmt::format(
        fmt::runtime(zh ? "  校准期后才首次购买的 {} 位客户不参与拟合\n"
                        : "  {} customers first bought after the calibration end: not fitted\n"),
        s.later_customers);
  }
  if (s.unused_transactions > 0) {
    out += fmt::format(
        fmt::runtime(zh ? "  {} 笔交易在最后使用日之后，未使用（用 --holdout-end 评估）\n"
                        : "  {} transactions after the last day used were left out (give "
                          "--holdout-end to score the models on them)\n"),
        s.unused_transactions);
  }
  out += zh ? "\n模型参数（95% 区间）\n" : "\nModels (95% intervals)\n";
  for (const models::BtydFit& fit : run.fits) {
    std::string params;
    for (const models::ParameterEstimate& p : fit.parameters) {
      params +=
          fmt::format("  {} {:.4g} [{:.4g}, {:.4g}]", p.name, p.value, p.ci_lower, p.ci_upper);
    }
    out += fmt::format("  {:<11} LL {:.3f}{}{}\n", fit.title, fit.log_likelihood, params,
                       fit.converged    ? ""
                       : fit.no_dropout ? (zh ? "  （无流失）" : "  (no dropout)")
                                        : (zh ? "  （未收敛）" : "  (not converged)"));
  }
  for (const models::BtydFit& fit : run.fits) {
    if (!fit.no_dropout) continue;
    out += fmt::format(
        fmt::runtime(zh ? "  {}：数据中几乎没有流失（平均存活概率 {:.1f}%），似然随流失率趋于零而继续上升，"
                          "流失参数无法估计；购买率参数 r、alpha 仍有效\n"
                        : "  {}: these data show next to no dropout (mean P(alive) {:.1f}%): the "
                          "likelihood keeps rising as the dropout rate goes to zero, so the "
                          "dropout parameters have no estimate; r and alpha still hold\n"),
        fit.title, 100 * fit.mean_p_alive);
  }
  if (run.gamma_gamma) {
    out += fmt::format(
        fmt::runtime(zh ? "  Gamma-Gamma p {:.4g} q {:.4g} v {:.4g}（{} 位客户，排除 {} 位）\n"
                        : "  Gamma-Gamma p {:.4g} q {:.4g} v {:.4g} ({} customers, {} "
                          "excluded)\n"),
        run.gamma_gamma->p, run.gamma_gamma->q, run.gamma_gamma->v, run.gamma_gamma->customers,
        run.excluded.size());
  } else {
    out += fmt::format(
        fmt::runtime(zh ? "  Gamma-Gamma 未拟合：{}\n" : "  Gamma-Gamma not fitted: {}\n"),
        run.gamma_gamma_problem);
  }
  if (!run.holdout.empty()) {
    out += zh ? "\n验证期评分（实际与预期重复交易）\n"
              : "\nHoldout scorecard (actual vs expected repeat transactions)\n";
    out += fmt::format("  {:<11} {:>9} {:>9} {:>8} {:>8} {:>10} {:>10}\n", zh ? "模型" : "model",
                       zh ? "实际" : "actual", zh ? "预期" : "expected", zh ? "偏差" : "bias",
                       "MSLE", "MAPE(freq)", "MAPE(cum)");
    for (std::size_t m = 0; m < run.holdout.size(); ++m) {
      const models::HoldoutScore& h = run.holdout[m];
      out += fmt::format("  {:<11} {:>9.0f} {:>9.1f} {:>7.1f}% {:>8.4f} {:>9.1f}% {:>9.1f}%\n",
                         run.fits[m].title, h.actual_purchases, h.expected_purchases, 100 * h.bias,
                         h.msle, 100 * h.mape_by_frequency, 100 * h.mape_cumulative);
    }
  }
  const models::ClvCustomers& c = run.customers;
  const double total = std::accumulate(c.clv.begin(), c.clv.end(), 0.0);
  out += fmt::format(
      fmt::runtime(zh ? "\n未来 {} {} 的 CLV（{}，年贴现率 {:.0f}%，利润率 {:.0f}%）：合计 {}\n"
                      : "\nCLV over the next {} {}s ({}, {:.0f}% a year discount, margin {:.0f}%): "
                        "total {}\n"),
      run.options.horizon, report.unit, run.fits[run.chosen].title, 100 * run.options.discount_rate,
      100 * run.options.margin, money(total));
  for (const auto& [tier, t] : tier_totals(report)) {
    out += fmt::format("  {:<22} {:>8} {:>14} {:>6.1f}%  P(alive) {:.2f}\n", tier, t.customers,
                       money(t.clv), total > 0 ? 100 * t.clv / total : 0.0,
                       t.p_alive / static_cast<double>(t.customers));
  }
  return out;
}

}  // namespace custlens::report
