// ETS: the state-space recursions, the maximum-likelihood fit through nlopt, AICc choice and the
// forecast intervals.
#include "models/ets.h"

#include <fmt/format.h>
#include <nlopt.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <random>
#include <stdexcept>

namespace custlens::models {
namespace {

constexpr double kSmoothingLow = 1e-4;
constexpr double kSmoothingHigh = 1 - 1e-4;
constexpr double kPhiLow = 0.8;
constexpr double kPhiHigh = 0.98;
constexpr double kStateBound = 1e4;  // initial states, in units of mean |y|: in effect free
constexpr int kSimulatedPaths = 5000;

bool has_trend(const EtsSpec& spec) { return spec.trend != EtsTrend::kNone; }
bool has_season(const EtsSpec& spec) { return spec.season != EtsSeason::kNone; }

// The states of the model while it runs; the one update for the filter, the forecast and the
// simulated paths (d = y - mu, the same for both error types: Hyndman et al. 2008, table 2.3).
struct States {
  double level = 0;
  double trend = 0;
  std::vector<double> seasonal;  // ring: seasonal[t mod m] is used at t

  // `slot` = t mod m, kept by the caller's loop (a division per step is a third of its time).
  double seasonal_at(const EtsSpec& spec, std::size_t slot) const {
    if (!has_season(spec)) return 0;
    return seasonal[slot];
  }
};

struct Step {
  double base;      // L = l + phi b
  double season;    // S
  double forecast;  // mu
};

Step one_step(const EtsSpec& spec, const EtsParams& p, const States& x, std::size_t slot) {
  Step step;
  step.season = x.seasonal_at(spec, slot);
  step.base = x.level + (has_trend(spec) ? p.phi * x.trend : 0);
  switch (spec.season) {
    case EtsSeason::kNone:
      step.forecast = step.base;
      break;
    case EtsSeason::kAdditive:
      step.forecast = step.base + step.season;
      break;
    case EtsSeason::kMultiplicative:
      step.forecast = step.base * step.season;
      break;
  }
  return step;
}

void update(const EtsSpec& spec, const EtsParams& p, States& x, std::size_t slot, const Step& step,
            double d) {
  const bool mul = spec.season == EtsSeason::kMultiplicative;
  const double level_error = mul ? d / step.season : d;
  if (has_trend(spec)) x.trend = p.phi * x.trend + p.beta * level_error;
  x.level = step.base + p.alpha * level_error;
  if (has_season(spec)) {
    x.seasonal[slot] = step.season + p.gamma * (mul ? d / step.base : d);
  }
}

States initial_states(const EtsSpec& spec, const EtsParams& p) {
  States x;
  x.level = p.level;
  x.trend = has_trend(spec) ? p.trend : 0;
  if (has_season(spec)) x.seasonal = p.seasonal;
  return x;
}

// The fit's free values and the parameters they stand for: smoothing parameters as alpha,
// beta / alpha, gamma / (1 - alpha) (box bounds then give the "usual" region, as statsmodels
// does), states in units of mean |y|; seasonal[0] is fixed at 0 or 1.
struct Layout {
  EtsSpec spec;
  double scale = 1;

