// K-Means clustering (k-means++ and Lloyd, as scikit-learn runs them), silhouettes over a k sweep,
// and the two-component PCA that plots the clusters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace custlens::models {

/// rows × cols doubles, row-major, not owned (each row is one customer's features).
struct RowMatrix {
  std::span<const double> values;
  std::size_t rows = 0;
  std::size_t cols = 0;
  const double* row(std::size_t i) const { return values.data() + i * cols; }
};

struct KMeansOptions {
  int restarts = 10;         ///< independent k-means++ starts; the least inertia is kept
  std::uint64_t seed = 42;   ///< every random choice derives from it (and from k and the restart)
  int max_iterations = 300;  ///< Lloyd iterations per start
  /// Stop when the centres' squared shift, summed, is <= tolerance × the mean column variance.
  double tolerance = 1e-4;
  /// After Lloyd, move single rows between clusters while that lowers the inertia (Hartigan).
  bool refine = true;
};

/// One clustering: the best of the restarts.
struct KMeansFit {
  int k = 0;
  std::vector<double> centers;       ///< k × cols, row-major
  std::vector<std::int32_t> labels;  ///< per row, 0..k-1
  std::vector<std::int64_t> sizes;   ///< rows per cluster
  double inertia = 0;                ///< Σ squared distance of each row to its centre
  int iterations = 0;                ///< Lloyd iterations of the kept restart
  int restart = 0;                   ///< index of the kept restart
  bool converged = false;            ///< the kept restart stopped before max_iterations
};

/// Fits k clusters. Deterministic for a given seed whatever the thread count: restarts run in
/// parallel but each is serial, and ties in inertia go to the lower restart index. Throws
/// std::invalid_argument for k < 1 or k > rows.
KMeansFit fit_kmeans(const RowMatrix& x, int k, const KMeansOptions& options);

/// Mean silhouettes (Euclidean) of several labelings of the same rows.
struct SilhouetteScores {
  std::vector<double> mean;   ///< per labeling; NaN when fewer than two clusters are present
  std::size_t rows_used = 0;  ///< rows the means are over
  bool sampled = false;       ///< rows_used < rows: a deterministic sample (seeded) was used
};

/// The exact silhouette, O(rows_used² · cols): each pairwise distance is computed once and
/// shared by all labelings. Above `max_rows` rows, a sample of `max_rows` rows drawn with
/// `seed` (scikit-learn's silhouette_score(sample_size=...) convention). A row alone in its
/// cluster scores 0, as in scikit-learn.
SilhouetteScores silhouette_scores(const RowMatrix& x,
                                   std::span<const std::span<const std::int32_t>> labelings,
                                   std::size_t max_rows, std::uint64_t seed);

/// The first principal components of the columns (centred; SVD, i.e. eigenvectors of the
/// covariance). Each component's sign makes its largest-|loading| entry positive.
struct Pca {
  int components = 0;                            ///< min(2, cols)
  std::vector<double> explained_variance_ratio;  ///< per component
  std::vector<double> loadings;                  ///< components × cols, row-major
  std::vector<double> points;                    ///< rows × components, row-major
};
Pca pca_top2(const RowMatrix& x);

}  // namespace custlens::models
