// fit_logit against the closed form of a 2×2 table, separation detection and bad inputs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "custlens/error.h"
#include "custlens/regression.h"
#include "support/csv_table.h"

namespace custlens {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::table_from_csv;

LogitOptions logit(std::string y, std::vector<std::string> x) {
  LogitOptions o;
  o.design.target = std::move(y);
  o.design.regressors = std::move(x);
  return o;
}

std::string error_of(const Table& table, const LogitOptions& o) {
  try {
    fit_logit(table, o);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(LogitTest, OneFlagMatchesTheTwoByTwoTable) {
  // flag FALSE: 3 × y=0, 2 × y=1; flag TRUE: 1 × y=0, 4 × y=1.
  const Table table = table_from_csv(
      "flag,y\nFALSE,0\nFALSE,0\nFALSE,0\nFALSE,1\nFALSE,1\nTRUE,0\nTRUE,1\nTRUE,1\nTRUE,1\n"
      "TRUE,1\n");
  const LogitResult result = fit_logit(table, logit("y", {"flag"}));
  ASSERT_TRUE(result.converged);
  ASSERT_EQ(result.coefficients.size(), 2u);
  const double a = 3, b = 2, c = 1, d = 4;
  EXPECT_NEAR(result.coefficients[0].estimate, std::log(b / a), 1e-12);
  EXPECT_NEAR(result.coefficients[1].estimate, std::log(a * d / (b * c)), 1e-12);
  EXPECT_NEAR(result.coefficients[0].std_error, std::sqrt(1 / a + 1 / b), 1e-10);
  EXPECT_NEAR(result.coefficients[1].std_error, std::sqrt(1 / a + 1 / b + 1 / c + 1 / d), 1e-10);
  EXPECT_NEAR(result.coefficients[1].odds_ratio, a * d / (b * c), 1e-10);
  EXPECT_NEAR(result.ll_null, 6 * std::log(0.6) + 4 * std::log(0.4), 1e-12);
  const double llf = 3 * std::log(0.6) + 2 * std::log(0.4) + std::log(0.2) + 4 * std::log(0.8);
  EXPECT_NEAR(result.log_likelihood, llf, 1e-12);
  EXPECT_NEAR(result.pseudo_r_squared, 1 - llf / result.ll_null, 1e-12);
  EXPECT_EQ(result.df_model, 1);
  EXPECT_EQ(result.df_resid, 8);
  EXPECT_EQ(result.positives, 6u);
}

TEST(LogitTest, CompleteSeparationIsAnErrorNamingTheColumn) {
  const Table table = table_from_csv(
      "id,score,noise,y\n1,1,3,0\n2,2,1,0\n3,3,2,0\n4,4,5,0\n5,5,1,1\n6,6,4,1\n7,7,2,1\n8,8,3,1\n");
  const std::string message = error_of(table, logit("y", {"noise", "score"}));
  EXPECT_THAT(message, HasSubstr("complete separation: 'score'"));
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(LogitTest, CompleteSeparationByACombinationIsAnError) {
  // Neither column separates alone; u − v > 0 exactly when y = 1.
  const Table table = table_from_csv(
      "u,v,y\n1,2,0\n2,3,0\n3,1,1\n4,6,0\n5,2,1\n6,4,1\n2,1,1\n5,7,0\n1,1.5,0\n7,3,1\n");
  EXPECT_THAT(error_of(table, logit("y", {"u", "v"})), HasSubstr("complete separation"));
}

TEST(LogitTest, QuasiSeparationWarnsNamingTheColumn) {
  // Every "vip" row is 1; the other segments have both classes.
  const Table table = table_from_csv(
      "segment,visits,y\na,3,0\na,5,1\na,2,0\nb,4,1\nb,6,0\nb,1,1\nvip,7,1\nvip,2,1\na,4,1\nb,3,0\n"
      "a,6,0\nb,5,1\n");
  const LogitResult result = fit_logit(table, logit("y", {"visits", "segment"}));
  EXPECT_EQ(result.separation_column, "segment_vip");
  ASSERT_FALSE(result.warnings.empty());
  EXPECT_THAT(result.warnings[0], HasSubstr("quasi-separation: 'segment_vip'"));
}

TEST(LogitTest, CollinearColumnIsLeftOut) {
  const Table table = table_from_csv(
      "a,b,double_a,y\n1,5,2,0\n2,3,4,1\n3,6,6,0\n4,2,8,1\n5,4,10,1\n6,1,12,0\n7,3,14,1\n2,2,4,"
      "0\n");
  const LogitResult result = fit_logit(table, logit("y", {"a", "b", "double_a"}));
  EXPECT_THAT(result.collinear, ElementsAre("double_a"));
  EXPECT_TRUE(result.coefficients[3].dropped);
  EXPECT_EQ(result.df_model, 2);
}

TEST(LogitTest, BadTargetsAreOneLineErrors) {
  const Table table = table_from_csv("k,t,x\n1,a,1\n1,b,2\n1,c,3\n1,a,5\n");
  EXPECT_THAT(error_of(table, logit("k", {"x"})), HasSubstr("has one class only"));
  EXPECT_THAT(error_of(table, logit("t", {"x"})), HasSubstr("has 3 distinct values"));
  const Table small = table_from_csv("y,x,z\n0,1,3\n1,2,1\n0,3,2\n");
  EXPECT_THAT(error_of(small, logit("y", {"x", "z"})),
              HasSubstr("3 rows used but the model has 3 parameters"));
}

}  // namespace
}  // namespace custlens
