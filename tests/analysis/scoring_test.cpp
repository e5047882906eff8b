#include "analysis/scoring.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "analysis/order_lines_builder.h"
#include "custlens/error.h"

namespace custlens::analysis {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(QuintileScoresTest, DistinctValuesSpreadOverOneToFive) {
  // L = 0..4 of n = 5: 1 + floor(5 L / 5) = L + 1.
  EXPECT_THAT(quintile_scores(std::vector<double>{30, 10, 50, 20, 40}), ElementsAre(3, 1, 5, 2, 4));
  // n = 7: 5 L / 7 = 0, .71, 1.43, 2.14, 2.86, 3.57, 4.29.
  EXPECT_THAT(quintile_scores(std::vector<double>{1, 2, 3, 4, 5, 6, 7}),
              ElementsAre(1, 1, 2, 3, 3, 4, 5));
}

TEST(QuintileScoresTest, TiesShareTheScoreOfTheirFirstRank) {
  // L = 0, 0, 2, 3 of n = 4: scores 1, 1, 1 + floor(10/4) = 3, 1 + floor(15/4) = 4.
  EXPECT_THAT(quintile_scores(std::vector<double>{1, 1, 2, 3}), ElementsAre(1, 1, 3, 4));
  EXPECT_THAT(quintile_scores(std::vector<double>{7, 7, 7}), ElementsAre(1, 1, 1));
  EXPECT_THAT(quintile_scores(std::vector<double>{42}), ElementsAre(1));
  EXPECT_TRUE(quintile_scores(std::vector<double>{}).empty());
}

TEST(QuintileScoresTest, MatchesCountingSmallerValuesOnLargeInput) {
  // Large enough for the parallel sort; expectations by binary search on a sorted copy.
  std::mt19937_64 random(7);
  std::uniform_int_distribution<int> value(0, 999);
  std::vector<double> keys(50000);
  for (double& key : keys) key = value(random);
  std::vector<double> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> scores = quintile_scores(keys);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto smaller = static_cast<std::size_t>(
        std::lower_bound(sorted.begin(), sorted.end(), keys[i]) - sorted.begin());
    ASSERT_EQ(scores[i], 1 + static_cast<int>(5 * smaller / keys.size())) << i;
  }
}

TEST(NumpySumTest, SmallArraysAddInOrder) {
  EXPECT_EQ(numpy_sum(std::vector<double>{0.1, 0.2, 0.3}), (0.1 + 0.2) + 0.3);
  EXPECT_EQ(numpy_sum(std::vector<double>{}), 0.0);
}

TEST(NumpySumTest, PairwiseWithEightAccumulators) {
  // 1e16 then fifteen 1s: accumulators 1e16 (the 1 is lost: ulp 2, tie to even) and seven 2s;
  // ((1e16 + 2) + 4) + 8 = 1e16 + 14 (np.sum gives the same; a loop gives 1e16).
  std::vector<double> values(16, 1.0);
  values[0] = 1e16;
  EXPECT_EQ(numpy_sum(values), 1e16 + 14);
}

TEST(NumpySumTest, BlocksOf8192AddInOrder) {
  // Block 1: 8192 ones = 8192. Block 2: [1e16, 1 x 7] = ((1e16 + 1) + 2) + 4 = 1e16 + 6.
  std::vector<double> values(8200, 1.0);
  values[8192] = 1e16;
  EXPECT_EQ(numpy_sum(values), 1e16 + 8198);
}

TEST(KahanSumTest, KeepsWhatAPlainSumLoses) {
  // 1e16 + 1 loses the 1 but keeps it as compensation; the next 1 brings both back.
  KahanSum sum;
  for (double value : {1e16, 1.0, 1.0}) sum.add(value);
  EXPECT_EQ(sum.sum, 1e16 + 2);
}

TEST(MoneyKeyTest, RoundsToMicrosHalfAwayFromZero) {
  EXPECT_EQ(money_key(0.1 + 0.2), money_key(0.3));
  EXPECT_EQ(money_key(1.0000005), 1000001.0);
  EXPECT_EQ(money_key(-1.0000005), -1000001.0);
  EXPECT_NE(money_key(1.000001), money_key(1.000002));
}

TEST(ScoreBinsTest, UpperEdgesAreInclusive) {
  ScoreBins bins{{30, 90, 180}, {4, 3, 2, 1}};
  EXPECT_EQ(bins.score(0), 4);
  EXPECT_EQ(bins.score(30), 4);
  EXPECT_EQ(bins.score(31), 3);
  EXPECT_EQ(bins.score(90), 3);
  EXPECT_EQ(bins.score(91), 2);
  EXPECT_EQ(bins.score(180), 2);
  EXPECT_EQ(bins.score(181), 1);
  EXPECT_EQ(bins.score(-5), 4);
}

TEST(ScoringFileTest, ExampleFileParses) {
  ScoringRules rules = load_scoring_file(testing::share_path("scoring/example.toml"));
  ASSERT_TRUE(rules.recency && rules.frequency && rules.monetary);
  EXPECT_THAT(rules.recency->upper, ElementsAre(30, 90, 180));
  EXPECT_THAT(rules.recency->scores, ElementsAre(4, 3, 2, 1));
  EXPECT_THAT(rules.frequency->scores, ElementsAre(1, 2, 3, 4, 5));
  // Monetary scores default to 1, 2, ...; its edges are kept as money keys.
  EXPECT_THAT(rules.monetary->scores, ElementsAre(1, 2, 3, 4, 5));
  EXPECT_THAT(rules.monetary->upper, ElementsAre(1e8, 5e8, 2e9, 1e10));
}

