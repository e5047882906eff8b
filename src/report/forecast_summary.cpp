// The forecast's JSON object and text.
#include "report/forecast_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/calendar.h"
#include "common/number_text.h"

namespace custlens::report {
namespace {

constexpr const char* kWeekdays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                     "Friday", "Saturday", "Sunday"};
constexpr const char* kWeekdaysZh[] = {"星期一", "星期二", "星期三", "星期四",
                                       "星期五", "星期六", "星期日"};

nlohmann::json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

nlohmann::json metrics_to_json(const models::ForecastMetrics& metrics) {
  return {{"mae", metrics.mae},
          {"rmse", metrics.rmse},
          {"mape", optional_number(metrics.mape)},
          {"mape_zero_actuals_skipped", metrics.mape_skipped},
          {"mase", optional_number(metrics.mase)},
          {"r2", optional_number(metrics.r2)},
          {"coverage_80", metrics.coverage_80},
          {"coverage_95", metrics.coverage_95}};
}

nlohmann::json period_to_json(const analysis::Period& period) {
  return {{"date", common::format_day(period.start_day)},
          {"days", period.days},
          {"covered_days", period.covered_days},
          {"revenue", period.revenue}};
}

std::string money(double value) { return common::group_thousands(fmt::format("{:.0f}", value)); }

std::string percent(double share) { return fmt::format("{:.1f}%", 100 * share); }

std::string metric_text(const std::optional<double>& value, int decimals = 3) {
  return value ? fmt::format("{:.{}f}", *value, decimals) : std::string("-");
}

}  // namespace

std::vector<double> period_values(const analysis::PeriodSeries& series) {
  std::vector<double> values;
  values.reserve(series.periods.size());
  for (const analysis::Period& period : series.periods) values.push_back(period.revenue);
  return values;
}

nlohmann::json forecast_to_json(const ForecastRun& run) {
  const models::ForecastResult& result = run.result;
  const std::vector<double> values = period_values(run.series);
  const std::size_t fit = result.fit_periods;
  nlohmann::json out;
  out["freq"] = std::string(analysis::frequency_name(run.series.freq));
  out["season"] = models::season_of(run.series.freq);
  out["horizon"] = run.options.horizon;
  out["holdout_periods"] = run.options.holdout;

  nlohmann::json series;
  const std::int64_t last_day =
      run.daily.first_day + static_cast<std::int64_t>(run.daily.revenue.size()) - 1;
  series["first_day"] = common::format_day(run.daily.first_day);
  series["last_day"] = common::format_day(last_day);
  series["periods"] = values.size();
  double total = 0;
  for (double v : run.daily.revenue) total += v;
  series["revenue"] = total;
  series["partial_first"] =
      run.series.has_partial_first ? period_to_json(run.series.partial_first) : nlohmann::json();
  series["partial_last"] =
      run.series.has_partial_last ? period_to_json(run.series.partial_last) : nlohmann::json();
  nlohmann::json points = nlohmann::json::array();
  for (const analysis::Period& period : run.series.periods) {
    points.push_back({{"date", common::format_day(period.start_day)}, {"revenue", period.revenue}});
  }
  series["values"] = std::move(points);
  out["series"] = std::move(series);

  const analysis::SalesGaps& gaps = run.gaps;
  nlohmann::json weekdays = nlohmann::json::array();
  for (std::size_t d = 0; d < 7; ++d) {
    weekdays.push_back({{"weekday", kWeekdays[d]},
                        {"days", gaps.weekday_days[d]},
                        {"sales_days", gaps.weekday_sales_days[d]}});
  }
  out["gaps"] = {
      {"days", gaps.days},
      {"zero_days", gaps.zero_days},
      {"weekdays", std::move(weekdays)},
      {"zero_runs", gaps.zero_runs},
      {"longest_gap_days", gaps.longest_gap_days},
      {"longest_gap_start", gaps.longest_gap_days > 0
                                ? nlohmann::json(common::format_day(gaps.longest_gap_start))
                                : nlohmann::json()}};

  nlohmann::json origins = nlohmann::json::array();
  for (std::size_t origin : result.origins) {
    origins.push_back({{"train_periods", origin},
                       {"first_forecast_date", common::format_day(run.period_days[origin])}});
  }
  out["backtest"] = {{"origins", std::move(origins)},
                     {"periods_per_origin", run.options.holdout},
                     {"selection", "lowest mean MASE over the origins"}};

  const models::ModelEvaluation& chosen = result.models[result.chosen];
  out["model"] = chosen.name;
  out["model_detail"] = result.future.detail;
  out["metrics"] = chosen.metrics ? metrics_to_json(*chosen.metrics) : nlohmann::json();
  nlohmann::json models = nlohmann::json::array();
  for (const models::ModelEvaluation& model : result.models) {
    nlohmann::json entry =
        model.metrics ? metrics_to_json(*model.metrics) : nlohmann::json::object();
    entry["name"] = model.name;
    entry["detail"] = model.detail;
    entry["backtest_mase"] = optional_number(model.backtest_mase);
    nlohmann::json scores = nlohmann::json::array();
    for (const std::optional<double>& score : model.backtest_scores) {
      scores.push_back(optional_number(score));
    }
    entry["backtest_scores"] = std::move(scores);
    models.push_back(std::move(entry));
  }
  out["models"] = std::move(models);

  nlohmann::json holdout = nlohmann::json::array();
  for (std::size_t i = 0; i < values.size() - fit; ++i) {
    nlohmann::json point = {{"date", common::format_day(run.period_days[fit + i])},
                            {"actual", values[fit + i]}};
    if (chosen.holdout) {
      const models::Forecast& f = *chosen.holdout;
      point["predicted"] = f.mean[i];
      point["lo80"] = f.lo80[i];
      point["hi80"] = f.hi80[i];
      point["lo95"] = f.lo95[i];
      point["hi95"] = f.hi95[i];
    }
    holdout.push_back(std::move(point));
  }
  out["holdout"] = std::move(holdout);

  nlohmann::json forecast = nlohmann::json::array();
  const models::Forecast& f = result.future.forecast;
  for (std::size_t h = 0; h < f.size(); ++h) {
    forecast.push_back({{"date", common::format_day(run.period_days[values.size() + h])},
                        {"value", f.mean[h]},
                        {"lo80", f.lo80[h]},
                        {"hi80", f.hi80[h]},
                        {"lo95", f.lo95[h]},
                        {"hi95", f.hi95[h]}});
  }
  out["forecast"] = std::move(forecast);
  out["notes"] = result.future.notes;
  return out;
}

