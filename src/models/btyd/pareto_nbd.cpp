// Pareto/NBD (Schmittlein, Morrison & Colombo 1987) in the form of Fader & Hardie's notes: Poisson
// purchases with gamma(r, alpha) rates, exponential lifetimes with gamma(s, beta) dropout rates.
// The likelihood's 2F1 is taken on the branch (alpha >= beta or not) whose argument lies in
// [0, 1), then Euler-transformed so the series has a numerator parameter of 1. Where that
// argument nears 1 (one of alpha, beta far above the other and the time: no dropout, on data
// where customers never leave) the series would need millions of terms; that stretch of the
// integral A0 is summed by a binomial series in the other direction instead (docs/clv.md).
#include <cmath>

#include "models/autodiff.h"
#include "models/btyd.h"
#include "models/btyd/likelihood_sum.h"
#include "models/hypergeometric.h"

namespace custlens::models {
namespace {

using D = Dual<4>;

// log of Fader & Hardie's 2F1(r+s+x, ·; r+s+x+1; z(t)) / (max(α, β) + t)^(r+s+x) at t; S is double
// or D.
template <class S>
S log_a0_term(const S& r, const S& alpha, const S& s, const S& beta, double x, double t) {
  using std::log;
  const S a1 = S(r + s + x);
  if (value_of(alpha) >= value_of(beta)) {
    const S log_one_minus_z = S(log(S(beta + t)) - log(S(alpha + t)));
    const S z = S((alpha - beta) / (alpha + t));
    const S series = hyp2f1(S(1.0), S(r + x), S(a1 + 1.0), z);
    return S(-s * log_one_minus_z + log(series) - a1 * log(S(alpha + t)));
  }
  const S log_one_minus_z = S(log(S(alpha + t)) - log(S(beta + t)));
  const S z = S((beta - alpha) / (beta + t));
  const S series = hyp2f1(S(1.0), S(s + 1.0), S(a1 + 1.0), z);
  return S((1.0 - r - x) * log_one_minus_z + log(series) - a1 * log(S(beta + t)));
}

// log((e^y − 1) / y), with its limit 0 at y = 0.
template <class S>
S log_expm1_ratio(const S& y) {
  using std::exp;
  using std::log;
  const double v = value_of(y);
  if (std::abs(v) < 1e-3) return S(y / 2.0 + y * y / 24.0 - y * y * y * y / 2880.0);
  if (v > 0) return S(y + log(S(1.0 - exp(S(-y)))) - log(y));
  return S(log(S(1.0 - exp(y))) - log(S(-y)));
}

// log ∫_{w1}^{w2} w^(−m) (d + w)^(−k) dw for 0 < w1 < w2 <= d/4: (d + w)^(−k) expanded in powers
// of w/d, each power integrated exactly. NaN when it does not converge in 1000 terms.
template <class S>
S log_near_integral(const S& m, const S& k, const S& d, const S& w1, const S& w2) {
  using std::exp;
  using std::log;
  const S log_ratio = S(log(w2) - log(w1));
  const S log_step = S(log(w1) - log(d));
  S log_coefficient(0.0);  // log((k)_n / n!)
  S first(0.0), sum(0.0);
  for (int n = 0; n < 1000; ++n) {
    const double nd = static_cast<double>(n);
    if (n > 0) log_coefficient = S(log_coefficient + log(S((k + (nd - 1.0)) / nd)));
    const S p = S((nd + 1.0) - m);
    const S log_term = S(log_coefficient + nd * log_step + log(log_ratio) +
                         log_expm1_ratio(S(p * log_ratio)));
    if (n == 0) first = log_term;
    const S term = exp(S(log_term - first));
    sum = n % 2 == 0 ? S(sum + term) : S(sum - term);
    if (nd > value_of(k) && value_of(term) <= 1e-17 * std::abs(value_of(sum))) {
      return S(-k * log(d) + (1.0 - m) * log(w1) + first + log(sum));
    }
  }
  return S(std::nan(""));
}

// log A0 = log((r+s+x) ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ); −inf when t_x = T. With g the
// smaller of α, β and h the larger, the 2F1 form term(t_x) − term(T) converges slowly where g + t
// is small beside h − g; up to w = g + τ = q·(h − g) the binomial series of log_near_integral
// takes over, and the 2F1 form covers the rest, where its argument is at most 1/(1 + q).
template <class S>
S log_a0(const S& r, const S& alpha, const S& s, const S& beta, double x, double t_x, double T) {
  using std::log;
  if (t_x >= T) return S(-HUGE_VAL);
  const bool alpha_far = value_of(alpha) >= value_of(beta);
  const S& near = alpha_far ? beta : alpha;
  const S gap = alpha_far ? S(alpha - beta) : S(beta - alpha);
  const S m = alpha_far ? S(s + 1.0) : S(r + x);
  const S k = alpha_far ? S(r + x) : S(s + 1.0);
  // A smaller q where k is large keeps the alternating series free of cancellation.
  const double split = std::min(0.25, 1.0 / value_of(k)) * value_of(gap) - value_of(near);
  S out(-HUGE_VAL);
  if (t_x < split) {
    const S w1 = S(near + t_x);
    const S w2 = S(near + std::min(T, split));
    out = S(log(S(r + s + x)) + log_near_integral(m, k, gap, w1, w2));
  }
  if (T > split) {
    const double from = std::max(t_x, split);
    const S rest = log_sub_exp(log_a0_term(r, alpha, s, beta, x, from),
                               log_a0_term(r, alpha, s, beta, x, T));
    out = std::isfinite(value_of(out)) ? log_add_exp(out, rest) : rest;
  }
  return out;
}

// (1 − e^(−k·L)) / k, and its limit L at k = 0.
double power_gap(double k, double log_ratio) {
  if (std::abs(k) < 1e-12) return log_ratio;
  return -std::expm1(-k * log_ratio) / k;
}

class ParetoNbd final : public BtydModel {
 public:
  std::string_view name() const override { return "pareto_nbd"; }
  std::string_view title() const override { return "Pareto/NBD"; }
  std::array<std::string_view, 4> parameter_names() const override {
    return {"r", "alpha", "s", "beta"};
  }

