// Runs `custlens analyze` end to end: customers.xlsx read back and compared with customers.csv and
// summary.json, --hash-ids across every export, and the strategy playbook.
#include <gtest/gtest.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "custlens/ingest.h"
#include "io/row_source.h"
#include "report/hashed_ids.h"
#include "support/cli_runner.h"
#include "support/order_csv.h"

namespace custlens {
namespace {

using Records = std::vector<std::vector<std::string>>;

// 16 significant digits (libxlsxwriter's %.16G) carry a double to about 1e-15 relative.
constexpr double kXlsxRelativeTolerance = 1e-12;
// customers.csv prints money with two decimals; the sheet holds the unrounded value.
constexpr double kCentTolerance = 0.005 + 1e-9;

std::string data(const std::string& name) { return std::string(CUSTLENS_TEST_DATA) + "/" + name; }

// Every row of one sheet, header first, read with custlens's own XLSX reader (as --sheet does).
Records read_sheet(const std::string& path, const std::string& sheet) {
  ReadOptions options;
  options.sheet = sheet;
  auto source = io::open_xlsx(path, options);
  std::mutex mutex;
  std::map<std::size_t, Records> batches;  // scan() may run batches in parallel
  source->scan(
      [&](std::size_t index, const io::RowBatch& batch) {
        Records rows;
        for (std::size_t row = 0; row < batch.num_rows(); ++row) {
          std::vector<std::string> fields;
          for (std::size_t col = 0; col < batch.num_columns; ++col) {
            fields.emplace_back(batch.field(row, col));
          }
          rows.push_back(std::move(fields));
        }
        std::lock_guard lock(mutex);
        batches[index] = std::move(rows);
      },
      nullptr);
  Records records = {source->header()};
  for (auto& [index, rows] : batches) {
    for (auto& row : rows) records.push_back(std::move(row));
  }
  return records;
}

// Each entry of a zip archive (an XLSX file), by name.
std::map<std::string, std::string> unzip(const std::string& path) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (archive == nullptr) throw std::runtime_error("cannot open " + path);
  std::map<std::string, std::string> entries;
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
    zip_stat_t stat;
    zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat);
    std::string bytes(stat.size, '\0');
    zip_file_t* file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    zip_fread(file, bytes.data(), stat.size);
    zip_fclose(file);
    entries[stat.name] = std::move(bytes);
  }
  zip_discard(archive);
  return entries;
}

double number(const std::string& text) {
  std::size_t used = 0;
  const double value = std::stod(text, &used);
  EXPECT_EQ(used, text.size()) << text;
  return value;
}

bool close_relative(double expected, double actual) {
  return std::abs(expected - actual) <=
         kXlsxRelativeTolerance * std::max(std::abs(expected), std::abs(actual));
}

class AnalyzeCommandTest : public testing::CliTest {
 protected:
  // Runs analyze on `input` into out/ and returns summary.json.
  nlohmann::json analyze(const std::string& input, const std::string& options = "") {
    EXPECT_EQ(run("analyze '" + input + "' --out '" + path("out") + "' " + options), 0) << err();
    return nlohmann::json::parse(slurp(path("out/summary.json")));
  }

  void expect_xlsx_matches_csv_and_json(const nlohmann::json& summary) const {
    const std::string xlsx = path("out/customers.xlsx");
    const Records csv = testing::parse_csv(slurp(path("out/customers.csv")));
    const Records customers = read_sheet(xlsx, "customers");
    ASSERT_EQ(customers.size(), csv.size());
    ASSERT_EQ(customers[0], csv[0]);
    const std::set<std::string> money = {"monetary", "avg_order_value"};
    const std::set<std::string> text = {"customer_id", "first_purchase", "last_purchase",
                                        "rfm_code", "segment"};
    for (std::size_t row = 1; row < csv.size(); ++row) {
      ASSERT_EQ(customers[row].size(), csv[row].size()) << "row " << row;
      for (std::size_t col = 0; col < csv[0].size(); ++col) {
        const std::string& name = csv[0][col];
        const std::string& expected = csv[row][col];
        const std::string& actual = customers[row][col];
        if (text.count(name)) {
          EXPECT_EQ(actual, expected) << name << " of row " << row;  // dates read back as ISO
        } else if (money.count(name)) {
          EXPECT_NEAR(number(actual), number(expected), kCentTolerance) << name << " row " << row;
        } else {
          EXPECT_EQ(number(actual), number(expected)) << name << " of row " << row;
        }
      }
    }

    const Records tiers = read_sheet(xlsx, "tiers");
    const nlohmann::json& segments = summary["rfm"]["segments"];
    ASSERT_EQ(tiers.size(), segments.size() + 1);
    ASSERT_EQ(tiers[0], (std::vector<std::string>{
                            "segment", "segment_zh", "customers", "customer_share", "revenue",
                            "revenue_share", "mean_recency", "mean_frequency", "mean_monetary"}));
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const auto& row = tiers[i + 1];
      const nlohmann::json& segment = segments[i];
      EXPECT_EQ(row[0], segment["name"].get<std::string>());
      EXPECT_EQ(row[1], segment["name_zh"].get<std::string>());
      EXPECT_EQ(number(row[2]), segment["customers"].get<double>());
      for (std::size_t col = 3; col < tiers[0].size(); ++col) {
        const double expected = segment[tiers[0][col]].get<double>();
        EXPECT_TRUE(close_relative(expected, number(row[col])))
            << tiers[0][col] << " of " << row[0] << ": " << row[col] << " vs " << expected;
      }
    }

