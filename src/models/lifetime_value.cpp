// The lifetime-value run (see lifetime_value.h).
#include "models/lifetime_value.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <tuple>

#include "custlens/error.h"

namespace custlens::models {
namespace {

constexpr double kMonthDays = 365.25 / 12;
constexpr double kYearDays = 365.25;
constexpr std::size_t kBins = 8;  // repeat frequency 0 … 6 and 7+

// Customers with one (x, t_x, T) share every model figure, so each is computed once per
// distinct summary (a million customers have ~120 k of them): `distinct` and each customer's
// index into it.
struct SummaryIndex {
  RfSummary distinct;
  std::vector<std::uint32_t> of;
};

SummaryIndex index_summaries(const RfSummary& rf) {
  std::vector<std::uint32_t> order(rf.size());
  std::iota(order.begin(), order.end(), 0U);
  const auto key = [&](std::uint32_t i) { return std::tie(rf.x[i], rf.t_x[i], rf.T[i]); };
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return key(a) < key(b); });
  SummaryIndex index;
  index.of.resize(rf.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::uint32_t i = order[k];
    if (k == 0 || key(order[k - 1]) != key(i)) {
      index.distinct.x.push_back(rf.x[i]);
      index.distinct.t_x.push_back(rf.t_x[i]);
      index.distinct.T.push_back(rf.T[i]);
    }
    index.of[i] = static_cast<std::uint32_t>(index.distinct.size() - 1);
  }
  return index;
}

// f(x, t_x, T) of every customer, evaluated once per distinct summary, in parallel (each
// independent: deterministic).
template <class F>
std::vector<double> per_customer(const SummaryIndex& index, const F& f) {
  const RfSummary& d = index.distinct;
  std::vector<double> distinct(d.size());
  tbb::parallel_for(std::size_t{0}, d.size(),
                    [&](std::size_t g) { distinct[g] = f(d.x[g], d.t_x[g], d.T[g]); });
  std::vector<double> out(index.of.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = distinct[index.of[i]];
  return out;
}

// E[Y(t) | x, t_x, T] of every customer.
std::vector<double> expected_all(const BtydModel& model, const BtydParams& params,
                                 const SummaryIndex& index, double t) {
  return per_customer(index, [&](double x, double t_x, double T) {
    return model.expected_conditional(params, t, x, t_x, T);
  });
}

// Σ_i E[X((last_day − s_i) / unit)] per week, customers grouped by first day s.
std::vector<double> expected_cumulative(const BtydModel& model, const BtydParams& params,
                                        const ClvData& data, const std::vector<TrackingWeek>& weeks,
                                        double unit_days) {
  std::map<std::int64_t, double> arrivals;
  for (const std::int64_t day : data.first_day) arrivals[day] += 1;
  std::vector<double> out(weeks.size(), 0);
  tbb::parallel_for(std::size_t{0}, weeks.size(), [&](std::size_t k) {
    double sum = 0;
    for (const auto& [day, count] : arrivals) {
      if (day > weeks[k].last_day) break;
      sum += count *
             model.expected_new(params, static_cast<double>(weeks[k].last_day - day) / unit_days);
    }
    out[k] = sum;
  });
  return out;
}

HoldoutScore score_holdout(const std::string& name, const ClvData& data,
                           const std::vector<double>& expected) {
  HoldoutScore score;
  score.model = name;
  score.bins.resize(kBins);
  for (std::size_t b = 0; b < kBins; ++b) {
    score.bins[b].label = b + 1 < kBins ? std::to_string(b) : fmt::format("{}+", b);
  }
  const std::size_t n = data.rf.size();
  double squared_log = 0, absolute = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double actual = data.holdout_x[i];
    const auto bin = std::min(static_cast<std::size_t>(data.rf.x[i]), kBins - 1);
    score.bins[bin].customers += 1;
    score.bins[bin].actual_sum += actual;
    score.bins[bin].expected_sum += expected[i];
    score.actual_purchases += actual;
    score.expected_purchases += expected[i];
    const double gap = std::log1p(actual) - std::log1p(expected[i]);
    squared_log += gap * gap;
    absolute += std::abs(actual - expected[i]);
  }
  score.msle = squared_log / static_cast<double>(n);
  score.mae = absolute / static_cast<double>(n);
  double mape = 0;
  int counted = 0;
  for (const FrequencyBin& bin : score.bins) {
    if (bin.actual_sum <= 0) continue;
    mape += std::abs(bin.expected_sum - bin.actual_sum) / bin.actual_sum;
    ++counted;
  }
  score.mape_by_frequency = counted > 0 ? mape / counted : std::nan("");
  score.bias = score.actual_purchases > 0
                   ? (score.expected_purchases - score.actual_purchases) / score.actual_purchases
                   : std::nan("");
  return score;
}