  std::size_t size() const {
    std::size_t n = 2;  // alpha, level
    if (has_trend(spec)) n += 2;
    if (spec.trend == EtsTrend::kDamped) n += 1;
    if (has_season(spec)) n += 1 + static_cast<std::size_t>(spec.period - 1);
    return n;
  }
  EtsParams params(const double* v) const {
    EtsParams p;
    std::size_t i = 0;
    p.alpha = v[i++];
    if (has_trend(spec)) p.beta = v[i++] * p.alpha;
    if (has_season(spec)) p.gamma = v[i++] * (1 - p.alpha);
    p.phi = spec.trend == EtsTrend::kDamped ? v[i++] : 1;
    p.level = v[i++] * scale;
    if (has_trend(spec)) p.trend = v[i++] * scale;
    if (has_season(spec)) {
      const bool mul = spec.season == EtsSeason::kMultiplicative;
      p.seasonal.push_back(mul ? 1 : 0);
      for (int j = 1; j < spec.period; ++j) p.seasonal.push_back(mul ? v[i++] : v[i++] * scale);
    }
    return p;
  }
  std::vector<double> values(const EtsParams& p) const {
    std::vector<double> v;
    v.push_back(p.alpha);
    if (has_trend(spec)) v.push_back(p.beta / p.alpha);
    if (has_season(spec)) v.push_back(p.gamma / (1 - p.alpha));
    if (spec.trend == EtsTrend::kDamped) v.push_back(p.phi);
    v.push_back(p.level / scale);
    if (has_trend(spec)) v.push_back(p.trend / scale);
    if (has_season(spec)) {
      const bool mul = spec.season == EtsSeason::kMultiplicative;
      for (int j = 1; j < spec.period; ++j)
        v.push_back(mul ? p.seasonal[j] : p.seasonal[j] / scale);
    }
    return v;
  }
  void bounds(std::vector<double>& low, std::vector<double>& high,
              std::vector<double>& step) const {
    std::size_t smoothing = 1 + (has_trend(spec) ? 1 : 0) + (has_season(spec) ? 1 : 0);
    for (std::size_t i = 0; i < smoothing; ++i) {
      low.push_back(kSmoothingLow);
      high.push_back(kSmoothingHigh);
      step.push_back(0.05);
    }
    if (spec.trend == EtsTrend::kDamped) {
      low.push_back(kPhiLow);
      high.push_back(kPhiHigh);
      step.push_back(0.02);
    }
    while (low.size() < size()) {
      low.push_back(-kStateBound);
      high.push_back(kStateBound);
      step.push_back(0.05);
    }
  }
};

struct Problem {
  std::span<const double> y;
  Layout layout;
};

double negative_loglik(unsigned n, const double* v, double* /*grad*/, void* data) {
  const auto& problem = *static_cast<const Problem*>(data);
  (void)n;
  const double ll = ets_filter(problem.y, problem.layout.spec, problem.layout.params(v)).loglik;
  return std::isfinite(ll) ? -ll : 1e300;
}

using NloptHandle = std::unique_ptr<nlopt_opt_s, decltype(&nlopt_destroy)>;

// One local search from `start`; returns the value reached (start is moved to the optimum).
double minimise(Problem& problem, nlopt_algorithm algorithm, std::vector<double>& start) {
  const auto n = static_cast<unsigned>(start.size());
  NloptHandle opt(nlopt_create(algorithm, n), &nlopt_destroy);
  std::vector<double> low, high, step;
  problem.layout.bounds(low, high, step);
  for (std::size_t i = 0; i < start.size(); ++i) start[i] = std::clamp(start[i], low[i], high[i]);
  nlopt_set_lower_bounds(opt.get(), low.data());
  nlopt_set_upper_bounds(opt.get(), high.data());
  nlopt_set_initial_step(opt.get(), step.data());
  nlopt_set_min_objective(opt.get(), &negative_loglik, &problem);
  nlopt_set_xtol_rel(opt.get(), 1e-8);
  nlopt_set_ftol_abs(opt.get(), 1e-9);
  nlopt_set_maxeval(opt.get(), 4000 * static_cast<int>(n));
  double value = std::numeric_limits<double>::infinity();
  const nlopt_result result = nlopt_optimize(opt.get(), start.data(), &value);
  if (result < 0 && result != NLOPT_ROUNDOFF_LIMITED)
    return std::numeric_limits<double>::infinity();
  return value;
}

// Starting states: the first two seasons (seasonal) or a line through the first ten values.
EtsParams start_states(std::span<const double> y, const EtsSpec& spec) {
  EtsParams p;
  const std::size_t n = y.size();
  if (has_season(spec)) {
    const auto m = static_cast<std::size_t>(spec.period);
    double first = 0;
    double second = 0;
    for (std::size_t j = 0; j < m; ++j) {
      first += y[j];
      second += y[m + j];
    }
    first /= static_cast<double>(m);
    second /= static_cast<double>(m);
    p.level = first;
    p.trend = (second - first) / static_cast<double>(m);
    const bool mul = spec.season == EtsSeason::kMultiplicative;
    for (std::size_t j = 0; j < m; ++j) {
      p.seasonal.push_back(mul ? (y[j] / first + y[m + j] / second) / 2
                               : (y[j] - first + y[m + j] - second) / 2);
    }
    const double fixed = p.seasonal[0];
    for (double& s : p.seasonal) s = mul ? s / fixed : s - fixed;
    p.level = mul ? p.level * fixed : p.level + fixed;
    return p;
  }
  const std::size_t k = std::min<std::size_t>(n, 10);
  double mean_t = 0;
  double mean_y = 0;
  for (std::size_t t = 0; t < k; ++t) {
    mean_t += static_cast<double>(t);
    mean_y += y[t];
  }
  mean_t /= static_cast<double>(k);
  mean_y /= static_cast<double>(k);
  double sxy = 0;
  double sxx = 0;
  for (std::size_t t = 0; t < k; ++t) {
    sxy += (static_cast<double>(t) - mean_t) * (y[t] - mean_y);
    sxx += (static_cast<double>(t) - mean_t) * (static_cast<double>(t) - mean_t);
  }
  const double slope = sxx > 0 ? sxy / sxx : 0;
  p.trend = has_trend(spec) ? slope : 0;
  p.level = has_trend(spec) ? mean_y - slope * (mean_t + 1) : mean_y;
  return p;
}

bool strictly_positive(std::span<const double> y) {
  return std::all_of(y.begin(), y.end(), [](double v) { return v > 0; });
}

std::string_view letter(EtsError e) { return e == EtsError::kAdditive ? "A" : "M"; }
std::string_view letter(EtsTrend t) {
  return t == EtsTrend::kNone ? "N" : t == EtsTrend::kAdditive ? "A" : "Ad";
}
std::string_view letter(EtsSeason s) {
  return s == EtsSeason::kNone ? "N" : s == EtsSeason::kAdditive ? "A" : "M";
}

}  // namespace

std::string EtsSpec::name() const {
  return fmt::format("ETS({},{},{})", letter(error), letter(trend), letter(season));
}

int EtsSpec::free_parameters() const {
  int k = 2;  // alpha, l_0
  if (has_trend(*this)) k += 2;
  if (trend == EtsTrend::kDamped) k += 1;
  if (has_season(*this)) k += 1 + period - 1;
  return k;
}

EtsFiltered ets_filter(std::span<const double> y, const EtsSpec& spec, const EtsParams& params) {
  if (y.empty()) throw std::invalid_argument("ets: empty series");
  if (has_season(spec) &&
      (spec.period < 2 || params.seasonal.size() != static_cast<std::size_t>(spec.period))) {
    throw std::invalid_argument("ets: seasonal states must hold one value per season period");
  }
  EtsFiltered out;
  out.fitted.resize(y.size());
  States x = initial_states(spec, params);
  const bool mul_error = spec.error == EtsError::kMultiplicative;
  double sq = 0;
  double log_sum = 0;
  bool defined = true;
  const std::size_t m = has_season(spec) ? x.seasonal.size() : 1;
  for (std::size_t t = 0, slot = 0; t < y.size(); ++t, slot = slot + 1 == m ? 0 : slot + 1) {
    const Step step = one_step(spec, params, x, slot);
    out.fitted[t] = step.forecast;
    const double d = y[t] - step.forecast;
    if (mul_error) {
      if (!(step.forecast > 0)) defined = false;
      const double r = d / step.forecast;
      sq += r * r;
      log_sum += std::log(std::abs(step.forecast));
    } else {
      sq += d * d;
    }
    update(spec, params, x, slot, step, d);
  }
  const double n = static_cast<double>(y.size());
  out.mean_sq_residual = sq / n;
  out.loglik = -n / 2 * (std::log(2 * std::numbers::pi * out.mean_sq_residual) + 1) - log_sum;
  if (!defined || !std::isfinite(out.loglik)) {
    out.loglik = -std::numeric_limits<double>::infinity();
  }
  out.level = x.level;
  out.trend = x.trend;
  if (has_season(spec)) {
    const std::size_t m = x.seasonal.size();
    for (std::size_t j = 0; j < m; ++j) out.seasonal.push_back(x.seasonal[(y.size() + j) % m]);
  }
  return out;
}

std::optional<EtsFit> fit_ets(std::span<const double> y, const EtsSpec& spec) {
  if (y.size() < 2) return std::nullopt;
  Problem problem{y, Layout{spec, 1}};
  double scale = 0;
  for (double v : y) scale += std::abs(v);
  scale /= static_cast<double>(y.size());
  problem.layout.scale = scale > 0 ? scale : 1;
  const EtsParams states = start_states(y, spec);
  // Two starts (a slow and a fast level), the better one polished by Nelder-Mead and a second
  // BOBYQA: a restart resets the trust region, which often ends early on a flat likelihood.
  double best_value = std::numeric_limits<double>::infinity();
  std::vector<double> best;
  for (double alpha : {0.1, 0.5}) {
    EtsParams p = states;
    p.alpha = alpha;
    p.beta = 0.1 * alpha;
    p.gamma = 0.1 * (1 - alpha);
    p.phi = 0.95;
    std::vector<double> v = problem.layout.values(p);
    const double value = minimise(problem, NLOPT_LN_BOBYQA, v);
    if (value < best_value) {
      best_value = value;
      best = v;
    }
  }
  if (!std::isfinite(best_value) || best_value >= 1e300) return std::nullopt;
  for (nlopt_algorithm polish : {NLOPT_LN_NELDERMEAD, NLOPT_LN_BOBYQA}) {
    std::vector<double> v = best;
    const double value = minimise(problem, polish, v);
    if (value < best_value) {
      best_value = value;
      best = v;
    }
  }
  EtsFit fit;
  fit.spec = spec;
  fit.params = problem.layout.params(best.data());
  fit.filtered = ets_filter(y, spec, fit.params);
  fit.n = y.size();
  const double k = spec.free_parameters() + 1;  // + the error variance
  const double n = static_cast<double>(y.size());
  fit.aicc = -2 * fit.filtered.loglik + 2 * k + 2 * k * (k + 1) / (n - k - 1);
  const double dof = std::max(1.0, n - spec.free_parameters());
  fit.sigma2 = fit.filtered.mean_sq_residual * n / dof;
  return fit;
}

EtsSelection select_ets(std::span<const double> y, int period) {
  EtsSelection selection;
  const std::size_t n = y.size();
  const bool positive = strictly_positive(y);
  std::size_t not_positive = 0;
  for (double v : y) not_positive += v > 0 ? 0 : 1;
  for (EtsError error : {EtsError::kAdditive, EtsError::kMultiplicative}) {
    for (EtsTrend trend : {EtsTrend::kNone, EtsTrend::kAdditive, EtsTrend::kDamped}) {
      for (EtsSeason season :
           {EtsSeason::kNone, EtsSeason::kAdditive, EtsSeason::kMultiplicative}) {
        if (season != EtsSeason::kNone && period < 2) continue;
        EtsCandidate candidate;
        candidate.spec = EtsSpec{error, trend, season, season == EtsSeason::kNone ? 1 : period};
        const auto k = static_cast<std::size_t>(candidate.spec.free_parameters() + 1);
        if (error == EtsError::kAdditive && season == EtsSeason::kMultiplicative) {
          candidate.skipped = "additive error with multiplicative season is numerically unstable";
        } else if ((error == EtsError::kMultiplicative || season == EtsSeason::kMultiplicative) &&
                   !positive) {
          candidate.skipped = fmt::format(
              "multiplicative error or season needs values above 0; {} of {} periods are not",
              not_positive, n);
        } else if (season != EtsSeason::kNone && period > 24) {
          candidate.skipped =
              fmt::format("a season of {} periods is longer than 24 (as R's ets)", period);
        } else if (season != EtsSeason::kNone && n < 2 * static_cast<std::size_t>(period)) {
          candidate.skipped =
              fmt::format("needs two full seasons ({} periods), has {}", 2 * period, n);
        } else if (n <= k + 4) {
          candidate.skipped =
              fmt::format("{} parameters need more than {} periods, has {}", k, k + 4, n);
        } else if (std::optional<EtsFit> fit = fit_ets(y, candidate.spec)) {
          candidate.aicc = fit->aicc;
          candidate.loglik = fit->filtered.loglik;
          if (!selection.best || fit->aicc < selection.best->aicc) selection.best = std::move(fit);
        } else {
          candidate.skipped = "the likelihood could not be maximised";
        }
        selection.candidates.push_back(std::move(candidate));
      }
    }
  }
  return selection;
}

Forecast ets_forecast(const EtsFit& fit, int horizon, std::uint64_t seed) {
  const EtsSpec& spec = fit.spec;
  const EtsParams& p = fit.params;
  const auto steps = static_cast<std::size_t>(std::max(horizon, 0));
  States last;
  last.level = fit.filtered.level;
  last.trend = fit.filtered.trend;
  last.seasonal = fit.filtered.seasonal;
  std::vector<double> mean(steps);
  const std::size_t season_slots = has_season(spec) ? last.seasonal.size() : 1;
  {
    States x = last;
    for (std::size_t h = 0; h < steps; ++h) {
      const Step step = one_step(spec, p, x, h % season_slots);
      mean[h] = step.forecast;
      update(spec, p, x, h % season_slots, step, 0);
    }
  }
  const bool linear =
      spec.error == EtsError::kAdditive && spec.season != EtsSeason::kMultiplicative;
  if (linear) {
    // Var(y_{n+h}) = sigma2 (1 + sum_{j<h} c_j^2), c_j = alpha + beta phi_j + gamma [j mod m = 0].
    std::vector<double> sd(steps);
    double sum_c2 = 0;
    double phi_j = 0;
    for (std::size_t h = 0; h < steps; ++h) {
      sd[h] = std::sqrt(fit.sigma2 * (1 + sum_c2));
      const std::size_t j = h + 1;
      phi_j += std::pow(p.phi, static_cast<double>(j));
      double c = p.alpha;
      if (has_trend(spec)) c += p.beta * (spec.trend == EtsTrend::kDamped ? phi_j : double(j));
      if (has_season(spec) && j % static_cast<std::size_t>(spec.period) == 0) c += p.gamma;
      sum_c2 += c * c;
    }
    return normal_intervals(std::move(mean), sd);
  }
  // Simulated future paths: y = mu + e or mu (1 + e), e ~ N(0, sigma2).
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> noise(0, std::sqrt(fit.sigma2));
  std::vector<std::vector<double>> paths(steps, std::vector<double>(kSimulatedPaths));
  for (int path = 0; path < kSimulatedPaths; ++path) {
    States x = last;
    for (std::size_t h = 0; h < steps; ++h) {
      const Step step = one_step(spec, p, x, h % season_slots);
      const double e = noise(engine);
      const double y =
          spec.error == EtsError::kAdditive ? step.forecast + e : step.forecast * (1 + e);
      paths[h][static_cast<std::size_t>(path)] = y;
      update(spec, p, x, h % season_slots, step, y - step.forecast);
    }
  }
  Forecast out;
  for (std::size_t h = 0; h < steps; ++h) {
    std::vector<double>& values = paths[h];
    std::sort(values.begin(), values.end());
    out.lo95.push_back(quantile_sorted(values, 0.025));
    out.lo80.push_back(quantile_sorted(values, 0.1));
    out.hi80.push_back(quantile_sorted(values, 0.9));
    out.hi95.push_back(quantile_sorted(values, 0.975));
  }
  out.mean = std::move(mean);
  return out;
}

}  // namespace custlens::models