    const Records audit = read_sheet(xlsx, "audit");
    ASSERT_EQ(audit[0], (std::vector<std::string>{"rule", "count"}));
    ASSERT_EQ(audit.size(), 12u);  // header, ten counts, duplicates_dropped
    for (std::size_t i = 1; i < audit.size(); ++i) {
      const nlohmann::json& expected = summary["audit"].at(audit[i][0]);
      if (expected.is_boolean()) {
        EXPECT_EQ(audit[i][1], expected.get<bool>() ? "TRUE" : "FALSE");
      } else {
        EXPECT_EQ(number(audit[i][1]), expected.get<double>()) << audit[i][0];
      }
    }
    // Every audit key is on the sheet but the `outliers` object (docs/outliers.md).
    EXPECT_EQ(summary["audit"].size() - 1, audit.size() - 1);
  }
};

TEST_F(AnalyzeCommandTest, XlsxReadsBackAsTheCsvAndTheSummary) {
  for (const char* scheme : {"five", "rfm11"}) {
    SCOPED_TRACE(scheme);
    const auto summary =
        analyze(data("online_retail_invoices.csv"), std::string("--quiet --scheme ") + scheme);
    expect_xlsx_matches_csv_and_json(summary);
  }
  const auto summary = analyze(data("orders_edge.csv"), "--quiet --dedup");
  expect_xlsx_matches_csv_and_json(summary);
}

TEST_F(AnalyzeCommandTest, XlsxHasFormatsFrozenHeadersFiltersAndWidths) {
  analyze(data("orders_edge.csv"), "--quiet");
  const auto entries = unzip(path("out/customers.xlsx"));
  const std::string& styles = entries.at("xl/styles.xml");
  for (const char* code : {"formatCode=\"#,##0.00\"", "formatCode=\"0.00%\"",
                           "formatCode=\"yyyy-mm-dd hh:mm:ss\"", "<b/>"}) {
    EXPECT_NE(styles.find(code), std::string::npos) << code;
  }
  // customers (12 rows, A:M), tiers (5 rows, A:I), audit (11 rows, A:B).
  const std::pair<const char*, const char*> sheets[] = {
      {"xl/worksheets/sheet1.xml", "<autoFilter ref=\"A1:M13\"/>"},
      {"xl/worksheets/sheet2.xml", "<autoFilter ref=\"A1:I6\"/>"},
      {"xl/worksheets/sheet3.xml", "<autoFilter ref=\"A1:B12\"/>"},
  };
  for (const auto& [name, filter] : sheets) {
    const std::string& sheet = entries.at(name);
    EXPECT_NE(sheet.find(filter), std::string::npos) << name;
    EXPECT_NE(sheet.find("state=\"frozen\""), std::string::npos) << name;
    EXPECT_NE(sheet.find("ySplit=\"1\""), std::string::npos) << name;
    EXPECT_NE(sheet.find("<cols>"), std::string::npos) << name;
  }
  EXPECT_NE(entries.at("xl/worksheets/sheet1.xml").find("xSplit=\"1\""), std::string::npos);
}

