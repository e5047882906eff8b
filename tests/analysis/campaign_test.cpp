// The readout's statistics on hand-checked inputs: the two-proportion comparison and Welch
// against statsmodels values (printed by the commands in the comments), degenerate inputs, the
// options' errors and the flat rows for the run store. The full readout is checked against the
// reference by tests/cli/campaign_golden_test.cpp.
#include "analysis/campaign.h"

#include <gtest/gtest.h>

#include <vector>

#include "custlens/error.h"

namespace custlens::analysis {
namespace {

// confint_proportions_2indep(45, 300, 30, 300, method='wald', compare='diff') and
// proportions_ztest([45, 30], [300, 300]).
TEST(CampaignStatsTest, ProportionsMatchStatsmodels) {
  const ProportionUplift u = compare_proportions(45, 300, 30, 300);
  EXPECT_NEAR(u.absolute, 0.05, 1e-15);
  ASSERT_TRUE(u.relative && u.ci_lower && u.ci_upper && u.p_value);
  EXPECT_NEAR(*u.relative, 0.5, 1e-15);
  EXPECT_NEAR(*u.ci_lower, -0.0027736453639810935, 1e-12);
  EXPECT_NEAR(*u.ci_upper, 0.10277364536398106, 1e-12);
  EXPECT_NEAR(*u.p_value, 0.06407750645105956, 1e-12);
}

TEST(CampaignStatsTest, ProportionsWithoutVarianceHaveNoInterval) {
  const ProportionUplift none = compare_proportions(0, 50, 0, 40);
  EXPECT_EQ(none.absolute, 0);
  EXPECT_FALSE(none.relative);  // control rate 0
  EXPECT_FALSE(none.ci_lower);
  EXPECT_FALSE(none.p_value);
  EXPECT_FALSE(compare_proportions(3, 10, 0, 0).p_value);  // an empty group
}

// scipy ttest_ind(a, b, equal_var=False) and CompareMeans(a, b).tconfint_diff(usevar='unequal').
TEST(CampaignStatsTest, WelchMatchesScipy) {
  const std::vector<double> a = {0, 0, 10, 25.5, 3};
  const std::vector<double> b = {1, 2, 0, 0};
  const MeanUplift u = welch_uplift(a, b);
  EXPECT_NEAR(u.difference, 6.95, 1e-12);
  ASSERT_TRUE(u.ci_lower && u.ci_upper && u.p_value && u.df);
  EXPECT_NEAR(*u.ci_lower, -6.369790280132592, 1e-10);
  EXPECT_NEAR(*u.ci_upper, 20.269790280132593, 1e-10);
  EXPECT_NEAR(*u.p_value, 0.22257384671845962, 1e-12);
  EXPECT_NEAR(*u.df, 4.079086773830006, 1e-10);
}

TEST(CampaignStatsTest, WelchNeedsTwoPerGroupAndSomeVariance) {
  const std::vector<double> one = {5};
  const std::vector<double> flat = {2, 2, 2};
  EXPECT_FALSE(welch_uplift(one, flat).p_value);
  EXPECT_FALSE(welch_uplift(flat, flat).ci_lower);
  EXPECT_EQ(welch_uplift(flat, flat).difference, 0);
}

core::ContactList campaign_test_contacts(int treated, int control) {
  core::ContactList list;
  list.campaigns = {"c"};
  for (int i = 0; i < treated + control; ++i) {
    core::Contact c;
    c.customer_id = "K" + std::to_string(i);
    c.treatment = i < treated;
    c.sent_day = 19800;
    c.cost = 0.5;
    list.contacts.push_back(c);
  }
  return list;
}

TEST(CampaignStatsTest, OptionsAreChecked) {
  const core::ContactList list = campaign_test_contacts(2, 2);
  OrderLines lines;
  CampaignOptions bad;
  bad.window_days = 0;
  EXPECT_THROW(read_out_campaigns(list, lines, bad), Error);
  bad = CampaignOptions{};
  bad.margin = 1.5;
  EXPECT_THROW(read_out_campaigns(list, lines, bad), Error);
  bad = CampaignOptions{};
  bad.planned_split = 1.0;
  EXPECT_THROW(read_out_campaigns(list, lines, bad), Error);
}

TEST(CampaignStatsTest, ContactsWithoutOrdersAreZeroSpendAndRowsFlattenTheReadout) {
  const core::ContactList list = campaign_test_contacts(3, 2);
  OrderLines lines;  // nobody bought anything
  CampaignOptions options;
  options.planned_split = 0.5;
  const std::vector<CampaignReadout> readouts = read_out_campaigns(list, lines, options);
  ASSERT_EQ(readouts.size(), 1u);
  const CampaignReadout& r = readouts[0];
  EXPECT_EQ(r.contacts_without_orders, 5);
  EXPECT_EQ(r.overall.treatment.customers, 3);
  EXPECT_EQ(r.overall.control.without_orders, 2);
  EXPECT_TRUE(r.overall.weak);
  EXPECT_DOUBLE_EQ(r.overall.profit.treatment_cost, 1.5);
  EXPECT_DOUBLE_EQ(r.overall.profit.incremental_profit, -1.5);
  EXPECT_FALSE(r.overall.profit.cost_per_incremental_conversion);
  ASSERT_TRUE(r.srm);
  EXPECT_NEAR(r.srm->chi_square, 0.2, 1e-12);  // (3 - 2.5)^2 / 2.5 twice
  ASSERT_EQ(r.by_tier.size(), 1u);             // everyone: no prior orders
  EXPECT_EQ(r.by_tier[0].level, "(no prior orders)");
  const std::vector<CampaignResultRow> rows = result_rows(r);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].breakdown, "all");
  EXPECT_EQ(rows[1].breakdown, "tier");
  EXPECT_EQ(rows[1].treatment_customers, 3);
  EXPECT_FALSE(rows[0].p_value);
}

}  // namespace
}  // namespace custlens::analysis
