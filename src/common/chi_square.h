// Pearson's chi-square test of independence on a contingency table of counts.
#pragma once

#include <cstdint>
#include <span>

namespace custlens::common {

/// The test's numbers, as scipy.stats.chi2_contingency(table, correction=False) gives them, plus
/// the effect size and the small-expected-count diagnostics a reader needs to trust the p-value.
struct ChiSquareTest {
  double statistic = 0;     ///< Σ (O − E)² / E
  std::int64_t dof = 0;     ///< (rows − 1)(columns − 1), rows and columns without empty ones
  double p_value = 1;       ///< upper tail of χ²(dof); 1 when dof = 0
  double cramers_v = 0;     ///< √(χ² / (n · (min(rows, columns) − 1))); 0 when that is 0
  double min_expected = 0;  ///< the smallest E over the cells
  std::int64_t cells_below_5 = 0;  ///< cells with E < 5
  std::int64_t cells = 0;          ///< rows × columns after dropping empty ones
  std::int64_t total = 0;          ///< n
  std::int64_t rows = 0, columns = 0;
};

/// Tests a rows × columns table of counts (row-major). Rows and columns whose total is 0 are
/// dropped first (scipy refuses them; pandas' crosstab never makes them). Expected counts are
/// computed as row total × column total / n, without continuity correction.
ChiSquareTest chi_square_independence(std::span<const std::int64_t> counts, std::size_t rows,
                                      std::size_t columns);

}  // namespace custlens::common
