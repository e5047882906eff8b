// K-Means, silhouettes and PCA: separated blobs are recovered, hand-computed silhouettes, the
// PCA sign convention, and the same result for the same seed whatever the thread count.
#include "models/kmeans.h"

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <cmath>
#include <random>
#include <set>
#include <vector>

namespace custlens::models {
namespace {

// Points around `centers` (2-D), `per_blob` each, with uniform noise of half-width `spread`;
// blob b owns rows [b · per_blob, (b + 1) · per_blob).
std::vector<double> blobs(const std::vector<std::pair<double, double>>& centers,
                          std::size_t per_blob, double spread, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto noise = [&] { return (static_cast<double>(rng() >> 11) * 0x1.0p-53 * 2 - 1) * spread; };
  std::vector<double> values;
  for (const auto& [x, y] : centers) {
    for (std::size_t i = 0; i < per_blob; ++i) {
      values.push_back(x + noise());
      values.push_back(y + noise());
    }
  }
  return values;
}

TEST(KMeansTest, RecoversSeparatedBlobs) {
  const std::vector<double> values = blobs({{0, 0}, {10, 0}, {0, 10}, {10, 10}}, 50, 1.0, 7);
  const RowMatrix x{values, 200, 2};
  const KMeansFit fit = fit_kmeans(x, 4, KMeansOptions{});
  std::set<std::int32_t> labels_seen;
  for (std::size_t blob = 0; blob < 4; ++blob) {
    const std::int32_t label = fit.labels[blob * 50];
    for (std::size_t i = blob * 50; i < (blob + 1) * 50; ++i) {
      ASSERT_EQ(fit.labels[i], label) << "row " << i << " left its blob";
    }
    labels_seen.insert(label);
    EXPECT_EQ(fit.sizes[static_cast<std::size_t>(label)], 50);
  }
  EXPECT_EQ(labels_seen.size(), 4u);
  // Uniform noise on [-1, 1]² has variance 2/3 per point: inertia ≈ 200 · 2/3.
  EXPECT_NEAR(fit.inertia, 200.0 * 2.0 / 3.0, 25.0);
  EXPECT_TRUE(fit.converged);
}

TEST(KMeansTest, CentresAreMeansAndInertiaIsTheirSquaredDistances) {
  const std::vector<double> values = blobs({{0, 0}, {3, 1}, {1, 4}}, 40, 2.0, 11);
  const RowMatrix x{values, 120, 2};
  const KMeansFit fit = fit_kmeans(x, 3, KMeansOptions{});
  std::vector<double> sums(6, 0.0);
  double inertia = 0;
  for (std::size_t i = 0; i < 120; ++i) {
    const auto c = static_cast<std::size_t>(fit.labels[i]);
    sums[c * 2] += values[i * 2];
    sums[c * 2 + 1] += values[i * 2 + 1];
    // Each row is nearest to its own centre (a Lloyd fixed point).
    double own = 0;
    std::vector<double> distance(3, 0.0);
    for (std::size_t k = 0; k < 3; ++k) {
      for (std::size_t j = 0; j < 2; ++j) {
        const double d = values[i * 2 + j] - fit.centers[k * 2 + j];
        distance[k] += d * d;
      }
    }
    own = distance[c];
    for (double d : distance) EXPECT_LE(own, d + 1e-12);
    inertia += own;
  }
  for (std::size_t c = 0; c < 3; ++c) {
    for (std::size_t j = 0; j < 2; ++j) {
      EXPECT_NEAR(fit.centers[c * 2 + j], sums[c * 2 + j] / static_cast<double>(fit.sizes[c]),
                  1e-9);
    }
  }
  EXPECT_NEAR(fit.inertia, inertia, 1e-9 * inertia);
}

TEST(KMeansTest, SameSeedSameResultWhateverTheThreadCount) {
  const std::vector<double> values = blobs({{0, 0}, {2, 1}, {1, 3}, {4, 4}}, 100, 2.5, 3);
  const RowMatrix x{values, 400, 2};
  KMeansOptions options;
  options.seed = 123;
  KMeansFit one_thread;
  {
    tbb::task_arena arena(1);
    arena.execute([&] { one_thread = fit_kmeans(x, 5, options); });
  }
  KMeansFit many_threads;
  {
    tbb::task_arena arena(4);
    arena.execute([&] { many_threads = fit_kmeans(x, 5, options); });
  }
  EXPECT_EQ(one_thread.labels, many_threads.labels);
  EXPECT_EQ(one_thread.centers, many_threads.centers);
  EXPECT_EQ(one_thread.inertia, many_threads.inertia);
  EXPECT_EQ(one_thread.restart, many_threads.restart);
  // Another seed explores other starts; the labels may differ, the inertia stays close.
  options.seed = 124;
  const KMeansFit other = fit_kmeans(x, 5, options);
  EXPECT_NEAR(other.inertia, one_thread.inertia, 0.05 * one_thread.inertia);
}

TEST(KMeansTest, RejectsImpossibleK) {
  const std::vector<double> values = {0, 1, 2};
  const RowMatrix x{values, 3, 1};
  EXPECT_THROW(fit_kmeans(x, 4, KMeansOptions{}), std::invalid_argument);
  EXPECT_THROW(fit_kmeans(x, 0, KMeansOptions{}), std::invalid_argument);
  // k = n: every row its own centre.
  EXPECT_EQ(fit_kmeans(x, 3, KMeansOptions{}).inertia, 0.0);
}

TEST(SilhouetteTest, HandComputedOnALine) {
  // 0, 1 | 4, 5: a = 1 for all; b = 4.5, 3.5, 3.5, 4.5; s = 7/9, 5/7, 5/7, 7/9.
  const std::vector<double> values = {0, 1, 4, 5};
  const RowMatrix x{values, 4, 1};
  const std::vector<std::int32_t> labels = {0, 0, 1, 1};
  const std::vector<std::span<const std::int32_t>> labelings = {labels};
  const SilhouetteScores scores = silhouette_scores(x, labelings, 0, 1);
  ASSERT_EQ(scores.mean.size(), 1u);
  EXPECT_NEAR(scores.mean[0], (7.0 / 9.0 + 5.0 / 7.0) / 2.0, 1e-15);
  EXPECT_EQ(scores.rows_used, 4u);
  EXPECT_FALSE(scores.sampled);

  // 0, 1 | 10: the lone row scores 0; s = 9/10 and 8/9 for the others.
  const std::vector<double> values2 = {0, 1, 10};
  const RowMatrix x2{values2, 3, 1};
  const std::vector<std::int32_t> labels2 = {0, 0, 1};
  const std::vector<std::span<const std::int32_t>> labelings2 = {labels2};
  EXPECT_NEAR(silhouette_scores(x2, labelings2, 0, 1).mean[0], (0.9 + 8.0 / 9.0) / 3.0, 1e-15);
}

TEST(SilhouetteTest, SeveralLabelingsShareOnePassAndASampleIsSeeded) {
  const std::vector<double> values = blobs({{0, 0}, {6, 0}}, 60, 1.0, 5);
  const RowMatrix x{values, 120, 2};
  std::vector<std::int32_t> right(120), wrong(120);
  for (std::size_t i = 0; i < 120; ++i) {
    right[i] = i < 60 ? 0 : 1;
    wrong[i] = static_cast<std::int32_t>(i % 2);
  }
  const std::vector<std::span<const std::int32_t>> both = {right, wrong};
  const SilhouetteScores full = silhouette_scores(x, both, 0, 1);
  EXPECT_GT(full.mean[0], 0.6);
  EXPECT_LT(std::fabs(full.mean[1]), 0.1);
  const std::vector<std::span<const std::int32_t>> only_right = {right};
  EXPECT_EQ(silhouette_scores(x, only_right, 0, 1).mean[0], full.mean[0]);

  const SilhouetteScores sample = silhouette_scores(x, both, 50, 9);
  EXPECT_TRUE(sample.sampled);
  EXPECT_EQ(sample.rows_used, 50u);
  EXPECT_GT(sample.mean[0], 0.6);
  EXPECT_EQ(silhouette_scores(x, both, 50, 9).mean, sample.mean);
}

TEST(PcaTest, SignMakesTheLargestLoadingPositive) {
  // Points along (1, −2) with a little spread across: the first component is ±(1, −2)/√5 and its
  // largest entry (−2) must come out positive: (−1, 2)/√5.
  std::vector<double> values;
  for (int i = -10; i <= 10; ++i) {
    const double t = i, across = (i % 2 == 0 ? 0.1 : -0.1);
    values.push_back(t * 1 + across * 2);
    values.push_back(t * -2 + across * 1);
  }
  const RowMatrix x{values, values.size() / 2, 2};
  const Pca pca = pca_top2(x);
  ASSERT_EQ(pca.components, 2);
  EXPECT_NEAR(pca.loadings[0], -1 / std::sqrt(5.0), 1e-9);
  EXPECT_NEAR(pca.loadings[1], 2 / std::sqrt(5.0), 1e-9);
  EXPECT_GT(pca.explained_variance_ratio[0], 0.99);
  EXPECT_NEAR(pca.explained_variance_ratio[0] + pca.explained_variance_ratio[1], 1.0, 1e-12);
  // Second component ⟂ first, its largest |entry| positive too: (2, 1)/√5.
  EXPECT_NEAR(pca.loadings[2], 2 / std::sqrt(5.0), 1e-9);
  EXPECT_NEAR(pca.loadings[3], 1 / std::sqrt(5.0), 1e-9);
  // Coordinates are the centred rows times the loadings (the mean is 0 here).
  EXPECT_NEAR(pca.points[0], values[0] * pca.loadings[0] + values[1] * pca.loadings[1], 1e-9);
}

}  // namespace
}  // namespace custlens::models
