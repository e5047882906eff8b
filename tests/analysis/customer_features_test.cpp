// The customer features of predict: every feature on hand-made lines, the leakage guarantee (rows
// dated on or after the cut change nothing of features_at(cut)), labels, invoices vs days,
// same_columns_as. The golden comparison with the pandas reference is in
// customer_features_golden_test.cpp.
#include "analysis/customer_features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "custlens/error.h"
#include "pipeline/order_scan.h"
#include "support/temp_dir.h"

namespace custlens {
namespace {

using analysis::CustomerFeatureAccumulator;
using analysis::CustomerFeatureSet;
using pipeline::KeptLine;

constexpr std::int64_t kBase = 15000;  // 2011-01-26

KeptLine line(std::uint32_t customer, std::uint32_t invoice, std::int64_t day, double amount,
              double quantity = 1, std::uint32_t country = pipeline::kNoId,
              std::uint32_t description = pipeline::kNoId,
              std::uint32_t category = pipeline::kNoId) {
  KeptLine l;
  l.customer = customer;
  l.invoice = invoice;
  l.timestamp = day * 86400 + 11 * 3600;
  l.amount = amount;
  l.quantity = quantity;
  l.country = country;
  l.description = description;
  l.category = category;
  return l;
}

pipeline::LineNames line_names(std::vector<std::string> customers) {
  pipeline::LineNames names;
  names.customer_ids = std::move(customers);
  names.country_names = {"United Kingdom", "France"};
  names.descriptions = {"MUG", "CUP", "BOWL", "PLATE"};
  names.category_names = {"kitchen", "garden"};
  names.has_invoice = names.has_quantity = names.has_country = true;
  names.has_description = names.has_category = true;
  return names;
}

float feature(const CustomerFeatureSet& set, std::size_t row, const std::string& name) {
  const auto& names = set.features.names;
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw std::runtime_error("no column " + name);
  return set.features.at(row, static_cast<std::size_t>(it - names.begin()));
}

// Three customers: 0 with three orders before the cut (and one on it), 1 with one, 2 only after.
struct HandMade {
  CustomerFeatureAccumulator acc{false};
  pipeline::LineNames names = line_names({"A", "B", "C"});
  HandMade() {
    const std::vector<KeptLine> lines = {
        line(0, 0, kBase, 10, 2, 0, 0, 0),      line(0, 0, kBase, 5, 1, 0, 1, 1),
        line(0, 1, kBase + 10, 20, 4, 1, 0, 0), line(1, 4, kBase + 45, 7, 1, 1, 0, 1),
        line(0, 2, kBase + 40, 6, 3, 0, 2, 0),  line(0, 3, kBase + 50, 100, 9, 1, 3, 1),
        line(2, 5, kBase + 60, 3, 1, 1, 3, 0),
    };
    acc.add(lines);
    std::vector<pipeline::CancelledLine> cancelled(3);
    cancelled[0].customer = 0;
    cancelled[0].customer_id = "A";
    cancelled[0].timestamp = (kBase + 5) * 86400;
    cancelled[1] = cancelled[0];
    cancelled[1].timestamp = (kBase + 55) * 86400;  // after the cut
    cancelled[2].customer_id = "B";                 // matched by text
    cancelled[2].timestamp = (kBase + 49) * 86400 + 86399;
    acc.add_cancelled(cancelled);
  }
};

TEST(CustomerFeatures, EveryFeatureOnHandMadeLines) {
  HandMade h;
  const CustomerFeatureSet set = h.acc.features_at(kBase + 50, h.names);
  EXPECT_EQ(set.cut_day, kBase + 50);
  ASSERT_EQ(set.customers, (std::vector<std::uint32_t>{0, 1}));
  const std::vector<std::string> expected_names = {"recency_days",
                                                   "frequency",
                                                   "monetary",
                                                   "tenure_days",
                                                   "avg_order_value",
                                                   "gap_mean_days",
                                                   "gap_sd_days",
                                                   "orders_30d",
                                                   "spend_30d",
                                                   "orders_trend_30d",
                                                   "spend_trend_30d",
                                                   "orders_90d",
                                                   "spend_90d",
                                                   "orders_trend_90d",
                                                   "spend_trend_90d",
                                                   "orders_180d",
                                                   "spend_180d",
                                                   "orders_trend_180d",
                                                   "spend_trend_180d",
                                                   "basket_lines",
                                                   "basket_quantity",
                                                   "distinct_products",
                                                   "distinct_categories",
                                                   "cancellation_share",
                                                   "country_france",
                                                   "country_united_kingdom",
                                                   "country_other"};
  EXPECT_EQ(set.features.names, expected_names);
  ASSERT_EQ(set.features.rows, 2U);
  ASSERT_EQ(set.features.values.size(), 2 * expected_names.size());
  // Customer A: orders on days +0 (15), +10 (20), +40 (6); cancellation on +5 of 5 lines in all.
  EXPECT_EQ(feature(set, 0, "recency_days"), 10);
  EXPECT_EQ(feature(set, 0, "frequency"), 3);
  EXPECT_EQ(feature(set, 0, "monetary"), 41);
  EXPECT_EQ(feature(set, 0, "tenure_days"), 50);
  EXPECT_FLOAT_EQ(feature(set, 0, "avg_order_value"), 41.0F / 3);
  EXPECT_EQ(feature(set, 0, "gap_mean_days"), 20);
  EXPECT_FLOAT_EQ(feature(set, 0, "gap_sd_days"), static_cast<float>(std::sqrt(200.0)));
  EXPECT_EQ(feature(set, 0, "orders_30d"), 1);
  EXPECT_EQ(feature(set, 0, "spend_30d"), 6);
  EXPECT_EQ(feature(set, 0, "orders_trend_30d"), 1 - 2);
  EXPECT_EQ(feature(set, 0, "spend_trend_30d"), 6 - 35);
  EXPECT_EQ(feature(set, 0, "orders_90d"), 3);
  EXPECT_EQ(feature(set, 0, "spend_90d"), 41);
  EXPECT_EQ(feature(set, 0, "orders_trend_90d"), 3);
  EXPECT_EQ(feature(set, 0, "spend_trend_180d"), 41);
  EXPECT_FLOAT_EQ(feature(set, 0, "basket_lines"), 4.0F / 3);
  EXPECT_FLOAT_EQ(feature(set, 0, "basket_quantity"), 10.0F / 3);
  EXPECT_EQ(feature(set, 0, "distinct_products"), 3);
  EXPECT_EQ(feature(set, 0, "distinct_categories"), 2);
  EXPECT_FLOAT_EQ(feature(set, 0, "cancellation_share"), 0.2F);
  EXPECT_EQ(feature(set, 0, "country_united_kingdom"), 1);  // two of three orders
  EXPECT_EQ(feature(set, 0, "country_france"), 0);
  EXPECT_EQ(feature(set, 0, "country_other"), 0);
  // Customer B: one order on +45; a cancellation late on +49, matched by its id text.
  EXPECT_EQ(feature(set, 1, "recency_days"), 5);
  EXPECT_EQ(feature(set, 1, "frequency"), 1);
  EXPECT_EQ(feature(set, 1, "tenure_days"), 5);
  EXPECT_TRUE(std::isnan(feature(set, 1, "gap_mean_days")));
  EXPECT_TRUE(std::isnan(feature(set, 1, "gap_sd_days")));
  EXPECT_EQ(feature(set, 1, "orders_trend_30d"), 1);
  EXPECT_EQ(feature(set, 1, "spend_trend_30d"), 7);
  EXPECT_EQ(feature(set, 1, "basket_lines"), 1);
  EXPECT_EQ(feature(set, 1, "distinct_categories"), 1);
  EXPECT_FLOAT_EQ(feature(set, 1, "cancellation_share"), 0.5F);
  EXPECT_EQ(feature(set, 1, "country_france"), 1);

  const std::vector<double> values = h.acc.average_order_values(set);
  ASSERT_EQ(values.size(), 2U);
  EXPECT_DOUBLE_EQ(values[0], 41.0 / 3);
  EXPECT_DOUBLE_EQ(values[1], 7.0);
  EXPECT_EQ(h.acc.day_after_last_purchase(), kBase + 61);
}

TEST(CustomerFeatures, GapSdNeedsTwoGaps) {
  CustomerFeatureAccumulator acc(true);
  const std::vector<KeptLine> lines = {line(0, pipeline::kNoId, kBase, 1),
                                       line(0, pipeline::kNoId, kBase + 4, 1)};
  acc.add(lines);
  pipeline::LineNames names;
  names.customer_ids = {"A"};
  const CustomerFeatureSet set = acc.features_at(kBase + 10, names);
  EXPECT_EQ(feature(set, 0, "gap_mean_days"), 4);
  EXPECT_TRUE(std::isnan(feature(set, 0, "gap_sd_days")));
}

TEST(CustomerFeatures, Labels) {
  HandMade h;
  const CustomerFeatureSet set = h.acc.features_at(kBase + 50, h.names);
  EXPECT_EQ(h.acc.labels(set, kBase + 51), (std::vector<float>{1, 0}));  // A buys on the cut day
  EXPECT_EQ(h.acc.labels(set, kBase + 50), (std::vector<float>{0, 0}));  // empty range
  EXPECT_EQ(h.acc.labels(set, kBase + 1000), (std::vector<float>{1, 0}));
  // C buys on +60 but has no order before the cut: not in the set.
  const CustomerFeatureSet later = h.acc.features_at(kBase + 46, h.names);
  EXPECT_EQ(later.customers, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(h.acc.labels(later, kBase + 50), (std::vector<float>{0, 0}));
  EXPECT_EQ(h.acc.labels(later, kBase + 51), (std::vector<float>{1, 0}));
}

TEST(CustomerFeatures, NoCustomerBeforeTheCutAndNoLine) {
  HandMade h;
  const CustomerFeatureSet set = h.acc.features_at(kBase, h.names);
  EXPECT_EQ(set.features.rows, 0U);
  EXPECT_TRUE(set.customers.empty());
  EXPECT_EQ(set.features.names.back(), "country_other");
  CustomerFeatureAccumulator empty(false);
  EXPECT_THROW((void)empty.day_after_last_purchase(), Error);
}

TEST(CustomerFeatures, CancellationTextsNeedTheCustomerIds) {
  HandMade h;
  h.names.customer_ids.clear();  // as after RfmAccumulator::finish
  EXPECT_THROW((void)h.acc.features_at(kBase + 50, h.names), Error);
}

TEST(CustomerFeatures, DaysBefore1970FloorDown) {
  CustomerFeatureAccumulator acc(true);
  KeptLine l = line(0, pipeline::kNoId, 0, 5);
  l.timestamp = -3600;  // 1969-12-31 23:00: day -1
  acc.add(std::span(&l, 1));
  EXPECT_EQ(acc.day_after_last_purchase(), 0);
  pipeline::LineNames names;
  names.customer_ids = {"A"};
  EXPECT_EQ(feature(acc.features_at(0, names), 0, "recency_days"), 1);
}

// Only what the input has: no line features for invoice rows, no cancellations without invoices.
TEST(CustomerFeatures, AbsentColumnsAreLeftOut) {
  pipeline::LineNames invoices;
  invoices.customer_ids = {"A"};
  invoices.has_invoice = true;
  CustomerFeatureAccumulator acc(false);
  const KeptLine l = line(0, 0, kBase, 5, 0);
  acc.add(std::span(&l, 1));
  const auto with_invoices = acc.features_at(kBase + 1, invoices).features.names;
  EXPECT_EQ(with_invoices.size(), 20U);
  EXPECT_EQ(with_invoices.back(), "cancellation_share");
  pipeline::LineNames days = invoices;
  days.has_invoice = false;
  const auto by_day = acc.features_at(kBase + 1, days).features.names;
  EXPECT_EQ(by_day.size(), 19U);
  EXPECT_EQ(by_day.back(), "spend_trend_180d");
  pipeline::LineNames lines = days;
  lines.has_description = true;  // line-level without quantity: basket lines, products
  const auto described = acc.features_at(kBase + 1, lines).features.names;
  EXPECT_EQ(std::vector<std::string>(described.begin() + 19, described.end()),
            (std::vector<std::string>{"basket_lines", "distinct_products"}));
}

TEST(CustomerFeatures, InvoicesVersusDays) {
  // Two invoices of A on one day, one invoice of B on two days, a shared invoice of A and B.
  const std::vector<KeptLine> lines = {
      line(0, 0, kBase, 1),     line(0, 1, kBase, 2),     line(1, 2, kBase, 3),
      line(1, 2, kBase + 1, 4), line(0, 3, kBase + 2, 5), line(1, 3, kBase + 2, 6),
      line(0, 0, kBase, 7),  // back to invoice 0
  };
  CustomerFeatureAccumulator by_invoice(false), by_day(true);
  by_invoice.add(lines);
  by_day.add(lines);
  pipeline::LineNames names;
  names.customer_ids = {"A", "B"};
  const auto a = by_invoice.features_at(kBase + 3, names);
  const auto b = by_day.features_at(kBase + 3, names);
  EXPECT_EQ(feature(a, 0, "frequency"), 3);  // invoices 0, 1, 3
  EXPECT_EQ(feature(b, 0, "frequency"), 2);  // days +0, +2
  EXPECT_EQ(feature(a, 1, "frequency"), 3);  // invoice 2 on two days, 3
  EXPECT_EQ(feature(b, 1, "frequency"), 3);
  EXPECT_FLOAT_EQ(feature(a, 0, "avg_order_value"), 15.0F / 3);
  EXPECT_FLOAT_EQ(feature(b, 0, "avg_order_value"), 15.0F / 2);
  EXPECT_FLOAT_EQ(feature(a, 0, "gap_mean_days"), 1.0F);  // gaps 0, 2
  EXPECT_FLOAT_EQ(feature(a, 0, "gap_sd_days"), static_cast<float>(std::sqrt(2.0)));
  // An invoice with a line after the cut: its part before the cut is an order of its own.
  const auto cut = by_invoice.features_at(kBase + 1, names);
  EXPECT_EQ(feature(cut, 1, "frequency"), 1);
  EXPECT_EQ(feature(cut, 1, "monetary"), 3);
}

TEST(CustomerFeatures, SameColumnsAs) {
  HandMade h;
  const CustomerFeatureSet train = h.acc.features_at(kBase + 46, h.names);
  // Rename the countries: UK now reads as "Germany" (a country not in train's columns).
  pipeline::LineNames renamed = h.names;
  renamed.country_names = {"Germany", "France"};
  const CustomerFeatureSet apply = h.acc.features_at(kBase + 46, renamed, &train.features);
  EXPECT_EQ(apply.features.names, train.features.names);
  ASSERT_EQ(apply.customers, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(feature(apply, 0, "country_united_kingdom"), 0);  // no such country now
  EXPECT_EQ(feature(apply, 0, "country_other"), 1);           // Germany
  EXPECT_EQ(feature(apply, 1, "country_france"), 1);
  // Columns in another order, a subset.
  models::FeatureMatrix picked;
  picked.names = {"country_other", "frequency", "country_france"};
  const CustomerFeatureSet subset = h.acc.features_at(kBase + 61, h.names, &picked);
  EXPECT_EQ(subset.features.names, picked.names);
  ASSERT_EQ(subset.customers, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(subset.features.at(0, 1), 4);
  // A's orders: two in the UK, two in France: a tie, France first by name.
  EXPECT_EQ(subset.features.at(0, 2), 1);
  EXPECT_EQ(subset.features.at(0, 0), 0);
  EXPECT_EQ(subset.features.at(2, 2), 1);
  // A column this input cannot give.
  picked.names = {"frequency", "no_such_feature"};
  EXPECT_THROW((void)h.acc.features_at(kBase + 61, h.names, &picked), Error);
  pipeline::LineNames no_lines;
  no_lines.customer_ids = h.names.customer_ids;
  no_lines.has_invoice = true;
  EXPECT_THROW((void)h.acc.features_at(kBase + 61, no_lines, &train.features), Error);
}

TEST(CustomerFeatures, CountryColumnNames) {
  EXPECT_EQ(CustomerFeatureAccumulator::country_column("United Kingdom"), "country_united_kingdom");
  EXPECT_EQ(CustomerFeatureAccumulator::country_column("EIRE"), "country_eire");
  EXPECT_EQ(CustomerFeatureAccumulator::country_column("Channel  Islands (UK)"),
            "country_channel_islands_uk");
  EXPECT_EQ(CustomerFeatureAccumulator::country_column("中国"), "country_中国");
}

// ---- the leakage guarantee, through the scan ----------------------------------------------

struct FeaturesScanned {
  pipeline::OrderScanResult result;
  std::unique_ptr<CustomerFeatureAccumulator> acc;
};

FeaturesScanned scan_text(const testing::TempDir& dir, const std::string& name, const std::string& text) {
  const std::string file = dir.write(name, text).string();
  pipeline::OrderScanOptions options;
  pipeline::OrderScan scan({file}, options);
  FeaturesScanned out;
  out.acc = std::make_unique<CustomerFeatureAccumulator>(!scan.columns().has_invoice);
  pipeline::LineConsumer* consumers[] = {out.acc.get()};
  out.result = scan.run(consumers, {});
  return out;
}

// Rows of features_at(cut) by customer id text: bytes of each row, and the column names.
std::map<std::string, std::vector<float>> rows_by_id(const FeaturesScanned& s, std::int64_t cut,
                                                     std::vector<std::string>& columns) {
  const CustomerFeatureSet set = s.acc->features_at(cut, s.result.names);
  columns = set.features.names;
  std::map<std::string, std::vector<float>> rows;
  for (std::size_t r = 0; r < set.customers.size(); ++r) {
    const float* row = set.features.values.data() + r * set.features.cols();
    rows[s.result.names.customer_ids[set.customers[r]]] =
        std::vector<float>(row, row + set.features.cols());
  }
  return rows;
}

bool bit_identical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::string date_text(std::int64_t day, int hour) {
  // civil from days (Howard Hinnant)
  const std::int64_t z = day + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char text[32];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02u %02d:15", static_cast<long long>(y), m, d,
                hour);
  return text;
}

TEST(CustomerFeatures, RowsOnOrAfterTheCutChangeNothing) {
  const std::int64_t cut = kBase + 200;
  std::mt19937_64 random(7);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const char* countries[] = {"United Kingdom", "France", "Germany", "EIRE",   "Spain",
                             "Belgium",        "Norway", "Italy",   "Poland", "Japan",
                             "Portugal",       "Sweden", "Austria", "Cyprus"};
  // Lines before the cut: 300 customers, invoices of 1-4 lines, a few cancellations.
  std::vector<std::string> before;
  int invoice = 500000;
  for (int k = 0; k < 900; ++k) {
    const int customer = 12000 + pick(300);
    const std::int64_t day = kBase + pick(200);
    const char* country = countries[customer % 7 == 0 ? pick(14) : customer % 14];
    const bool cancel = pick(25) == 0;
    const int lines = 1 + pick(4);
    const int hour = 8 + pick(10);
    ++invoice;
    for (int l = 0; l < lines; ++l) {
      before.push_back((cancel ? "C" : "") + std::to_string(invoice) + ",ITEM " +
                       std::to_string(pick(60)) + "," +
                       std::to_string(cancel ? -1 - pick(5) : 1 + pick(12)) + "," +
                       date_text(day, hour) + "," + std::to_string(1 + pick(900) / 100.0) + "," +
                       std::to_string(customer) + "," + country);
    }
  }
  // Rows dated on or after the cut: known and new customers, new countries, cancellations,
  // lines that reuse an invoice number from before the cut.
  std::vector<std::string> after;
  for (int k = 0; k < 400; ++k) {
    const bool new_customer = pick(3) == 0;
    const int customer = new_customer ? 20000 + pick(100) : 12000 + pick(300);
    const std::int64_t day = cut + pick(60);
    const std::string country =
        pick(4) == 0 ? "Atlantis " + std::to_string(pick(5)) : countries[pick(14)];
    const bool cancel = pick(10) == 0;
    const int inv = pick(5) == 0 ? 500001 + pick(900) : 600000 + k;
    after.push_back((cancel ? "C" : "") + std::to_string(inv) + ",NEW " + std::to_string(pick(80)) +
                    "," + std::to_string(cancel ? -2 : 1 + pick(30)) + "," +
                    date_text(day, pick(24)) + "," + std::to_string(1 + pick(5000) / 100.0) + "," +
                    std::to_string(customer) + "," + country);
  }
  const std::string header =
      "InvoiceNo,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
  auto join = [&](const std::vector<std::string>& rows) {
    std::string text = header;
    for (const std::string& row : rows) text += row + "\n";
    return text;
  };
  testing::TempDir dir;
  std::vector<std::string> columns_base;
  const FeaturesScanned base = scan_text(dir, "base.csv", join(before));
  const auto rows_base = rows_by_id(base, cut, columns_base);
  ASSERT_GT(rows_base.size(), 250U);
  ASSERT_EQ(columns_base.size(), 23U + 11U);  // no category column; ten countries, other

  // Variants: after-cut rows appended, put first, interleaved; changed after-cut values.
  std::vector<std::vector<std::string>> variants;
  {
    std::vector<std::string> rows = before;
    rows.insert(rows.end(), after.begin(), after.end());
    variants.push_back(rows);
  }
  {
    std::vector<std::string> rows = after;
    rows.insert(rows.end(), before.begin(), before.end());
    variants.push_back(rows);
  }
  {
    std::vector<std::string> rows;
    std::size_t a = 0;
    for (std::size_t b = 0; b < before.size(); ++b) {
      rows.push_back(before[b]);
      if (b % 3 == 0 && a < after.size()) rows.push_back(after[a++]);
    }
    while (a < after.size()) rows.push_back(after[a++]);
    variants.push_back(rows);
  }
  {
    // Half of the after-cut rows, with other prices.
    std::vector<std::string> rows = after;
    rows.resize(rows.size() / 2);
    for (std::string& row : rows) row.replace(row.rfind(',', row.rfind(',') - 1), 0, "9");
    rows.insert(rows.begin() + 20, before.begin(), before.end());
    variants.push_back(rows);
  }
  for (std::size_t v = 0; v < variants.size(); ++v) {
    SCOPED_TRACE(v);
    std::vector<std::string> columns;
    const FeaturesScanned s = scan_text(dir, "variant" + std::to_string(v) + ".csv", join(variants[v]));
    EXPECT_GT(s.result.names.customer_ids.size(), base.result.names.customer_ids.size());
    const auto rows = rows_by_id(s, cut, columns);
    EXPECT_EQ(columns, columns_base);
    ASSERT_EQ(rows.size(), rows_base.size());
    for (const auto& [id, row] : rows_base) {
      const auto it = rows.find(id);
      ASSERT_NE(it, rows.end()) << id;
      EXPECT_TRUE(bit_identical(it->second, row)) << id;
    }
    // The rows after the cut do change later cuts (the test can fail).
    std::vector<std::string> later_columns, base_later_columns;
    EXPECT_NE(rows_by_id(s, cut + 61, later_columns).size(),
              rows_by_id(base, cut + 61, base_later_columns).size());
  }
}

}  // namespace
}  // namespace custlens
