#include "custlens/rfm.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <stdexcept>

#include "analysis/order_lines_builder.h"
#include "analysis/scoring.h"
#include "custlens/error.h"

namespace custlens {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::LinesBuilder;
using testing::seconds;

std::vector<std::string> ids(const RfmResult& result) {
  std::vector<std::string> out;
  for (const CustomerRfm& c : result.customers) out.push_back(c.customer_id);
  return out;
}

std::vector<std::string> segment_of(const RfmResult& result) {
  std::vector<std::string> out;
  for (const CustomerRfm& c : result.customers) {
    out.push_back(result.segments[static_cast<std::size_t>(c.segment)].name);
  }
  return out;
}

std::vector<std::int64_t> segment_counts(const RfmResult& result) {
  std::vector<std::int64_t> out;
  for (const SegmentSummary& s : result.segments) out.push_back(s.customers);
  return out;
}

// A: two invoices (inv1 has two lines) in December; B: two invoices in November; C: one in June.
LinesBuilder three_customers() {
  LinesBuilder b;
  b.add("A", "inv1", "2011-12-01 10:00:00", 10.0)
      .add("A", "inv1", "2011-12-01 10:00:00", 5.0)
      .add("B", "inv2", "2011-11-01 08:00:00", 100.0)
      .add("A", "inv3", "2011-12-05 23:59:59", 20.0)
      .add("C", "inv4", "2011-06-01", 7.5)
      .add("B", "inv5", "2011-11-20", 50.0);
  return b;
}

TEST(RfmTest, CustomerTableByHand) {
  RfmResult result = compute_rfm(three_customers().lines(), {});
  EXPECT_EQ(result.scheme, "five");
  EXPECT_EQ(result.as_of, seconds("2011-12-06"));  // the day after the last purchase day
  ASSERT_THAT(ids(result), ElementsAre("A", "B", "C"));
  const CustomerRfm& a = result.customers[0];
  EXPECT_EQ(a.first_purchase, seconds("2011-12-01 10:00:00"));
  EXPECT_EQ(a.last_purchase, seconds("2011-12-05 23:59:59"));
  EXPECT_EQ(a.recency_days, 1);
  EXPECT_EQ(a.tenure_days, 5);
  EXPECT_EQ(a.frequency, 2);
  EXPECT_EQ(a.monetary, 35.0);
  EXPECT_EQ(a.avg_order_value, 17.5);
  const CustomerRfm& b = result.customers[1];
  EXPECT_EQ(b.recency_days, 16);  // Nov 20 -> Dec 6
  EXPECT_EQ(b.tenure_days, 35);   // Nov 1 -> Dec 6
  EXPECT_EQ(b.frequency, 2);
  EXPECT_EQ(b.monetary, 150.0);
  EXPECT_EQ(b.avg_order_value, 75.0);
  const CustomerRfm& c = result.customers[2];
  EXPECT_EQ(c.recency_days, 188);  // Jun 1 -> Dec 6: 29 + 31 + 31 + 30 + 31 + 30 + 6
  EXPECT_EQ(c.tenure_days, 188);
  EXPECT_EQ(c.frequency, 1);
  EXPECT_EQ(c.avg_order_value, 7.5);
}

TEST(RfmTest, ScoresAndFiveSegmentsByHand) {
  RfmResult result = compute_rfm(three_customers().lines(), {});
  // n = 3. R: recency 1, 16, 188 -> G = 2, 1, 0 -> 1 + floor(5G/3) = 4, 2, 1.
  // F: 2, 2, 1 -> L = 1, 1, 0 -> 2, 2, 1. M: 35, 150, 7.5 -> L = 1, 2, 0 -> 2, 4, 1.
  const auto& c = result.customers;
  EXPECT_EQ((std::array{c[0].r_score, c[0].f_score, c[0].m_score}), (std::array{4, 2, 2}));
  EXPECT_EQ((std::array{c[1].r_score, c[1].f_score, c[1].m_score}), (std::array{2, 2, 4}));
  EXPECT_EQ((std::array{c[2].r_score, c[2].f_score, c[2].m_score}), (std::array{1, 1, 1}));
  // A: R >= 3 only -> Potential; B: R 2 -> General; C: R 1 -> Lost.
  EXPECT_THAT(segment_of(result), ElementsAre("Potential", "General", "Lost"));
}

TEST(RfmTest, SegmentSummariesListEverySegment) {
  RfmResult result = compute_rfm(three_customers().lines(), {});
  EXPECT_DOUBLE_EQ(result.revenue, 192.5);
  ASSERT_EQ(result.segments.size(), 5u);
  EXPECT_THAT(segment_counts(result), ElementsAre(0, 0, 1, 1, 1));
  const SegmentSummary& champions = result.segments[0];
  EXPECT_EQ(champions.name, "Champions");
  EXPECT_EQ(champions.name_zh, "冠军客户");
  EXPECT_EQ(champions.customer_share, 0.0);
  EXPECT_EQ(champions.revenue, 0.0);
  EXPECT_EQ(champions.revenue_share, 0.0);
  EXPECT_EQ(champions.mean_recency, 0.0);
  EXPECT_EQ(champions.mean_frequency, 0.0);
  EXPECT_EQ(champions.mean_monetary, 0.0);
  const SegmentSummary& general = result.segments[3];
  EXPECT_EQ(general.name, "General");
  EXPECT_DOUBLE_EQ(general.customer_share, 1.0 / 3);
  EXPECT_DOUBLE_EQ(general.revenue, 150.0);
  EXPECT_DOUBLE_EQ(general.revenue_share, 150.0 / 192.5);
  EXPECT_DOUBLE_EQ(general.mean_recency, 16.0);
  EXPECT_DOUBLE_EQ(general.mean_frequency, 2.0);
  EXPECT_DOUBLE_EQ(general.mean_monetary, 150.0);
}

TEST(RfmTest, ParetoByHand) {
  RfmResult result = compute_rfm(three_customers().lines(), {});
  // Ranked 150, 35, 7.5: 150 < 0.8 * 192.5 = 154 <= 185 -> k = 2 of 3.
  EXPECT_DOUBLE_EQ(result.pareto.customer_share_for_80pct_revenue, 2.0 / 3);
  EXPECT_DOUBLE_EQ(result.pareto.top20pct_revenue_share, 150.0 / 192.5);
  EXPECT_DOUBLE_EQ(result.pareto.top_two_tiers_revenue_share, 0.0);  // Champions + Loyal
  EXPECT_EQ(result.pareto.curve.size(), 100u);
}

TEST(RfmTest, AsOfOverrideIsFlooredToItsDay) {
  RfmOptions options;
  options.as_of = seconds("2011-12-10 15:00:00");
  RfmResult result = compute_rfm(three_customers().lines(), options);
  EXPECT_EQ(result.as_of, seconds("2011-12-10"));
  EXPECT_EQ(result.customers[0].recency_days, 5);
  EXPECT_EQ(result.customers[0].tenure_days, 9);
  EXPECT_EQ(result.customers[1].recency_days, 20);
  EXPECT_EQ(result.customers[2].recency_days, 192);
}

TEST(RfmTest, InvoiceSpanningTwoCustomersCountsForBoth) {
  LinesBuilder b;
  b.add("X", "inv1", "2011-01-01", 10)
      .add("Y", "inv1", "2011-01-01", 20)
      .add("X", "inv1", "2011-01-01", 5)  // X, Y, X within one invoice
      .add("X", "inv2", "2011-01-02", 1)
      .add("Y", "inv3", "2011-01-03", 1);
  RfmResult result = compute_rfm(b.lines(), {});
  ASSERT_THAT(ids(result), ElementsAre("X", "Y"));
  EXPECT_EQ(result.customers[0].frequency, 2);  // inv1, inv2
  EXPECT_EQ(result.customers[1].frequency, 2);  // inv1, inv3
  EXPECT_EQ(result.customers[0].monetary, 16.0);
  EXPECT_EQ(result.customers[0].avg_order_value, 8.0);
}

TEST(RfmTest, InvoiceRepeatedLaterCountsOnce) {
  LinesBuilder b;
  b.add("Z", "inv4", "2011-01-01", 1)
      .add("Q", "inv9", "2011-01-01", 1)
      .add("Z", "inv5", "2011-01-02", 1)
      .add("Z", "inv4", "2011-01-03", 1);
  RfmResult result = compute_rfm(b.lines(), {});
  ASSERT_THAT(ids(result), ElementsAre("Q", "Z"));
  EXPECT_EQ(result.customers[1].frequency, 2);
}

TEST(RfmTest, NullInvoicesAreNotCounted) {
  LinesBuilder b;
  b.add_without_invoice("W", "2011-01-01", 10)
      .add("W", "inv1", "2011-01-02", 10)
      .add_without_invoice("V", "2011-01-01", 4);
  RfmResult result = compute_rfm(b.lines(), {});
  ASSERT_THAT(ids(result), ElementsAre("V", "W"));
  EXPECT_EQ(result.customers[0].frequency, 0);
  EXPECT_EQ(result.customers[0].avg_order_value, 0.0);
  EXPECT_EQ(result.customers[1].frequency, 1);
  EXPECT_EQ(result.customers[1].avg_order_value, 20.0);
}

TEST(RfmTest, WithoutInvoicesFrequencyCountsPurchaseDays) {
  LinesBuilder b(false);
  b.add("P", "", "2011-01-03 10:00:00", 1)
      .add("Q", "", "2011-01-01 09:00:00", 1)
      .add("P", "", "2011-01-01 12:00:00", 1)  // P's days go back: counted exactly
      .add("Q", "", "2011-01-01 18:00:00", 1)
      .add("P", "", "2011-01-03 20:00:00", 1)
      .add("P", "", "2011-01-02 00:00:00", 1)
      .add("Q", "", "2011-01-05 00:00:00", 1);
  ASSERT_TRUE(b.lines().invoice.empty());
  RfmResult result = compute_rfm(b.lines(), {});
  ASSERT_THAT(ids(result), ElementsAre("P", "Q"));
  EXPECT_EQ(result.customers[0].frequency, 3);  // Jan 1, 2, 3
  EXPECT_EQ(result.customers[1].frequency, 2);  // Jan 1, 5
  EXPECT_EQ(result.customers[0].avg_order_value, 4.0 / 3);
}

TEST(RfmTest, AllEqualCustomersScoreOneEverywhere) {
  LinesBuilder b;
  for (const char* id : {"c1", "c2", "c3", "c4"}) {
    b.add(id, std::string("i") + id, "2011-03-01", 9.99);
  }
  RfmResult result = compute_rfm(b.lines(), {});
  for (const CustomerRfm& c : result.customers) {
    EXPECT_EQ(c.r_score, 1);
    EXPECT_EQ(c.f_score, 1);
    EXPECT_EQ(c.m_score, 1);
  }
  EXPECT_THAT(segment_counts(result), ElementsAre(0, 0, 0, 0, 4));  // all Lost
  EXPECT_DOUBLE_EQ(result.segments[4].customer_share, 1.0);
  EXPECT_DOUBLE_EQ(result.segments[4].revenue_share, 1.0);
  EXPECT_DOUBLE_EQ(result.pareto.customer_share_for_80pct_revenue, 1.0);  // 4 of 4
}

TEST(RfmTest, OneCustomerInEachScheme) {
  LinesBuilder b;
  b.add("solo", "i1", "2011-03-01", 12).add("solo", "i2", "2011-03-04", 8);
  RfmOptions options;
  RfmResult five = compute_rfm(b.lines(), options);
  ASSERT_EQ(five.customers.size(), 1u);
  EXPECT_EQ(five.customers[0].r_score, 1);
  EXPECT_EQ(five.customers[0].recency_days, 1);
  EXPECT_THAT(segment_of(five), ElementsAre("Lost"));
  EXPECT_DOUBLE_EQ(five.pareto.customer_share_for_80pct_revenue, 1.0);
  EXPECT_DOUBLE_EQ(five.pareto.top20pct_revenue_share, 1.0);
  options.scheme = "cn8";
  RfmResult cn8 = compute_rfm(b.lines(), options);
  EXPECT_EQ(cn8.scheme, "cn8");
  EXPECT_THAT(segment_of(cn8), ElementsAre("General Win-back"));  // on every mean: all low
  EXPECT_DOUBLE_EQ(cn8.pareto.top_two_tiers_revenue_share, 0.0);
  options.scheme = "rfm11";
  EXPECT_THAT(segment_of(compute_rfm(b.lines(), options)), ElementsAre("Lost"));
}

// Adds a customer whose last purchase is `recency` days before `as_of_day` with `invoices`
// invoices (one per day, going back) summing to `monetary`.
void add_customer(LinesBuilder& b, const std::string& id, int recency, int invoices,
                  double monetary, std::int64_t as_of_day) {
  for (int i = 0; i < invoices; ++i) {
    double amount = i == 0 ? monetary - (invoices - 1) : 1.0;
    b.add(id, id + "-" + std::to_string(i), (as_of_day - recency - i) * 86400, amount);
  }
}

TEST(RfmTest, Rfm11OthersAndEmptySegments) {
  // Five customers with distinct values, so each score is the rank + 1:
  // c1 (5,5,5) Champions, c2 (3,2,4) Others, c3 (4,1,1) New Customers, c4 (2,4,3) At Risk,
  // c5 (1,3,2) Hibernating.
  const std::int64_t as_of_day = seconds("2011-12-31") / 86400;
  LinesBuilder b;
  add_customer(b, "c1", 1, 5, 500, as_of_day);
  add_customer(b, "c2", 10, 2, 400, as_of_day);
  add_customer(b, "c3", 5, 1, 100, as_of_day);
  add_customer(b, "c4", 20, 4, 300, as_of_day);
  add_customer(b, "c5", 40, 3, 200, as_of_day);
  RfmOptions options;
  options.scheme = "rfm11";
  options.as_of = as_of_day * 86400;
  RfmResult result = compute_rfm(b.lines(), options);
  ASSERT_THAT(ids(result), ElementsAre("c1", "c2", "c3", "c4", "c5"));
  std::vector<std::array<int, 3>> scores;
  for (const CustomerRfm& c : result.customers) scores.push_back({c.r_score, c.f_score, c.m_score});
  EXPECT_THAT(scores, ElementsAre(std::array{5, 5, 5}, std::array{3, 2, 4}, std::array{4, 1, 1},
                                  std::array{2, 4, 3}, std::array{1, 3, 2}));
  EXPECT_THAT(segment_of(result),
              ElementsAre("Champions", "Others", "New Customers", "At Risk", "Hibernating"));
  EXPECT_THAT(segment_counts(result), ElementsAre(1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1));
  EXPECT_EQ(result.segments.back().name, "Others");
  EXPECT_EQ(result.segments.back().name_zh, "其他客户");
  EXPECT_DOUBLE_EQ(result.segments.back().revenue_share, 400.0 / 1500);
  EXPECT_EQ(result.segments[1].mean_monetary, 0.0);  // Loyal Customers: empty, listed
  // Champions (500) and Loyal Customers (none) are the first two tiers.
  EXPECT_DOUBLE_EQ(result.pareto.top_two_tiers_revenue_share, 500.0 / 1500);
}

TEST(RfmTest, MonetaryTiesAtOneMillionth) {
  LinesBuilder b;
  b.add("A", "a1", "2011-01-01", 0.1).add("A", "a1", "2011-01-01", 0.2);  // 0.30000000000000004
  b.add("B", "b1", "2011-01-01", 0.3);
  b.add("C", "c1", "2011-01-01", 1.0);
  RfmResult result = compute_rfm(b.lines(), {});
  EXPECT_NE(result.customers[0].monetary, result.customers[1].monetary);
  EXPECT_EQ(result.customers[0].m_score, 1);
  EXPECT_EQ(result.customers[1].m_score, 1);
  EXPECT_EQ(result.customers[2].m_score, 4);  // L = 2 of 3
}

TEST(RfmTest, MonetaryIsACompensatedSumInInputOrder) {
  // Like pandas' groupby sum: a plain loop would give 1e16.
  LinesBuilder b;
  b.add("A", "a1", "2011-01-01", 1e16)
      .add("A", "a1", "2011-01-01", 1)
      .add("A", "a1", "2011-01-01", 1);
  EXPECT_EQ(compute_rfm(b.lines(), {}).customers[0].monetary, 1e16 + 2);
}

TEST(RfmTest, CustomersSortedByIdBytes) {
  LinesBuilder b;
  for (const char* id : {"b", "é", "a9", "B", "a10"}) b.add(id, id, "2011-01-01", 1);
  EXPECT_THAT(ids(compute_rfm(b.lines(), {})), ElementsAre("B", "a10", "a9", "b", "é"));
}

TEST(RfmTest, CustomersWithoutLinesAreLeftOut) {
  LinesBuilder b;
  b.add("A", "a1", "2011-01-01", 1);
  OrderLines lines = b.lines();
  lines.customer_ids.push_back("ghost");
  EXPECT_THAT(ids(compute_rfm(lines, {})), ElementsAre("A"));
}

TEST(RfmTest, ScoringFileReplacesQuintiles) {
  RfmOptions options;
  options.scoring_file = testing::share_path("scoring/example.toml");
  RfmResult result = compute_rfm(three_customers().lines(), options);
  // Recency 1, 16, 188 -> 4, 4, 1; frequency 2, 2, 1 -> 2, 2, 1; monetary 35, 150, 7.5 -> 1, 2, 1.
  const auto& c = result.customers;
  EXPECT_EQ((std::array{c[0].r_score, c[0].f_score, c[0].m_score}), (std::array{4, 2, 1}));
  EXPECT_EQ((std::array{c[1].r_score, c[1].f_score, c[1].m_score}), (std::array{4, 2, 2}));
  EXPECT_EQ((std::array{c[2].r_score, c[2].f_score, c[2].m_score}), (std::array{1, 1, 1}));
  EXPECT_THAT(segment_of(result), ElementsAre("Potential", "Potential", "Lost"));
}

TEST(RfmTest, ErrorsAreUserErrors) {
  OrderLines empty;
  EXPECT_THROW(compute_rfm(empty, {}), Error);
  try {
    compute_rfm(empty, {});
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("no order lines"));
  }
  RfmOptions options;
  options.scheme = "platinum";
  try {
    compute_rfm(three_customers().lines(), options);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("cn8, five, rfm11"));
  }
  options.scheme = "five";
  options.scoring_file = "/nonexistent/scoring.toml";
  EXPECT_THROW(compute_rfm(three_customers().lines(), options), Error);
}

