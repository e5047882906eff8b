// Forward-mode derivatives for the likelihoods fitted by maximum likelihood (the buy-till-you-die
// models): Eigen's AutoDiffScalar with a fixed-size gradient, plus the functions it lacks
// (lgamma), and overloads so that one templated formula serves double and the derivative type.
#pragma once

#include <Eigen/Core>
#include <boost/math/special_functions/digamma.hpp>
#include <cmath>
#include <unsupported/Eigen/AutoDiff>

namespace custlens::models {

/// A value with its gradient over N parameters.
template <int N>
using Dual = Eigen::AutoDiffScalar<Eigen::Matrix<double, N, 1>>;

/// The i-th of N independent variables at `value`.
template <int N>
Dual<N> dual_variable(double value, int i) {
  return Dual<N>(value, N, i);
}

inline double value_of(double v) { return v; }
template <int N>
double value_of(const Dual<N>& v) {
  return v.value();
}

inline double log_gamma(double v) { return std::lgamma(v); }
template <int N>
Dual<N> log_gamma(const Dual<N>& v) {
  return Dual<N>(std::lgamma(v.value()), v.derivatives() * boost::math::digamma(v.value()));
}

/// log(1 + e^u) without overflow for large u.
template <class S>
S softplus(const S& u) {
  using std::exp;
  using std::log;
  if (value_of(u) > 0) return S(u + log(1.0 + exp(-u)));
  return S(log(1.0 + exp(u)));
}

/// log(e^u + e^v) without overflow.
template <class S>
S log_add_exp(const S& u, const S& v) {
  if (value_of(u) >= value_of(v)) return S(u + softplus(S(v - u)));
  return S(v + softplus(S(u - v)));
}

/// log(e^u − e^v) for u > v; −inf when u <= v.
template <class S>
S log_sub_exp(const S& u, const S& v) {
  using std::exp;
  using std::log;
  if (value_of(u) <= value_of(v)) return S(-HUGE_VAL);
  return S(u + log(1.0 - exp(S(v - u))));
}

/// log B(a, b).
template <class S>
S log_beta(const S& a, const S& b) {
  return S(log_gamma(a) + log_gamma(b) - log_gamma(S(a + b)));
}

}  // namespace custlens::models
