// The streaming scan against the table path it replaces: read_dataset + clean_orders +
// compute_rfm must give the same audit, rejects, kept lines, outlier statistics and RFM.
#include "pipeline/order_scan.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "analysis/rfm_accumulator.h"
#include "custlens/clean.h"
#include "custlens/error.h"
#include "custlens/rfm.h"
#include "io/orders_generator.h"
#include "support/order_inputs.h"

namespace custlens {
namespace {

namespace fs = std::filesystem;

std::string scan_data(const std::string& name) { return std::string(CUSTLENS_TEST_DATA) + "/" + name; }

// Every kept line, as the scan hands it out.
class ScanCollect final : public pipeline::LineConsumer {
 public:
  void add(std::span<const pipeline::KeptLine> lines) override {
    this->lines.insert(this->lines.end(), lines.begin(), lines.end());
  }
  std::vector<pipeline::KeptLine> lines;
};

struct Streamed {
  pipeline::OrderScanResult result;
  std::vector<Reject> rejects;
  std::vector<pipeline::KeptLine> lines;
  CustomerTotals totals;
};

Streamed stream(const std::vector<std::string>& files, const CleanOptions& clean,
                std::vector<std::pair<std::string, std::string>> maps = {}) {
  pipeline::OrderScanOptions options;
  options.dedup = clean.dedup;
  options.keep_invoice_ids = true;
  options.outliers = clean.outliers;
  options.maps = std::move(maps);
  pipeline::OrderScan scan(files, options);
  analysis::RfmAccumulator rfm(!scan.columns().has_invoice);
  ScanCollect collect;
  pipeline::LineConsumer* consumers[] = {&rfm, &collect};
  Streamed out;
  out.result = scan.run(consumers, [&](std::span<Reject> rejects) {
    out.rejects.insert(out.rejects.end(), rejects.begin(), rejects.end());
  });
  out.lines = std::move(collect.lines);
  const std::vector<std::string> ids = out.result.names.customer_ids;
  out.totals = rfm.finish(out.result.names);  // takes the ids
  out.result.names.customer_ids = ids;
  return out;
}

void scan_expect_same(const std::vector<std::string>& files, const CleanOptions& clean,
                 const std::vector<std::pair<std::string, std::string>>& maps = {}) {
  SCOPED_TRACE(files.front());
  const Streamed s = stream(files, clean, maps);
  const CleanResult t = testing::clean_with_table_path(files, clean, maps);

  const CleaningAudit& a = s.result.audit;
  const CleaningAudit& b = t.audit;
  const auto counts_a = audit_counts(a), counts_b = audit_counts(b);
  for (std::size_t i = 0; i < counts_a.size(); ++i) {
    EXPECT_EQ(counts_a[i].value, counts_b[i].value) << counts_a[i].name;
  }
  EXPECT_EQ(a.duplicates_dropped, b.duplicates_dropped);
  EXPECT_EQ(a.outliers.rows_dropped, b.outliers.rows_dropped);

  ASSERT_EQ(s.rejects.size(), t.rejects.size());
  for (std::size_t i = 0; i < s.rejects.size(); ++i) {
    const Reject& x = s.rejects[i];
    const Reject& y = t.rejects[i];
    EXPECT_EQ(x.file, y.file) << i;
    EXPECT_EQ(x.line, y.line) << i;
    EXPECT_EQ(x.rule, y.rule) << i;
    EXPECT_EQ(x.detail, y.detail) << i;
    EXPECT_EQ(x.content, y.content) << i;
    EXPECT_EQ(x.id_begin, y.id_begin) << i;
    EXPECT_EQ(x.id_end, y.id_end) << i;
  }

  // The kept lines, value for value and name for name.
  const OrderLines& lines = t.lines;
  const pipeline::LineNames& names = s.result.names;
  ASSERT_EQ(s.lines.size(), lines.size());
  EXPECT_EQ(names.customer_ids, lines.customer_ids);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const pipeline::KeptLine& k = s.lines[i];
    ASSERT_EQ(k.customer, lines.customer[i]) << i;
    ASSERT_EQ(k.timestamp, lines.timestamp[i]) << i;
    ASSERT_EQ(k.amount, lines.amount[i]) << i;
    if (!lines.quantity.empty()) ASSERT_EQ(k.quantity, lines.quantity[i]) << i;
    if (!lines.invoice.empty()) {
      ASSERT_EQ(names.invoice_ids[k.invoice], lines.invoice_ids[lines.invoice[i]]) << i;
    }
    auto same_name = [&](std::uint32_t id, const std::vector<std::string>& stream_names,
                         const std::vector<std::uint32_t>& codes,
                         const std::vector<std::string>& table_names, const char* what) {
      if (codes.empty()) return;
      if (codes[i] == OrderLines::kNone) {
        EXPECT_EQ(id, pipeline::kNoId) << what << " " << i;
      } else {
        ASSERT_NE(id, pipeline::kNoId) << what << " " << i;
        EXPECT_EQ(stream_names[id], table_names[codes[i]]) << what << " " << i;
      }
    };
    same_name(k.country, names.country_names, lines.country, lines.country_names, "country");
    same_name(k.description, names.descriptions, lines.description, lines.descriptions,
              "description");
    same_name(k.category, names.category_names, lines.category, lines.category_names, "category");
  }