TEST(RfmTest, RulesWithoutFallbackMustMatchEveryone) {
  testing::TempFile rules("top.toml", "[[segment]]\nname = \"Top\"\nr = 5\n");
  RfmOptions options;
  options.scheme = rules.path();
  try {
    compute_rfm(three_customers().lines(), options);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("customer 'A' (R4 F2 M2) matches no segment"));
  }
}

TEST(RfmTest, BadRulesFileIsAUserError) {
  testing::TempFile rules("bad.toml", "[[segment]\n");
  RfmOptions options;
  options.scheme = rules.path();
  EXPECT_THROW(compute_rfm(three_customers().lines(), options), Error);
}

TEST(RfmTest, InconsistentLinesAreProgrammingErrors) {
  OrderLines lines = three_customers().lines();
  lines.amount.pop_back();
  EXPECT_THROW(compute_rfm(lines, {}), std::invalid_argument);
  lines = three_customers().lines();
  lines.customer[2] = 7;
  EXPECT_THROW(compute_rfm(lines, {}), std::invalid_argument);
  lines = three_customers().lines();
  lines.invoice[0] = 99;
  EXPECT_THROW(compute_rfm(lines, {}), std::invalid_argument);
  lines = three_customers().lines();
  lines.customer_ids[1] = "A";
  EXPECT_THROW(compute_rfm(lines, {}), std::invalid_argument);
}

