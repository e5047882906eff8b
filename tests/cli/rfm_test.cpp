// Runs `custlens rfm`, `analyze`, `schema` and `patterns` end to end: outputs and one-line errors.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "support/cli_runner.h"

namespace custlens {
namespace {

class RfmCommandTest : public testing::CliTest {
 protected:
  static std::string data(const std::string& name) {
    return std::string(CUSTLENS_TEST_DATA) + "/" + name;
  }
};

TEST_F(RfmCommandTest, BadInputsGiveOneLineErrors) {
  expect_one_line_error(run("rfm '" + path("missing.csv") + "'"), "cannot open");
  expect_one_line_error(run("rfm '" + dir_.string() + "'"), "is a directory");
  write("empty.csv", "");
  expect_one_line_error(run("rfm '" + path("empty.csv") + "'"), "file is empty");
  write("header.csv", "InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice\n");
  expect_one_line_error(run("rfm '" + path("header.csv") + "'"), "no data rows");
  write("nocustomer.csv", "InvoiceNo,InvoiceDate,Quantity,UnitPrice\n1,2011-01-01,1,1\n");
  expect_one_line_error(run("rfm '" + path("nocustomer.csv") + "'"), "--map customer=");
  expect_one_line_error(run("rfm '" + data("orders_edge.csv") + "' --scheme nope"),
                        "unknown tier scheme");
  expect_one_line_error(run("rfm '" + data("orders_edge.csv") + "' --as-of 10/12/2011"), "--as-of");
  expect_one_line_error(run("rfm '" + data("orders_edge.csv") + "' --map shop=Country"),
                        "unknown role");
  write("fake.xlsx", "InvoiceNo,CustomerID\n1,2\n");
  expect_one_line_error(run("rfm '" + path("fake.xlsx") + "'"), "not an XLSX workbook");
  write("ambiguous.csv",
        "InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice\n1,3/4/11 10:00,a,1,1\n"
        "2,4/3/11 10:00,b,1,1\n");
  expect_one_line_error(run("rfm '" + path("ambiguous.csv") + "'"), "--date-format");
}

TEST_F(RfmCommandTest, FormatForcesTheInputSource) {
  const std::string orders = slurp(data("orders_edge.csv"));
  write("orders.xlsx", orders);  // a CSV file with a workbook's name
  expect_one_line_error(run("rfm '" + path("orders.xlsx") + "' --json"), "not an XLSX workbook");
  // The same answer, but for the file names in the outlier examples.
  auto result = [this] {
    nlohmann::json json = nlohmann::json::parse(out());
    for (nlohmann::json& field : json["audit"]["outliers"]["fields"]) {
      for (nlohmann::json& example : field["examples"]) example.erase("file");
    }
    return json;
  };
  ASSERT_EQ(run("rfm '" + data("orders_edge.csv") + "' --json --quiet"), 0) << err();
  const nlohmann::json expected = result();
  ASSERT_EQ(run("rfm '" + path("orders.xlsx") + "' --format csv --json --quiet"), 0) << err();
  EXPECT_EQ(result(), expected);
  // The same from standard input, where only --format names the format.
  ASSERT_EQ(run_piped("cat '" + data("orders_edge.csv") + "'", "rfm - --format csv --json --quiet"),
            0)
      << err();
  EXPECT_EQ(result(), expected);
  ASSERT_EQ(run("schema '" + path("orders.xlsx") + "' --format csv"), 0) << err();
  EXPECT_NE(out().find("format: csv\n"), std::string::npos) << out();
  expect_one_line_error(run("rfm '" + data("orders_edge.csv") + "' --format nope"),
                        "--format 'nope' is not an input format; the formats are csv, postgresql, "
                        "sqlite, xlsx");
  expect_one_line_error(run_piped("cat '" + data("online_retail_sample.xlsx") + "'", "rfm -"),
                        "an XLSX workbook cannot be read from a pipe");
  ASSERT_EQ(run("--version"), 0) << err();
  EXPECT_NE(out().find("\ninput formats: csv, postgresql, sqlite, xlsx\n"), std::string::npos) << out();
}

TEST_F(RfmCommandTest, AllRowsRejectedStillWritesTheRejects) {
  write("cancelled.csv",
        "InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice\nC1,2011-01-01,a,-1,1\n");
  expect_one_line_error(
      run("rfm '" + path("cancelled.csv") + "' --rejects '" + path("rejects.csv") + "'"),
      "no order line survived cleaning");
  std::string rejects = slurp(path("rejects.csv"));
  EXPECT_NE(rejects.find(",2,cancelled,"), std::string::npos) << rejects;
}

TEST_F(RfmCommandTest, AmbiguousDatesReadWithDateFormat) {
  write("ambiguous.csv",
        "InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice\n1,3/4/11 10:00,a,1,1\n"
        "2,4/3/11 10:00,b,1,1\n");
  ASSERT_EQ(run("rfm '" + path("ambiguous.csv") + "' --date-format '%d/%m/%y %H:%M' --json"), 0)
      << err();
  auto json = nlohmann::json::parse(out());
  EXPECT_EQ(json["as_of"], "2011-04-04");  // day-first: 3 April is the last date
}

TEST_F(RfmCommandTest, AnalyzeWritesEveryOutputAndAgreesWithRfm) {
  const std::string input = data("orders_edge.csv");
  ASSERT_EQ(run("analyze '" + input + "' --out '" + path("out") + "' --lang zh"), 0) << err();
  EXPECT_NE(out().find("数据清洗审计"), std::string::npos);
  auto summary = nlohmann::json::parse(slurp(path("out/summary.json")));
  ASSERT_EQ(run("rfm '" + input + "' --json"), 0) << err();
  auto rfm = nlohmann::json::parse(out());
  EXPECT_EQ(summary["audit"]["rows_kept"], rfm["audit"]["rows_kept"]);
  EXPECT_EQ(summary["rfm"]["customers"], rfm["customers"]);
  EXPECT_EQ(summary["input"]["roles"]["customer"], "CustomerID");
  // Every row read is either kept or in the rejects file.
  std::string rejects = slurp(path("out/rejects.csv"));
  auto lines = std::count(rejects.begin(), rejects.end(), '\n') - 1;  // header
  std::int64_t rejected = 0;
  for (const char* rule : {"malformed", "missing_customer", "cancelled", "non_positive_quantity",
                           "non_positive_price"}) {
    rejected += summary["audit"][rule].get<std::int64_t>();
  }
  EXPECT_EQ(lines, rejected);
  EXPECT_EQ(summary["audit"]["rows_read"].get<std::int64_t>(),
            rejected + summary["audit"]["rows_kept"].get<std::int64_t>());
  EXPECT_TRUE(summary["patterns"]["weekdays"].is_array());
  EXPECT_EQ(summary["patterns"]["weekdays"].size(), 7u);
}

TEST_F(RfmCommandTest, XlsxCustomerExportIsAZip) {
  ASSERT_EQ(run("rfm '" + data("online_retail_invoices.csv") + "' --customers '" + path("c.xlsx") +
                "' --quiet"),
            0)
      << err();
  std::string bytes = slurp(path("c.xlsx"));
  ASSERT_GT(bytes.size(), 4u);
  EXPECT_EQ(bytes.substr(0, 2), "PK");
  // Read back with custlens's own XLSX reader: the schema sees the customer table's header.
  ASSERT_EQ(run("schema '" + path("c.xlsx") + "' --sheet customers"), 0) << err();
  EXPECT_NE(out().find("recency_days"), std::string::npos) << out();
}

TEST_F(RfmCommandTest, HashIdsCoverTheCustomerAndRejectsFiles) {
  ASSERT_EQ(run("rfm '" + data("orders_edge.csv") + "' --hash-ids --salt s --customers '" +
                path("c.csv") + "' --rejects '" + path("r.csv") + "' --quiet"),
            0)
      << err();
  ASSERT_EQ(run("rfm '" + data("orders_edge.csv") + "' --hash-ids --salt s --customers '" +
                path("c.xlsx") + "' --quiet"),
            0)
      << err();
  const std::string customers = slurp(path("c.csv")), rejects = slurp(path("r.csv"));
  // The ids of orders_edge.csv are five-digit numbers; 17850 hashes as `openssl dgst -sha256
  // -hmac s` says.
  for (const char* id : {"17850", "13047", "12347", "15311", "12583"}) {
    EXPECT_EQ(customers.find(id), std::string::npos) << id;
    EXPECT_EQ(rejects.find(id), std::string::npos) << id;
  }
  EXPECT_NE(customers.find("\nf578a1d73e3e71ae6964,"), std::string::npos) << customers;  // 17850
  EXPECT_NE(rejects.find(",f578a1d73e3e71ae6964,"), std::string::npos) << rejects;
  EXPECT_EQ(slurp(path("c.xlsx")).substr(0, 2), "PK");
}

TEST_F(RfmCommandTest, SchemaShowsRolesAndDateFormat) {
  ASSERT_EQ(run("schema '" + data("tianchi_behavior_zh.csv") + "'"), 0) << err();
  EXPECT_NE(out().find("unix-seconds"), std::string::npos) << out();
  EXPECT_NE(out().find("customer"), std::string::npos);
}

// The outlier step end to end: drop writes outlier:<field> rejects with file and line, the audit
// identity holds with outliers_dropped, and the text says what was done.
TEST_F(RfmCommandTest, OutlierDropRejectsWithFileLineAndKeepsTheIdentity) {
  std::string csv = "InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice\n";
  for (int i = 1; i <= 12; ++i)
    csv += fmt::format("{},2011-01-{:02} 10:00,c{},{},2\n", i, i, i % 4, i);
  csv += "13,2011-01-13 10:00,c1,5000,2\n";  // line 14: quantity and amount outliers
  write("spiky.csv", csv);
  ASSERT_EQ(run("rfm '" + path("spiky.csv") + "' --outlier-action drop --json --rejects '" +
                path("rejects.csv") + "'"),
            0)
      << err();
  const auto json = nlohmann::json::parse(out());
  const auto& audit = json.at("audit");
  EXPECT_EQ(audit.at("outliers_dropped"), 1);
  EXPECT_EQ(audit.at("rows_kept"), 12);
  EXPECT_EQ(audit.at("rows_read").get<int>(),
            audit.at("outliers_dropped").get<int>() + audit.at("rows_kept").get<int>());
  const auto& outliers = audit.at("outliers");
  EXPECT_EQ(outliers.at("method"), "iqr");
  EXPECT_EQ(outliers.at("k"), 1.5);
  EXPECT_EQ(outliers.at("fields")[0].at("field"), "quantity");
  EXPECT_EQ(outliers.at("fields")[0].at("dropped"), 1);
  EXPECT_EQ(outliers.at("fields")[0].at("examples")[0].at("line"), 14);
  EXPECT_EQ(outliers.at("fields")[3].at("scope"), "customer");
  EXPECT_EQ(outliers.at("fields")[3].at("action"), "flag");
  const std::string rejects = slurp(path("rejects.csv"));
  EXPECT_NE(rejects.find("spiky.csv,14,outlier:quantity,\"quantity 5000 above the upper bound 19 "),
            std::string::npos)
      << rejects;

  ASSERT_EQ(run("rfm '" + path("spiky.csv") + "' --outlier-action cap --lang zh"), 0) << err();
  EXPECT_NE(out().find("异常值"), std::string::npos) << out();
  EXPECT_NE(out().find("已截尾"), std::string::npos) << out();
  expect_one_line_error(run("rfm '" + path("spiky.csv") + "' --outliers mad"), "--outliers");
  expect_one_line_error(run("rfm '" + path("spiky.csv") + "' --outlier-k 0"), "--outlier-k");
  expect_one_line_error(run("rfm '" + path("spiky.csv") + "' --outlier-action keep"),
                        "--outlier-action");
  ASSERT_EQ(run("rfm '" + path("spiky.csv") + "' --outliers off --json"), 0) << err();
  EXPECT_TRUE(nlohmann::json::parse(out()).at("audit").at("outliers").at("fields").empty());
}

// Date-only data: no peak hour in the text, Saturdays said once, the partial month named.
TEST_F(RfmCommandTest, PatternsOfDateOnlyDataSayWhatIsMissing) {
  ASSERT_EQ(run("patterns '" + data("online_retail_invoices.csv") + "'"), 0) << err();
  EXPECT_EQ(out().find("0:00"), std::string::npos) << out();
  EXPECT_NE(out().find("peak hour: none"), std::string::npos) << out();
  EXPECT_NE(out().find("no hour-of-day pattern"), std::string::npos) << out();
  EXPECT_NE(out().find("no sales on Saturday: closed?"), std::string::npos) << out();
  EXPECT_NE(out().find("2011-12"), std::string::npos) << out();
  ASSERT_EQ(run("patterns '" + data("online_retail_invoices.csv") + "' --json"), 0) << err();
  const auto json = nlohmann::json::parse(out());
  EXPECT_TRUE(json.at("hours").empty());
  EXPECT_TRUE(json.at("peak_hour").is_null());
  EXPECT_FALSE(json.at("has_time_of_day").get<bool>());
}

// Standard input ("-") and a pipe path (/dev/stdin) give the same answers as the file: the input
// is opened once, though the command reads its header before its rows.
TEST_F(RfmCommandTest, StdinAndPipesReadLikeTheFile) {
  for (const std::string name : {"orders_edge.csv", "csv/latin1_orders.csv"}) {
    const std::string file = data(name);
    ASSERT_EQ(run("schema '" + file + "'"), 0) << err();
    std::string expected = out();
    ASSERT_EQ(run_piped("cat '" + file + "'", "schema -"), 0) << err();
    std::string piped = out();
    // Only the file line differs.
    expected.erase(0, expected.find('\n'));
    piped.erase(0, piped.find('\n'));
    EXPECT_EQ(piped, expected) << name;
  }
  const std::string file = data("orders_edge.csv");
  ASSERT_EQ(run("rfm '" + file + "' --customers '" + path("file.csv") + "' --rejects '" +
                path("file_rejects.csv") + "'"),
            0)
      << err();
  ASSERT_EQ(run_piped("cat '" + file + "'", "rfm - --customers '" + path("stdin.csv") +
                                                "' --rejects '" + path("stdin_rejects.csv") + "'"),
            0)
      << err();
  ASSERT_EQ(
      run_piped("cat '" + file + "'", "rfm /dev/stdin --customers '" + path("pipe.csv") + "'"), 0)
      << err();
  const std::string customers = slurp(path("file.csv"));
  EXPECT_GT(std::count(customers.begin(), customers.end(), '\n'), 2);
  EXPECT_EQ(slurp(path("stdin.csv")), customers);
  EXPECT_EQ(slurp(path("pipe.csv")), customers);
  // Rejects name the input as given, with the same lines and reasons.
  std::string file_rejects = slurp(path("file_rejects.csv"));
  std::string stdin_rejects = slurp(path("stdin_rejects.csv"));
  EXPECT_GT(std::count(file_rejects.begin(), file_rejects.end(), '\n'), 1);
  for (std::size_t at; (at = file_rejects.find(file)) != std::string::npos;) {
    file_rejects.replace(at, file.size(), "-");
  }
  EXPECT_EQ(stdin_rejects, file_rejects);

  // Outliers dropped: the file is read twice by the scan, stdin once by the table path; the
  // same customers and rejects either way.
  ASSERT_EQ(run("rfm '" + file + "' --outlier-action drop --customers '" + path("drop.csv") +
                "' --rejects '" + path("drop_rejects.csv") + "'"),
            0)
      << err();
  ASSERT_EQ(run_piped("cat '" + file + "'", "rfm - --outlier-action drop --customers '" +
                                                path("drop_stdin.csv") + "' --rejects '" +
                                                path("drop_stdin_rejects.csv") + "'"),
            0)
      << err();
  EXPECT_EQ(slurp(path("drop_stdin.csv")), slurp(path("drop.csv")));
  std::string drop_rejects = slurp(path("drop_rejects.csv"));
  EXPECT_NE(drop_rejects.find(",outlier:"), std::string::npos) << drop_rejects;
  for (std::size_t at; (at = drop_rejects.find(file)) != std::string::npos;) {
    drop_rejects.replace(at, file.size(), "-");
  }
  EXPECT_EQ(slurp(path("drop_stdin_rejects.csv")), drop_rejects);
}

}  // namespace
}  // namespace custlens