ClvGrid make_grid(const BtydModel& model, const BtydParams& params, const ClvData& data,
                  const ClvOptions& options) {
  ClvGrid grid;
  grid.T = *std::max_element(data.rf.T.begin(), data.rf.T.end());
  const double max_x = *std::max_element(data.rf.x.begin(), data.rf.x.end());
  const int rows = static_cast<int>(std::min(max_x, 20.0));
  for (int x = 0; x <= rows; ++x) grid.x.push_back(x);
  constexpr int kColumns = 12;
  for (int j = 0; j <= kColumns; ++j) grid.t_x.push_back(grid.T * j / kColumns);
  for (const double x : grid.x) {
    for (const double t_x : grid.t_x) {
      const bool possible = (x == 0) == (t_x == 0);
      grid.expected.push_back(
          possible ? model.expected_conditional(params, options.horizon, x, t_x, grid.T)
                   : std::nan(""));
      grid.p_alive.push_back(possible ? model.p_alive(params, x, t_x, grid.T) : std::nan(""));
    }
  }
  return grid;
}

}  // namespace

void check_clv_options(const ClvOptions& options) {
  make_btyd_model(options.model);  // throws for an unknown name
  if (!(options.horizon > 0)) throw Error("--horizon must be above 0");
  if (!(options.discount_rate >= 0) || options.discount_rate > 10) {
    throw Error("--discount-rate is a yearly rate between 0 and 10 (0.1 = 10 % a year)");
  }
  if (!(options.margin > 0) || options.margin > 1) {
    throw Error("--margin is the share of revenue that is profit, above 0 and at most 1");
  }
}

double discounted_value(const BtydModel& model, const BtydParams& params, double x, double t_x,
                        double T, double value, const ClvOptions& options) {
  const double horizon_days = options.horizon * options.unit_days;
  const auto steps = static_cast<int>(std::ceil(horizon_days / kMonthDays - 1e-9));
  double previous = 0, sum = 0;
  for (int k = 1; k <= steps; ++k) {
    const double days = std::min(k * kMonthDays, horizon_days);
    const double expected = model.expected_conditional(params, days / options.unit_days, x, t_x, T);
    sum += (expected - previous) / std::pow(1 + options.discount_rate, days / kYearDays);
    previous = expected;
  }
  return options.margin * value * sum;
}

