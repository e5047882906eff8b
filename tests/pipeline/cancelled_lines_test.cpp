// The scan's opt-in for cancelled lines (NameFields::cancelled, LineConsumer::add_cancelled): the
// lines the cancellation rule rejects, in file order, with converted fields; asking for them
// changes nothing else (audit, rejects, kept lines and their ids).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "custlens/clean.h"
#include "io/orders_generator.h"
#include "pipeline/order_scan.h"
#include "support/temp_dir.h"

namespace custlens {
namespace {

struct Cancelled {
  std::string customer_id;
  std::uint32_t customer;
  std::int64_t timestamp;
  double amount, quantity;
};

class Collect final : public pipeline::LineConsumer {
 public:
  explicit Collect(bool cancelled = false) : cancelled_(cancelled) {}
  void add(std::span<const pipeline::KeptLine> lines) override {
    kept.insert(kept.end(), lines.begin(), lines.end());
  }
  void add_cancelled(std::span<const pipeline::CancelledLine> lines) override {
    for (const pipeline::CancelledLine& line : lines) {
      cancelled.push_back(Cancelled{std::string(line.customer_id), line.customer, line.timestamp,
                                    line.amount, line.quantity});
    }
  }
  pipeline::NameFields needs() const override { return {true, true, true, cancelled_}; }
  std::vector<pipeline::KeptLine> kept;
  std::vector<Cancelled> cancelled;

