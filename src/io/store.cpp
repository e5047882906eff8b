// The run store's schema, its migrations, and the writes and reads of runs (docs/store.md).
#include "io/store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <random>

#include "common/calendar.h"
#include "custlens/error.h"

namespace custlens::io {
namespace {

// One entry per schema version; never edit one that has shipped, add the next. The SQL is the
// common part of SQLite's and PostgreSQL's dialects, so both stores have the same tables.
constexpr std::array<std::string_view, 1> kMigrations = {
    R"sql(
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  command TEXT NOT NULL,
  source_name TEXT NOT NULL,
  scheme TEXT NOT NULL,
  as_of TEXT NOT NULL,
  parameters TEXT NOT NULL,
  custlens_version TEXT NOT NULL,
  hashed_ids INTEGER NOT NULL
);
CREATE TABLE run_inputs (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
);
CREATE TABLE kpis (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (run_id, name)
);
CREATE TABLE segments (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  segment TEXT NOT NULL,
  segment_zh TEXT NOT NULL,
  customers BIGINT NOT NULL,
  customer_share DOUBLE PRECISION NOT NULL,
  revenue DOUBLE PRECISION NOT NULL,
  revenue_share DOUBLE PRECISION NOT NULL,
  mean_recency DOUBLE PRECISION NOT NULL,
  mean_frequency DOUBLE PRECISION NOT NULL,
  mean_monetary DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (run_id, segment)
);
CREATE TABLE customers (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL,
  recency_days BIGINT NOT NULL,
  frequency BIGINT NOT NULL,
  monetary DOUBLE PRECISION NOT NULL,
  r_score INTEGER NOT NULL,
  f_score INTEGER NOT NULL,
  m_score INTEGER NOT NULL,
  segment TEXT NOT NULL,
  PRIMARY KEY (run_id, customer_id)
);
CREATE VIEW customer_tiers AS
  SELECT run_id, customer_id, r_score, f_score, m_score, segment FROM customers;
CREATE TABLE campaigns (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  campaign TEXT NOT NULL,
  first_sent TEXT NOT NULL,
  last_sent TEXT NOT NULL,
  window_days BIGINT NOT NULL,
  channel TEXT NOT NULL,
  PRIMARY KEY (run_id, campaign)
);
CREATE TABLE campaign_results (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  campaign TEXT NOT NULL,
  breakdown TEXT NOT NULL,
  level TEXT NOT NULL,
  treatment_customers BIGINT NOT NULL,
  control_customers BIGINT NOT NULL,
  treatment_converters BIGINT NOT NULL,
  control_converters BIGINT NOT NULL,
  treatment_rate DOUBLE PRECISION NOT NULL,
  control_rate DOUBLE PRECISION NOT NULL,
  uplift DOUBLE PRECISION,
  ci_lower DOUBLE PRECISION,
  ci_upper DOUBLE PRECISION,
  p_value DOUBLE PRECISION,
  revenue_uplift DOUBLE PRECISION,
  incremental_profit DOUBLE PRECISION,
  PRIMARY KEY (run_id, campaign, breakdown, level)
);
)sql"};

// Child tables, deleted before the run row (a replaced run leaves nothing behind even where
// foreign keys are not enforced).
constexpr std::array<std::string_view, 6> kRunTables = {
    "run_inputs", "kpis", "segments", "customers", "campaigns", "campaign_results"};

SqlValue optional_value(const std::optional<double>& value) {
  if (value) return *value;
  return std::monostate{};
}

std::string text_of(const SqlValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return std::to_string(*integer);
  if (const auto* real = std::get_if<double>(&value)) return fmt::format("{}", *real);
  return {};
}

std::int64_t integer_of(const SqlValue& value) {
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return *integer;
  if (const auto* real = std::get_if<double>(&value)) return static_cast<std::int64_t>(*real);
  if (const auto* text = std::get_if<std::string>(&value)) return std::stoll(*text);
  return 0;
}

std::optional<double> optional_real(const SqlValue& value) {
  if (const auto* real = std::get_if<double>(&value)) return *real;
  if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    return static_cast<double>(*integer);
  }
  if (const auto* text = std::get_if<std::string>(&value)) return std::stod(*text);
  return std::nullopt;
}

double real_of(const SqlValue& value) { return optional_real(value).value_or(0.0); }

