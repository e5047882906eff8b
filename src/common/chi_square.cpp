// Pearson's chi-square test of independence (statistic, p-value, Cramér's V, expected counts).
#include "common/chi_square.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "common/distributions.h"

namespace custlens::common {

ChiSquareTest chi_square_independence(std::span<const std::int64_t> counts, std::size_t rows,
                                      std::size_t columns) {
  if (counts.size() != rows * columns) {
    throw std::invalid_argument("chi_square_independence: counts is not rows x columns");
  }
  std::vector<std::int64_t> row_total(rows, 0), column_total(columns, 0);
  std::int64_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns; ++c) {
      const std::int64_t count = counts[r * columns + c];
      if (count < 0) throw std::invalid_argument("chi_square_independence: negative count");
      row_total[r] += count;
      column_total[c] += count;
      n += count;
    }
  }
  ChiSquareTest test;
  test.total = n;
  test.rows = std::count_if(row_total.begin(), row_total.end(), [](auto t) { return t > 0; });
  test.columns =
      std::count_if(column_total.begin(), column_total.end(), [](auto t) { return t > 0; });
  test.cells = test.rows * test.columns;
  if (n == 0) return test;

  // Expected counts from integer margins: E = (row total × column total) / n, one rounding.
  const auto total = static_cast<double>(n);
  double statistic = 0;
  double min_expected = std::numeric_limits<double>::infinity();
  for (std::size_t r = 0; r < rows; ++r) {
    if (row_total[r] == 0) continue;
    for (std::size_t c = 0; c < columns; ++c) {
      if (column_total[c] == 0) continue;
      const double expected =
          static_cast<double>(row_total[r]) * static_cast<double>(column_total[c]) / total;
      const double diff = static_cast<double>(counts[r * columns + c]) - expected;
      statistic += diff * diff / expected;
      min_expected = std::min(min_expected, expected);
      test.cells_below_5 += expected < 5.0;
    }
  }
  test.statistic = statistic;
  test.min_expected = min_expected;
  test.dof = (test.rows - 1) * (test.columns - 1);
  test.p_value = test.dof > 0 ? chi_squared_upper_p(statistic, static_cast<double>(test.dof)) : 1.0;
  const std::int64_t smaller = std::min(test.rows, test.columns) - 1;
  test.cramers_v =
      smaller > 0 ? std::sqrt(statistic / (total * static_cast<double>(smaller))) : 0.0;
  return test;
}

}  // namespace custlens::common
