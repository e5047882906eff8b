// The lifetime-value run of `custlens clv` (docs/clv.md): every buy-till-you-die model fitted on
// the calibration summary, Gamma-Gamma on the repeat customers' mean values, each customer's
// P(alive), expected purchases, expected value and discounted CLV under the chosen model, the
// holdout scorecard of every model and the weekly tracking of actual against expected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/btyd.h"
#include "models/gamma_gamma.h"

namespace custlens::models {

struct ClvOptions {
  std::string model = "bgnbd";           ///< the model behind the per-customer figures
  double unit_days = 7;                  ///< the time unit of x, t_x, T and the horizon, in days
  double horizon = 52;                   ///< units ahead for expected purchases and CLV
  double discount_rate = 0.1;            ///< per year, compounded at each monthly step
  double margin = 1;                     ///< share of revenue that is profit (1: CLV in revenue)
  std::optional<double> holdout_length;  ///< units, with a holdout period
};
/// Throws custlens::Error for an unknown model or options out of range.
void check_clv_options(const ClvOptions& options);

/// What the run needs of each fitted customer (analysis::CalibrationSummary gives it).
struct ClvData {
  RfSummary rf;
  std::vector<double> zbar;       ///< NaN when x = 0
  std::vector<double> holdout_x;  ///< empty without a holdout
  std::vector<std::int64_t> first_day;
  std::int64_t tracking_start = 0;  ///< first day of week 0
  std::int64_t last_day = 0;        ///< the last day tracked (holdout or calibration end)
  std::int64_t calibration_end = 0;
  std::vector<std::int64_t> weekly_repeats;
};

/// Per customer, in ClvData's order, under the chosen model.
struct ClvCustomers {
  std::vector<double> p_alive;
  std::vector<double> expected_purchases;  ///< over the holdout length if any, else the horizon
  std::vector<double> expected_horizon;    ///< over the horizon
  std::vector<double> expected_value;      ///< Gamma-Gamma E[M], or the population mean
  std::vector<double> clv;
  std::vector<std::uint8_t> value_from_population;  ///< 1: no usable repeat value of its own
};

struct FrequencyBin {
  std::string label;  ///< "0" … "6", "7+"
  std::size_t customers = 0;
  double actual_sum = 0;
  double expected_sum = 0;
};

/// Actual against expected repeat transactions in the holdout, for one model.
struct HoldoutScore {
  std::string model;
  double actual_purchases = 0;
  double expected_purchases = 0;
  std::vector<FrequencyBin> bins;
  double msle = 0;               ///< mean of (log1p(actual) − log1p(expected))²
  double mae = 0;                ///< mean |actual − expected| per customer
  double mape_by_frequency = 0;  ///< mean of |Σexpected − Σactual| / Σactual over the bins
  double bias = 0;               ///< (Σexpected − Σactual) / Σactual
  double mape_cumulative = 0;    ///< over the holdout weeks of the cumulative tracking
};

struct TrackingWeek {
  std::int64_t first_day = 0;
  std::int64_t last_day = 0;
  bool holdout = false;  ///< begins after the calibration end
  double actual = 0;
  double actual_cumulative = 0;
  std::vector<double> expected;             ///< per model, in ClvRun::fits order
  std::vector<double> expected_cumulative;  ///< per model
};

/// The chosen model's expected purchases over the horizon and P(alive) on a frequency × recency
/// grid, for a customer observed for T (the longest calibration span). NaN where the pair cannot
/// occur (x = 0 with t_x > 0, x > 0 with t_x = 0).
struct ClvGrid {
  std::vector<double> x;
  std::vector<double> t_x;
  double T = 0;
  std::vector<double> expected;  ///< x-major
  std::vector<double> p_alive;
};

struct ClvRun {
  ClvOptions options;
  std::vector<BtydFit> fits;  ///< every registered model, btyd_model_names() order
  std::size_t chosen = 0;     ///< index of options.model in fits
  std::optional<GammaGammaFit> gamma_gamma;
  std::string gamma_gamma_problem;     ///< why it was not fitted ("" when it was)
  std::size_t repeat_customers = 0;    ///< x > 0
  std::vector<std::size_t> excluded;   ///< repeat customers with a mean value <= 0 (indices)
  double population_value = 0;         ///< expected value of a customer without own repeat value
  std::string population_value_basis;  ///< "gamma_gamma" or "observed_mean"
  ClvCustomers customers;
  std::vector<HoldoutScore> holdout;  ///< per model; empty without a holdout
  std::vector<TrackingWeek> tracking;
  ClvGrid grid;
};

/// The run; throws custlens::Error when a model cannot be fitted (no repeat purchases).
ClvRun run_clv(const ClvData& data, const ClvOptions& options);

/// Discounted CLV of one customer: margin · value · Σ_k ΔE[Y] / (1 + rate)^(τ_k in years) over
/// monthly steps τ_k (365.25/12 days, the last one cut at the horizon).
double discounted_value(const BtydModel& model, const BtydParams& params, double x, double t_x,
                        double T, double value, const ClvOptions& options);

}  // namespace custlens::models