int current_version(Database& db) {
  db.execute_script("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  int version = 0;
  db.query("SELECT MAX(version) FROM schema_version", {},
           [&](std::span<const SqlValue> row) { version = static_cast<int>(integer_of(row[0])); });
  return version;
}

void write_children(Database& db, const RunRecord& run) {
  const SqlValue id = run.run_id;
  for (std::size_t i = 0; i < run.inputs.size(); ++i) {
    const StoredInput& input = run.inputs[i];
    const std::array<SqlValue, 5> values = {id, static_cast<std::int64_t>(i), input.path,
                                            input.bytes, input.sha256};
    db.execute(
        "INSERT INTO run_inputs (run_id, position, path, bytes, sha256) VALUES (?, ?, ?, ?, ?)",
        values);
  }
  for (const StoredKpi& kpi : run.kpis) {
    const std::array<SqlValue, 3> values = {id, kpi.name, kpi.value};
    db.execute("INSERT INTO kpis (run_id, name, value) VALUES (?, ?, ?)", values);
  }
  for (std::size_t i = 0; i < run.segments.size(); ++i) {
    const StoredSegment& s = run.segments[i];
    const std::array<SqlValue, 11> values = {id,
                                             static_cast<std::int64_t>(i),
                                             s.segment,
                                             s.segment_zh,
                                             s.customers,
                                             s.customer_share,
                                             s.revenue,
                                             s.revenue_share,
                                             s.mean_recency,
                                             s.mean_frequency,
                                             s.mean_monetary};
    db.execute(
        "INSERT INTO segments (run_id, position, segment, segment_zh, customers, customer_share, "
        "revenue, revenue_share, mean_recency, mean_frequency, mean_monetary) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        values);
  }
  if (run.customer_count > 0) {
    static constexpr std::array<std::string_view, 9> kColumns = {
        "run_id",  "customer_id", "recency_days", "frequency", "monetary",
        "r_score", "f_score",     "m_score",      "segment"};
    StoredCustomer customer;
    std::size_t next = 0;
    db.insert_rows("customers", kColumns, [&](std::vector<SqlValue>& row) {
      if (next == run.customer_count) return false;
      run.customer_at(next++, customer);
      row[0] = run.run_id;
      row[1] = customer.customer_id;
      row[2] = customer.recency_days;
      row[3] = customer.frequency;
      row[4] = customer.monetary;
      row[5] = static_cast<std::int64_t>(customer.r_score);
      row[6] = static_cast<std::int64_t>(customer.f_score);
      row[7] = static_cast<std::int64_t>(customer.m_score);
      row[8] = customer.segment;
      return true;
    });
  }
  for (const StoredCampaign& c : run.campaigns) {
    const std::array<SqlValue, 6> values = {id,          c.campaign,    c.first_sent,
                                            c.last_sent, c.window_days, c.channel};
    db.execute(
        "INSERT INTO campaigns (run_id, campaign, first_sent, last_sent, window_days, channel) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        values);
  }
  for (const StoredCampaignResult& r : run.campaign_results) {
    const std::array<SqlValue, 16> values = {id,
                                             r.campaign,
                                             r.breakdown,
                                             r.level,
                                             r.treatment_customers,
                                             r.control_customers,
                                             r.treatment_converters,
                                             r.control_converters,
                                             r.treatment_rate,
                                             r.control_rate,
                                             optional_value(r.uplift),
                                             optional_value(r.ci_lower),
                                             optional_value(r.ci_upper),
                                             optional_value(r.p_value),
                                             optional_value(r.revenue_uplift),
                                             optional_value(r.incremental_profit)};
    db.execute(
        "INSERT INTO campaign_results (run_id, campaign, breakdown, level, treatment_customers, "
        "control_customers, treatment_converters, control_converters, treatment_rate, "
        "control_rate, uplift, ci_lower, ci_upper, p_value, revenue_uplift, incremental_profit) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        values);
  }
}

}  // namespace

int store_schema_version() { return static_cast<int>(kMigrations.size()); }

void migrate_store(Database& db) {
  int version = current_version(db);
  if (version > store_schema_version()) {
    throw Error(fmt::format(
        "{}: the store has schema version {}, written by a newer custlens; this one reads up to "
        "version {}",
        db.name(), version, store_schema_version()));
  }
  while (version < store_schema_version()) {
    Transaction transaction(db);
    // Another process may have migrated since we looked: the write lock is ours now.
    if (current_version(db) > version) {
      transaction.commit();
      version = current_version(db);
      continue;
    }
    db.execute_script(kMigrations[static_cast<std::size_t>(version)]);
    ++version;
    const std::array<SqlValue, 1> values = {static_cast<std::int64_t>(version)};
    db.execute("INSERT INTO schema_version (version) VALUES (?)", values);
    transaction.commit();
  }
}

std::string new_run_id(std::int64_t started_unix_seconds) {
  std::string id = common::format_timestamp(started_unix_seconds);  // "2026-12-04 14:15:30"
  std::erase_if(id, [](char c) { return c == '-' || c == ':'; });
  id[8] = '-';  // "20261204-141530"
  std::random_device random;
  return fmt::format("{}-{:04x}", id, random() & 0xffffu);
}

void write_run(Database& db, const RunRecord& run) {
  migrate_store(db);
  Transaction transaction(db);
  const std::array<SqlValue, 1> id = {run.run_id};
  for (std::string_view table : kRunTables) {
    db.execute(fmt::format("DELETE FROM {} WHERE run_id = ?", table), id);
  }
  db.execute("DELETE FROM runs WHERE run_id = ?", id);
  const std::array<SqlValue, 10> values = {run.run_id,
                                           run.started_at,
                                           run.finished_at,
                                           run.command,
                                           run.source_name,
                                           run.scheme,
                                           run.as_of,
                                           run.parameters,
                                           run.custlens_version,
                                           static_cast<std::int64_t>(run.hashed_ids ? 1 : 0)};
  db.execute(
      "INSERT INTO runs (run_id, started_at, finished_at, command, source_name, scheme, as_of, "
      "parameters, custlens_version, hashed_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      values);
  write_children(db, run);
  transaction.commit();
}

std::vector<StoredRun> read_runs(Database& db) {
  migrate_store(db);
  std::vector<StoredRun> runs;
  db.query(
      "SELECT run_id, started_at, finished_at, command, source_name, scheme, as_of, parameters, "
      "custlens_version, hashed_ids FROM runs ORDER BY started_at, run_id",
      {}, [&](std::span<const SqlValue> row) {
        StoredRun run;
        run.run_id = text_of(row[0]);
        run.started_at = text_of(row[1]);
        run.finished_at = text_of(row[2]);
        run.command = text_of(row[3]);
        run.source_name = text_of(row[4]);
        run.scheme = text_of(row[5]);
        run.as_of = text_of(row[6]);
        run.parameters = text_of(row[7]);
        run.custlens_version = text_of(row[8]);
        run.hashed_ids = integer_of(row[9]) != 0;
        runs.push_back(std::move(run));
      });
  const auto index_of = [&](const std::string& run_id) -> StoredRun* {
    // runs are few (one per command run): a linear search is plenty.
    for (StoredRun& run : runs) {
      if (run.run_id == run_id) return &run;
    }
    return nullptr;
  };
  db.query("SELECT run_id, path, bytes, sha256 FROM run_inputs ORDER BY run_id, position", {},
           [&](std::span<const SqlValue> row) {
             if (StoredRun* run = index_of(text_of(row[0]))) {
               run->inputs.push_back({text_of(row[1]), integer_of(row[2]), text_of(row[3])});
             }
           });
  db.query("SELECT run_id, name, value FROM kpis ORDER BY run_id, name", {},
           [&](std::span<const SqlValue> row) {
             if (StoredRun* run = index_of(text_of(row[0]))) {
               run->kpis.push_back({text_of(row[1]), real_of(row[2])});
             }
           });
  db.query(
      "SELECT run_id, segment, segment_zh, customers, customer_share, revenue, revenue_share, "
      "mean_recency, mean_frequency, mean_monetary FROM segments ORDER BY run_id, position",
      {}, [&](std::span<const SqlValue> row) {
        if (StoredRun* run = index_of(text_of(row[0]))) {
          run->segments.push_back({text_of(row[1]), text_of(row[2]), integer_of(row[3]),
                                   real_of(row[4]), real_of(row[5]), real_of(row[6]),
                                   real_of(row[7]), real_of(row[8]), real_of(row[9])});
        }
      });
  return runs;
}

const StoredRun& find_run(const std::vector<StoredRun>& runs, std::string_view reference,
                          std::string_view store_name) {
  if (runs.empty()) throw Error(fmt::format("{}: the store holds no run", store_name));
  if (reference == "latest") reference = "-1";
  if (reference.starts_with('-') && reference.size() > 1 &&
      std::all_of(reference.begin() + 1, reference.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    const std::size_t back = std::stoul(std::string(reference.substr(1)));
    if (back == 0 || back > runs.size()) {
      throw Error(fmt::format("{}: run {} does not exist: the store holds {} runs", store_name,
                              reference, runs.size()));
    }
    return runs[runs.size() - back];
  }
  const StoredRun* found = nullptr;
  for (const StoredRun& run : runs) {
    if (run.run_id == reference) return run;
    if (run.run_id.starts_with(reference)) {
      if (found != nullptr) {
        throw Error(fmt::format("{}: run {} is ambiguous: {} and {} both start with it", store_name,
                                reference, found->run_id, run.run_id));
      }
      found = &run;
    }
  }
  if (found == nullptr || reference.empty()) {
    throw Error(
        fmt::format("{}: no run {} (`custlens history` lists them)", store_name, reference));
  }
  return *found;
}

void read_customers(Database& db, const std::string& run_id,
                    const std::function<void(const StoredCustomer&)>& row) {
  const std::array<SqlValue, 1> id = {run_id};
  StoredCustomer customer;
  db.query(
      "SELECT customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, segment "
      "FROM customers WHERE run_id = ? ORDER BY customer_id",
      id, [&](std::span<const SqlValue> values) {
        customer.customer_id = text_of(values[0]);
        customer.recency_days = integer_of(values[1]);
        customer.frequency = integer_of(values[2]);
        customer.monetary = real_of(values[3]);
        customer.r_score = static_cast<int>(integer_of(values[4]));
        customer.f_score = static_cast<int>(integer_of(values[5]));
        customer.m_score = static_cast<int>(integer_of(values[6]));
        customer.segment = text_of(values[7]);
        row(customer);
      });
}

std::vector<StoredCampaignRow> read_campaign_results(Database& db) {
  migrate_store(db);
  std::vector<StoredCampaignRow> rows;
  db.query(
      "SELECT r.run_id, r.started_at, r.scheme, c.campaign, c.first_sent, c.last_sent, "
      "c.window_days, "
      "c.channel, x.breakdown, x.level, x.treatment_customers, x.control_customers, "
      "x.treatment_converters, x.control_converters, x.treatment_rate, x.control_rate, x.uplift, "
      "x.ci_lower, x.ci_upper, x.p_value, x.revenue_uplift, x.incremental_profit "
      "FROM campaign_results x JOIN runs r ON r.run_id = x.run_id "
      "JOIN campaigns c ON c.run_id = x.run_id AND c.campaign = x.campaign "
      "ORDER BY r.started_at, r.run_id, x.campaign, x.breakdown, x.level",
      {}, [&](std::span<const SqlValue> v) {
        StoredCampaignRow row;
        row.run_id = text_of(v[0]);
        row.started_at = text_of(v[1]);
        row.scheme = text_of(v[2]);
        row.campaign = {text_of(v[3]), text_of(v[4]), text_of(v[5]), integer_of(v[6]),
                        text_of(v[7])};
        StoredCampaignResult& r = row.result;
        r.campaign = row.campaign.campaign;
        r.breakdown = text_of(v[8]);
        r.level = text_of(v[9]);
        r.treatment_customers = integer_of(v[10]);
        r.control_customers = integer_of(v[11]);
        r.treatment_converters = integer_of(v[12]);
        r.control_converters = integer_of(v[13]);
        r.treatment_rate = real_of(v[14]);
        r.control_rate = real_of(v[15]);
        r.uplift = optional_real(v[16]);
        r.ci_lower = optional_real(v[17]);
        r.ci_upper = optional_real(v[18]);
        r.p_value = optional_real(v[19]);
        r.revenue_uplift = optional_real(v[20]);
        r.incremental_profit = optional_real(v[21]);
        rows.push_back(std::move(row));
      });
  return rows;
}

}  // namespace custlens::io