  double log_likelihood(const BtydParams& lp, const RfGroups& g,
                        std::span<double, 4> gradient) const override {
    using std::exp;
    using std::log;
    const D log_r = dual_variable<4>(lp[0], 0), log_alpha = dual_variable<4>(lp[1], 1);
    const D log_s = dual_variable<4>(lp[2], 2), log_beta = dual_variable<4>(lp[3], 3);
    const D r = exp(log_r), alpha = exp(log_alpha), s = exp(log_s), beta = exp(log_beta);
    std::vector<D> head(static_cast<std::size_t>(g.max_x) + 1);
    const D base = D(r * log_alpha + s * log_beta - log_gamma(r));
    for (std::size_t x = 0; x < head.size(); ++x) {
      head[x] = D(base + log_gamma(D(r + static_cast<double>(x))));
    }
    const auto term = [&](std::size_t i) {
      const double x = g.x[i], T = g.T[i];
      const D alive = D(-(r + x) * log(D(alpha + T)) - s * log(D(beta + T)));
      const D a0 = log_a0(r, alpha, s, beta, x, g.t_x[i], T);
      const auto xi = static_cast<std::size_t>(x);
      if (!std::isfinite(a0.value())) return D(head[xi] + alive);
      return D(head[xi] + log_add_exp(alive, D(log_s - log(D(r + s + x)) + a0)));
    };
    return btyd::sum_log_likelihood<4>(g.size(), g.weight, term, gradient);
  }

  std::vector<BtydParams> starts(double repeat_rate, double mean_T) const override {
    std::vector<BtydParams> out = {{0, 0, 0, 0}};
    for (double r : {0.25, 1.0}) {
      for (double s : {0.5, 2.0}) {
        out.push_back({std::log(r), std::log(r / repeat_rate), std::log(s), std::log(s * mean_T)});
      }
    }
    return out;
  }

  double p_alive(const BtydParams& p, double x, double t_x, double T) const override {
    const auto [r, alpha, s, beta] = p;
    const double a0 = log_a0(r, alpha, s, beta, x, t_x, T);
    if (!std::isfinite(a0)) return 1;
    const double u = std::log(s) - std::log(r + s + x) + (r + x) * std::log(alpha + T) +
                     s * std::log(beta + T) + a0;
    return 1 / (1 + std::exp(u));
  }

  double expected_conditional(const BtydParams& p, double t, double x, double t_x,
                              double T) const override {
    if (t <= 0) return 0;
    const auto [r, alpha, s, beta] = p;
    return (r + x) * (beta + T) / (alpha + T) * power_gap(s - 1, std::log1p(t / (beta + T))) *
           p_alive(p, x, t_x, T);
  }

  double expected_new(const BtydParams& p, double t) const override {
    if (t <= 0) return 0;
    const auto [r, alpha, s, beta] = p;
    return r * beta / alpha * power_gap(s - 1, std::log1p(t / beta));
  }
};

std::unique_ptr<BtydModel> make() { return std::make_unique<ParetoNbd>(); }

}  // namespace

CUSTLENS_REGISTER_BTYD(pareto_nbd, make);

}  // namespace custlens::models