// Order lines whose customer ids cannot occur by chance in any other output text.
constexpr const char* kSecretOrders =
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    "536365,85123A,WHITE MUG,6,2010-12-01 08:26:00,2.55,KX-ALPHA-01,United Kingdom\n"
    "536366,85123A,WHITE MUG,6,2010-12-02 08:26:00,2.55,  KX-ALPHA-01  ,United Kingdom\n"
    "536367,71053,LANTERN,2,2010-12-03 09:00:00,3.39,\"KX-BETA,02\",France\n"
    "536368,71053,LANTERN,2,2010-12-04 09:00:00,3.39,770001.0,France\n"
    "536369,71053,LANTERN,1,2010-12-05 09:00:00,3.39,770001,France\n"
    "536370,22633,HAND WARMER,6,2010-12-06 10:00:00,1.85,客户甲乙丙,China\n"
    "C536371,22633,HAND WARMER,-1,2010-12-06 10:00:00,1.85,KX-GAMMA-03,France\n"
    "536372,22633,HAND WARMER,three,2010-12-06 10:00:00,1.85,KX-DELTA-04,France\n"
    "536373,22633,HAND WARMER,1,2010-12-06 10:00:00,1.85,KX-EPSILON-05\n"
    "536374,22633,\"HAND, WARMER\",1,2010-12-06 10:00:00,0,KX-ZETA-06,France\n";

std::string secret_orders() {
  // A description so long that the reject content is cut before the id.
  return std::string(kSecretOrders) + "536375,22633," + std::string(400, 'L') +
         ",x,2010-12-06 10:00:00,1.85,KX-ETA-07,France\n";
}

const std::vector<std::string> kSecretIds = {"KX-", "770001", "客户甲乙丙"};

class HashIdsTest : public AnalyzeCommandTest {
 protected:
  void SetUp() override {
    AnalyzeCommandTest::SetUp();
    ::unsetenv("CUSTLENS_SALT");
    write("orders.csv", secret_orders());
  }
  void TearDown() override {
    ::unsetenv("CUSTLENS_SALT");
    AnalyzeCommandTest::TearDown();
  }

  // Every file under out/ (XLSX entries unzipped) and stdout: no raw id anywhere.
  void expect_no_raw_id(const std::string& folder) const {
    std::map<std::string, std::string> texts = {{"stdout", out()}};
    for (const auto& file : std::filesystem::directory_iterator(path(folder))) {
      const std::string name = file.path().filename().string();
      if (file.path().extension() == ".xlsx") {
        for (auto& [entry, bytes] : unzip(file.path().string())) texts[name + ":" + entry] = bytes;
      } else {
        texts[name] = slurp(file.path());
      }
    }
    EXPECT_GE(texts.size(), 5u);
    for (const auto& [name, text] : texts) {
      for (const std::string& id : kSecretIds) {
        EXPECT_EQ(text.find(id), std::string::npos) << "'" << id << "' in " << name;
      }
    }
  }

  static std::set<std::string> column(const Records& records, std::size_t col) {
    std::set<std::string> values;
    for (std::size_t i = 1; i < records.size(); ++i) values.insert(records[i].at(col));
    return values;
  }
};

TEST_F(HashIdsTest, NoRawIdInAnyExportAndHashesJoinAcrossFiles) {
  ASSERT_EQ(run("analyze '" + path("orders.csv") + "' --out '" + path("out") +
                "' --hash-ids --salt pepper"),
            0)
      << err();
  expect_no_raw_id("out");

  report::IdHasher hasher("pepper");
  const std::set<std::string> expected = {hasher.hash("KX-ALPHA-01"), hasher.hash("KX-BETA,02"),
                                          hasher.hash("770001"), hasher.hash("客户甲乙丙")};
  const Records customers = testing::parse_csv(slurp(path("out/customers.csv")));
  EXPECT_EQ(column(customers, 0), expected);
  EXPECT_TRUE(std::is_sorted(customers.begin() + 1, customers.end()));  // by hash
  EXPECT_EQ(column(read_sheet(path("out/customers.xlsx"), "customers"), 0), expected);

  const Records rejects = testing::parse_csv(slurp(path("out/rejects.csv")));
  ASSERT_EQ(rejects.size(), 6u);  // header + 5
  auto reject_at = [&](const std::string& line) {
    for (const auto& record : rejects) {
      if (record.at(1) == line) return record;
    }
    ADD_FAILURE() << "no reject for line " << line;
    return std::vector<std::string>(5);
  };
  EXPECT_EQ(reject_at("8")[4], "C536371,HAND WARMER,-1,2010-12-06 10:00:00,1.85," +
                                   hasher.hash("KX-GAMMA-03") + ",France");
  EXPECT_EQ(reject_at("9")[4], "536372,22633,HAND WARMER,three,2010-12-06 10:00:00,1.85," +
                                   hasher.hash("KX-DELTA-04") + ",France");
  EXPECT_EQ(reject_at("10")[4], "");  // 7 fields: not split, so withheld
  EXPECT_NE(reject_at("10")[3].find("content withheld"), std::string::npos);
  EXPECT_EQ(reject_at("11")[4],
            "536374,HAND, WARMER,1,2010-12-06 10:00:00,0," + hasher.hash("KX-ZETA-06") + ",France");
  EXPECT_EQ(reject_at("12")[4], "");  // cut before the id
  EXPECT_NE(reject_at("12")[3].find("content withheld"), std::string::npos);
}