// Random order lines: customers buy on random days in random order; every 50th invoice is shared
// by two customers. Large enough for the parallel path.
OrderLines random_lines(std::size_t count, std::uint32_t customers, bool with_invoice,
                        std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<std::uint32_t> pick_customer(0, customers - 1);
  std::uniform_int_distribution<int> pick_day(0, 400), pick_cents(1, 50000);
  OrderLines lines;
  for (std::uint32_t c = 0; c < customers; ++c)
    lines.customer_ids.push_back(fmt::format("{}", 10000 + c * 7));
  for (std::size_t i = 0; i < count; ++i) {
    std::uint32_t c = pick_customer(random);
    int day = pick_day(random);
    lines.customer.push_back(c);
    lines.timestamp.push_back(seconds("2010-12-01") + day * 86400 + (pick_cents(random) % 86400));
    lines.amount.push_back(pick_cents(random) / 100.0);
    if (with_invoice) {
      // Invoice = (customer, day); every 50th line reuses a neighbour customer's invoice.
      std::uint32_t owner = i % 50 == 0 ? (c + 1) % customers : c;
      lines.invoice.push_back(owner * 401 + static_cast<std::uint32_t>(day));
    }
  }
  if (with_invoice) {
    for (std::uint32_t k = 0; k < customers * 401; ++k)
      lines.invoice_ids.push_back(fmt::format("I{}", k));
  }
  return lines;
}