ClvRun run_clv(const ClvData& data, const ClvOptions& options) {
  check_clv_options(options);
  ClvRun run;
  run.options = options;
  const std::size_t n = data.rf.size();
  std::vector<std::unique_ptr<BtydModel>> models;
  for (const std::string& name : btyd_model_names()) {
    if (name == options.model) run.chosen = models.size();
    models.push_back(make_btyd_model(name));
    run.fits.push_back(fit_btyd(*models.back(), data.rf));
  }

  // Gamma-Gamma on the repeat customers with a positive mean value.
  std::vector<double> gg_x, gg_zbar;
  for (std::size_t i = 0; i < n; ++i) {
    if (data.rf.x[i] <= 0) continue;
    ++run.repeat_customers;
    if (data.zbar[i] > 0) {
      gg_x.push_back(data.rf.x[i]);
      gg_zbar.push_back(data.zbar[i]);
    } else {
      run.excluded.push_back(i);
    }
  }
  try {
    run.gamma_gamma = fit_gamma_gamma(gg_x, gg_zbar);
  } catch (const Error& error) {
    run.gamma_gamma_problem = error.what();
  }
  double observed_mean = 0;
  for (const double z : gg_zbar) observed_mean += z / static_cast<double>(gg_zbar.size());
  if (run.gamma_gamma && std::isfinite(run.gamma_gamma->population_mean())) {
    run.population_value = run.gamma_gamma->population_mean();
    run.population_value_basis = "gamma_gamma";
  } else {
    run.population_value = gg_zbar.empty() ? 0 : observed_mean;
    run.population_value_basis = "observed_mean";
  }

  const BtydModel& model = *models[run.chosen];
  const BtydParams& params = run.fits[run.chosen].params;
  ClvCustomers& c = run.customers;
  c.expected_value.resize(n);
  c.clv.resize(n);
  c.value_from_population.resize(n);
  const SummaryIndex index = index_summaries(data.rf);
  c.p_alive = per_customer(index, [&](double x, double t_x, double T) {
    return model.p_alive(params, x, t_x, T);
  });
  c.expected_horizon = expected_all(model, params, index, options.horizon);
  // CLV = value × the discounted expected purchases, which depend on the summary only.
  const std::vector<double> discounted =
      per_customer(index, [&](double x, double t_x, double T) {
        return discounted_value(model, params, x, t_x, T, 1.0, options);
      });
  tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
    const double x = data.rf.x[i];
    const bool own = run.gamma_gamma && x > 0 && data.zbar[i] > 0;
    c.expected_value[i] =
        own ? run.gamma_gamma->expected_value(x, data.zbar[i]) : run.population_value;
    c.value_from_population[i] = own ? 0 : 1;
    c.clv[i] = c.expected_value[i] * discounted[i];
  });

  // Weekly tracking over calibration and holdout.
  for (std::int64_t start = data.tracking_start; start <= data.last_day; start += 7) {
    TrackingWeek week;
    week.first_day = start;
    week.last_day = std::min(start + 6, data.last_day);
    week.holdout = start > data.calibration_end;
    const auto k = static_cast<std::size_t>((start - data.tracking_start) / 7);
    week.actual = k < data.weekly_repeats.size() ? static_cast<double>(data.weekly_repeats[k]) : 0;
    week.actual_cumulative =
        (run.tracking.empty() ? 0 : run.tracking.back().actual_cumulative) + week.actual;
    run.tracking.push_back(std::move(week));
  }
  for (std::size_t m = 0; m < models.size(); ++m) {
    const std::vector<double> cumulative =
        expected_cumulative(*models[m], run.fits[m].params, data, run.tracking, options.unit_days);
    for (std::size_t k = 0; k < run.tracking.size(); ++k) {
      run.tracking[k].expected_cumulative.push_back(cumulative[k]);
      run.tracking[k].expected.push_back(cumulative[k] - (k > 0 ? cumulative[k - 1] : 0));
    }
  }

  if (options.holdout_length) {
    c.expected_purchases = expected_all(model, params, index, *options.holdout_length);
    for (std::size_t m = 0; m < models.size(); ++m) {
      const std::vector<double> expected =
          m == run.chosen
              ? c.expected_purchases
              : expected_all(*models[m], run.fits[m].params, index, *options.holdout_length);
      HoldoutScore score = score_holdout(run.fits[m].model, data, expected);
      double mape = 0;
      int weeks = 0;
      for (const TrackingWeek& week : run.tracking) {
        if (!week.holdout || week.actual_cumulative <= 0) continue;
        mape +=
            std::abs(week.expected_cumulative[m] - week.actual_cumulative) / week.actual_cumulative;
        ++weeks;
      }
      score.mape_cumulative = weeks > 0 ? mape / weeks : std::nan("");
      run.holdout.push_back(std::move(score));
    }
  } else {
    c.expected_purchases = c.expected_horizon;
  }
  run.grid = make_grid(model, params, data, options);
  return run;
}

}  // namespace custlens::models
