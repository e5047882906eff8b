// The run store from the command line: two snapshots of one shop analysed into a store, then
// `history` and `migrate` checked against the pandas reference (tests/reference/store_reference.py,
// golden/store/<scheme>/), the default store location, and the one-line errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "support/cli_runner.h"
#include "support/json_compare.h"
#include "support/postgres_test.h"

namespace custlens::testing {
namespace {

using nlohmann::json;

const std::string kStoreFirst = std::string(CUSTLENS_TEST_DATA) + "/store_orders_2011h1.csv";
const std::string kStoreSecond = std::string(CUSTLENS_TEST_DATA) + "/online_retail_invoices.csv";

json store_golden(const std::string& scheme, const std::string& name) {
  std::ifstream in(std::string(CUSTLENS_REFERENCE_DIR) + "/golden/store/" + scheme + "/" + name);
  return json::parse(in);
}

// CSV rows split on commas (the movers' ids and tiers hold none).
std::vector<std::vector<std::string>> store_csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    rows.push_back(std::move(cells));
  }
  return rows;
}

class StoreCliTest : public CliTest, public ::testing::WithParamInterface<const char*> {
 protected:
  // Both snapshots analysed into one store under one source name; returns the store's path.
  std::string analyse_both(const std::string& scheme) {
    const std::string store = path("runs.db");
    for (const auto& [input, out] :
         {std::pair{kStoreFirst, "first"}, std::pair{kStoreSecond, "second"}}) {
      EXPECT_EQ(run(fmt::format("analyze '{}' --scheme {} --out '{}' --store '{}' --source-name "
                                "shop --quiet",
                                input, scheme, path(out), store)),
                0)
          << err();
    }
    return store;
  }
};

