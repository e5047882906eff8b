// Exponential smoothing (ETS) in the innovations state-space form of Hyndman, Koehler, Ord and
// Snyder (2008): error A/M, trend N/A/Ad, season N/A/M; the likelihood, its maximum, the choice
// of model by AICc and forecasts with 80/95 % intervals (docs/forecast.md).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "models/forecast_types.h"

namespace custlens::models {

enum class EtsError { kAdditive, kMultiplicative };
enum class EtsTrend { kNone, kAdditive, kDamped };
enum class EtsSeason { kNone, kAdditive, kMultiplicative };

struct EtsSpec {
  EtsError error = EtsError::kAdditive;
  EtsTrend trend = EtsTrend::kNone;
  EtsSeason season = EtsSeason::kNone;
  int period = 1;  ///< m, used when season != kNone

  /// "ETS(A,Ad,N)", as R's forecast::ets names it.
  std::string name() const;
  /// Estimated parameters as R counts them: smoothing parameters, phi, the initial level and
  /// trend, m - 1 initial seasonal states (one is fixed, as the others determine it).
  int free_parameters() const;
};

/// Smoothing parameters and initial states (statsmodels' ETSModel names in brackets).
struct EtsParams {
  double alpha = 0.1;  ///< [smoothing_level]
  double beta = 0;     ///< [smoothing_trend]
  double gamma = 0;    ///< [smoothing_seasonal]
  double phi = 1;      ///< [damping_trend]; 1 unless the trend is damped
  double level = 0;    ///< l_0 [initial_level]
  double trend = 0;    ///< b_0 [initial_trend]
  /// seasonal[j] is the state used at t = j (s_{j-m}); statsmodels' initial_seasonal.i is
  /// s_{-1-i}, so seasonal[j] = initial_seasonal[m - 1 - j].
  std::vector<double> seasonal;
};

/// One pass of the model over `y`.
struct EtsFiltered {
  std::vector<double> fitted;  ///< one-step forecasts
  /// statsmodels' concentrated log-likelihood: -n/2 (log(2 pi mean(r^2)) + 1), minus
  /// sum log(fitted) for multiplicative errors (r = y - fitted, or (y - fitted)/fitted).
  /// -infinity when a multiplicative model's fitted value is not above 0.
  double loglik = 0;
  double mean_sq_residual = 0;  ///< mean r^2
  double level = 0;             ///< the states after the last value
  double trend = 0;
  std::vector<double> seasonal;  ///< seasonal[j]: the state for the j-th period after the last
};

/// Throws std::invalid_argument when params.seasonal does not hold spec.period values for a
/// seasonal model, or y is empty.
EtsFiltered ets_filter(std::span<const double> y, const EtsSpec& spec, const EtsParams& params);

struct EtsFit {
  EtsSpec spec;
  EtsParams params;
  EtsFiltered filtered;
  std::size_t n = 0;
  double aicc = 0;
  double sigma2 = 0;  ///< sum r^2 / (n - free parameters), as R's ets (for the intervals)
};

/// The maximum-likelihood fit (nlopt's BOBYQA from two starts, then polished) under the "usual"
/// bounds: 1e-4 <= alpha <= 1 - 1e-4, 1e-4 alpha <= beta <= alpha, 1e-4 (1 - alpha) <= gamma
/// <= 1 - alpha, 0.8 <= phi <= 0.98; initial states free. nullopt when the fit failed.
std::optional<EtsFit> fit_ets(std::span<const double> y, const EtsSpec& spec);

/// One model of the admissible set and what became of it.
struct EtsCandidate {
  EtsSpec spec;
  std::optional<double> aicc;  ///< set when fitted
  std::optional<double> loglik;
  std::string skipped;  ///< why it was not fitted (English), empty when fitted
};

struct EtsSelection {
  std::optional<EtsFit> best;  ///< lowest AICc; nullopt when no model could be fitted
  std::vector<EtsCandidate> candidates;
};

/// Fits every admissible model (R's forecast::ets set without multiplicative trends: additive
/// error with multiplicative season is left out as unstable; multiplicative error or season only
/// for strictly positive y; seasonal only for 1 < period <= 24 with two full seasons; a model
/// only with more values than free parameters + 4) and keeps the lowest AICc.
EtsSelection select_ets(std::span<const double> y, int period);

/// Point forecasts (the states carried on with zero errors) and 80/95 % intervals: analytic
/// variances (Hyndman et al. 2008, table 6.1) for additive error with additive or no season,
/// else quantiles of 5,000 simulated paths (seeded, normal errors of variance sigma2).
Forecast ets_forecast(const EtsFit& fit, int horizon, std::uint64_t seed = 42);

}  // namespace custlens::models