TEST_F(HashIdsTest, SaltFromTheEnvironmentAndTheFlagWins) {
  ::setenv("CUSTLENS_SALT", "from-env", 1);
  ASSERT_EQ(run("analyze '" + path("orders.csv") + "' --out '" + path("env") + "' --hash-ids -q"),
            0)
      << err();
  ASSERT_EQ(run("analyze '" + path("orders.csv") + "' --out '" + path("flag") +
                "' --hash-ids --salt other -q"),
            0)
      << err();
  const Records by_env = testing::parse_csv(slurp(path("env/customers.csv")));
  const Records by_flag = testing::parse_csv(slurp(path("flag/customers.csv")));
  report::IdHasher env_hasher("from-env"), flag_hasher("other");
  EXPECT_TRUE(column(by_env, 0).count(env_hasher.hash("KX-ALPHA-01")));
  EXPECT_TRUE(column(by_flag, 0).count(flag_hasher.hash("KX-ALPHA-01")));
  EXPECT_TRUE(column(by_env, 0) != column(by_flag, 0));  // another salt, other hashes

  // The same salt gives the same bytes in every run.
  ASSERT_EQ(run("analyze '" + path("orders.csv") + "' --out '" + path("again") + "' --hash-ids -q"),
            0);
  EXPECT_EQ(slurp(path("again/customers.csv")), slurp(path("env/customers.csv")));
  EXPECT_EQ(slurp(path("again/rejects.csv")), slurp(path("env/rejects.csv")));
}

TEST_F(HashIdsTest, MissingSaltIsAOneLineErrorNamingBoth) {
  EXPECT_EQ(run("analyze '" + path("orders.csv") + "' --out '" + path("out") + "' --hash-ids"), 1);
  EXPECT_EQ(err(),
            "custlens: error: --hash-ids needs a salt: give --salt S or set the environment "
            "variable CUSTLENS_SALT\n");
  EXPECT_FALSE(std::filesystem::exists(path("out/customers.csv")));
  EXPECT_EQ(run("analyze '" + path("orders.csv") + "' --out '" + path("out") + "' --salt s"), 1);
  EXPECT_NE(err().find("--salt is given without --hash-ids"), std::string::npos) << err();
}

TEST_F(HashIdsTest, HashesEqualThePythonReference) {
  ASSERT_EQ(run("analyze '" + data("orders_edge.csv") + "' --out '" + path("out") +
                "' --hash-ids --salt custlens-test-salt -q"),
            0)
      << err();
  const Records actual = testing::parse_csv(slurp(path("out/customers.csv")));
  const Records expected = testing::parse_csv(testing::read_file(
      std::string(CUSTLENS_REFERENCE_DIR) + "/golden/hashed_ids/orders_edge_customers.csv"));
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t row = 0; row < expected.size(); ++row) {
    // Ids and order exactly; the other columns as the RFM golden test compares them.
    EXPECT_EQ(actual[row][0], expected[row][0]) << "row " << row;
    for (std::size_t col = 1; row > 0 && col < expected[row].size(); ++col) {
      if (expected[0][col] == "monetary" || expected[0][col] == "avg_order_value") {
        EXPECT_NEAR(number(actual[row][col]), number(expected[row][col]), 0.01 + 1e-6);
      } else {
        EXPECT_EQ(actual[row][col], expected[row][col]) << expected[0][col] << " row " << row;
      }
    }
  }
}

// The playbook entries of summary.json: exactly the shape the HTML report reads.
void expect_playbook_shape(const nlohmann::json& summary) {
  const nlohmann::json& playbook = summary.at("playbook");
  const nlohmann::json& segments = summary["rfm"]["segments"];
  ASSERT_TRUE(playbook.is_array());
  ASSERT_EQ(playbook.size(), segments.size());
  auto expect_bilingual = [](const nlohmann::json& text) {
    ASSERT_TRUE(text.is_object());
    EXPECT_EQ(text.size(), 2u);
    EXPECT_FALSE(text.at("en").get<std::string>().empty());
    EXPECT_FALSE(text.at("zh").get<std::string>().empty());
  };
  for (std::size_t i = 0; i < playbook.size(); ++i) {
    const nlohmann::json& entry = playbook[i];
    EXPECT_EQ(entry.size(), 3u) << entry.dump();
    EXPECT_EQ(entry.at("segment"), segments[i]["name"]);
    expect_bilingual(entry.at("positioning"));
    const nlohmann::json& actions = entry.at("actions");
    ASSERT_TRUE(actions.is_array());
    EXPECT_GE(actions.size(), 2u);
    EXPECT_LE(actions.size(), 4u);
    for (const nlohmann::json& action : actions) expect_bilingual(action);
  }
}

