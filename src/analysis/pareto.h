// Pareto concentration of revenue over customers: the 80 % point, the top-20 % share, the curve.
#pragma once

#include <span>

#include "custlens/rfm.h"

namespace custlens::analysis {

/// Concentration of `monetary` (one value per customer, in customer-table order, i.e. by
/// customer_id, so that a lower index wins ties). Customers are ranked by monetary descending;
/// `total` is the revenue the shares divide by; top_two_tiers_revenue_share is the revenue share
/// of segments[0] and segments[1] (the scheme's first two in output order). A total of 0 or less
/// gives shares of 0.
ParetoSummary compute_pareto(std::span<const double> monetary,
                             std::span<const SegmentSummary> segments, double total);

}  // namespace custlens::analysis
