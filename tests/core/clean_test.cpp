#include "custlens/clean.h"

#include <gtest/gtest.h>

#include "custlens/error.h"

namespace custlens {
namespace {

// A hand-built data set in the UCI layout: each row is (invoice, customer, day, qty, price).
struct Row {
  const char* invoice;
  const char* customer;  // nullptr = null
  std::int64_t timestamp;
  double quantity;
  double price;
  std::uint64_t hash;
};

Dataset make_dataset(const std::vector<Row>& rows) {
  Dataset data;
  data.files = {"orders.csv"};
  Column invoice("InvoiceNo", ColumnType::kString);
  Column customer("CustomerID", ColumnType::kString);
  Column date("InvoiceDate", ColumnType::kTimestamp);
  Column quantity("Quantity", ColumnType::kDouble);
  Column price("UnitPrice", ColumnType::kDouble);
  std::int64_t line = 2;
  for (const Row& row : rows) {
    invoice.append_string(row.invoice);
    if (row.customer) {
      customer.append_string(row.customer);
    } else {
      customer.append_null();
    }
    date.append_int(row.timestamp);
    quantity.append_double(row.quantity);
    price.append_double(row.price);
    data.row_file.push_back(0);
    data.row_line.push_back(line++);
    data.row_hash.push_back(row.hash);
  }
  for (Column* column : {&invoice, &customer, &date, &quantity, &price}) {
    data.table.add_column(std::move(*column));
  }
  for (const char* name : {"InvoiceNo", "CustomerID", "InvoiceDate", "Quantity", "UnitPrice"}) {
    data.columns.push_back(ColumnInfo{name, ColumnType::kString, "", true});
  }
  data.rows_read = static_cast<std::int64_t>(rows.size());
  return data;
}

RoleMap uci_roles() {
  std::vector<std::string> header = {"InvoiceNo", "CustomerID", "InvoiceDate", "Quantity",
                                     "UnitPrice"};
  return detect_roles(header);
}

TEST(CleanOrdersTest, EachRuleCountedOnceInOrder) {
  std::vector<Row> rows = {
      {"536365", "17850", 100, 6, 2.55, 1},
      {"536366", nullptr, 100, 6, 2.55, 2},    // missing customer
      {"C536367", nullptr, 100, -1, 2.55, 3},  // missing customer wins over cancelled
      {"C536368", "17850", 100, -1, 2.55, 4},  // cancelled wins over quantity
      {"536369", "13047", 100, 0, 1.0, 5},     // quantity <= 0
      {"536370", "13047", 100, 0, 0.0, 6},     // quantity wins over price
      {"536371", "13047", 100, 2, 0.0, 7},     // price <= 0
      {"536372", "17850.0", 200, 1, 10.0, 8},  // same customer as 17850
      {"536365", "17850", 100, 6, 2.55, 1},    // duplicate of the first row
  };
  CleanResult result = clean_orders(make_dataset(rows), uci_roles(), CleanOptions{});
  const CleaningAudit& audit = result.audit;
  EXPECT_EQ(audit.rows_read, 9);
  EXPECT_EQ(audit.malformed, 0);
  EXPECT_EQ(audit.missing_customer, 2);
  EXPECT_EQ(audit.cancelled, 1);
  EXPECT_EQ(audit.non_positive_quantity, 2);
  EXPECT_EQ(audit.non_positive_price, 1);
  EXPECT_EQ(audit.duplicates, 1);
  EXPECT_EQ(audit.rows_kept, 3);
  EXPECT_EQ(audit.customers_kept, 1);
  ASSERT_EQ(result.lines.size(), 3u);
  EXPECT_EQ(result.lines.customer_ids[0], "17850");
  EXPECT_DOUBLE_EQ(result.lines.amount[1], 10.0);
  ASSERT_EQ(result.rejects.size(), 6u);
  EXPECT_EQ(result.rejects[0].rule, "missing_customer");
  EXPECT_EQ(result.rejects[0].line, 3);
  EXPECT_EQ(result.rejects[0].content, "536366,,1970-01-01 00:01:40,6,2.55");
  EXPECT_EQ(result.rejects[2].rule, "cancelled");
  EXPECT_EQ(result.rejects[5].rule, "non_positive_price");
  EXPECT_EQ(result.rejects[5].file, "orders.csv");
}

TEST(CleanOrdersTest, DedupDropsLaterCopiesOnly) {
  std::vector<Row> rows = {
      {"1", "a", 100, 1, 1.0, 42},
      {"2", "b", 100, 1, 1.0, 7},
      {"1", "a", 100, 1, 1.0, 42},
      {"1", "a", 100, 1, 1.0, 42},
  };
  CleanOptions options;
  options.dedup = true;
  CleanResult result = clean_orders(make_dataset(rows), uci_roles(), options);
  EXPECT_EQ(result.audit.duplicates, 2);
  EXPECT_TRUE(result.audit.duplicates_dropped);
  EXPECT_EQ(result.audit.rows_kept, 2);
  ASSERT_EQ(result.rejects.size(), 2u);
  EXPECT_EQ(result.rejects[0].line, 4);
  EXPECT_EQ(result.rejects[0].rule, "duplicate");
}

TEST(CleanOrdersTest, ReaderRejectsAreMergedInLineOrder) {
  std::vector<Row> rows = {{"1", nullptr, 100, 1, 1.0, 1}, {"2", "b", 100, 1, 1.0, 2}};
  Dataset data = make_dataset(rows);
  data.row_line = {2, 5};
  data.rejects.push_back(Reject{"orders.csv", 3, "malformed", "expected 5 fields, found 4", "x"});
  data.rejects.push_back(Reject{"orders.csv", 7, "malformed", "bad number 'x'", "y"});
  data.rows_read = 4;
  CleanResult result = clean_orders(std::move(data), uci_roles(), CleanOptions{});
  EXPECT_EQ(result.audit.malformed, 2);
  EXPECT_EQ(result.audit.missing_customer, 1);
  EXPECT_EQ(result.audit.rows_kept, 1);
  ASSERT_EQ(result.rejects.size(), 3u);
  EXPECT_EQ(result.rejects[0].line, 2);
  EXPECT_EQ(result.rejects[1].line, 3);
  EXPECT_EQ(result.rejects[2].line, 7);
  EXPECT_EQ(result.audit.rows_read,
            result.audit.malformed + result.audit.missing_customer + result.audit.rows_kept);
}

TEST(CleanOrdersTest, MissingValuesAreMalformed) {
  Dataset data = make_dataset({{"1", "a", 100, 1, 1.0, 1}, {"2", "a", 100, 1, 1.0, 2}});
  // Rebuild the quantity column with a null in row 1.
  Column quantity("Quantity", ColumnType::kDouble);
  quantity.append_double(1);
  quantity.append_null();
  Table table;
  for (std::size_t c = 0; c < data.table.num_columns(); ++c) {
    table.add_column(data.table.column(c).name() == "Quantity" ? quantity : data.table.column(c));
  }
  data.table = std::move(table);
  CleanResult result = clean_orders(std::move(data), uci_roles(), CleanOptions{});
  EXPECT_EQ(result.audit.malformed, 1);
  ASSERT_EQ(result.rejects.size(), 1u);
  EXPECT_EQ(result.rejects[0].detail, "missing quantity");
}

TEST(CleanOrdersTest, RuleRejectsLocateTheCustomerIdInTheirContent) {
  std::vector<Row> rows = {
      {"C1", "17850.0", 0, -1, 2.5, 1},  // cancelled
      {"2", nullptr, 0, 1, 1.0, 2},      // missing customer: an empty id
  };
  CleanResult result = clean_orders(make_dataset(rows), uci_roles(), CleanOptions{});
  ASSERT_EQ(result.rejects.size(), 2u);
  const Reject& cancelled = result.rejects[0];
  EXPECT_EQ(cancelled.content, "C1,17850.0,1970-01-01 00:00:00,-1,2.5");
  EXPECT_EQ(cancelled.content.substr(cancelled.id_begin, cancelled.id_end - cancelled.id_begin),
            "17850.0");
  const Reject& missing = result.rejects[1];
  EXPECT_EQ(missing.id_begin, 2u);
  EXPECT_EQ(missing.id_end, 2u);
}

// Eleven kept lines: quantities 1..10 and one of 1000 (line 12), prices 1 except 40 (line 3);
// plus one cancelled line that must not move the quartiles.
std::vector<Row> outlier_rows() {
  std::vector<Row> rows;
  static const char* kInvoices[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"};
  for (int i = 0; i < 10; ++i) {
    rows.push_back({kInvoices[i], i % 2 ? "a" : "b", 100, static_cast<double>(i + 1),
                    i == 1 ? 40.0 : 1.0, static_cast<std::uint64_t>(100 + i)});
  }
  rows.push_back({"11", "c", 100, 1000, 1.0, 200});
  rows.push_back({"C12", "c", 100, -50000, 1.0, 201});
  return rows;
}

std::int64_t identity_total(const CleaningAudit& a) {
  return a.malformed + a.missing_customer + a.cancelled + a.non_positive_quantity +
         a.non_positive_price + (a.duplicates_dropped ? a.duplicates : 0) +
         a.outliers.rows_dropped + a.rows_kept;
}

TEST(CleanOutliersTest, FlagCountsAndListsButKeepsEveryLine) {
  CleanResult result = clean_orders(make_dataset(outlier_rows()), uci_roles(), CleanOptions{});
  const CleaningAudit& audit = result.audit;
  EXPECT_EQ(audit.rows_kept, 11);
  EXPECT_EQ(identity_total(audit), audit.rows_read);
  ASSERT_EQ(audit.outliers.fields.size(), 3u);
  const OutlierField& quantity = audit.outliers.fields[0];
  EXPECT_EQ(quantity.field, "quantity");
  EXPECT_EQ(quantity.count, 11);       // the cancelled line is not looked at
  EXPECT_DOUBLE_EQ(quantity.q1, 3.5);  // np.quantile([1..10, 1000], 0.25)
  EXPECT_DOUBLE_EQ(quantity.q3, 8.5);
  EXPECT_EQ(quantity.above, 1);
  ASSERT_EQ(quantity.examples.size(), 1u);
  EXPECT_EQ(quantity.examples[0].line, 12);
  EXPECT_EQ(quantity.examples[0].customer_id, "c");
  EXPECT_DOUBLE_EQ(quantity.examples[0].value, 1000);
  EXPECT_EQ(audit.outliers.fields[1].field, "unit_price");
  EXPECT_EQ(audit.outliers.fields[1].above, 1);
  EXPECT_EQ(audit.outliers.fields[2].field, "amount");
  EXPECT_EQ(audit.outliers.fields[2].above, 2);  // 80 and 1000
  EXPECT_DOUBLE_EQ(result.lines.amount[10], 1000.0);
  for (const Reject& reject : result.rejects)
    EXPECT_EQ(reject.rule.find("outlier"), std::string::npos);
}

TEST(CleanOutliersTest, DropRejectsUnderTheFirstFieldAndKeepsTheIdentity) {
  CleanOptions options;
  options.outliers.action = OutlierAction::kDrop;
  CleanResult result = clean_orders(make_dataset(outlier_rows()), uci_roles(), options);
  const CleaningAudit& audit = result.audit;
  EXPECT_EQ(audit.outliers.rows_dropped, 2);
  EXPECT_EQ(audit.rows_kept, 9);
  EXPECT_EQ(identity_total(audit), audit.rows_read);
  EXPECT_EQ(result.lines.size(), 9u);
  // Line 12 lies outside quantity and amount: dropped once, under quantity.
  EXPECT_EQ(audit.outliers.fields[0].dropped, 1);
  EXPECT_EQ(audit.outliers.fields[1].dropped, 1);  // line 3, price 40
  EXPECT_EQ(audit.outliers.fields[2].dropped, 0);
  std::vector<std::string> rules;
  std::vector<std::int64_t> lines;
  for (const Reject& reject : result.rejects) {
    rules.push_back(reject.rule);
    lines.push_back(reject.line);
  }
  EXPECT_EQ(rules,
            (std::vector<std::string>{"outlier:unit_price", "outlier:quantity", "cancelled"}));
  EXPECT_EQ(lines, (std::vector<std::int64_t>{3, 12, 13}));
  EXPECT_NE(result.rejects[1].detail.find("above the upper bound"), std::string::npos);
  const std::array<AuditCount, kAuditCounts> counts = audit_counts(audit);
  EXPECT_EQ(counts[7].name, "outliers_dropped");
  EXPECT_EQ(counts[7].value, 2);
}

TEST(CleanOutliersTest, CapWinsorisesEachFieldToItsBounds) {
  CleanOptions options;
  options.outliers.action = OutlierAction::kCap;
  CleanResult result = clean_orders(make_dataset(outlier_rows()), uci_roles(), options);
  const CleaningAudit& audit = result.audit;
  EXPECT_EQ(audit.rows_kept, 11);
  EXPECT_EQ(audit.outliers.rows_dropped, 0);
  const OutlierField& quantity = audit.outliers.fields[0];
  const OutlierField& amount = audit.outliers.fields[2];
  EXPECT_EQ(quantity.capped, 1);
  EXPECT_EQ(amount.capped, 2);
  ASSERT_EQ(result.lines.size(), 11u);
  EXPECT_DOUBLE_EQ(result.lines.quantity[10], quantity.upper);
  EXPECT_DOUBLE_EQ(result.lines.amount[10], amount.upper);  // the amount field's own bound
  EXPECT_DOUBLE_EQ(result.lines.amount[1], amount.upper);   // 2 x 40
  EXPECT_DOUBLE_EQ(result.lines.amount[0], 1.0);            // inside: untouched
}

TEST(CleanOutliersTest, ZRuleAndOff) {
  CleanOptions options;
  options.outliers.method = OutlierMethod::kZ;
  CleanResult z = clean_orders(make_dataset(outlier_rows()), uci_roles(), options);
  ASSERT_EQ(z.audit.outliers.fields.size(), 3u);
  EXPECT_EQ(z.audit.outliers.method, OutlierMethod::kZ);
  EXPECT_DOUBLE_EQ(z.audit.outliers.k, 3.0);
  EXPECT_EQ(z.audit.outliers.fields[0].above, 1);  // 1000: z = 3.015 with the n - 1 sd
  options.outliers.method = OutlierMethod::kOff;
  options.outliers.action = OutlierAction::kDrop;
  CleanResult off = clean_orders(make_dataset(outlier_rows()), uci_roles(), options);
  EXPECT_TRUE(off.audit.outliers.fields.empty());
  EXPECT_EQ(off.audit.rows_kept, 11);
}

TEST(AuditCountsTest, NamesEveryCountInRuleOrder) {
  CleaningAudit audit;
  audit.rows_read = 10;
  audit.malformed = 1;
  audit.missing_customer = 2;
  audit.cancelled = 3;
  audit.non_positive_quantity = 4;
  audit.non_positive_price = 5;
  audit.duplicates = 6;
  audit.rows_kept = 7;
  audit.customers_kept = 8;
  audit.outliers.rows_dropped = 9;
  std::vector<std::string> names;
  std::vector<std::int64_t> values;
  for (const AuditCount& count : audit_counts(audit)) {
    names.emplace_back(count.name);
    values.push_back(count.value);
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"rows_read", "malformed", "missing_customer", "cancelled",
                                      "non_positive_quantity", "non_positive_price", "duplicates",
                                      "outliers_dropped", "rows_kept", "customers_kept"}));
  EXPECT_EQ(values, (std::vector<std::int64_t>{10, 1, 2, 3, 4, 5, 6, 9, 7, 8}));
}

TEST(NormaliseCustomerIdTest, TrimsAndDropsAZeroFraction) {
  EXPECT_EQ(normalise_customer_id(" 17850.0 "), "17850");
  EXPECT_EQ(normalise_customer_id("12347.00"), "12347");
  EXPECT_EQ(normalise_customer_id("12347.5"), "12347.5");
  EXPECT_EQ(normalise_customer_id("A.0"), "A.0");
  EXPECT_EQ(normalise_customer_id("   "), "");
}

// Values too large to add up are malformed (before any other rule), so totals stay finite.
TEST(CleanOrdersTest, ValuesBeyondTheMagnitudeLimitAreMalformed) {
  Dataset data = make_dataset({{"1", "a", 100, 1, 1e308, 1},
                               {"2", "b", 100, 1e16, 1.0, 2},
                               {"C3", "c", 100, -4e7, 4e7, 3},
                               {"4", nullptr, 100, 1, 1e15, 4},
                               {"5", "e", 100, 2, 3.5, 5}});
  CleanResult result = clean_orders(std::move(data), uci_roles(), CleanOptions{});
  EXPECT_EQ(result.audit.rows_read, 5);
  EXPECT_EQ(result.audit.malformed, 3);
  EXPECT_EQ(result.audit.missing_customer, 1);  // 1e15 itself is within the limit
  EXPECT_EQ(result.audit.rows_kept, 1);
  ASSERT_EQ(result.rejects.size(), 4u);
  EXPECT_EQ(result.rejects[0].detail, "unit price 1e+308 is beyond ±1e+15");
  EXPECT_EQ(result.rejects[1].detail, "quantity 1e+16 is beyond ±1e+15");
  EXPECT_EQ(result.rejects[2].detail, "amount -4e+07 × 4e+07 = -1.6e+15 is beyond ±1e+15");
  ASSERT_EQ(result.lines.amount.size(), 1u);
  EXPECT_DOUBLE_EQ(result.lines.amount[0], 7.0);
}

// A header of a million columns is listed as its first 20 and a count.
TEST(OrderReadOptionsTest, ErrorsListTwentyColumnsOfAMillion) {
  std::vector<std::string> header;
  for (int i = 1; i <= 1000000; ++i) header.push_back("col" + std::to_string(i));
  try {
    order_read_options(header, RoleMap{}, ReadOptions{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_LT(message.size(), 600u);
    EXPECT_NE(message.find("col1, col2,"), std::string::npos) << message;
    EXPECT_NE(message.find("col20, … and 999,980 more"), std::string::npos) << message;
    EXPECT_EQ(message.find("col21"), std::string::npos) << message;
  }
}

TEST(OrderReadOptionsTest, NamesTheMissingRole) {
  std::vector<std::string> header = {"InvoiceNo", "InvoiceDate", "Quantity", "UnitPrice"};
  RoleMap roles = detect_roles(header);
  try {
    order_read_options(header, roles, ReadOptions{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--map customer=<column>"), std::string::npos);
  }
}

TEST(OrderReadOptionsTest, AmountWhenNoQuantityAndPrice) {
  std::vector<std::string> header = {"InvoiceNo", "InvoiceDate", "CustomerID", "TotalPrice"};
  ReadOptions read = order_read_options(header, detect_roles(header), ReadOptions{});
  EXPECT_EQ(read.columns,
            (std::vector<std::string>{"InvoiceNo", "CustomerID", "InvoiceDate", "TotalPrice"}));
  EXPECT_EQ(read.id_column, "CustomerID");
}

}  // namespace
}  // namespace custlens
