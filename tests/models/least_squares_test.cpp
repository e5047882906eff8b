// The blocked QR against Eigen's one-piece QR, collinearity detection, Gram and leverages.
#include "models/least_squares.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <Eigen/LU>
#include <Eigen/QR>
#include <random>

namespace custlens::models {
namespace {

using ::testing::ElementsAre;

Eigen::MatrixXd random_matrix(Eigen::Index rows, Eigen::Index cols, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j) {
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = normal(rng) * (j + 1) * 10;
  }
  return m;
}

TEST(LeastSquaresTest, BlockedRFactorEqualsOnePieceQrUpToRowSigns) {
  // 20,000 rows: three blocks.
  const Eigen::MatrixXd x = random_matrix(20000, 5, 7);
  const Eigen::VectorXd y = random_matrix(20000, 1, 8).col(0);
  Eigen::MatrixXd xy(x.rows(), 6);
  xy << x, y;
  const Eigen::MatrixXd expected = Eigen::HouseholderQR<Eigen::MatrixXd>(xy)
                                       .matrixQR()
                                       .topRows(6)
                                       .triangularView<Eigen::Upper>();
  const Eigen::MatrixXd r = r_factor(x, &y);
  ASSERT_EQ(r.rows(), 6);
  for (Eigen::Index i = 0; i < 6; ++i) {
    const double sign = (r(i, i) > 0) == (expected(i, i) > 0) ? 1.0 : -1.0;
    for (Eigen::Index j = i; j < 6; ++j) {
      EXPECT_NEAR(sign * r(i, j), expected(i, j), 1e-9 * expected.row(i).norm()) << i << "," << j;
    }
  }
}

TEST(LeastSquaresTest, FindsColumnsThatCombineEarlierOnes) {
  Eigen::MatrixXd x = random_matrix(50, 5, 3);
  x.col(2) = 2 * x.col(0) - x.col(1);  // a combination of the first two
  x.col(4).setZero();
  const Collinearity found = find_collinear_columns(r_factor(x, nullptr));
  EXPECT_THAT(found.kept, ElementsAre(0, 1, 3));
  EXPECT_THAT(found.dropped, ElementsAre(2, 4));
  EXPECT_THAT(found.combination[0], ElementsAre(0, 1));
  EXPECT_TRUE(found.combination[1].empty());
}

TEST(LeastSquaresTest, WeightedGramAndLeveragesMatchDenseFormulas) {
  const Eigen::MatrixXd x = random_matrix(9000, 3, 5);
  const Eigen::VectorXd w = random_matrix(9000, 1, 6).col(0).cwiseAbs();
  const Eigen::MatrixXd expected = x.transpose() * w.asDiagonal() * x;
  EXPECT_LT((weighted_gram(x, w) - expected).norm(), 1e-10 * expected.norm());
  const Eigen::MatrixXd r = r_factor(x, nullptr);
  const Eigen::MatrixXd r_inverse =
      r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(3, 3));
  const Eigen::VectorXd h = leverages(x, r_inverse);
  const Eigen::MatrixXd xtx_inverse = (x.transpose() * x).inverse();
  for (Eigen::Index i : {0, 4000, 8999}) {
    EXPECT_NEAR(h[i], x.row(i) * xtx_inverse * x.row(i).transpose(), 1e-12);
  }
  EXPECT_NEAR(h.sum(), 3.0, 1e-9);
}

}  // namespace
}  // namespace custlens::models