TEST_F(AnalyzeCommandTest, PlaybookOfEveryBuiltInSchemeInSummaryAndText) {
  for (const char* scheme : {"five", "cn8", "rfm11"}) {
    SCOPED_TRACE(scheme);
    const auto summary = analyze(data("orders_edge.csv"), std::string("--scheme ") + scheme);
    expect_playbook_shape(summary);
    const nlohmann::json& first = summary["playbook"][0];
    EXPECT_NE(out().find("Playbook\n"), std::string::npos);
    EXPECT_NE(out().find(first["positioning"]["en"].get<std::string>()), std::string::npos);
    EXPECT_NE(out().find(first["actions"][1]["en"].get<std::string>()), std::string::npos);
  }
  const auto summary = analyze(data("orders_edge.csv"), "--lang zh");
  EXPECT_NE(out().find("策略建议\n"), std::string::npos);
  EXPECT_NE(
      out().find("  冠军客户: " + summary["playbook"][0]["positioning"]["zh"].get<std::string>()),
      std::string::npos)
      << out();
  // The built-in scheme written as a rules file keeps its name, and so its playbook.
  const std::string share = std::string(CUSTLENS_REFERENCE_DIR) + "/../../share";
  expect_playbook_shape(
      analyze(data("orders_edge.csv"), "--scheme '" + share + "/tiers/five.toml'"));
}

TEST_F(AnalyzeCommandTest, PlaybookFileForARulesScheme) {
  write("mine.toml",
        "name = \"mine\"\n"
        "[[segment]]\nname = \"Recent\"\nname_zh = \"近期\"\nr = [4, 5]\n"
        "[[segment]]\nname = \"Rest\"\nname_zh = \"其余\"\nfallback = true\n");
  // A rules scheme that the default playbook does not name gets no entries.
  auto summary = analyze(data("orders_edge.csv"), "--scheme '" + path("mine.toml") + "'");
  EXPECT_EQ(summary["playbook"], nlohmann::json::array());
  EXPECT_EQ(out().find("Playbook\n"), std::string::npos);

  write("playbook.toml",
        "[mine.Recent]\npositioning = { en = \"Bought lately\", zh = \"最近买过\" }\n"
        "[[mine.Recent.actions]]\nen = \"Thank them\"\nzh = \"致谢\"\n"
        "[[mine.Recent.actions]]\nen = \"Suggest a refill\"\nzh = \"提醒补货\"\n");
  summary = analyze(data("orders_edge.csv"), "--scheme '" + path("mine.toml") + "' --playbook '" +
                                                 path("playbook.toml") + "'");
  ASSERT_EQ(summary["playbook"].size(), 1u);
  EXPECT_EQ(summary["playbook"][0]["segment"], "Recent");
  EXPECT_EQ(summary["playbook"][0]["actions"][1]["zh"], "提醒补货");
  EXPECT_NE(out().find("  Recent: Bought lately\n    - Thank them\n    - Suggest a refill\n"),
            std::string::npos)
      << out();

  // --playbook replaces the shipped file: the built-in five scheme now has no entries.
  summary = analyze(data("orders_edge.csv"), "--playbook '" + path("playbook.toml") + "'");
  EXPECT_EQ(summary["playbook"], nlohmann::json::array());
}

TEST_F(AnalyzeCommandTest, BadPlaybookIsAOneLineErrorBeforeAnyOutput) {
  write("playbook.toml",
        "[five.Lost]\npositioning = { en = \"Gone\", zh = \"流失\" }\n"
        "[[five.Lost.actions]]\nen = \"One\"\nzh = \"一\"\n");
  EXPECT_EQ(run("analyze '" + data("orders_edge.csv") + "' --out '" + path("out") +
                "' --playbook '" + path("playbook.toml") + "'"),
            1);
  EXPECT_EQ(err(), "custlens: error: " + path("playbook.toml") +
                       ":3: tier 'Lost' of scheme 'five': has 1 action; give 2 to 4\n");
  EXPECT_FALSE(std::filesystem::exists(path("out")));
}

}  // namespace
}  // namespace custlens
