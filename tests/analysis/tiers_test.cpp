#include "analysis/tiers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/order_lines_builder.h"
#include "custlens/error.h"

namespace custlens::analysis {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Customers given only by scores; values all equal, so mean tests see "equal to the mean".
struct ScoredCustomers {
  std::vector<int> r, f, m;
  std::vector<double> recency, frequency;
  std::vector<double> monetary;

  void add(int r_score, int f_score, int m_score, std::int64_t recency_days = 10,
           std::int64_t purchases = 2, double revenue = 100) {
    r.push_back(r_score);
    f.push_back(f_score);
    m.push_back(m_score);
    recency.push_back(static_cast<double>(recency_days));
    frequency.push_back(static_cast<double>(purchases));
    monetary.push_back(revenue);
  }
  TierInputs inputs() const { return {r, f, m, recency, frequency, monetary}; }
};

std::vector<std::string> segment_names(const TierScheme& scheme) {
  std::vector<std::string> names;
  for (const Segment& segment : scheme.segments) names.push_back(segment.name);
  return names;
}

// The English name of each customer's segment ("-" when none matched).
std::vector<std::string> assigned(const TierScheme& scheme, const ScoredCustomers& customers) {
  std::vector<std::string> names;
  for (int s : assign_segments(scheme, customers.inputs())) {
    names.push_back(s < 0 ? "-" : scheme.segments[static_cast<std::size_t>(s)].name);
  }
  return names;
}

TEST(TierRegistryTest, BuiltInsAreRegisteredByName) {
  EXPECT_THAT(builtin_tier_scheme_names(), ElementsAre("cn8", "five", "rfm11"));
  EXPECT_EQ(resolve_tier_scheme("five").name, "five");
  EXPECT_EQ(resolve_tier_scheme("cn8").name, "cn8");
  EXPECT_EQ(resolve_tier_scheme("rfm11").name, "rfm11");
}

TEST(TierRegistryTest, UnknownSchemeListsTheBuiltIns) {
  try {
    resolve_tier_scheme("seven");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown tier scheme 'seven'"));
    EXPECT_THAT(e.what(), HasSubstr("cn8, five, rfm11"));
  }
  EXPECT_THROW(resolve_tier_scheme("/nonexistent/rules.toml"), Error);
}

TEST(FiveSchemeTest, SegmentsAndOrder) {
  TierScheme five = resolve_tier_scheme("five");
  EXPECT_THAT(segment_names(five),
              ElementsAre("Champions", "Loyal", "Potential", "General", "Lost"));
  EXPECT_EQ(five.segments[0].name_zh, "冠军客户");
  EXPECT_EQ(five.segments[1].name_zh, "忠实客户");
  EXPECT_EQ(five.segments[2].name_zh, "潜力客户");
  EXPECT_EQ(five.segments[3].name_zh, "一般客户");
  EXPECT_EQ(five.segments[4].name_zh, "流失客户");
}

TEST(FiveSchemeTest, FirstMatchingRuleWins) {
  ScoredCustomers c;
  c.add(5, 5, 5);  // Champions
  c.add(4, 4, 4);  // Champions: the lowest corner
  c.add(4, 4, 3);  // M 3 fails Champions, Loyal holds
  c.add(3, 3, 3);  // Loyal
  c.add(3, 1, 1);  // Potential: R >= 3 alone
  c.add(5, 2, 5);  // Potential
  c.add(1, 5, 5);  // Lost: R = 1 whatever F and M
  c.add(2, 5, 5);  // General: R 2 matches nothing
  c.add(2, 1, 1);  // General
  EXPECT_THAT(assigned(resolve_tier_scheme("five"), c),
              ElementsAre("Champions", "Champions", "Loyal", "Loyal", "Potential", "Potential",
                          "Lost", "General", "General"));
}

TEST(Cn8SchemeTest, SegmentsAndOrder) {
  TierScheme cn8 = resolve_tier_scheme("cn8");
  EXPECT_THAT(
      segment_names(cn8),
      ElementsAre("Important Value", "Important Retain", "Important Develop", "Important Win-back",
                  "General Value", "General Retain", "General Develop", "General Win-back"));
  EXPECT_EQ(cn8.segments[0].name_zh, "重要价值客户");
  EXPECT_EQ(cn8.segments[7].name_zh, "一般挽留客户");
  EXPECT_EQ(cn8.fallback, -1);
}

TEST(Cn8SchemeTest, HighAndLowAgainstTheMean) {
  // Means: recency (10 + 30) / 2 = 20, frequency (1 + 3) / 2 = 2, monetary (100 + 300) / 2 = 200.
  ScoredCustomers c;
  c.add(1, 1, 1, 10, 3, 300);  // R high (10 < 20), F high, M high
  c.add(1, 1, 1, 30, 1, 100);  // all low
  EXPECT_THAT(assigned(resolve_tier_scheme("cn8"), c),
              ElementsAre("Important Value", "General Win-back"));
}

TEST(Cn8SchemeTest, EachPatternAndTheMeanItself) {
  // Means over 9 customers: recency 20, frequency 2, monetary 200 (pairs around each mean, plus
  // one customer sitting exactly on all three means).
  ScoredCustomers c;
  c.add(1, 1, 1, 10, 3, 300);  // HHH
  c.add(1, 1, 1, 30, 3, 300);  // LHH
  c.add(1, 1, 1, 10, 1, 300);  // HLH
  c.add(1, 1, 1, 30, 1, 300);  // LLH
  c.add(1, 1, 1, 10, 3, 100);  // HHL
  c.add(1, 1, 1, 30, 3, 100);  // LHL
  c.add(1, 1, 1, 10, 1, 100);  // HLL
  c.add(1, 1, 1, 30, 1, 100);  // LLL
  c.add(1, 1, 1, 20, 2, 200);  // on the means: R not below -> L, F and M not above -> L
  EXPECT_THAT(assigned(resolve_tier_scheme("cn8"), c),
              ElementsAre("Important Value", "Important Retain", "Important Develop",
                          "Important Win-back", "General Value", "General Retain",
                          "General Develop", "General Win-back", "General Win-back"));
}

TEST(Cn8SchemeTest, OneCustomerIsOnEveryMean) {
  ScoredCustomers c;
  c.add(1, 1, 1, 5, 2, 50);
  EXPECT_THAT(assigned(resolve_tier_scheme("cn8"), c), ElementsAre("General Win-back"));
}

TEST(Rfm11SchemeTest, SegmentsAndOrder) {
  TierScheme rfm11 = resolve_tier_scheme("rfm11");
  EXPECT_THAT(segment_names(rfm11),
              ElementsAre("Champions", "Loyal Customers", "Potential Loyalist", "New Customers",
                          "Promising", "Can't Lose Them", "At Risk", "Need Attention",
                          "About To Sleep", "Hibernating", "Lost", "Others"));
  EXPECT_EQ(rfm11.segments[9].name_zh, "休眠客户");
  EXPECT_EQ(rfm11.segments[10].name_zh, "流失客户");
  EXPECT_EQ(rfm11.segments[11].name_zh, "其他客户");
}

TEST(Rfm11SchemeTest, TableRowsLostBeforeHibernatingAndOthers) {
  ScoredCustomers c;
  c.add(5, 4, 4);  // Champions
  c.add(3, 5, 3);  // Loyal Customers
  c.add(3, 2, 3);  // Potential Loyalist
  c.add(4, 1, 5);  // New Customers
  c.add(3, 1, 5);  // Promising
  c.add(1, 4, 5);  // Can't Lose Them
  c.add(1, 3, 3);  // At Risk (Can't Lose Them needs F and M >= 4)
  c.add(2, 2, 2);  // Need Attention
  c.add(2, 1, 2);  // About To Sleep
  c.add(1, 1, 1);  // Lost, tried before Hibernating
  c.add(2, 1, 5);  // Hibernating
  c.add(1, 2, 1);  // Hibernating: R 1 but F 2
  c.add(1, 1, 2);  // Hibernating: R 1 but M 2
  c.add(3, 2, 4);  // Others: R 3-5, F 1-3, M 4-5 and no F 1
  c.add(5, 5, 1);  // Others: F 4-5 with M 1-2
  c.add(4, 2, 5);  // Others: F 2 is too low for Loyal, M 5 too high for Potential Loyalist
  EXPECT_THAT(assigned(resolve_tier_scheme("rfm11"), c),
              ElementsAre("Champions", "Loyal Customers", "Potential Loyalist", "New Customers",
                          "Promising", "Can't Lose Them", "At Risk", "Need Attention",
                          "About To Sleep", "Lost", "Hibernating", "Hibernating", "Hibernating",
                          "Others", "Others", "Others"));
}

// Every score triple, and for each a customer below, on and above every mean.
ScoredCustomers every_combination() {
  ScoredCustomers c;
  for (int r = 1; r <= 5; ++r) {
    for (int f = 1; f <= 5; ++f) {
      for (int m = 1; m <= 5; ++m) {
        for (int side = 0; side < 27; ++side) {
          c.add(r, f, m, 10 + 10 * (side % 3), 1 + (side / 3) % 3, 100.0 * (1 + side / 9));
        }
      }
    }
  }
  return c;
}

class SchemeFileTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SchemeFileTest, RulesFileMatchesTheBuiltIn) {
  const std::string& name = GetParam();
  TierScheme built_in = resolve_tier_scheme(name);
  TierScheme from_file = resolve_tier_scheme(testing::share_path("tiers/" + name + ".toml"));
  EXPECT_EQ(from_file.name, name);
  ASSERT_EQ(from_file.segments.size(), built_in.segments.size());
  for (std::size_t s = 0; s < built_in.segments.size(); ++s) {
    EXPECT_EQ(from_file.segments[s].name, built_in.segments[s].name);
    EXPECT_EQ(from_file.segments[s].name_zh, built_in.segments[s].name_zh);
  }
  EXPECT_EQ(from_file.fallback, built_in.fallback);
  ScoredCustomers customers = every_combination();
  std::vector<int> expected = assign_segments(built_in, customers.inputs());
  std::vector<int> actual = assign_segments(from_file, customers.inputs());
  EXPECT_EQ(actual, expected);
  // Every segment is reached by the grid, so the comparison covers every rule.
  std::vector<int> reached(built_in.segments.size(), 0);
  for (int s : expected) ++reached[static_cast<std::size_t>(s)];
  for (std::size_t s = 0; s < reached.size(); ++s) {
    EXPECT_GT(reached[s], 0) << built_in.segments[s].name;
  }
}