TEST_P(StoreCliTest, HistoryAndMigrationEqualTheReference) {
  const std::string scheme = GetParam();
  const std::string store = analyse_both(scheme);

  ASSERT_EQ(run(fmt::format("history --store '{}' --json", store)), 0) << err();
  const json history = json::parse(out());
  const json expected = store_golden(scheme, "history.json");
  ASSERT_EQ(history["runs"].size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const json& stored = history["runs"][i];
    EXPECT_EQ(stored["command"], "analyze");
    EXPECT_EQ(stored["source_name"], "shop");
    EXPECT_EQ(stored["scheme"], scheme);
    EXPECT_EQ(stored["as_of"], expected["runs"][i]["as_of"]);
    ASSERT_EQ(stored["inputs"].size(), 1u);
    EXPECT_EQ(stored["inputs"][0]["sha256"].get<std::string>().size(), 64u);
    JsonComparer kpis(1e-9);
    kpis.compare(expected["runs"][i]["kpis"], stored["kpis"], "runs[" + std::to_string(i) + "]");
    EXPECT_TRUE(kpis.differences.empty()) << ::testing::PrintToString(kpis.differences);
    // Nothing recorded that the reference does not have: every KPI is checked.
    EXPECT_EQ(stored["kpis"].size(), expected["runs"][i]["kpis"].size()) << stored["kpis"].dump();
  }
  EXPECT_EQ(history["runs"][0]["previous_run_id"], nullptr);
  EXPECT_EQ(history["runs"][1]["previous_run_id"], history["runs"][0]["run_id"]);
  JsonComparer changes(1e-9);
  changes.compare(expected["changes"], history["runs"][1]["changes"], "changes");
  EXPECT_TRUE(changes.differences.empty()) << ::testing::PrintToString(changes.differences);

  // migrate's defaults: the latest run against the one before it of the same source and scheme.
  ASSERT_EQ(
      run(fmt::format("migrate --store '{}' --json --customers '{}'", store, path("movers.csv"))),
      0)
      << err();
  const json migration = json::parse(out());
  EXPECT_EQ(migration["from_run"]["run_id"], history["runs"][0]["run_id"]);
  JsonComparer matrix(1e-9);
  matrix.compare(store_golden(scheme, "migration.json"), migration, "migration");
  EXPECT_TRUE(matrix.differences.empty()) << ::testing::PrintToString(matrix.differences);

  const auto movers = store_csv_rows(slurp(path("movers.csv")));
  std::ifstream golden_file(std::string(CUSTLENS_REFERENCE_DIR) + "/golden/store/" + scheme +
                            "/movers.csv");
  std::stringstream golden_text;
  golden_text << golden_file.rdbuf();
  const auto golden = store_csv_rows(golden_text.str());
  ASSERT_EQ(movers.size(), golden.size());
  for (std::size_t r = 0; r < golden.size(); ++r) {
    ASSERT_EQ(movers[r].size(), golden[r].size()) << r;
    for (std::size_t c = 0; c < golden[r].size(); ++c) {
      if (r > 0 && c >= 7) {  // monetary: sums may differ in the last bits before rounding
        EXPECT_NEAR(std::stod(movers[r][c]), std::stod(golden[r][c]), 0.0051) << r << "," << c;
      } else {
        EXPECT_EQ(movers[r][c], golden[r][c]) << r << "," << c;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Schemes, StoreCliTest, ::testing::Values("five", "cn8"));

class StoreCommandTest : public CliTest {};

TEST_F(StoreCommandTest, TextOutputsAndFilters) {
  const std::string store = path("runs.db");
  ASSERT_EQ(run(fmt::format("analyze '{}' --out '{}' --store '{}' --quiet", kStoreFirst, path("a"),
                            store)),
            0)
      << err();
  ASSERT_EQ(run(fmt::format("analyze '{}' --out '{}' --store '{}' --source-name "
                            "store_orders_2011h1.csv",
                            kStoreSecond, path("b"), store)),
            0)
      << err();
  EXPECT_NE(err().find("recorded run "), std::string::npos) << err();
  ASSERT_EQ(run(fmt::format("history --store '{}'", store)), 0) << err();
  EXPECT_NE(out().find("2 runs"), std::string::npos) << out();
  EXPECT_NE(out().find("against the previous comparable run"), std::string::npos) << out();
  ASSERT_EQ(run(fmt::format("history --store '{}' --command predict --json", store)), 0);
  EXPECT_TRUE(json::parse(out())["runs"].empty());
  ASSERT_EQ(run(fmt::format("migrate --store '{}' --from -2 --to latest --from-tier Champions "
                            "--to-tier Lost --customers '{}' --lang zh --out '{}'",
                            store, path("lost.csv"), path("m"))),
            0)
      << err();
  EXPECT_NE(out().find("层级迁移"), std::string::npos) << out();
  const std::string lost = slurp(path("lost.csv"));
  EXPECT_EQ(lost.rfind("customer_id,from_tier,to_tier,", 0), 0u);
  for (const auto& row : store_csv_rows(lost)) {
    if (row[0] == "customer_id") continue;
    EXPECT_EQ(row[1], "Champions");
    EXPECT_EQ(row[2], "Lost");
  }
  EXPECT_TRUE(std::filesystem::exists(path("m/report.html")));
  EXPECT_TRUE(std::filesystem::exists(path("m/movers.csv")));
  ASSERT_EQ(run(fmt::format("history --store '{}' --out '{}' --lang zh", store, path("h"))), 0);
  const std::string summary = slurp(path("h/summary.json"));
  EXPECT_NE(summary.find("\"history\""), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(path("h/report.html")));
}

TEST_F(StoreCommandTest, ToWritesTheSameRunToPostgreSQLAndSqlite) {
  CUSTLENS_POSTGRES_DATABASE(url);
  const std::string store = path("runs.db");
  ASSERT_EQ(run(fmt::format("analyze '{}' --out '{}' --store '{}' --to '{}' --to 'sqlite:{}' "
                            "--hash-ids --salt s3cret",
                            kStoreFirst, path("a"), store, url, path("copy.db"))),
            0)
      << err();
  // Three targets, one line each.
  const std::string recorded = err();
  EXPECT_EQ(std::count(recorded.begin(), recorded.end(), '\n'), 3) << recorded;
  json runs[3];
  int i = 0;
  for (const std::string& target : {store, url, "sqlite:" + path("copy.db")}) {
    ASSERT_EQ(run(fmt::format("history --store '{}' --json", target)), 0) << err();
    runs[i++] = json::parse(out())["runs"];
  }
  ASSERT_EQ(runs[0].size(), 1u);
  EXPECT_EQ(runs[0], runs[2]);
  // PostgreSQL gives back the same run; doubles may differ in the last bit of their text.
  EXPECT_EQ(runs[0][0]["run_id"], runs[1][0]["run_id"]);
  EXPECT_TRUE(runs[1][0]["hashed_ids"].get<bool>());
  JsonComparer same(1e-12);
  same.compare(runs[0][0], runs[1][0], "run");
  EXPECT_TRUE(same.differences.empty()) << ::testing::PrintToString(same.differences);
  // The customers: hashed ids, one row each, in both.
  ASSERT_EQ(run(fmt::format("migrate --store '{}' --from -1 --to -1 --json", url)), 1);
  EXPECT_NE(err().find("same run"), std::string::npos) << err();
}

TEST_F(StoreCommandTest, CampaignReadoutsReachHistoryAndThePlaybook) {
  const std::string orders = std::string(CUSTLENS_TEST_DATA) + "/campaign_orders.csv";
  const std::string contacts = std::string(CUSTLENS_TEST_DATA) + "/campaign_contacts.csv";
  const std::string store = path("runs.db");
  ASSERT_EQ(run(fmt::format("campaign '{}' --contacts '{}' --store '{}' --json --quiet", orders,
                            contacts, store)),
            0)
      << err();
  const json readout = json::parse(out());
  ASSERT_EQ(run(fmt::format("history --store '{}' --json", store)), 0) << err();
  const json history = json::parse(out());
  ASSERT_EQ(history["runs"].size(), 1u);
  EXPECT_EQ(history["runs"][0]["command"], "campaign");
  ASSERT_EQ(history["campaigns"].size(), readout["campaigns"].size());
  for (std::size_t i = 0; i < readout["campaigns"].size(); ++i) {
    const json& stored = history["campaigns"][i];
    const json& read = readout["campaigns"][i];
    EXPECT_EQ(stored["campaign"], read["name"]);
    EXPECT_EQ(stored["uplift"], read["uplift"]["absolute"]);
    EXPECT_EQ(stored["p_value"], read["uplift"]["p_value"]);
    EXPECT_EQ(stored["treatment_customers"], read["groups"]["treatment"]["customers"]);
    EXPECT_EQ(history["runs"][0]["kpis"]["campaign." + read["name"].get<std::string>() + ".uplift"],
              read["uplift"]["absolute"]);
  }
  // The playbook of a later analyze shows, per tier, the latest campaign measured on it.
  ASSERT_EQ(
      run(fmt::format("analyze '{}' --out '{}' --store '{}' --quiet", orders, path("a"), store)), 0)
      << err();
  const json summary = json::parse(slurp(path("a/summary.json")));
  std::size_t with_test = 0;
  for (const json& entry : summary["playbook"]) {
    if (!entry.contains("last_test")) continue;
    ++with_test;
    // The tier's row of the latest campaign (by send day) with an interval.
    std::optional<json> expected;
    for (const json& campaign : readout["campaigns"]) {
      for (const json& tier : campaign["by_tier"]) {
        if (tier["level"] == entry["segment"] && tier["uplift"]["ci_lower"].is_number() &&
            (!expected || campaign["first_sent"] >= (*expected)["sent"])) {
          expected = json{{"name", campaign["name"]},
                          {"sent", campaign["first_sent"]},
                          {"uplift", tier["uplift"]["absolute"]}};
        }
      }
    }
    ASSERT_TRUE(expected) << entry.dump();
    const std::string text = entry["last_test"]["en"];
    EXPECT_NE(text.find((*expected)["name"].get<std::string>()), std::string::npos) << text;
    EXPECT_NE(text.find(fmt::format("{:+.1f} pp", (*expected)["uplift"].get<double>() * 100)),
              std::string::npos)
        << text;
  }
  EXPECT_GE(with_test, 3u);
}

TEST_F(StoreCommandTest, DefaultStoreIsBesideTheOutputFolderAndNoStoreSkipsIt) {
  const auto run_env = [&](const std::string& env, const std::string& arguments) {
    const std::string command =
        fmt::format("env -u CUSTLENS_NO_STORE -u CUSTLENS_STORE {} '{}' {} >'{}' 2>'{}'", env,
                    CUSTLENS_BIN, arguments, path("stdout"), path("stderr"));
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  ASSERT_EQ(run_env("", fmt::format("analyze '{}' --out '{}' --quiet --no-store", kStoreFirst,
                                    path("results/a"))),
            0)
      << err();
  EXPECT_FALSE(std::filesystem::exists(path("results/custlens.db")));
  ASSERT_EQ(
      run_env("", fmt::format("analyze '{}' --out '{}' --quiet", kStoreFirst, path("results/a"))),
      0)
      << err();
  EXPECT_TRUE(std::filesystem::exists(path("results/custlens.db")));
  ASSERT_EQ(
      run_env(fmt::format("CUSTLENS_STORE='{}'", path("results/custlens.db")), "history --json"), 0)
      << err();
  EXPECT_EQ(json::parse(out())["runs"].size(), 1u);
}

TEST_F(StoreCommandTest, OneLineErrors) {
  expect_one_line_error(run(fmt::format("history --store '{}'", path("missing.db"))),
                        "no run store there");
  write(path("text.db"), std::string(4096, 'x'));
  expect_one_line_error(run(fmt::format("history --store '{}'", path("text.db"))), "text.db");
  const std::string store = path("runs.db");
  ASSERT_EQ(run(fmt::format("analyze '{}' --out '{}' --store '{}' --quiet", kStoreFirst, path("a"),
                            store)),
            0)
      << err();
  expect_one_line_error(run(fmt::format("migrate --store '{}'", store)), "no run before");
  expect_one_line_error(run(fmt::format("migrate --store '{}' --from nope", store)), "no run nope");
  expect_one_line_error(run(fmt::format("migrate --store '{}' --from -1", store)), "same run");
  expect_one_line_error(run(fmt::format("migrate --store '{}' --from -1 --to -5", store)),
                        "does not exist");
  expect_one_line_error(run(fmt::format("analyze '{}' --out '{}' --store '{}' --no-store",
                                        kStoreFirst, path("b"), store)),
                        "--no-store");
  // An error writing the store leaves no output folder behind.
  expect_one_line_error(run(fmt::format("analyze '{}' --out '{}' --store '{}' --quiet", kStoreFirst,
                                        path("c"), path("text.db"))),
                        "text.db");
  EXPECT_FALSE(std::filesystem::exists(path("c/summary.json")));
}

}  // namespace
}  // namespace custlens::testing