// Straightforward per-customer maps: the reference for the flat-array aggregation.
void expect_matches_naive(const OrderLines& lines, const RfmResult& result) {
  struct Naive {
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    analysis::KahanSum monetary;
    std::set<std::int64_t> orders;
  };
  std::map<std::string, Naive> naive;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Naive& n = naive[lines.customer_ids[lines.customer[i]]];
    n.first = std::min(n.first, lines.timestamp[i]);
    n.last = std::max(n.last, lines.timestamp[i]);
    n.monetary.add(lines.amount[i]);
    n.orders.insert(lines.invoice.empty() ? lines.timestamp[i] / 86400 : lines.invoice[i]);
  }
  ASSERT_EQ(result.customers.size(), naive.size());
  std::size_t i = 0;
  for (const auto& [id, n] : naive) {
    const CustomerRfm& c = result.customers[i++];
    ASSERT_EQ(c.customer_id, id);
    EXPECT_EQ(c.first_purchase, n.first) << id;
    EXPECT_EQ(c.last_purchase, n.last) << id;
    EXPECT_EQ(c.monetary, n.monetary.sum) << id;
    EXPECT_EQ(c.frequency, static_cast<std::int64_t>(n.orders.size())) << id;
  }
}

void expect_same(const RfmResult& a, const RfmResult& b) {
  ASSERT_EQ(a.customers.size(), b.customers.size());
  for (std::size_t i = 0; i < a.customers.size(); ++i) {
    const CustomerRfm& x = a.customers[i];
    const CustomerRfm& y = b.customers[i];
    ASSERT_EQ(x.customer_id, y.customer_id);
    EXPECT_EQ(x.monetary, y.monetary);
    EXPECT_EQ(x.frequency, y.frequency);
    EXPECT_EQ(x.recency_days, y.recency_days);
    EXPECT_EQ(x.tenure_days, y.tenure_days);
    EXPECT_EQ((std::array{x.r_score, x.f_score, x.m_score, x.segment}),
              (std::array{y.r_score, y.f_score, y.m_score, y.segment}));
  }
  EXPECT_EQ(a.revenue, b.revenue);
  ASSERT_EQ(a.segments.size(), b.segments.size());
  for (std::size_t s = 0; s < a.segments.size(); ++s) {
    EXPECT_EQ(a.segments[s].customers, b.segments[s].customers);
    EXPECT_EQ(a.segments[s].revenue, b.segments[s].revenue);
  }
  EXPECT_EQ(a.pareto.customer_share_for_80pct_revenue, b.pareto.customer_share_for_80pct_revenue);
}