 private:
  bool cancelled_;
};

struct Scan {
  pipeline::OrderScanResult result;
  std::vector<Reject> rejects;
  Collect collect;
};

void scan(const std::string& file, bool ask, Scan& run, int threads = 0) {
  pipeline::OrderScanOptions options;
  options.keep_invoice_ids = true;
  options.read.threads = threads;
  pipeline::OrderScan order_scan({file}, options);
  run.collect = Collect(ask);
  pipeline::LineConsumer* consumers[] = {&run.collect};
  run.result = order_scan.run(consumers, [&](std::span<Reject> rejects) {
    run.rejects.insert(run.rejects.end(), rejects.begin(), rejects.end());
  });
}

std::int64_t seconds(int y, int m, int d, int hh = 0, int mm = 0) {
  // Days from civil (Howard Hinnant), independent of the project's calendar.
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = std::int64_t{era} * 146097 + doe - 719468;
  return days * 86400 + hh * 3600 + mm * 60;
}

void expect_same_except_cancelled(const Scan& a, const Scan& b) {
  const auto counts_a = audit_counts(a.result.audit), counts_b = audit_counts(b.result.audit);
  ASSERT_EQ(counts_a.size(), counts_b.size());
  for (std::size_t i = 0; i < counts_a.size(); ++i) {
    EXPECT_EQ(counts_a[i].value, counts_b[i].value) << counts_a[i].name;
  }
  ASSERT_EQ(a.rejects.size(), b.rejects.size());
  for (std::size_t i = 0; i < a.rejects.size(); ++i) {
    EXPECT_EQ(a.rejects[i].line, b.rejects[i].line);
    EXPECT_EQ(a.rejects[i].rule, b.rejects[i].rule);
    EXPECT_EQ(a.rejects[i].content, b.rejects[i].content);
  }
  ASSERT_EQ(a.collect.kept.size(), b.collect.kept.size());
  for (std::size_t i = 0; i < a.collect.kept.size(); ++i) {
    const pipeline::KeptLine &x = a.collect.kept[i], &y = b.collect.kept[i];
    EXPECT_EQ(x.customer, y.customer);
    EXPECT_EQ(x.invoice, y.invoice);
    EXPECT_EQ(x.timestamp, y.timestamp);
    EXPECT_EQ(x.amount, y.amount);
    EXPECT_EQ(x.country, y.country);
  }
  EXPECT_EQ(a.result.names.customer_ids, b.result.names.customer_ids);
  EXPECT_EQ(a.result.names.invoice_ids, b.result.names.invoice_ids);
}

TEST(CancelledLines, HandedInFileOrderWithConvertedFieldsAndNoNewCustomer) {
  testing::TempDir dir;
  const std::string file = dir.write("orders.csv",
                                     "InvoiceNo,Description,Quantity,InvoiceDate,UnitPrice,"
                                     "CustomerID,Country\n"
                                     "C100,MUG,-2,2011-01-05 10:30,1.5,900.0,France\n"  // before
                                     "101,MUG,3,2011-01-06 09:00,1.5,900,France\n"
                                     "102,CUP,1,2011-01-07 09:00,4,901,Spain\n"
                                     "C103,CUP,-1,2011-01-08 12:00,4,901,Spain\n"
                                     "C104,CUP,-5,2011-01-09 12:00,2,777,Spain\n"  // only cancels
                                     "C105,CUP,-1,2011-01-10 12:00,2,,Spain\n"  // missing customer
                                     "C106,CUP,abc,2011-01-10 12:00,2,901,Spain\n"  // malformed
                                     "107,CUP,-1,2011-01-11 12:00,2,901,Spain\n")
                               .string();
  Scan with, without;
  scan(file, true, with);
  scan(file, false, without);
  expect_same_except_cancelled(with, without);
  EXPECT_TRUE(without.collect.cancelled.empty());
  ASSERT_EQ(with.collect.cancelled.size(), 3U);
  const auto& c = with.collect.cancelled;
  // Customer 900's cancellation comes in the same batch as its first purchase, after it.
  EXPECT_EQ(c[0].customer_id, "900");  // normalised as a kept line's id
  EXPECT_EQ(c[0].customer, 0U);
  EXPECT_EQ(c[0].timestamp, seconds(2011, 1, 5, 10, 30));
  EXPECT_DOUBLE_EQ(c[0].amount, -3.0);
  EXPECT_DOUBLE_EQ(c[0].quantity, -2.0);
  EXPECT_EQ(c[1].customer_id, "901");
  EXPECT_EQ(c[1].customer, 1U);
  EXPECT_DOUBLE_EQ(c[1].amount, -4.0);
  EXPECT_EQ(c[2].customer_id, "777");
  EXPECT_EQ(c[2].customer, pipeline::kNoId);
  EXPECT_DOUBLE_EQ(c[2].amount, -10.0);
  // A customer with cancellations only gets no id.
  EXPECT_EQ(with.result.names.customer_ids, (std::vector<std::string>{"900", "901"}));
  EXPECT_EQ(with.result.audit.cancelled, 3);
  EXPECT_EQ(with.result.audit.customers_kept, 2);
}

TEST(CancelledLines, AmountColumnInputs) {
  testing::TempDir dir;
  const std::string file = dir.write("invoices.csv",
                                     "InvoiceNo,InvoiceDate,CustomerID,TotalPrice\n"
                                     "1,2011-02-01,5,10\n"
                                     "C2,2011-02-02,5,-7.5\n")
                               .string();
  Scan with;
  scan(file, true, with);
  ASSERT_EQ(with.collect.cancelled.size(), 1U);
  EXPECT_DOUBLE_EQ(with.collect.cancelled[0].amount, -7.5);
  EXPECT_EQ(with.collect.cancelled[0].quantity, 0);
  EXPECT_EQ(with.collect.cancelled[0].customer, 0U);
}

// On a generated file of many batches: the same cancellations as the rule counts, in file order,
// each matched to the customer its kept lines have (when they came before), and nothing else moves.
TEST(CancelledLines, GeneratedFileManyBatches) {
  testing::TempDir dir;
  io::OrdersGeneratorOptions gen;
  gen.rows = 120000;
  gen.customers = 3000;
  gen.threads = 1;
  const std::string file = (dir.path() / "gen.csv").string();
  io::generate_orders(file, gen);
  Scan with, without;
  scan(file, true, with, 2);
  scan(file, false, without, 2);
  expect_same_except_cancelled(with, without);
  const auto& cancelled = with.collect.cancelled;
  ASSERT_EQ(static_cast<std::int64_t>(cancelled.size()), with.result.audit.cancelled);
  ASSERT_GT(cancelled.size(), 100U);
  // File order: the rejects of rule "cancelled" in line order name the same customers.
  std::vector<std::string> rejected_ids;
  for (const Reject& reject : with.rejects) {
    if (reject.rule != line_rule_name(LineRule::kCancelled)) continue;
    rejected_ids.push_back(reject.content.substr(reject.id_begin, reject.id_end - reject.id_begin));
  }
  ASSERT_EQ(rejected_ids.size(), cancelled.size());
  const auto& ids = with.result.names.customer_ids;
  std::size_t known = 0;
  for (std::size_t i = 0; i < cancelled.size(); ++i) {
    EXPECT_EQ(customer_id_view(rejected_ids[i]), cancelled[i].customer_id) << i;
    EXPECT_LT(cancelled[i].quantity, 0);  // some have price 0
    EXPECT_LE(cancelled[i].amount, 0);
    if (cancelled[i].customer == pipeline::kNoId) continue;
    ++known;
    ASSERT_LT(cancelled[i].customer, ids.size());
    EXPECT_EQ(ids[cancelled[i].customer], cancelled[i].customer_id);
  }
  EXPECT_GT(known, cancelled.size() / 2);
}

}  // namespace
}  // namespace custlens
