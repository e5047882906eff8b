#include "io/orders_generator.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "custlens/error.h"
#include "support/order_csv.h"

namespace custlens::io {
namespace {

namespace fs = std::filesystem;
using testing::OrderRow;

class OrdersGeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("custlens_gen_{}_{}",
                       ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                       static_cast<unsigned>(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

OrdersGeneratorOptions orders_options_for(std::int64_t rows, std::uint64_t seed = 42) {
  OrdersGeneratorOptions options;
  options.rows = rows;
  options.customers = 4000;
  options.seed = seed;
  return options;
}

TEST_F(OrdersGeneratorTest, WritesHeaderAndExactRowCount) {
  const auto stats = generate_orders(path("a.csv"), orders_options_for(1000));
  const std::string text = testing::read_file(path("a.csv"));
  EXPECT_TRUE(text.starts_with(
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1001);
  EXPECT_EQ(stats.rows, 1000);
  EXPECT_EQ(stats.bytes, text.size());
  const auto rows = testing::read_order_rows(path("a.csv"));
  ASSERT_EQ(rows.size(), 1000u);
  std::set<std::string> invoices;
  for (const OrderRow& row : rows) invoices.insert(row.invoice);
  EXPECT_EQ(static_cast<std::int64_t>(invoices.size()), stats.invoices);
}

TEST_F(OrdersGeneratorTest, OneRowAndTinyCustomerPoolWork) {
  auto options = orders_options_for(1);
  options.customers = 1;
  generate_orders(path("one.csv"), options);
  const auto rows = testing::read_order_rows(path("one.csv"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].invoice.substr(rows[0].invoice.size() - 6), "536365");
  if (!rows[0].customer.empty()) {
    EXPECT_EQ(rows[0].customer, "12346");
  }
}

TEST_F(OrdersGeneratorTest, SameSeedGivesSameBytesForEveryThreadCount) {
  // 140,000 rows span three parallel chunks, so chunk order and boundaries are exercised.
  auto options = orders_options_for(140000, 7);
  options.threads = 1;
  generate_orders(path("t1.csv"), options);
  options.threads = 3;
  generate_orders(path("t3.csv"), options);
  EXPECT_EQ(testing::read_file(path("t1.csv")), testing::read_file(path("t3.csv")));

  options.rows = 1000;
  generate_orders(path("seed7.csv"), options);
  options.seed = 8;
  generate_orders(path("seed8.csv"), options);
  EXPECT_NE(testing::read_file(path("seed7.csv")), testing::read_file(path("seed8.csv")));
}

TEST_F(OrdersGeneratorTest, UciDateStyleWritesTheSameMomentsAsIso) {
  auto options = orders_options_for(5000, 3);
  generate_orders(path("iso.csv"), options);
  options.date_style = DateStyle::kUci;
  generate_orders(path("uci.csv"), options);
  const auto iso = testing::read_order_rows(path("iso.csv"));
  const auto uci = testing::read_order_rows(path("uci.csv"));
  ASSERT_EQ(iso.size(), uci.size());
  const std::regex iso_form(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:00)");
  const std::regex uci_form(R"((\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}))");
  for (std::size_t i = 0; i < iso.size(); i += 97) {
    ASSERT_TRUE(std::regex_match(iso[i].date, iso_form)) << iso[i].date;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(uci[i].date, m, uci_form)) << uci[i].date;
    const std::string rebuilt =
        fmt::format("{}-{:02}-{:02} {:02}:{}:00", m[3].str(), std::stoi(m[1].str()),
                    std::stoi(m[2].str()), std::stoi(m[4].str()), m[5].str());
    EXPECT_EQ(rebuilt, iso[i].date);
    EXPECT_EQ(uci[i].invoice, iso[i].invoice);
    EXPECT_EQ(uci[i].description, iso[i].description);
  }
}

TEST_F(OrdersGeneratorTest, BadArgumentsAndUnwritableOutputAreErrors) {
  EXPECT_THROW(generate_orders(path("x.csv"), orders_options_for(0)), Error);
  EXPECT_THROW(generate_orders(path("x.csv"), orders_options_for(-5)), Error);
  auto options = orders_options_for(10);
  options.customers = 0;
  EXPECT_THROW(generate_orders(path("x.csv"), options), Error);
  EXPECT_THROW(generate_orders(path("no/such/dir/x.csv"), orders_options_for(10)), Error);
  EXPECT_THROW(generate_orders(dir_.string(), orders_options_for(10)), Error);  // a directory
  EXPECT_THROW(parse_date_style("excel"), Error);
  EXPECT_EQ(parse_date_style("uci"), DateStyle::kUci);
  EXPECT_FALSE(fs::exists(path("x.csv")));
}

// The realism targets stated in orders_generator.cpp, on 200,000 lines from 4,000 customers.
class OrdersGeneratorShapeTest : public OrdersGeneratorTest {
 protected:
  void SetUp() override {
    OrdersGeneratorTest::SetUp();
    generate_orders(path("shape.csv"), orders_options_for(200000, 42));
    rows_ = testing::read_order_rows(path("shape.csv"));
  }
  double share(bool (*predicate)(const OrderRow&)) const {
    return static_cast<double>(std::count_if(rows_.begin(), rows_.end(), predicate)) /
           static_cast<double>(rows_.size());
  }
  std::vector<OrderRow> rows_;
};

// One test per target group: every test process generates and parses the 200,000 lines anew.
TEST_F(OrdersGeneratorShapeTest, CalendarMatchesUci) {
  ASSERT_EQ(rows_.size(), 200000u);
  EXPECT_GE(rows_.front().date, "2010-12-01 00:00:00");
  EXPECT_LE(rows_.back().date, "2011-12-09 23:59:59");
  for (std::size_t i = 1; i < rows_.size(); ++i) {
    ASSERT_LE(rows_[i - 1].date, rows_[i].date) << "line " << i + 1;
  }
  // No trade over the Christmas break, as in UCI.
  for (const OrderRow& row : rows_) {
    ASSERT_FALSE(row.date >= "2010-12-24" && row.date < "2011-01-04") << row.date;
  }

  std::map<std::string, double> month_revenue;
  std::array<std::int64_t, 7> weekday_lines{};
  std::array<std::int64_t, 24> hour_lines{};
  for (const OrderRow& row : rows_) {
    const std::int64_t seconds = testing::parse_iso_seconds(row.date);
    const std::int64_t day = seconds / 86400;
    ++weekday_lines[static_cast<std::size_t>((day + 3) % 7)];  // 1970-01-01 was a Thursday
    ++hour_lines[static_cast<std::size_t>(seconds % 86400 / 3600)];
    month_revenue[row.date.substr(0, 7)] += row.quantity * row.price;
  }
  const auto peak_month =
      std::max_element(month_revenue.begin(), month_revenue.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  EXPECT_EQ(peak_month->first, "2011-11");
  EXPECT_EQ(month_revenue.size(), 13u);
  EXPECT_EQ(weekday_lines[5], 0);  // Saturday
  EXPECT_EQ(std::max_element(weekday_lines.begin(), weekday_lines.end()) - weekday_lines.begin(),
            3);  // Thursday
  EXPECT_EQ(std::max_element(hour_lines.begin(), hour_lines.end()) - hour_lines.begin(), 12);
  for (int hour = 0; hour < 24; ++hour) {
    const auto lines = hour_lines[static_cast<std::size_t>(hour)];
    if (hour < 7 || hour > 20) {
      EXPECT_EQ(lines, 0) << hour;
    } else if (hour >= 8 && hour <= 19) {
      EXPECT_GT(lines, 0) << hour;
    }
  }
}

TEST_F(OrdersGeneratorShapeTest, LinesCustomersAndCountriesMatchUci) {
  EXPECT_NEAR(share([](const OrderRow& r) { return r.customer.empty(); }), 0.25, 0.02);
  EXPECT_NEAR(share([](const OrderRow& r) { return r.invoice.starts_with("C"); }), 0.02, 0.006);
  for (const OrderRow& row : rows_) {
    ASSERT_EQ(row.invoice.starts_with("C"), row.quantity < 0) << row.invoice;
  }
  const double zero_price = share([](const OrderRow& r) { return r.price == 0; });
  EXPECT_GT(zero_price, 0.001);
  EXPECT_LT(zero_price, 0.01);
  EXPECT_LT(share([](const OrderRow& r) { return r.price < 0; }), 0.0002);

  std::unordered_set<std::string> seen;
  seen.reserve(rows_.size());
  std::int64_t duplicates = 0;
  std::string key;
  for (const OrderRow& r : rows_) {
    key.clear();
    for (const std::string* field :
         {&r.invoice, &r.stock_code, &r.description, &r.date, &r.customer, &r.country}) {
      key += *field;
      key += '|';
    }
    key += std::to_string(r.quantity) + '|' + std::to_string(r.price);
    if (!seen.insert(key).second) ++duplicates;
  }
  EXPECT_NEAR(static_cast<double>(duplicates) / static_cast<double>(rows_.size()), 0.01, 0.005);

  {
    std::map<std::string, std::int64_t> country_lines;
    std::unordered_map<std::string, double> spend;
    for (const OrderRow& row : rows_) {
      ++country_lines[row.country];
      if (row.customer.empty() || row.invoice.starts_with("C") || row.price <= 0) continue;
      const int id = std::stoi(row.customer);
      ASSERT_GE(id, 12346);
      ASSERT_LT(id, 12346 + 4000);
      spend[row.customer] += row.quantity * row.price;
    }
    EXPECT_GE(country_lines.size(), 30u);
    EXPECT_LE(country_lines.size(), 38u);
    EXPECT_NEAR(
        static_cast<double>(country_lines["United Kingdom"]) / static_cast<double>(rows_.size()),
        0.90, 0.04);
    EXPECT_GT(spend.size(), 2000u);

    // Target: the top 20 % of customers make 70-80 % of revenue (UCI: ~75 %).
    std::vector<double> totals;
    for (const auto& [id, value] : spend) totals.push_back(value);
    std::sort(totals.rbegin(), totals.rend());
    const auto top = static_cast<std::size_t>(std::ceil(0.2 * static_cast<double>(totals.size())));
    double all = 0, top_sum = 0;
    for (std::size_t i = 0; i < totals.size(); ++i) {
      all += totals[i];
      if (i < top) top_sum += totals[i];
    }
    EXPECT_GT(top_sum / all, 0.68);
    EXPECT_LT(top_sum / all, 0.82);
  }
  {
    std::unordered_map<std::string, std::int64_t> invoice_lines;
    std::int64_t with_comma = 0;
    for (const OrderRow& row : rows_) {
      ++invoice_lines[row.invoice];
      if (row.description.find(',') != std::string::npos) ++with_comma;
    }
    std::int64_t sales_invoices = 0, sales_lines = 0;
    for (const auto& [invoice, count] : invoice_lines) {
      if (invoice.starts_with("C")) continue;
      ++sales_invoices;
      sales_lines += count;
    }
    const double mean_lines =
        static_cast<double>(sales_lines) / static_cast<double>(sales_invoices);
    EXPECT_GT(mean_lines, 12.0);
    EXPECT_LT(mean_lines, 30.0);
    // Rows parsed to exactly 8 fields above, so these commas were inside quotes.
    EXPECT_GT(with_comma, 1000);
    const std::string text = testing::read_file(path("shape.csv"));
    EXPECT_NE(text.find(", "), std::string::npos);
    EXPECT_NE(text.find(",\""), std::string::npos);
  }
}

}  // namespace
}  // namespace custlens::io
