// The largest number custlens takes as a quantity, price, amount or customer measure.
#pragma once

#include <cmath>

namespace custlens::common {

/// 1e15, a thousand trillion: no real order line or customer comes near it, and sums and sums of
/// squares of any number of values within it stay finite (1e30 per square), so no total, mean,
/// variance or share computed from accepted values can overflow to inf or become NaN.
inline constexpr double kMaxMagnitude = 1e15;

/// |value| <= kMaxMagnitude (false for NaN and inf).
inline bool within_magnitude(double value) { return std::fabs(value) <= kMaxMagnitude; }

}  // namespace custlens::common
