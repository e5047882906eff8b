// K-Means (greedy k-means++ seeding and Lloyd iterations, scikit-learn 1.2's algorithm), the
// silhouette of several labelings at once, and the top-two PCA.
#include "models/kmeans.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>

namespace custlens::models {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// splitmix64: spreads (seed, k, restart) into well-mixed, independent mt19937_64 seeds.
std::uint64_t mix(std::uint64_t value) {
  value += 0x9E3779B97F4A7C15ull;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ull;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBull;
  return value ^ (value >> 31);
}

// Uniform in [0, 1) from the top 53 bits: the same on every standard library, unlike
// std::uniform_real_distribution.
double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

std::size_t uniform_index(std::mt19937_64& rng, std::size_t n) {
  return std::min(n - 1, static_cast<std::size_t>(uniform(rng) * static_cast<double>(n)));
}

double squared_distance(const double* a, const double* b, std::size_t cols) {
  double sum = 0;
  for (std::size_t j = 0; j < cols; ++j) {
    const double d = a[j] - b[j];
    sum += d * d;
  }
  return sum;
}

// Index of the nearest centre (the lowest index on ties) and its squared distance.
std::pair<std::int32_t, double> nearest(const double* point, const std::vector<double>& centers,
                                        int k, std::size_t cols) {
  std::int32_t best = 0;
  double best_distance = squared_distance(point, centers.data(), cols);
  for (int c = 1; c < k; ++c) {
    const double d =
        squared_distance(point, centers.data() + static_cast<std::size_t>(c) * cols, cols);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return {best, best_distance};
}

// Greedy k-means++: each new centre is the best of 2 + floor(ln k) candidates drawn with
// probability proportional to the squared distance to the nearest centre so far.
std::vector<double> kmeans_plus_plus(const RowMatrix& x, int k, std::mt19937_64& rng) {
  const std::size_t n = x.rows, cols = x.cols;
  const int trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
  std::vector<double> centers(static_cast<std::size_t>(k) * cols);
  const std::size_t first = uniform_index(rng, n);
  std::copy_n(x.row(first), cols, centers.begin());

  std::vector<double> closest(n), cumulative(n), candidate(n), best_candidate(n);
  double potential = 0;
  for (std::size_t i = 0; i < n; ++i) {
    closest[i] = squared_distance(x.row(i), x.row(first), cols);
    potential += closest[i];
  }
  for (int c = 1; c < k; ++c) {
    std::partial_sum(closest.begin(), closest.end(), cumulative.begin());
    double best_potential = std::numeric_limits<double>::infinity();
    std::size_t best_id = 0;
    for (int t = 0; t < trials; ++t) {
      const double target = uniform(rng) * potential;
      // numpy's searchsorted (side='left'): the first cumulative sum >= target.
      std::size_t id = static_cast<std::size_t>(
          std::lower_bound(cumulative.begin(), cumulative.end(), target) - cumulative.begin());
      id = std::min(id, n - 1);
      double candidate_potential = 0;
      for (std::size_t i = 0; i < n; ++i) {
        candidate[i] = std::min(closest[i], squared_distance(x.row(i), x.row(id), cols));
        candidate_potential += candidate[i];
      }
      if (candidate_potential < best_potential) {
        best_potential = candidate_potential;
        best_id = id;
        best_candidate.swap(candidate);
      }
    }
    potential = best_potential;
    closest.swap(best_candidate);
    std::copy_n(x.row(best_id), cols, centers.begin() + static_cast<std::ptrdiff_t>(c * cols));
  }
  return centers;
}

struct LloydState {
  std::vector<double> centers;
  std::vector<std::int32_t> labels;
  int iterations = 0;
  bool converged = false;
};

// Assigns every row to its nearest centre; returns whether any label changed.
bool assign(const RowMatrix& x, const std::vector<double>& centers, int k,
            std::vector<std::int32_t>& labels, std::vector<double>* distances) {
  bool changed = false;
  for (std::size_t i = 0; i < x.rows; ++i) {
    const auto [label, distance] = nearest(x.row(i), centers, k, x.cols);
    changed |= labels[i] != label;
    labels[i] = label;
    if (distances != nullptr) (*distances)[i] = distance;
  }
  return changed;
}

// New centres as the means of their rows. A cluster left empty takes the row farthest from its
// own centre (scikit-learn's relocation; farthest first, lower index on ties).
std::vector<double> update_centers(const RowMatrix& x, const std::vector<double>& centers, int k,
                                   std::vector<std::int32_t>& labels,
                                   const std::vector<double>& distances) {
  const std::size_t cols = x.cols;
  std::vector<double> sums(static_cast<std::size_t>(k) * cols, 0.0);
  std::vector<std::int64_t> counts(static_cast<std::size_t>(k), 0);
  for (std::size_t i = 0; i < x.rows; ++i) {
    const auto label = static_cast<std::size_t>(labels[i]);
    ++counts[label];
    const double* row = x.row(i);
    for (std::size_t j = 0; j < cols; ++j) sums[label * cols + j] += row[j];
  }
  std::vector<std::size_t> empty;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] == 0) empty.push_back(c);
  }
  if (!empty.empty()) {
    std::vector<std::size_t> order(x.rows);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(empty.size()),
                      order.end(), [&](std::size_t a, std::size_t b) {
                        return distances[a] != distances[b] ? distances[a] > distances[b] : a < b;
                      });
    for (std::size_t e = 0; e < empty.size(); ++e) {
      const std::size_t far = order[e];
      const auto from = static_cast<std::size_t>(labels[far]);
      const std::size_t to = empty[e];
      const double* row = x.row(far);
      for (std::size_t j = 0; j < cols; ++j) {
        sums[from * cols + j] -= row[j];
        sums[to * cols + j] = row[j];
      }
      --counts[from];
      counts[to] = 1;
      labels[far] = static_cast<std::int32_t>(to);
    }
  }
  std::vector<double> updated(centers.size());
  for (std::size_t c = 0; c < counts.size(); ++c) {
    for (std::size_t j = 0; j < cols; ++j) {
      // A cluster emptied by a relocation keeps its centre, as scikit-learn's does.
      updated[c * cols + j] = counts[c] > 0 ? sums[c * cols + j] / static_cast<double>(counts[c])
                                            : centers[c * cols + j];
    }
  }
  return updated;
}

