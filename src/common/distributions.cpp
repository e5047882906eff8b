// Boost.Math distributions behind the statistics of the models (p-values, intervals).
#include "common/distributions.h"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace custlens::common {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool usable_df(double df) { return std::isfinite(df) && df > 0; }

}  // namespace

double t_two_sided_p(double t, double df) {
  if (std::isnan(t) || !usable_df(df)) return kNaN;
  if (std::isinf(t)) return 0.0;
  const boost::math::students_t dist(df);
  return 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)));
}

double t_quantile(double probability, double df) {
  if (!(probability > 0 && probability < 1) || !usable_df(df)) return kNaN;
  return boost::math::quantile(boost::math::students_t(df), probability);
}

double normal_two_sided_p(double z) {
  if (std::isnan(z)) return kNaN;
  if (std::isinf(z)) return 0.0;
  return 2.0 * boost::math::cdf(boost::math::complement(boost::math::normal(), std::fabs(z)));
}

double normal_quantile(double probability) {
  if (!(probability > 0 && probability < 1)) return kNaN;
  return boost::math::quantile(boost::math::normal(), probability);
}

double f_upper_p(double f, double df1, double df2) {
  if (std::isnan(f) || !usable_df(df1) || !usable_df(df2)) return kNaN;
  if (std::isinf(f)) return 0.0;
  if (f <= 0) return 1.0;
  return boost::math::cdf(boost::math::complement(boost::math::fisher_f(df1, df2), f));
}

double chi_squared_upper_p(double x, double df) {
  if (std::isnan(x) || !usable_df(df)) return kNaN;
  if (std::isinf(x)) return 0.0;
  if (x <= 0) return 1.0;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), x));
}

}  // namespace custlens::common