std::string forecast_text(const ForecastRun& run, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const models::ForecastResult& result = run.result;
  const analysis::SalesGaps& gaps = run.gaps;
  std::string out;
  const std::int64_t last_day =
      run.daily.first_day + static_cast<std::int64_t>(run.daily.revenue.size()) - 1;
  const std::string_view freq = analysis::frequency_name(run.series.freq);
  const std::string_view freq_zh = run.series.freq == analysis::Frequency::kDay    ? "日"
                                   : run.series.freq == analysis::Frequency::kWeek ? "周"
                                                                                   : "月";
  out += zh ? fmt::format("收入预测(按{}):{} 至 {},{} 个完整周期\n", freq_zh,
                          common::format_day(run.daily.first_day), common::format_day(last_day),
                          run.series.periods.size())
            : fmt::format("Revenue forecast by {}: {} to {}, {} complete periods\n", freq,
                          common::format_day(run.daily.first_day), common::format_day(last_day),
                          run.series.periods.size());
  // Days without sales, said in numbers.
  out += zh ? fmt::format("无销售的日子:{} 天中有 {} 天\n", gaps.days, gaps.zero_days)
            : fmt::format("Days without sales: {} of {}\n", gaps.zero_days, gaps.days);
  for (std::size_t d = 0; d < 7; ++d) {
    if (gaps.weekday_days[d] > 0 && gaps.weekday_sales_days[d] == 0) {
      // A closed weekday of daily data is forecast at 0 (models::run_forecast).
      const bool closed = run.series.freq == analysis::Frequency::kDay &&
                          gaps.weekday_days[d] >= models::kClosedWeekdayMinDays;
      out += zh ? fmt::format("  所有{}都无销售:{} 个{}中 0 个有销售{}\n", kWeekdaysZh[d],
                              gaps.weekday_days[d], kWeekdaysZh[d], closed ? ",预测为 0" : "")
                : fmt::format("  no sales on any {}: 0 of {} {}s{}\n", kWeekdays[d],
                              gaps.weekday_days[d], kWeekdays[d], closed ? "; forecast at 0" : "");
    }
  }
  if (gaps.longest_gap_days > 0) {
    out += zh ? fmt::format("  最长无销售间隔:{} 天({} 至 {});连续 2 天以上无销售共 {} 段\n",
                            gaps.longest_gap_days, common::format_day(gaps.longest_gap_start),
                            common::format_day(gaps.longest_gap_start + gaps.longest_gap_days - 1),
                            gaps.zero_runs)
              : fmt::format("  longest gap: {} days ({} to {}); {} runs of 2 or more empty days\n",
                            gaps.longest_gap_days, common::format_day(gaps.longest_gap_start),
                            common::format_day(gaps.longest_gap_start + gaps.longest_gap_days - 1),
                            gaps.zero_runs);
  }
  for (const auto* partial : {run.series.has_partial_first ? &run.series.partial_first : nullptr,
                              run.series.has_partial_last ? &run.series.partial_last : nullptr}) {
    if (partial == nullptr) continue;
    out += zh ? fmt::format("  不完整周期 {}({}/{} 天,收入 {})不参与拟合\n",
                            common::format_day(partial->start_day), partial->covered_days,
                            partial->days, money(partial->revenue))
              : fmt::format("  partial period {} ({} of {} days, revenue {}) left out of the fit\n",
                            common::format_day(partial->start_day), partial->covered_days,
                            partial->days, money(partial->revenue));
  }
  out +=
      zh ? fmt::format("\n回测:{} 个起点,每个预测 {} 期;留出最后 {} 期评估\n",
                       result.origins.size(), run.options.holdout, run.options.holdout)
         : fmt::format("\nBacktest: {} origins of {} periods each; the last {} periods held out\n",
                       result.origins.size(), run.options.holdout, run.options.holdout);
  out += zh ? fmt::format("{:<16} {:>10} {:>12} {:>12} {:>8} {:>8} {:>8} {:>8}  {}\n", "模型",
                          "回测MASE", "MAE", "RMSE", "MASE", "R²", "覆盖80", "覆盖95", "形式")
            : fmt::format("{:<16} {:>10} {:>12} {:>12} {:>8} {:>8} {:>8} {:>8}  {}\n", "model",
                          "bt MASE", "MAE", "RMSE", "MASE", "R2", "cov80", "cov95", "form");
  for (std::size_t i = 0; i < result.models.size(); ++i) {
    const models::ModelEvaluation& m = result.models[i];
    const std::string name = m.name + (i == result.chosen ? " *" : "");
    if (!m.metrics) {
      out += fmt::format("{:<16} {:>10}  {}\n", name, metric_text(m.backtest_mase),
                         zh ? "无法拟合" : "could not be fitted");
      continue;
    }
    out += fmt::format("{:<16} {:>10} {:>12} {:>12} {:>8} {:>8} {:>8} {:>8}  {}\n", name,
                       metric_text(m.backtest_mase), money(m.metrics->mae), money(m.metrics->rmse),
                       metric_text(m.metrics->mase), metric_text(m.metrics->r2),
                       percent(m.metrics->coverage_80), percent(m.metrics->coverage_95), m.detail);
  }
  const models::ModelEvaluation& chosen = result.models[result.chosen];
  if (chosen.metrics) {
    const models::ForecastMetrics& m = *chosen.metrics;
    out +=
        zh ? fmt::format(
                 "\n选定模型 {}({}):留出期 MAE {},R² {},MASE {},80% 区间覆盖 {},95% 区间覆盖 {}\n",
                 chosen.name, result.future.detail, money(m.mae), metric_text(m.r2),
                 metric_text(m.mase), percent(m.coverage_80), percent(m.coverage_95))
           : fmt::format(
                 "\nChosen model {} ({}): holdout MAE {}, R2 {}, MASE {}, 80% interval "
                 "coverage {}, 95% coverage {}\n",
                 chosen.name, result.future.detail, money(m.mae), metric_text(m.r2),
                 metric_text(m.mase), percent(m.coverage_80), percent(m.coverage_95));
  }
  const models::Forecast& f = result.future.forecast;
  double total = 0;
  for (double v : f.mean) total += v;
  out += zh ? fmt::format("未来 {} 期预测收入合计 {}\n", f.size(), money(total))
            : fmt::format("Forecast for the next {} periods: total {}\n", f.size(), money(total));
  out += zh ? fmt::format("{:<12} {:>12} {:>12} {:>12} {:>12} {:>12}\n", "日期", "预测", "80%下限",
                          "80%上限", "95%下限", "95%上限")
            : fmt::format("{:<12} {:>12} {:>12} {:>12} {:>12} {:>12}\n", "date", "forecast", "lo80",
                          "hi80", "lo95", "hi95");
  const std::size_t n = run.series.periods.size();
  for (std::size_t h = 0; h < f.size(); ++h) {
    out += fmt::format("{:<12} {:>12} {:>12} {:>12} {:>12} {:>12}\n",
                       common::format_day(run.period_days[n + h]), money(f.mean[h]),
                       money(f.lo80[h]), money(f.hi80[h]), money(f.lo95[h]), money(f.hi95[h]));
  }
  return out;
}

}  // namespace custlens::report
