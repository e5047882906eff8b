// What BG/NBD and MBG/NBD share: the starting points of their fits and the Euler-transformed
// bracket of their expectations.
#pragma once

#include <cmath>
#include <vector>

#include "models/btyd.h"

namespace custlens::models::btyd {

/// (a − 1) in a denominator: a = 1 exactly is the removable singularity of the expectations.
inline double away_from_one(double a) { return std::abs(a - 1) < 1e-9 ? 1 + 1e-9 : a; }

/// 1 − (1 − z)^(a−1)·g, split so that neither part cancels: the first term by expm1.
inline double transformed_bracket(double a, double z, double g) {
  return -std::expm1((a - 1) * std::log1p(-z)) + std::pow(1 - z, a - 1) * (1 - g);
}

/// Log-parameter starts (r, alpha, a, b): all ones, and r in {0.25, 1}, a in {0.5, 2} with
/// alpha = r / repeat_rate and b = 3a.
inline std::vector<BtydParams> beta_geometric_starts(double repeat_rate) {
  std::vector<BtydParams> out = {{0, 0, 0, 0}};
  for (double r : {0.25, 1.0}) {
    for (double a : {0.5, 2.0}) {
      out.push_back({std::log(r), std::log(r / repeat_rate), std::log(a), std::log(3 * a)});
    }
  }
  return out;
}

}  // namespace custlens::models::btyd