LloydState run_lloyd(const RowMatrix& x, int k, std::vector<double> centers,
                     const KMeansOptions& options, double tolerance) {
  LloydState state;
  state.labels.assign(x.rows, -1);
  std::vector<double> distances(x.rows);
  bool strict = false;
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    const bool changed = assign(x, centers, k, state.labels, &distances);
    std::vector<double> updated = update_centers(x, centers, k, state.labels, distances);
    double shift = 0;
    for (std::size_t i = 0; i < centers.size(); ++i) {
      const double d = updated[i] - centers[i];
      shift += d * d;
    }
    centers.swap(updated);
    state.iterations = iteration + 1;
    if (!changed) {
      strict = true;
      state.converged = true;
      break;
    }
    if (shift <= tolerance) {
      state.converged = true;
      break;
    }
  }
  // The labels must belong to the final centres, as in scikit-learn's last E-step.
  if (!strict) assign(x, centers, k, state.labels, nullptr);
  state.centers = std::move(centers);
  return state;
}

// Hartigan's single-row moves from a Lloyd fixed point: row i leaves cluster a for b when
// n_a/(n_a-1)·|x-c_a|² > n_b/(n_b+1)·|x-c_b|², which lowers the inertia by the difference.
// Every partition stable under these moves is also a Lloyd fixed point, usually a better one.
void refine_hartigan(const RowMatrix& x, int k, LloydState& state) {
  const std::size_t cols = x.cols;
  const auto clusters = static_cast<std::size_t>(k);
  std::vector<double> sums(clusters * cols, 0.0), centers(clusters * cols);
  std::vector<std::int64_t> counts(clusters, 0);
  for (std::size_t i = 0; i < x.rows; ++i) {
    const auto label = static_cast<std::size_t>(state.labels[i]);
    ++counts[label];
    for (std::size_t j = 0; j < cols; ++j) sums[label * cols + j] += x.row(i)[j];
  }
  auto refresh = [&](std::size_t c) {
    for (std::size_t j = 0; j < cols; ++j) {
      centers[c * cols + j] = counts[c] > 0 ? sums[c * cols + j] / static_cast<double>(counts[c])
                                            : state.centers[c * cols + j];
    }
  };
  for (std::size_t c = 0; c < clusters; ++c) refresh(c);
  constexpr int kMaxPasses = 100;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    bool moved = false;
    for (std::size_t i = 0; i < x.rows; ++i) {
      const double* row = x.row(i);
      const auto from = static_cast<std::size_t>(state.labels[i]);
      if (counts[from] <= 1) continue;
      const double n_from = static_cast<double>(counts[from]);
      const double leave =
          n_from / (n_from - 1) * squared_distance(row, &centers[from * cols], cols);
      double best = leave;
      std::size_t to = from;
      for (std::size_t c = 0; c < clusters; ++c) {
        if (c == from) continue;
        const double n_to = static_cast<double>(counts[c]);
        const double join = n_to / (n_to + 1) * squared_distance(row, &centers[c * cols], cols);
        if (join < best) {
          best = join;
          to = c;
        }
      }
      // A relative margin keeps rounding noise from moving a row back and forth.
      if (to == from || best >= leave * (1 - 1e-12)) continue;
      for (std::size_t j = 0; j < cols; ++j) {
        sums[from * cols + j] -= row[j];
        sums[to * cols + j] += row[j];
      }
      --counts[from];
      ++counts[to];
      state.labels[i] = static_cast<std::int32_t>(to);
      refresh(from);
      refresh(to);
      moved = true;
    }
    if (!moved) break;
  }
  // Means recomputed from scratch, so that running sums leave no drift in the centres.
  std::fill(sums.begin(), sums.end(), 0.0);
  for (std::size_t i = 0; i < x.rows; ++i) {
    const auto label = static_cast<std::size_t>(state.labels[i]);
    for (std::size_t j = 0; j < cols; ++j) sums[label * cols + j] += x.row(i)[j];
  }
  for (std::size_t c = 0; c < clusters; ++c) refresh(c);
  state.centers = std::move(centers);
}