TEST(ScoringFileTest, ExampleFileScoresCustomers) {
  ScoringRules rules = load_scoring_file(testing::share_path("scoring/example.toml"));
  std::vector<double> recency = {0, 30, 31, 90, 91, 180, 181};
  std::vector<double> frequency = {1, 2, 3, 5, 6, 10, 11};
  // 100.00000000000001 is 100 at 1e-6, so it stays in the first bin.
  std::vector<double> monetary = {100.00000000000001, 100.01, 500, 2000, 2000.5, 10000, 1e6};
  RfmScores scores = score_customers(recency, frequency, monetary, &rules);
  EXPECT_THAT(scores.r, ElementsAre(4, 4, 3, 3, 2, 2, 1));
  EXPECT_THAT(scores.f, ElementsAre(1, 2, 3, 3, 4, 4, 5));
  EXPECT_THAT(scores.m, ElementsAre(1, 2, 2, 3, 4, 4, 5));
}

TEST(ScoringFileTest, MissingSectionKeepsQuintiles) {
  ScoringRules rules = parse_scoring_rules("[recency]\nbins = [10]\n", "inline.toml");
  ASSERT_TRUE(rules.recency);
  EXPECT_FALSE(rules.frequency || rules.monetary);
  EXPECT_THAT(rules.recency->scores, ElementsAre(2, 1));
  std::vector<double> recency = {5, 20, 10, 11, 0};
  std::vector<double> frequency = {5, 4, 3, 2, 1};
  std::vector<double> monetary = {1, 1, 1, 1, 2};
  RfmScores scores = score_customers(recency, frequency, monetary, &rules);
  EXPECT_THAT(scores.r, ElementsAre(2, 1, 2, 1, 2));
  EXPECT_THAT(scores.f, ElementsAre(5, 4, 3, 2, 1));
  EXPECT_THAT(scores.m, ElementsAre(1, 1, 1, 1, 5));
}

TEST(ScoreCustomersTest, RecencyRanksFewerDaysHigher) {
  // G = customers with strictly more days: 0 days -> G 4 -> 5; ties at 10 days -> G 1 -> 2.
  std::vector<double> recency = {0, 10, 10, 3, 99};
  std::vector<double> frequency = {1, 1, 1, 1, 1};
  std::vector<double> monetary = {0.1 + 0.2, 0.3, 0.3, 1, 0.2};
  RfmScores scores = score_customers(recency, frequency, monetary, nullptr);
  EXPECT_THAT(scores.r, ElementsAre(5, 2, 2, 4, 1));
  EXPECT_THAT(scores.f, ElementsAre(1, 1, 1, 1, 1));
  // 0.1 + 0.2 ties 0.3 at 1e-6: L = 1 for all three -> 2.
  EXPECT_THAT(scores.m, ElementsAre(2, 2, 2, 5, 1));
}

void expect_scoring_error(std::string_view text, std::string_view message) {
  try {
    parse_scoring_rules(text, "s.toml");
    ADD_FAILURE() << "no error for:\n" << text;
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(std::string(message))) << text;
  }
}

TEST(ScoringFileTest, BadFilesGiveClearErrors) {
  expect_scoring_error("[recency\nbins = [1]", "s.toml:1:");
  expect_scoring_error("[recency\nbins = [1]", "invalid TOML");
  expect_scoring_error("", "no [recency], [frequency] or [monetary] section");
  expect_scoring_error("[recent]\nbins = [1]", "unknown section [recent]");
  expect_scoring_error("recency = 3", "[recency] must be a table");
  expect_scoring_error("[recency]\nscores = [1]", "[recency] has no bins");
  expect_scoring_error("[recency]\nbins = []", "non-empty array");
  expect_scoring_error("[recency]\nbins = [\"a\"]", "finite numbers");
  expect_scoring_error("[recency]\nbins = [nan]", "finite numbers");
  expect_scoring_error("[recency]\nbins = [30, 30]", "strictly increasing (30 after 30)");
  expect_scoring_error("[frequency]\nbins = [1, 2]\nscores = [1, 2]", "needs 3 scores");
  expect_scoring_error("[frequency]\nbins = [1]\nscores = [0, 2]", "integers from 1 to 5");
  expect_scoring_error("[frequency]\nbins = [1]\nscores = [1, 2.5]", "integers from 1 to 5");
  expect_scoring_error("[frequency]\nbins = [1]\nscores = [2, 1]",
                       "[frequency] scores must not fall");
  expect_scoring_error("[recency]\nbins = [1]\nscores = [1, 2]", "[recency] scores must not rise");
  expect_scoring_error("[monetary]\nbins = [1, 2, 3, 4, 5]", "give scores");
  expect_scoring_error("[monetary]\nbins = [1]\nscore = [1, 2]", "unknown key 'score'");
  // The position points at the offending value.
  expect_scoring_error("[recency]\nbins = [30, 20]", "s.toml:2:");
}

TEST(ScoringFileTest, MissingFileIsAnError) {
  EXPECT_THROW(load_scoring_file("/nonexistent/scoring.toml"), Error);
}

TEST(ScoringFileTest, FileOnDiskParses) {
  testing::TempFile file("scoring.toml", "[frequency]\nbins = [1.5, 4]\nscores = [1, 3, 5]\n");
  ScoringRules rules = load_scoring_file(file.path());
  ASSERT_TRUE(rules.frequency);
  EXPECT_EQ(rules.frequency->score(1), 1);
  EXPECT_EQ(rules.frequency->score(2), 3);
  EXPECT_EQ(rules.frequency->score(5), 5);
}

}  // namespace
}  // namespace custlens::analysis
