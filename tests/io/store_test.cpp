// The run store on SQLite: schema and migrations, one transaction per run, upsert by run id,
// reading back runs, customers and campaign rows, and the run references of history/migrate.
#include "io/store.h"

#include <gtest/gtest.h>

#include <map>

#include "custlens/error.h"
#include "io/database.h"
#include "io/file_digest.h"
#include "support/postgres_test.h"
#include "support/temp_dir.h"

namespace custlens::io {
namespace {

RunRecord store_test_run(const std::string& id, const std::string& started) {
  RunRecord run;
  run.run_id = id;
  run.started_at = started;
  run.finished_at = started;
  run.command = "analyze";
  run.source_name = "orders.csv";
  run.scheme = "five";
  run.as_of = "2011-12-10";
  run.parameters = R"({"scheme":"five"})";
  run.custlens_version = "0.1.0";
  run.inputs = {{"data/orders.csv", 123, "ab12"}};
  run.kpis = {{"revenue", 1000.5}, {"customers", 3}};
  run.segments = {{"Champions", "冠军客户", 1, 1.0 / 3, 700, 0.7, 5, 4, 700},
                  {"Lost", "流失客户", 2, 2.0 / 3, 300.5, 0.3, 200, 1, 150.25}};
  run.customer_count = 3;
  run.customer_at = [](std::size_t i, StoredCustomer& c) {
    static const char* const kIds[] = {"c'3", "a\t1", "b\n2"};  // quotes, tabs, newlines survive
    c.customer_id = kIds[i];
    c.recency_days = static_cast<std::int64_t>(i) * 10;
    c.frequency = 1 + static_cast<std::int64_t>(i);
    c.monetary = 100.25 * static_cast<double>(i + 1);
    c.r_score = 5;
    c.f_score = 4;
    c.m_score = 3;
    c.segment = i == 0 ? "Champions" : "Lost";
  };
  return run;
}

// The same run written and read back through either database.
void store_round_trip(Database& database) {
  Database* db = &database;
  write_run(*db, store_test_run("r1", "2026-12-01T10:00:00Z"));
  const std::vector<StoredRun> runs = read_runs(*db);
  ASSERT_EQ(runs.size(), 1u);
  const StoredRun& run = runs[0];
  EXPECT_EQ(run.run_id, "r1");
  EXPECT_EQ(run.command, "analyze");
  EXPECT_EQ(run.scheme, "five");
  EXPECT_EQ(run.parameters, R"({"scheme":"five"})");
  ASSERT_EQ(run.inputs.size(), 1u);
  EXPECT_EQ(run.inputs[0].bytes, 123);
  EXPECT_EQ(run.inputs[0].sha256, "ab12");
  ASSERT_EQ(run.kpis.size(), 2u);
  EXPECT_EQ(run.kpis[0].name, "customers");  // by name
  EXPECT_EQ(run.kpis[1].value, 1000.5);
  ASSERT_EQ(run.segments.size(), 2u);
  EXPECT_EQ(run.segments[0].segment, "Champions");  // scheme order kept
  EXPECT_EQ(run.segments[1].segment_zh, "流失客户");
  EXPECT_DOUBLE_EQ(run.segments[1].mean_monetary, 150.25);
  std::vector<StoredCustomer> customers;
  read_customers(*db, "r1", [&](const StoredCustomer& c) { customers.push_back(c); });
  ASSERT_EQ(customers.size(), 3u);
  EXPECT_EQ(customers[0].customer_id, "a\t1");
  EXPECT_EQ(customers[2].customer_id, "c'3");
  EXPECT_EQ(customers[2].segment, "Champions");
  EXPECT_DOUBLE_EQ(customers[1].monetary, 300.75);
  // The view of the schema names the tier of each customer too.
  std::int64_t tiers = 0;
  db->query("SELECT COUNT(*) FROM customer_tiers WHERE segment = ?",
            std::vector<SqlValue>{std::string("Lost")},
            [&](std::span<const SqlValue> row) { tiers = std::get<std::int64_t>(row[0]); });
  EXPECT_EQ(tiers, 2);
}

TEST(StoreTest, WritesAndReadsBackARun) {
  testing::TempDir dir;
  const auto db = open_database("sqlite:" + (dir.path() / "s.db").string());
  store_round_trip(*db);
}

TEST(StoreTest, WritesAndReadsBackARunOnPostgreSQL) {
  CUSTLENS_POSTGRES_DATABASE(url);
  const auto db = open_database(url);
  EXPECT_EQ(db->dialect(), "postgresql");
  store_round_trip(*db);
  // Written again (upsert by run), nothing doubles.
  write_run(*db, store_test_run("r1", "2026-12-01T10:00:00Z"));
  std::size_t customers = 0;
  read_customers(*db, "r1", [&](const StoredCustomer&) { ++customers; });
  EXPECT_EQ(customers, 3u);
}

// Table name -> column names, in order, of a store's tables.
std::map<std::string, std::vector<std::string>> store_columns(Database& db) {
  std::map<std::string, std::vector<std::string>> tables;
  const bool sqlite = db.dialect() == "sqlite";
  db.query(sqlite ? "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p "
                    "WHERE m.type IN ('table', 'view') ORDER BY m.name, p.cid"
                  : "SELECT table_name::text, column_name::text FROM information_schema.columns "
                    "WHERE table_schema = 'custlens' ORDER BY table_name, ordinal_position",
           {}, [&](std::span<const SqlValue> row) {
             tables[std::get<std::string>(row[0])].push_back(std::get<std::string>(row[1]));
           });
  return tables;
}

TEST(StoreTest, SqliteAndPostgreSQLStoresHaveTheSameSchema) {
  CUSTLENS_POSTGRES_DATABASE(url);
  testing::TempDir dir;
  const auto sqlite = open_sqlite((dir.path() / "s.db").string());
  const auto postgres = open_database(url);
  migrate_store(*sqlite);
  migrate_store(*postgres);
  const auto tables = store_columns(*sqlite);
  EXPECT_EQ(tables, store_columns(*postgres));
  EXPECT_EQ(tables.count("customer_tiers"), 1u);
  EXPECT_EQ(tables.at("runs").front(), "run_id");
}

TEST(StoreTest, SameRunIdReplacesTheRunAndOthersStay) {
  testing::TempDir dir;
  const auto db = open_sqlite((dir.path() / "s.db").string());
  write_run(*db, store_test_run("r1", "2026-12-01T10:00:00Z"));
  write_run(*db, store_test_run("r2", "2026-12-02T10:00:00Z"));
  RunRecord again = store_test_run("r1", "2026-12-01T10:00:00Z");
  again.kpis = {{"revenue", 5}};
  again.customer_count = 1;
  write_run(*db, again);
  const std::vector<StoredRun> runs = read_runs(*db);
  ASSERT_EQ(runs.size(), 2u);
  ASSERT_EQ(runs[0].kpis.size(), 1u);
  EXPECT_EQ(runs[0].kpis[0].value, 5);
  std::size_t customers = 0;
  read_customers(*db, "r1", [&](const StoredCustomer&) { ++customers; });
  EXPECT_EQ(customers, 1u);
  read_customers(*db, "r2", [&](const StoredCustomer&) { ++customers; });
  EXPECT_EQ(customers, 4u);
}

TEST(StoreTest, AFailedWriteLeavesNothing) {
  testing::TempDir dir;
  const auto db = open_sqlite((dir.path() / "s.db").string());
  RunRecord run = store_test_run("r1", "2026-12-01T10:00:00Z");
  run.customer_at = [](std::size_t i, StoredCustomer& c) {
    if (i == 2) throw Error("disk on fire");
    c.customer_id = std::to_string(i);
    c.segment = "Lost";
  };
  EXPECT_THROW(write_run(*db, run), Error);
  EXPECT_TRUE(read_runs(*db).empty());
  // Two customers with one id break the primary key: rolled back too.
  run.customer_at = [](std::size_t, StoredCustomer& c) {
    c.customer_id = "same";
    c.segment = "Lost";
  };
  EXPECT_THROW(write_run(*db, run), Error);
  EXPECT_TRUE(read_runs(*db).empty());
}

TEST(StoreTest, MigrationsAreVersionedAndANewerStoreIsRefused) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "s.db").string();
  {
    const auto db = open_sqlite(path);
    migrate_store(*db);
    migrate_store(*db);  // idempotent
    std::int64_t version = 0;
    db->query("SELECT MAX(version) FROM schema_version", {},
              [&](std::span<const SqlValue> row) { version = std::get<std::int64_t>(row[0]); });
    EXPECT_EQ(version, store_schema_version());
    db->execute("INSERT INTO schema_version (version) VALUES (?)",
                std::vector<SqlValue>{std::int64_t{store_schema_version() + 1}});
  }
  const auto db = open_sqlite(path);
  try {
    read_runs(*db);
    FAIL() << "a newer store was read";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("newer custlens"), std::string::npos) << e.what();
  }
}

