// The R x F score grid: customers and mean monetary per (r_score, f_score) cell.
#pragma once

#include <span>
#include <vector>

#include "custlens/rfm.h"

namespace custlens::analysis {

/// All 25 cells, r_score 1-5 then f_score 1-5, empty cells with 0 customers and mean 0. Means
/// use the compensated sum of the segments' revenue, in customer-table order.
std::vector<RfCell> compute_rf_grid(std::span<const CustomerRfm> customers);

}  // namespace custlens::analysis