  ASSERT_EQ(a.outliers.fields.size(), b.outliers.fields.size());
  for (std::size_t f = 0; f < a.outliers.fields.size(); ++f) {
    const OutlierField& x = a.outliers.fields[f];
    const OutlierField& y = b.outliers.fields[f];
    SCOPED_TRACE(y.field);
    EXPECT_EQ(x.field, y.field);
    EXPECT_EQ(x.count, y.count);
    EXPECT_EQ(x.min, y.min);
    EXPECT_EQ(x.q1, y.q1);
    EXPECT_EQ(x.median, y.median);
    EXPECT_EQ(x.q3, y.q3);
    EXPECT_EQ(x.max, y.max);
    EXPECT_EQ(x.mean, y.mean);
    EXPECT_EQ(x.sd, y.sd);
    EXPECT_EQ(x.lower, y.lower);
    EXPECT_EQ(x.upper, y.upper);
    EXPECT_EQ(x.below, y.below);
    EXPECT_EQ(x.above, y.above);
    EXPECT_EQ(x.action, y.action);
    EXPECT_EQ(x.dropped, y.dropped);
    EXPECT_EQ(x.capped, y.capped);
    ASSERT_EQ(x.examples.size(), y.examples.size());
    for (std::size_t e = 0; e < x.examples.size(); ++e) {
      EXPECT_EQ(x.examples[e].file, y.examples[e].file);
      EXPECT_EQ(x.examples[e].line, y.examples[e].line);
      EXPECT_EQ(x.examples[e].customer_id, y.examples[e].customer_id);
      EXPECT_EQ(x.examples[e].value, y.examples[e].value);
    }
  }

