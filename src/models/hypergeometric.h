// Gauss's hypergeometric function 2F1 by its power series, for the buy-till-you-die models: the
// Pareto/NBD likelihood and P(alive), and the BG/NBD and MBG/NBD expectations. Callers apply
// Euler's transformation first, so that the series they sum has small, x-free numerator
// parameters and converges fast (docs/clv.md).
#pragma once

#include <cmath>
#include <cstdint>

#include "models/autodiff.h"

namespace custlens::models {

/// Terms summed at most: at z <= 1 − 1e-6 the terms of the series callers use are far below
/// double precision long before.
inline constexpr std::int64_t kMaxHypergeometricTerms = 1'000'000;

/// 2F1(a, b; c; z) = Σ_j (a)_j (b)_j / ((c)_j j!) z^j for 0 <= z < 1 and c > 0; S is double or a
/// Dual. Stops when a term is below 1e-16 of the sum; NaN when it does not converge.
template <class S, class Z>
S hyp2f1(const S& a, const S& b, const S& c, const Z& z) {
  S term(1.0);
  S sum(1.0);
  for (std::int64_t j = 0; j < kMaxHypergeometricTerms; ++j) {
    const double jd = static_cast<double>(j);
    term = S(term * (a + jd) * (b + jd) / ((c + jd) * (jd + 1.0)) * z);
    sum = S(sum + term);
    if (std::abs(value_of(term)) <= 1e-16 * std::abs(value_of(sum))) return sum;
  }
  return S(std::nan(""));
}

}  // namespace custlens::models
