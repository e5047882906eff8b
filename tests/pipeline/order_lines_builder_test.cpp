// OrderLinesBuilder against the table path it replaces for `serve`: read_dataset + clean_orders
// must give the same lines (values, customers, names per line), the same summary.json and the
// same filtered views (date range, country, tier) as the lines built from the streaming scan.
#include "pipeline/order_lines_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>

#include "custlens/error.h"
#include "custlens/order_filter.h"
#include "custlens/rfm.h"
#include "io/orders_generator.h"
#include "pipeline/order_scan.h"
#include "report/summary.h"
#include "support/order_inputs.h"
#include "support/temp_dir.h"

namespace custlens {
namespace {

std::string builder_data(const std::string& name) { return std::string(CUSTLENS_TEST_DATA) + "/" + name; }

struct Built {
  OrderLines lines;
  CleaningAudit audit;
};

// What `serve` does: one scan, the kept lines built as they come.
Built build(const std::vector<std::string>& files, const CleanOptions& clean) {
  pipeline::OrderScanOptions options;
  options.dedup = clean.dedup;
  options.outliers = clean.outliers;
  options.keep_invoice_ids = true;
  pipeline::OrderScan scan(files, options);
  pipeline::OrderLinesBuilder builder(scan.columns());
  pipeline::LineConsumer* consumers[] = {&builder};
  pipeline::OrderScanResult result = scan.run(consumers, {});
  return {builder.finish(std::move(result.names)), result.audit};
}

// Line by line the same values and the same name behind every id (ids themselves may differ
// but for customers: the table path names every value of a column, the builder kept lines' only).
void expect_same_lines(const OrderLines& built, const OrderLines& table) {
  ASSERT_EQ(built.size(), table.size());
  EXPECT_EQ(built.customer, table.customer);
  EXPECT_EQ(built.customer_ids, table.customer_ids);
  EXPECT_EQ(built.timestamp, table.timestamp);
  EXPECT_EQ(built.amount, table.amount);
  EXPECT_EQ(built.quantity, table.quantity);
  auto same_names = [&](const std::vector<std::uint32_t>& a,
                        const std::vector<std::string>& a_names,
                        const std::vector<std::uint32_t>& b,
                        const std::vector<std::string>& b_names, const char* column) {
    SCOPED_TRACE(column);
    ASSERT_EQ(a.size(), b.size());
    EXPECT_LE(a_names.size(), b_names.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (b[i] == OrderLines::kNone) {
        ASSERT_EQ(a[i], OrderLines::kNone) << i;
      } else {
        ASSERT_LT(a[i], a_names.size()) << i;
        ASSERT_EQ(a_names[a[i]], b_names[b[i]]) << i;
      }
    }
  };
  same_names(built.invoice, built.invoice_ids, table.invoice, table.invoice_ids, "invoice");
  same_names(built.country, built.country_names, table.country, table.country_names, "country");
  same_names(built.description, built.descriptions, table.description, table.descriptions,
             "description");
  same_names(built.category, built.category_names, table.category, table.category_names,
             "category");
}

// Equal in every field: a view renumbers every name by first use, whatever the ids were.
void expect_equal(const OrderLines& a, const OrderLines& b) {
  EXPECT_EQ(a.customer, b.customer);
  EXPECT_EQ(a.customer_ids, b.customer_ids);
  EXPECT_EQ(a.invoice, b.invoice);
  EXPECT_EQ(a.invoice_ids, b.invoice_ids);
  EXPECT_EQ(a.timestamp, b.timestamp);
  EXPECT_EQ(a.amount, b.amount);
  EXPECT_EQ(a.quantity, b.quantity);
  EXPECT_EQ(a.country, b.country);
  EXPECT_EQ(a.country_names, b.country_names);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.descriptions, b.descriptions);
  EXPECT_EQ(a.category, b.category);
  EXPECT_EQ(a.category_names, b.category_names);
}

// The dashboard's answer for a view: summary.json of the filtered lines (or none).
nlohmann::json view_summary(const OrderLines& full, const CleaningAudit& audit,
                            const OrderFilter& filter, std::int64_t as_of) {
  const OrderLines lines = filter_order_lines(full, filter);
  if (lines.size() == 0) return nullptr;
  RfmOptions rfm;
  rfm.as_of = filtered_as_of(as_of, filter);
  return report::summary_to_json(report::build_summary(lines, audit, {}, rfm, {}));
}

// The filters a dashboard user would try on these lines: date ranges, the most common country and
// "Unknown", each tier of the full analysis.
std::vector<OrderFilter> filters_for(const OrderLines& lines, const RfmResult& rfm) {
  std::vector<OrderFilter> filters(1);  // no filter, through filter_order_lines all the same
  std::vector<std::int64_t> times = lines.timestamp;
  std::sort(times.begin(), times.end());
  filters.emplace_back().from = times[times.size() / 2];
  filters.emplace_back().to = times[times.size() / 4];
  OrderFilter range;
  range.from = times[times.size() / 4];
  range.to = times[times.size() * 3 / 4];
  filters.push_back(range);
  if (!lines.country.empty()) {
    std::map<std::string, std::size_t> count;
    for (std::uint32_t id : lines.country) {
      if (id != OrderLines::kNone) ++count[lines.country_names[id]];
    }
    if (!count.empty()) {
      filters.emplace_back().country =
          std::max_element(count.begin(), count.end(), [](const auto& a, const auto& b) {
            return a.second < b.second;
          })->first;
    }
    filters.emplace_back().country = "Unknown";
  }
  for (std::size_t segment = 0; segment < rfm.segments.size(); ++segment) {
    std::vector<std::string> members;
    for (const CustomerRfm& customer : rfm.customers) {
      if (customer.segment == static_cast<int>(segment)) members.push_back(customer.customer_id);
    }
    if (!members.empty()) filters.emplace_back().customers = std::move(members);
  }
  return filters;
}

void builder_expect_same(const std::vector<std::string>& files, const CleanOptions& clean) {
  SCOPED_TRACE(files.front());
  const Built built = build(files, clean);
  const CleanResult table = testing::clean_with_table_path(files, clean);
  ASSERT_NO_FATAL_FAILURE(expect_same_lines(built.lines, table.lines));
  if (table.lines.size() == 0) return;

  // The unfiltered summary.json, as the dashboard serves it.
  const report::Summary full_built =
      report::build_summary(built.lines, built.audit, {}, RfmOptions{}, PatternOptions{});
  const report::Summary full_table =
      report::build_summary(table.lines, table.audit, {}, RfmOptions{}, PatternOptions{});
  EXPECT_EQ(report::summary_to_json(full_built), report::summary_to_json(full_table));

  for (const OrderFilter& filter : filters_for(table.lines, full_table.rfm)) {
    SCOPED_TRACE(::testing::Message()
                 << "from " << filter.from.value_or(-1) << " to " << filter.to.value_or(-1)
                 << " country " << filter.country.value_or("-") << " customers "
                 << (filter.customers ? filter.customers->size() : 0));
    expect_equal(filter_order_lines(built.lines, filter), filter_order_lines(table.lines, filter));
    EXPECT_EQ(view_summary(built.lines, full_built.audit, filter, full_built.rfm.as_of),
              view_summary(table.lines, full_table.audit, filter, full_table.rfm.as_of));
  }
}

// Every test runs testing::few_option_sets: flag (with and without --dedup, each rule), then
// outliers dropped and capped, for which the scan reads the files twice and hands out the lines
// clean_orders keeps, capped values included.
using testing::few_option_sets;

// The bigger files with the default options only (CI time; the generated and hostile files
// take every option set).
TEST(OrderLinesBuilder, SameAsTablePathOnTheSampleFiles) {
  for (const char* name : {"orders_edge.csv", "patterns_orders.csv"}) {
    for (const CleanOptions& options : few_option_sets()) builder_expect_same({builder_data(name)}, options);
  }
  for (const char* name : {"online_retail_invoices.csv", "online_retail_sample.xlsx"}) {
    builder_expect_same({builder_data(name)}, {});
  }
}

TEST(OrderLinesBuilder, SameAsTablePathOnGeneratedOrders) {
  testing::TempDir dir;
  const std::string file = (dir.path() / "orders.csv").string();
  io::OrdersGeneratorOptions gen;
  gen.rows = 12000;
  gen.customers = 400;
  gen.seed = 3;
  gen.date_style = io::DateStyle::kUci;
  io::generate_orders(file, gen);
  for (const CleanOptions& options : few_option_sets()) builder_expect_same({file}, options);
}

TEST(OrderLinesBuilder, SameAsTablePathOnHostileRows) {
  testing::TempDir dir;
  std::mt19937_64 random(23);
  std::vector<std::string> files;
  for (int f = 0; f < 2; ++f) {
    files.push_back((dir.path() / ("hostile" + std::to_string(f) + ".csv")).string());
    std::ofstream out(files.back());
    testing::write_hostile_orders(out, random, 3000);
  }
  for (const CleanOptions& options : few_option_sets()) builder_expect_same(files, options);
}

// No invoice, quantity or description column: those vectors stay empty on both sides, and
// frequency counts purchase days.
TEST(OrderLinesBuilder, SameAsTablePathWithoutOptionalColumns) {
  testing::TempDir dir;
  const std::string file = (dir.path() / "amounts.csv").string();
  std::ofstream(file) << "customer_id,order_date,amount,country\n"
                         "a,2011-01-03,10,UK\nb,2011-01-03,5,\nc,2011-01-04,0,France\n"
                         ",2011-01-05,3,UK\na,2011-01-09,7.5,France\nb,2011-02-01,2,UK\n"
                         "a,2011-01-09,7.5,France\n";
  for (const CleanOptions& options : few_option_sets()) {
    builder_expect_same({file}, options);
    const Built built = build({file}, options);
    EXPECT_TRUE(built.lines.invoice.empty());
    EXPECT_TRUE(built.lines.invoice_ids.empty());
    EXPECT_TRUE(built.lines.quantity.empty());
    EXPECT_TRUE(built.lines.description.empty());
    EXPECT_EQ(built.lines.country.size(), built.lines.size());
  }
}

// Lines whose invoices the scan did not keep cannot name them: an error, not ids past the end.
TEST(OrderLinesBuilder, InvoiceIdsMustBeKept) {
  pipeline::OrderScan scan({builder_data("orders_edge.csv")}, {});
  pipeline::OrderLinesBuilder builder(scan.columns());
  pipeline::LineConsumer* consumers[] = {&builder};
  pipeline::OrderScanResult result = scan.run(consumers, {});
  ASSERT_GT(result.audit.rows_kept, 0);
  EXPECT_THROW(builder.finish(std::move(result.names)), Error);
}

}  // namespace
}  // namespace custlens
