// R x F grid: counts and mean monetary of the customers in each score cell.
#include "analysis/rf_grid.h"

#include <array>
#include <stdexcept>

#include "analysis/scoring.h"

namespace custlens::analysis {
namespace {

constexpr int kScores = kMaxScore - kMinScore + 1;

std::size_t cell_index(int r_score, int f_score) {
  return static_cast<std::size_t>((r_score - kMinScore) * kScores + (f_score - kMinScore));
}

}  // namespace

std::vector<RfCell> compute_rf_grid(std::span<const CustomerRfm> customers) {
  std::array<KahanSum, kScores * kScores> monetary{};
  std::array<std::int64_t, kScores * kScores> counts{};
  for (const CustomerRfm& customer : customers) {
    if (customer.r_score < kMinScore || customer.r_score > kMaxScore ||
        customer.f_score < kMinScore || customer.f_score > kMaxScore) {
      throw std::invalid_argument("compute_rf_grid: a score outside 1-5");
    }
    const std::size_t cell = cell_index(customer.r_score, customer.f_score);
    ++counts[cell];
    monetary[cell].add(customer.monetary);
  }
  std::vector<RfCell> grid;
  grid.reserve(counts.size());
  for (int r = kMinScore; r <= kMaxScore; ++r) {
    for (int f = kMinScore; f <= kMaxScore; ++f) {
      const std::size_t cell = cell_index(r, f);
      RfCell& out = grid.emplace_back();
      out.r_score = r;
      out.f_score = f;
      out.customers = counts[cell];
      if (counts[cell] > 0)
        out.mean_monetary = monetary[cell].sum / static_cast<double>(counts[cell]);
    }
  }
  return grid;
}

}  // namespace custlens::analysis