double inertia_of(const RowMatrix& x, const std::vector<double>& centers,
                  const std::vector<std::int32_t>& labels) {
  double sum = 0;
  for (std::size_t i = 0; i < x.rows; ++i) {
    sum += squared_distance(x.row(i), centers.data() + static_cast<std::size_t>(labels[i]) * x.cols,
                            x.cols);
  }
  return sum;
}

double mean_column_variance(const RowMatrix& x) {
  if (x.rows == 0 || x.cols == 0) return 0;
  double total = 0;
  for (std::size_t j = 0; j < x.cols; ++j) {
    double mean = 0;
    for (std::size_t i = 0; i < x.rows; ++i) mean += x.row(i)[j];
    mean /= static_cast<double>(x.rows);
    double variance = 0;
    for (std::size_t i = 0; i < x.rows; ++i) {
      const double d = x.row(i)[j] - mean;
      variance += d * d;
    }
    total += variance / static_cast<double>(x.rows);
  }
  return total / static_cast<double>(x.cols);
}

}  // namespace

KMeansFit fit_kmeans(const RowMatrix& x, int k, const KMeansOptions& options) {
  if (k < 1 || static_cast<std::size_t>(k) > x.rows) {
    throw std::invalid_argument("fit_kmeans: k must be between 1 and the number of rows");
  }
  if (options.restarts < 1) throw std::invalid_argument("fit_kmeans: restarts must be >= 1");
  if (x.values.size() != x.rows * x.cols) {
    throw std::invalid_argument("fit_kmeans: values is not rows x cols");
  }
  const double tolerance = options.tolerance * mean_column_variance(x);
  const auto restarts = static_cast<std::size_t>(options.restarts);
  std::vector<LloydState> runs(restarts);
  std::vector<double> inertia(restarts);
  tbb::parallel_for(std::size_t{0}, restarts, [&](std::size_t r) {
    std::mt19937_64 rng(mix(mix(options.seed) ^ mix(static_cast<std::uint64_t>(k) << 32 | r)));
    runs[r] = run_lloyd(x, k, kmeans_plus_plus(x, k, rng), options, tolerance);
    if (options.refine) refine_hartigan(x, k, runs[r]);
    inertia[r] = inertia_of(x, runs[r].centers, runs[r].labels);
  });
  const std::size_t best =
      static_cast<std::size_t>(std::min_element(inertia.begin(), inertia.end()) - inertia.begin());
  KMeansFit fit;
  fit.k = k;
  fit.centers = std::move(runs[best].centers);
  fit.labels = std::move(runs[best].labels);
  fit.inertia = inertia[best];
  fit.iterations = runs[best].iterations;
  fit.restart = static_cast<int>(best);
  fit.converged = runs[best].converged;
  fit.sizes.assign(static_cast<std::size_t>(k), 0);
  for (std::int32_t label : fit.labels) ++fit.sizes[static_cast<std::size_t>(label)];
  return fit;
}

