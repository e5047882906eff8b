// The run store (docs/store.md): every run of analyze, rfm, predict, clv, events and campaign
// written as one transaction into a SQLite file (the default) or PostgreSQL (`--to`), with the
// same schema in both, versioned by migrations; and read back by `history`, `migrate` and the
// playbook's last measured uplift.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/database.h"

namespace custlens::io {

/// The schema version this build writes and reads (the number of migrations).
int store_schema_version();

/// Brings the store's schema up to store_schema_version(), one migration per transaction.
/// Throws custlens::Error for a store written by a newer custlens (a higher version).
void migrate_store(Database& db);

struct StoredInput {
  std::string path;
  std::int64_t bytes = -1;  ///< -1: not a file (a pipe, a database)
  std::string sha256;       ///< hex; "" when not a file
};

struct StoredKpi {
  std::string name;
  double value = 0;
};

/// One tier of a run's scheme.
struct StoredSegment {
  std::string segment;  ///< English name
  std::string segment_zh;
  std::int64_t customers = 0;
  double customer_share = 0;
  double revenue = 0;
  double revenue_share = 0;
  double mean_recency = 0;
  double mean_frequency = 0;
  double mean_monetary = 0;
};

/// One customer of a run (table `customers`; view `customer_tiers`).
struct StoredCustomer {
  std::string customer_id;  ///< hashed under --hash-ids
  std::int64_t recency_days = 0;
  std::int64_t frequency = 0;
  double monetary = 0;
  int r_score = 0, f_score = 0, m_score = 0;
  std::string segment;  ///< English tier name
};

/// One campaign read out by a run (table `campaigns`).
struct StoredCampaign {
  std::string campaign;
  std::string first_sent;  ///< YYYY-MM-DD
  std::string last_sent;
  std::int64_t window_days = 0;
  std::string channel;  ///< "" when mixed or not given
};

/// One row of a campaign readout (table `campaign_results`): the whole campaign
/// (breakdown "all", level ""), or one RFM tier ("tier", its English name) or predict decile
/// ("decile", "1".."10").
struct StoredCampaignResult {
  std::string campaign;
  std::string breakdown;
  std::string level;
  std::int64_t treatment_customers = 0;
  std::int64_t control_customers = 0;
  std::int64_t treatment_converters = 0;
  std::int64_t control_converters = 0;
  double treatment_rate = 0;
  double control_rate = 0;
  std::optional<double> uplift;  ///< treatment - control conversion; none when a group is empty
  std::optional<double> ci_lower;
  std::optional<double> ci_upper;
  std::optional<double> p_value;
  std::optional<double> revenue_uplift;  ///< per customer
  std::optional<double> incremental_profit;
};

/// What one run writes.
struct RunRecord {
  std::string run_id;      ///< new_run_id()
  std::string started_at;  ///< UTC, "YYYY-MM-DDTHH:MM:SS.mmmZ"
  std::string finished_at;
  std::string command;      ///< analyze, rfm, predict, clv, events, campaign
  std::string source_name;  ///< what makes runs comparable: --source-name, else the first input's
                            ///< file name
  std::string scheme;       ///< tier scheme, "" when the command has none
  std::string as_of;        ///< YYYY-MM-DD, "" when none
  std::string parameters;   ///< JSON object text: the options that shape the numbers
  std::string custlens_version;
  bool hashed_ids = false;
  std::vector<StoredInput> inputs;
  std::vector<StoredKpi> kpis;
  std::vector<StoredSegment> segments;
  /// The customer table, produced row by row (a run may have millions, not copied here):
  /// customer_at(i, row) fills row i, 0 <= i < customer_count.
  std::size_t customer_count = 0;
  std::function<void(std::size_t i, StoredCustomer& row)> customer_at;
  std::vector<StoredCampaign> campaigns;
  std::vector<StoredCampaignResult> campaign_results;
};

/// A fresh run id: the UTC start time and a random suffix, "20261204-141530-3fa9": sortable, and
/// unique across processes writing one store.
std::string new_run_id(std::int64_t started_unix_seconds);

/// Writes `run` in one transaction, replacing a run with the same id (upsert by run), after
/// migrate_store. Nothing of it is visible until the commit; an error rolls it all back.
void write_run(Database& db, const RunRecord& run);

/// One stored run as history reads it: everything but the customers and campaign rows.
struct StoredRun {
  std::string run_id;
  std::string started_at;
  std::string finished_at;
  std::string command;
  std::string source_name;
  std::string scheme;
  std::string as_of;
  std::string parameters;
  std::string custlens_version;
  bool hashed_ids = false;
  std::vector<StoredInput> inputs;
  std::vector<StoredKpi> kpis;          ///< sorted by name
  std::vector<StoredSegment> segments;  ///< in the scheme's order
};

/// Every run, oldest first (by started_at, then run_id).
std::vector<StoredRun> read_runs(Database& db);

/// The run `reference` names among `runs` (read_runs order): a run id, a unique prefix of one, or
/// "latest" / "-1" (the newest), "-2" (the one before) and so on. Throws custlens::Error naming
/// the store when none or several match.
const StoredRun& find_run(const std::vector<StoredRun>& runs, std::string_view reference,
                          std::string_view store_name);

/// Calls `row` for each customer of run `run_id`, sorted by customer id.
void read_customers(Database& db, const std::string& run_id,
                    const std::function<void(const StoredCustomer&)>& row);

/// The campaign rows of every stored run with their run's id and start, oldest first.
struct StoredCampaignRow {
  std::string run_id;
  std::string started_at;
  std::string scheme;  ///< the run's tier scheme (of the tier breakdown)
  StoredCampaign campaign;
  StoredCampaignResult result;
};
std::vector<StoredCampaignRow> read_campaign_results(Database& db);

}  // namespace custlens::io