INSTANTIATE_TEST_SUITE_P(BuiltIns, SchemeFileTest, ::testing::Values("five", "cn8", "rfm11"));

TEST(RulesFileTest, ThresholdsMeansAndFallback) {
  const char* rules = R"(
name = "vip"
output_order = ["Whale", "Regular", "Fresh", "Rest"]

[[segment]]
name = "Whale"
name_zh = "大客户"
monetary = { min = 1000 }
frequency = { above = 2, mean = "above_mean" }

[[segment]]
name = "Fresh"
recency = { max = 7 }
r = 5

[[segment]]
name = "Rest"
fallback = true

[[segment]]
name = "Regular"
monetary = { below = 1000, above = 10 }
recency = "not_below_mean"
)";
  TierScheme scheme = parse_tier_rules(rules, "vip.toml");
  EXPECT_EQ(scheme.name, "vip");
  EXPECT_THAT(segment_names(scheme), ElementsAre("Whale", "Regular", "Fresh", "Rest"));
  EXPECT_EQ(scheme.segments[0].name_zh, "大客户");
  EXPECT_EQ(scheme.segments[1].name_zh, "Regular");  // defaults to the English name
  EXPECT_EQ(scheme.fallback, 3);
  EXPECT_THAT(scheme.evaluation, ElementsAre(0, 2, 1));

  // Means: recency 125 / 7 = 17.9, frequency 22 / 7 = 3.1.
  ScoredCustomers c;
  c.add(5, 1, 1, 5, 4, 1000);    // Whale: money >= 1000, 4 > 2 and 4 > mean 3
  c.add(5, 1, 1, 5, 4, 999.99);  // Fresh: not a whale; recency 5 <= 7 and R 5
  c.add(4, 1, 1, 5, 4, 999.99);  // Rest: R 4 fails Fresh; recency 5 < mean fails Regular
  c.add(1, 1, 1, 50, 2, 500);    // Regular: 10 < 500 < 1000, recency 50 >= mean 20
  c.add(1, 1, 1, 20, 3, 10);     // Rest: 10 is not above 10
  c.add(1, 1, 1, 35, 1, 5000);   // Regular fails (money), whale fails (frequency): Rest
  // 999.9999999999999 is 1000 at 1e-6, so it is a whale.
  c.add(1, 1, 1, 5, 4, 999.9999999999999);
  EXPECT_THAT(assigned(scheme, c),
              ElementsAre("Whale", "Fresh", "Rest", "Regular", "Rest", "Rest", "Whale"));
}

