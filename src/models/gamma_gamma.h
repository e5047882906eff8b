// The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV"): a
// customer's transaction values are gamma(p, ν) with ν ~ gamma(q, v) across customers; fitted on
// the repeat customers' mean repeat value, it gives each customer's expected average value.
#pragma once

#include <span>
#include <vector>

#include "models/mle.h"

namespace custlens::models {

struct GammaGammaFit : MleSummary {
  double p = 0;
  double q = 0;
  double v = 0;
  std::size_t customers = 0;  ///< fitted on: repeat customers with a positive mean value

  /// E[M] of a customer with x repeat transactions of mean value zbar (x > 0, zbar > 0):
  /// p(v + x·zbar) / (p·x + q − 1), a weighted mean of the population mean and zbar.
  double expected_value(double x, double zbar) const;
  /// The population mean spend p·v / (q − 1), for customers without repeat value; NaN when
  /// q <= 1 (the mean does not exist).
  double population_mean() const;
};

/// Fits p, q, v on customers with x[i] > 0 repeat transactions of mean value zbar[i] > 0 (the
/// caller leaves out and reports the others). Throws custlens::Error for fewer than two
/// customers, or values that do not vary (a gamma mixture needs spread).
GammaGammaFit fit_gamma_gamma(std::span<const double> x, std::span<const double> zbar);

}  // namespace custlens::models
