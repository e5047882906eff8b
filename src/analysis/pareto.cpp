// Pareto summary: customers ranked by revenue, cumulative shares and the concentration curves.
#include "analysis/pareto.h"

#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

namespace custlens::analysis {
namespace {

constexpr double kParetoRevenueShare = 0.8;
constexpr std::size_t kCurvePoints = 100;
constexpr std::size_t kParallelSortMin = 1 << 15;

}  // namespace

ParetoSummary compute_pareto(std::span<const double> monetary,
                             std::span<const SegmentSummary> segments, double total) {
  ParetoSummary pareto;
  const std::size_t n = monetary.size();
  if (n == 0 || !(total > 0)) return pareto;

  std::vector<std::uint32_t> ranked(n);
  std::iota(ranked.begin(), ranked.end(), 0u);
  auto richer = [&](std::uint32_t a, std::uint32_t b) {
    return monetary[a] != monetary[b] ? monetary[a] > monetary[b] : a < b;
  };
  if (n >= kParallelSortMin) {
    tbb::parallel_sort(ranked.begin(), ranked.end(), richer);
  } else {
    std::sort(ranked.begin(), ranked.end(), richer);
  }
  // cumulative[k] = revenue of the top k customers, summed in rank order like numpy's cumsum.
  std::vector<double> cumulative(n + 1, 0.0);
  for (std::size_t k = 0; k < n; ++k) cumulative[k + 1] = cumulative[k] + monetary[ranked[k]];

  const double target = kParetoRevenueShare * total;
  auto reached = std::find_if(cumulative.begin() + 1, cumulative.end(),
                              [&](double revenue) { return revenue >= target; });
  // Only a total above the sum of monetary can leave the target unreached: then all customers.
  std::size_t k80 =
      reached == cumulative.end() ? n : static_cast<std::size_t>(reached - cumulative.begin());
  pareto.customer_share_for_80pct_revenue = static_cast<double>(k80) / static_cast<double>(n);

  const std::size_t top20 = (n + 4) / 5;  // ceil(0.2 n)
  pareto.top20pct_revenue_share = cumulative[top20] / total;

  double top_two = 0;
  for (std::size_t s = 0; s < std::min<std::size_t>(2, segments.size()); ++s) {
    top_two += segments[s].revenue;
  }
  pareto.top_two_tiers_revenue_share = top_two / total;

  pareto.curve.reserve(kCurvePoints);
  for (std::size_t point = 1; point <= kCurvePoints; ++point) {
    std::size_t customers = (point * n + kCurvePoints - 1) / kCurvePoints;
    pareto.curve.emplace_back(static_cast<double>(point) / kCurvePoints,
                              cumulative[customers] / total);
  }

  pareto.concentration.reserve(kCurvePoints + 1);
  pareto.concentration.emplace_back(0.0, 0.0);
  std::size_t last = 0;
  for (std::size_t point = 1; point <= kCurvePoints; ++point) {
    std::size_t customers = (point * n + kCurvePoints - 1) / kCurvePoints;
    if (customers == last) continue;  // n < 100: several points land on one customer count
    last = customers;
    pareto.concentration.emplace_back(static_cast<double>(customers) / static_cast<double>(n),
                                      cumulative[customers] / total);
  }
  return pareto;
}

}  // namespace custlens::analysis