SilhouetteScores silhouette_scores(const RowMatrix& x,
                                   std::span<const std::span<const std::int32_t>> labelings,
                                   std::size_t max_rows, std::uint64_t seed) {
  SilhouetteScores result;
  const std::size_t n = x.rows, cols = x.cols;
  std::vector<std::size_t> rows(n);
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  if (max_rows > 0 && n > max_rows) {
    // A partial Fisher-Yates shuffle with our own uniform draws: the same sample everywhere.
    std::mt19937_64 rng(mix(seed));
    for (std::size_t i = 0; i < max_rows; ++i) {
      std::swap(rows[i], rows[i + uniform_index(rng, n - i)]);
    }
    rows.resize(max_rows);
    std::sort(rows.begin(), rows.end());
    result.sampled = true;
  }
  const std::size_t m = rows.size();
  result.rows_used = m;

  // Per labeling: the sample's labels, cluster sizes within the sample and the cluster count.
  const std::size_t count = labelings.size();
  std::vector<std::vector<std::int32_t>> labels(count, std::vector<std::int32_t>(m));
  std::vector<std::vector<std::int64_t>> sizes(count);
  for (std::size_t l = 0; l < count; ++l) {
    if (labelings[l].size() != n) throw std::invalid_argument("silhouette: labels != rows");
    std::int32_t clusters = 0;
    for (std::size_t i = 0; i < m; ++i) {
      labels[l][i] = labelings[l][rows[i]];
      if (labels[l][i] < 0) throw std::invalid_argument("silhouette: negative label");
      clusters = std::max(clusters, labels[l][i] + 1);
    }
    sizes[l].assign(static_cast<std::size_t>(clusters), 0);
    for (std::int32_t label : labels[l]) ++sizes[l][static_cast<std::size_t>(label)];
  }
  // The sample's rows, contiguous, so the inner loop streams through them.
  std::vector<double> sample(m * cols);
  for (std::size_t i = 0; i < m; ++i) std::copy_n(x.row(rows[i]), cols, &sample[i * cols]);

  std::vector<std::vector<double>> scores(count, std::vector<double>(m, 0.0));
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, m, 64),
                    [&](const tbb::blocked_range<std::size_t>& block) {
                      std::vector<double> distance(m);
                      std::vector<double> sums;
                      for (std::size_t a = block.begin(); a < block.end(); ++a) {
                        const double* point = &sample[a * cols];
                        for (std::size_t b = 0; b < m; ++b) {
                          distance[b] = std::sqrt(squared_distance(point, &sample[b * cols], cols));
                        }
                        for (std::size_t l = 0; l < count; ++l) {
                          const std::vector<std::int64_t>& size = sizes[l];
                          sums.assign(size.size(), 0.0);
                          const std::int32_t* label = labels[l].data();
                          for (std::size_t b = 0; b < m; ++b)
                            sums[static_cast<std::size_t>(label[b])] += distance[b];
                          const auto own = static_cast<std::size_t>(label[a]);
                          if (size[own] <= 1) continue;  // alone in its cluster: 0
                          const double within = sums[own] / static_cast<double>(size[own] - 1);
                          double between = std::numeric_limits<double>::infinity();
                          for (std::size_t c = 0; c < size.size(); ++c) {
                            if (c != own && size[c] > 0) {
                              between = std::min(between, sums[c] / static_cast<double>(size[c]));
                            }
                          }
                          const double scale = std::max(within, between);
                          if (std::isfinite(between) && scale > 0)
                            scores[l][a] = (between - within) / scale;
                        }
                      }
                    });
  result.mean.assign(count, kNaN);
  for (std::size_t l = 0; l < count; ++l) {
    const auto present =
        std::count_if(sizes[l].begin(), sizes[l].end(), [](std::int64_t size) { return size > 0; });
    if (present < 2 || m == 0) continue;
    double sum = 0;
    for (double s : scores[l]) sum += s;
    result.mean[l] = sum / static_cast<double>(m);
  }
  return result;
}