TEST(RulesFileTest, WithoutFallbackUnmatchedCustomersGetMinusOne) {
  TierScheme scheme = parse_tier_rules("[[segment]]\nname = \"Top\"\nr = 5\n", "top.toml");
  EXPECT_EQ(scheme.name, "top.toml");  // no name key: the source
  ScoredCustomers c;
  c.add(5, 1, 1);
  c.add(4, 1, 1);
  EXPECT_THAT(assigned(scheme, c), ElementsAre("Top", "-"));
}

void expect_rules_error(std::string_view text, std::string_view message) {
  try {
    parse_tier_rules(text, "t.toml");
    ADD_FAILURE() << "no error for:\n" << text;
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(std::string(message))) << text;
  }
}

TEST(RulesFileTest, BadFilesGiveClearErrors) {
  expect_rules_error("[[segment]\nname = \"A\"", "t.toml:1:");
  expect_rules_error("[[segment]\nname = \"A\"", "invalid TOML");
  expect_rules_error("name = \"x\"", "has no [[segment]]");
  expect_rules_error("segment = 3", "'segment' must be an array of tables");
  expect_rules_error("colour = 1\n[[segment]]\nname = \"A\"", "unknown key 'colour'");
  expect_rules_error("[[segment]]\nr = 5", "has no name");
  expect_rules_error("[[segment]]\nname = \"\"", "empty name");
  expect_rules_error("[[segment]]\nname = 5", "'name' must be a string");
  expect_rules_error("[[segment]]\nname = \"A\"\nscore = 5", "unknown key 'score' in [[segment]]");
  expect_rules_error("[[segment]]\nname = \"A\"\n[[segment]]\nname = \"A\"", "'A' is used twice");
  expect_rules_error("[[segment]]\nname = \"A\"\nr = 6", "integers from 1 to 5");
  expect_rules_error("[[segment]]\nname = \"A\"\nr = [4, 3]", "range [4, 3] is empty");
  expect_rules_error("[[segment]]\nname = \"A\"\nr = [1, 2, 3]", "inclusive range");
  expect_rules_error("[[segment]]\nname = \"A\"\nf = \"high\"", "inclusive range");
  expect_rules_error("[[segment]]\nname = \"A\"\nrecency = \"above\"", "not a mean comparison");
  expect_rules_error("[[segment]]\nname = \"A\"\nrecency = 3", "must be a mean comparison");
  expect_rules_error("[[segment]]\nname = \"A\"\nmonetary = { least = 3 }", "unknown threshold");
  expect_rules_error("[[segment]]\nname = \"A\"\nmonetary = { min = \"3\" }", "finite number");
  expect_rules_error("[[segment]]\nname = \"A\"\nmonetary = {}", "has no thresholds");
  expect_rules_error("[[segment]]\nname = \"A\"\nfallback = 1", "true or false");
  expect_rules_error("[[segment]]\nname = \"A\"\nfallback = true\nr = 5",
                     "must have no conditions");
  expect_rules_error(
      "[[segment]]\nname = \"A\"\nfallback = true\n[[segment]]\nname = \"B\"\n"
      "fallback = true",
      "'A' and 'B' are both the fallback");
  expect_rules_error("output_order = [\"B\"]\n[[segment]]\nname = \"A\"", "names 'B'");
  expect_rules_error("output_order = []\n[[segment]]\nname = \"A\"", "must list every segment");
  expect_rules_error("output_order = [\"A\"]\n[[segment]]\nname = \"A\"\n[[segment]]\nname = \"B\"",
                     "leaves out segment 'B'");
  expect_rules_error("output_order = [\"A\", \"A\"]\n[[segment]]\nname = \"A\"", "lists 'A' twice");
  // Positions point at the value.
  expect_rules_error("[[segment]]\nname = \"A\"\n\nr = 9", "t.toml:4:");
}

TEST(RulesFileTest, LoadsFromDisk) {
  testing::TempFile file("rules.toml", "[[segment]]\nname = \"All\"\nname_zh = \"全部\"\n");
  TierScheme scheme = resolve_tier_scheme(file.path());
  EXPECT_THAT(segment_names(scheme), ElementsAre("All"));
  EXPECT_EQ(scheme.segments[0].name_zh, "全部");
}

TEST(MeasureMeansTest, NumpyOrderedMeans) {
  ScoredCustomers c;
  c.add(1, 1, 1, 1, 1, 0.1);
  c.add(1, 1, 1, 2, 2, 0.2);
  c.add(1, 1, 1, 4, 4, 0.3);
  MeasureMeans means = measure_means(c.inputs());
  EXPECT_DOUBLE_EQ(means.recency, 7.0 / 3);
  EXPECT_DOUBLE_EQ(means.frequency, 7.0 / 3);
  EXPECT_EQ(means.monetary, ((0.1 + 0.2) + 0.3) / 3);
}

}  // namespace
}  // namespace custlens::analysis