TEST(RfmTest, ParallelAggregationMatchesNaiveAndSerial) {
  for (bool with_invoice : {true, false}) {
    SCOPED_TRACE(with_invoice ? "invoices" : "days");
    OrderLines lines = random_lines(200000, 3001, with_invoice, 11);
    RfmResult serial;
    tbb::task_arena one(1);
    one.execute([&] { serial = compute_rfm(lines, {}); });
    RfmResult parallel;
    // An odd number of customer ranges, more than this machine may have cores.
    tbb::global_control workers(tbb::global_control::max_allowed_parallelism, 7);
    tbb::task_arena seven(7);
    seven.execute([&] { parallel = compute_rfm(lines, {}); });
    expect_matches_naive(lines, parallel);
    expect_same(serial, parallel);
  }
}

// Lines without invoices where each customer buys on `days` in the given (unsorted) order.
OrderLines day_lines(std::uint32_t customers, std::vector<std::int64_t> days) {
  OrderLines lines;
  for (std::uint32_t c = 0; c < customers; ++c) {
    lines.customer_ids.push_back(fmt::format("u{}", c));
    for (std::int64_t day : days) {
      lines.customer.push_back(c);
      lines.timestamp.push_back(day * 86400 + c % 86400);
      lines.amount.push_back(1.0);
    }
  }
  return lines;
}