  if (lines.size() == 0) return;
  for (const char* scheme : {"five", "cn8", "rfm11"}) {
    RfmOptions options;
    options.scheme = scheme;
    const RfmResult x = rfm_from_totals(s.totals, options);
    const RfmResult y = compute_rfm(lines, options);
    ASSERT_EQ(x.customers.size(), y.customers.size());
    for (std::size_t i = 0; i < x.customers.size(); ++i) {
      const CustomerRfm& p = x.customers[i];
      const CustomerRfm& q = y.customers[i];
      ASSERT_EQ(p.customer_id, q.customer_id);
      EXPECT_EQ(p.recency_days, q.recency_days);
      EXPECT_EQ(p.frequency, q.frequency) << p.customer_id;
      EXPECT_EQ(p.monetary, q.monetary) << p.customer_id;
      EXPECT_EQ(p.first_purchase, q.first_purchase);
      EXPECT_EQ(p.segment, q.segment);
      EXPECT_EQ(p.r_score * 100 + p.f_score * 10 + p.m_score,
                q.r_score * 100 + q.f_score * 10 + q.m_score);
    }
    EXPECT_EQ(x.revenue, y.revenue);
    ASSERT_EQ(x.segments.size(), y.segments.size());
    for (std::size_t g = 0; g < x.segments.size(); ++g) {
      EXPECT_EQ(x.segments[g].customers, y.segments[g].customers);
      EXPECT_EQ(x.segments[g].revenue, y.segments[g].revenue);
    }
  }
}

// Fewer combinations for the bigger files; the hostile rows get all fourteen.
using testing::few_option_sets;

std::vector<CleanOptions> option_sets() {
  std::vector<CleanOptions> sets;
  for (bool dedup : {false, true}) {
    for (OutlierMethod method : {OutlierMethod::kIqr, OutlierMethod::kZ, OutlierMethod::kOff}) {
      for (OutlierAction action :
           {OutlierAction::kFlag, OutlierAction::kDrop, OutlierAction::kCap}) {
        if (method == OutlierMethod::kOff && action != OutlierAction::kFlag) continue;
        CleanOptions options;
        options.dedup = dedup;
        options.outliers.method = method;
        options.outliers.action = action;
        sets.push_back(options);
      }
    }
  }
  return sets;
}

TEST(OrderScan, SameAsTablePathOnTheSampleFiles) {
  for (const char* name :
       {"orders_edge.csv", "patterns_orders.csv", "online_retail_invoices.csv"}) {
    for (const CleanOptions& options : few_option_sets()) scan_expect_same({scan_data(name)}, options);
  }
  // The workbook is the slow one to read: the default and the two-read cap only.
  for (const std::size_t set : {0, 4}) {
    scan_expect_same({scan_data("online_retail_sample.xlsx")}, few_option_sets()[set]);
  }
}

// A temp file removed at the end of the test.
struct TempFile {
  fs::path path;
  explicit TempFile(const std::string& name)
      : path(fs::temp_directory_path() /
             (std::to_string(::getpid()) + "_" +
              std::to_string(reinterpret_cast<std::uintptr_t>(this)) + "_" + name)) {}
  ~TempFile() { fs::remove(path); }
};

TEST(OrderScan, SameAsTablePathOnGeneratedOrders) {
  TempFile file("orders.csv");
  io::OrdersGeneratorOptions gen;
  gen.rows = 30000;
  gen.customers = 700;
  gen.seed = 7;
  gen.date_style = io::DateStyle::kUci;
  io::generate_orders(file.path.string(), gen);
  for (const CleanOptions& options : few_option_sets()) {
    scan_expect_same({file.path.string()}, options);
  }
}

// Rows that break every rule (testing::write_hostile_orders), over two files.
TEST(OrderScan, SameAsTablePathOnHostileRows) {
  std::mt19937_64 random(11);
  std::vector<std::unique_ptr<TempFile>> files;
  std::vector<std::string> paths;
  for (int f = 0; f < 2; ++f) {
    files.push_back(std::make_unique<TempFile>("hostile" + std::to_string(f) + ".csv"));
    std::ofstream out(files.back()->path);
    testing::write_hostile_orders(out, random, 4000);
  }
  for (const auto& file : files) paths.push_back(file->path.string());
  for (const CleanOptions& options : option_sets()) scan_expect_same(paths, options);

  // Without a reject sink the scan skips building rejects: the same counts all the same.
  for (bool dedup : {false, true}) {
    pipeline::OrderScanOptions options;
    options.dedup = dedup;
    pipeline::OrderScan with(paths, options), without(paths, options);
    const CleaningAudit a = with.run({}, [](std::span<Reject>) {}).audit;
    const CleaningAudit b = without.run({}, {}).audit;
    const auto x = audit_counts(a), y = audit_counts(b);
    for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(x[i].value, y[i].value) << x[i].name;
  }
}

// Only the name fields some consumer reads are looked up; the rest of every line is the same.
TEST(OrderScan, LooksUpOnlyTheNamesItsConsumersRead) {
  class CountryOnly final : public pipeline::LineConsumer {
   public:
    void add(std::span<const pipeline::KeptLine> lines) override { collect.add(lines); }
    pipeline::NameFields needs() const override { return {true, false, false}; }
    ScanCollect collect;
  };
  const std::vector<std::string> files = {scan_data("patterns_orders.csv")};
  const Streamed full = stream(files, {});

  pipeline::OrderScan rfm_scan(files, {});
  analysis::RfmAccumulator rfm(false);
  pipeline::LineConsumer* rfm_only[] = {&rfm};
  pipeline::OrderScanResult r = rfm_scan.run(rfm_only, {});
  EXPECT_TRUE(r.names.country_names.empty());
  EXPECT_TRUE(r.names.descriptions.empty());
  EXPECT_TRUE(r.names.has_country && r.names.has_description);
  const CustomerTotals totals = rfm.finish(r.names);
  EXPECT_EQ(totals.ids, full.totals.ids);
  ASSERT_EQ(totals.monetary.size(), full.totals.monetary.size());
  for (std::size_t c = 0; c < totals.monetary.size(); ++c) {
    EXPECT_EQ(totals.monetary[c], full.totals.monetary[c]);
    EXPECT_EQ(totals.frequency[c], full.totals.frequency[c]);
  }

  pipeline::OrderScan country_scan(files, {});
  CountryOnly country;
  pipeline::LineConsumer* country_only[] = {&country};
  const pipeline::OrderScanResult c = country_scan.run(country_only, {});
  EXPECT_EQ(c.names.country_names, full.result.names.country_names);
  EXPECT_TRUE(c.names.descriptions.empty());
  ASSERT_EQ(country.collect.lines.size(), full.lines.size());
  for (std::size_t i = 0; i < full.lines.size(); ++i) {
    const pipeline::KeptLine& a = country.collect.lines[i];
    const pipeline::KeptLine& b = full.lines[i];
    ASSERT_NE(b.description, pipeline::kNoId);
    EXPECT_EQ(a.description, pipeline::kNoId);
    EXPECT_EQ(std::tie(a.customer, a.invoice, a.timestamp, a.amount, a.quantity, a.country),
              std::tie(b.customer, b.invoice, b.timestamp, b.amount, b.quantity, b.country));
  }
}

TEST(OrderScan, NamesMissingRolesWithMap) {
  TempFile file("no_customer.csv");
  std::ofstream(file.path) << "InvoiceNo,InvoiceDate,TotalPrice\n1,2010-12-01,3\n";
  try {
    pipeline::OrderScan scan({file.path.string()}, {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--map customer="), std::string::npos) << e.what();
  }
}

// Files whose headers differ: the table path's message, word for word.
TEST(OrderScan, HeaderThatDiffersIsTheTablePathsError) {
  TempFile a("a.csv"), b("b.csv");
  std::ofstream(a.path) << "InvoiceNo,InvoiceDate,CustomerID,TotalPrice\n1,2010-12-01,7,3\n";
  std::ofstream(b.path) << "InvoiceNo,InvoiceDate,CustomerID,Amount\n2,2010-12-02,8,4\n";
  const std::vector<std::string> files = {a.path.string(), b.path.string()};
  std::string table_error, scan_error;
  try {
    testing::clean_with_table_path(files, {});
  } catch (const Error& e) {
    table_error = e.what();
  }
  try {
    pipeline::OrderScan(files, {}).run({}, {});
  } catch (const Error& e) {
    scan_error = e.what();
  }
  EXPECT_NE(scan_error.find("header differs"), std::string::npos) << scan_error;
  EXPECT_EQ(scan_error, table_error);
}

TEST(OrderScan, OnlyAHeaderIsAnError) {
  TempFile file("header_only.csv");
  std::ofstream(file.path) << "InvoiceNo,InvoiceDate,CustomerID,TotalPrice\n";
  pipeline::OrderScan scan({file.path.string()}, {});
  EXPECT_THROW(scan.run({}, {}), Error);
}

}  // namespace
}  // namespace custlens