Pca pca_top2(const RowMatrix& x) {
  using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto n = static_cast<Eigen::Index>(x.rows), d = static_cast<Eigen::Index>(x.cols);
  Pca pca;
  if (n < 2 || d < 1) return pca;
  const Eigen::Map<const Matrix> data(x.values.data(), n, d);
  const Eigen::RowVectorXd mean = data.colwise().mean();
  const Matrix centred = data.rowwise() - mean;
  const Eigen::MatrixXd covariance = (centred.transpose() * centred) / static_cast<double>(n - 1);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
  const Eigen::VectorXd& values = solver.eigenvalues();  // ascending
  const double total = values.sum();
  pca.components = static_cast<int>(std::min<Eigen::Index>(2, d));
  const auto components = static_cast<std::size_t>(pca.components);
  Eigen::MatrixXd loadings(d, pca.components);
  for (Eigen::Index c = 0; c < pca.components; ++c) {
    Eigen::VectorXd vector = solver.eigenvectors().col(d - 1 - c);
    Eigen::Index largest = 0;
    for (Eigen::Index j = 1; j < d; ++j) {
      if (std::fabs(vector(j)) > std::fabs(vector(largest))) largest = j;
    }
    if (vector(largest) < 0) vector = -vector;
    loadings.col(c) = vector;
    pca.explained_variance_ratio.push_back(total > 0 ? std::max(0.0, values(d - 1 - c)) / total
                                                     : 0.0);
  }
  pca.loadings.resize(components * x.cols);
  for (std::size_t c = 0; c < components; ++c) {
    for (std::size_t j = 0; j < x.cols; ++j) {
      pca.loadings[c * x.cols + j] =
          loadings(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(c));
    }
  }
  const Eigen::MatrixXd projected = centred * loadings;
  pca.points.resize(x.rows * components);
  for (std::size_t i = 0; i < x.rows; ++i) {
    for (std::size_t c = 0; c < components; ++c) {
      pca.points[i * components + c] =
          projected(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c));
    }
  }
  return pca;
}

}  // namespace custlens::models