TEST(StoreTest, NotADatabaseIsAOneLineError) {
  testing::TempDir dir;
  const std::filesystem::path file = dir.write("notes.db", std::string(5000, 'x'));
  try {
    open_database(file.string());
    FAIL() << "opened a text file as a database";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("notes.db"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
}

TEST(StoreTest, FindRunTakesIdsPrefixesAndOffsets) {
  std::vector<StoredRun> runs(3);
  runs[0].run_id = "20261201-100000-aaaa";
  runs[1].run_id = "20261202-100000-bbbb";
  runs[2].run_id = "20261202-110000-cccc";
  EXPECT_EQ(&find_run(runs, "latest", "s"), &runs[2]);
  EXPECT_EQ(&find_run(runs, "-1", "s"), &runs[2]);
  EXPECT_EQ(&find_run(runs, "-3", "s"), &runs[0]);
  EXPECT_EQ(&find_run(runs, "20261201", "s"), &runs[0]);
  EXPECT_EQ(&find_run(runs, "20261202-100000-bbbb", "s"), &runs[1]);
  EXPECT_THROW(find_run(runs, "20261202", "s"), Error);  // two runs start with it
  EXPECT_THROW(find_run(runs, "-4", "s"), Error);
  EXPECT_THROW(find_run(runs, "nope", "s"), Error);
  EXPECT_THROW(find_run({}, "latest", "s"), Error);
}

TEST(StoreTest, CampaignRowsComeBackWithTheirRun) {
  testing::TempDir dir;
  const auto db = open_sqlite((dir.path() / "s.db").string());
  RunRecord run = store_test_run("c1", "2026-12-03T10:00:00Z");
  run.command = "campaign";
  run.customer_count = 0;
  run.campaigns = {{"winback", "2011-11-01", "2011-11-02", 30, "email"}};
  StoredCampaignResult all;
  all.campaign = "winback";
  all.breakdown = "all";
  all.treatment_customers = 100;
  all.control_customers = 50;
  all.treatment_rate = 0.2;
  all.control_rate = 0.1;
  all.uplift = 0.1;
  all.p_value = 0.04;
  StoredCampaignResult tier = all;
  tier.breakdown = "tier";
  tier.level = "Lost";
  tier.uplift.reset();  // not supported by the data: NULL
  run.campaign_results = {all, tier};
  write_run(*db, run);
  const std::vector<StoredCampaignRow> rows = read_campaign_results(*db);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].run_id, "c1");
  EXPECT_EQ(rows[0].scheme, "five");
  EXPECT_EQ(rows[0].campaign.channel, "email");
  EXPECT_EQ(rows[0].result.breakdown, "all");
  EXPECT_EQ(rows[0].result.uplift, 0.1);
  EXPECT_FALSE(rows[0].result.ci_lower.has_value());
  EXPECT_EQ(rows[1].result.level, "Lost");
  EXPECT_FALSE(rows[1].result.uplift.has_value());
}

TEST(StoreTest, NewRunIdsSortByTime) {
  const std::string a = new_run_id(1764844050);  // 2025-12-04 10:27:30 UTC
  EXPECT_EQ(a.substr(0, 15), "20251204-102730");
  EXPECT_LT(new_run_id(1764844050), new_run_id(1764844051));
}

TEST(FileDigestTest, Sha256OfAKnownText) {
  testing::TempDir dir;
  // sha256("abc"), FIPS 180-2 appendix B.1.
  EXPECT_EQ(sha256_file(dir.write("abc.txt", "abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_THROW(sha256_file(dir.path() / "missing"), Error);
}

}  // namespace
}  // namespace custlens::io
