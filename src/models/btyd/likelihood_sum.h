// The parallel, deterministic sum of per-group log-likelihood terms shared by the models of this
// folder: fixed blocks summed in parallel, the block sums added in block order.
#pragma once

#include <tbb/parallel_for.h>

#include <cstddef>
#include <span>
#include <vector>

#include "models/autodiff.h"

namespace custlens::models::btyd {

/// Σ_i weight_i · term(i) over n groups, with its gradient; term(i) returns a Dual<N>.
template <int N, class Term>
double sum_log_likelihood(std::size_t n, std::span<const double> weight, const Term& term,
                          std::span<double, N> gradient) {
  constexpr std::size_t kBlock = 2048;
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<Dual<N>> sums(blocks, Dual<N>(0.0, Eigen::Matrix<double, N, 1>::Zero()));
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t block) {
    Dual<N> sum(0.0, Eigen::Matrix<double, N, 1>::Zero());
    const std::size_t end = std::min(n, (block + 1) * kBlock);
    for (std::size_t i = block * kBlock; i < end; ++i) {
      const Dual<N> value = term(i);
      sum.value() += weight[i] * value.value();
      sum.derivatives() += weight[i] * value.derivatives();
    }
    sums[block] = sum;
  });
  double total = 0;
  Eigen::Matrix<double, N, 1> total_gradient = Eigen::Matrix<double, N, 1>::Zero();
  for (const Dual<N>& sum : sums) {
    total += sum.value();
    total_gradient += sum.derivatives();
  }
  for (int k = 0; k < N; ++k) gradient[k] = total_gradient[k];
  return total;
}

}  // namespace custlens::models::btyd