TEST(RfmTest, UnsortedDayCountsAreExactForAnyDaySpan) {
  // Few customers, short span: a day bitmap per customer.
  OrderLines lines = day_lines(3, {10, 3, 10, 7, 3});
  RfmResult result = compute_rfm(lines, {});
  expect_matches_naive(lines, result);
  EXPECT_EQ(result.customers[0].frequency, 3);
  // 30,000 customers over 20,000 days: the bitmaps would pass 64 MiB, so lines go to day buckets.
  lines = day_lines(30000, {20000, 0, 20000});
  result = compute_rfm(lines, {});
  expect_matches_naive(lines, result);
  EXPECT_EQ(result.customers[0].frequency, 2);
  // 40 customers over more than 2^24 days: neither fits, so (customer, day) pairs are sorted.
  lines = day_lines(40, {0, (std::int64_t{1} << 24) + 5, 0, 1});
  result = compute_rfm(lines, {});
  expect_matches_naive(lines, result);
  EXPECT_EQ(result.customers[0].frequency, 3);
}

TEST(RfmTest, SchemeFilesGiveTheBuiltInResults) {
  OrderLines lines = random_lines(5000, 400, true, 3);
  for (const char* name : {"five", "cn8", "rfm11"}) {
    SCOPED_TRACE(name);
    RfmOptions options;
    options.scheme = name;
    RfmResult built_in = compute_rfm(lines, options);
    options.scheme = testing::share_path(std::string("tiers/") + name + ".toml");
    RfmResult from_file = compute_rfm(lines, options);
    expect_same(built_in, from_file);
    EXPECT_EQ(from_file.scheme, name);
  }
}

}  // namespace
}  // namespace custlens
