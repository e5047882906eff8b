// Tail probabilities and quantiles of the t, normal, F and chi-squared distributions (Boost.Math),
// returning NaN for NaN arguments instead of throwing.
#pragma once

namespace custlens::common {

/// P(|T| > |t|) for Student's t with `df` degrees of freedom.
double t_two_sided_p(double t, double df);
/// The `probability` quantile of Student's t with `df` degrees of freedom.
double t_quantile(double probability, double df);
/// P(|Z| > |z|) for the standard normal.
double normal_two_sided_p(double z);
/// The `probability` quantile of the standard normal.
double normal_quantile(double probability);
/// P(F > f) for Fisher's F with (df1, df2) degrees of freedom.
double f_upper_p(double f, double df1, double df2);
/// P(X > x) for chi-squared with `df` degrees of freedom.
double chi_squared_upper_p(double x, double df);

}  // namespace custlens::common
