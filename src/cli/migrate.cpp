// `custlens migrate`: the tier migration matrix between two stored runs and the customers who
// moved (docs/store.md).
#include <fmt/format.h>

#include <iostream>

#include "analysis/tier_migration.h"
#include "cli/command.h"
#include "cli/common.h"
#include "cli/run_store.h"
#include "custlens/error.h"
#include "custlens/version.h"
#include "io/database.h"
#include "io/output_files.h"
#include "io/store.h"
#include "report/json_output.h"
#include "report/migration_summary.h"
#include "report/sinks/sink.h"

namespace custlens::cli {
namespace {

struct MigrateOptions {
  std::string store;
  std::string from;       // "" = the run before `to` of the same command, source and scheme
  std::string to;         // "" = the newest run with tiers
  std::string customers;  // movers' CSV
  std::string from_tier;
  std::string to_tier;
  std::string lang = "en";
  std::string out;
  bool json = false;
};

bool has_tiers(const io::StoredRun& run) { return !run.segments.empty(); }

// The newest run with tiers at or before `reference`; with an explicit run id, that run.
const io::StoredRun& tiered_run(const std::vector<io::StoredRun>& runs,
                                const std::string& reference, const std::string& store) {
  const io::StoredRun& run = io::find_run(runs, reference, store);
  if (!has_tiers(run)) {
    throw Error(
        fmt::format("{}: run {} ({}) has no customer tiers: migrate compares runs of "
                    "analyze on order lines",
                    store, run.run_id, run.command));
  }
  return run;
}

// The newest run with customer tiers (a campaign or predict run after it does not count).
const io::StoredRun& newest_tiered_run(const std::vector<io::StoredRun>& runs,
                                       const std::string& store) {
  for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
    if (has_tiers(*run)) return *run;
  }
  throw Error(
      fmt::format("{}: no run with customer tiers (analyze on order lines records them)", store));
}

const io::StoredRun& previous_comparable(const std::vector<io::StoredRun>& runs,
                                         const io::StoredRun& to, const std::string& store) {
  const io::StoredRun* found = nullptr;
  for (const io::StoredRun& run : runs) {
    if (&run == &to) break;
    if (has_tiers(run) && run.source_name == to.source_name && run.scheme == to.scheme) {
      found = &run;
    }
  }
  if (found == nullptr) {
    throw Error(
        fmt::format("{}: no run before {} of the same source ({}) and scheme ({}): name "
                    "one with --from",
                    store, to.run_id, to.source_name, to.scheme));
  }
  return *found;
}

std::vector<io::StoredCustomer> customers_of(io::Database& db, const io::StoredRun& run) {
  std::vector<io::StoredCustomer> customers;
  io::read_customers(db, run.run_id, [&](const io::StoredCustomer& c) { customers.push_back(c); });
  return customers;
}

std::vector<std::string> tiers_of(const io::StoredRun& run) {
  std::vector<std::string> tiers;
  for (const io::StoredSegment& s : run.segments) tiers.push_back(s.segment);
  return tiers;
}

void run_migrate(const MigrateOptions& options) {
  const Lang lang = parse_lang(options.lang);
  const std::string target = reading_store(options.store);
  const std::unique_ptr<io::Database> db = io::open_database(target);
  const std::vector<io::StoredRun> runs = io::read_runs(*db);
  const io::StoredRun& to = options.to.empty() ? newest_tiered_run(runs, db->name())
                                               : tiered_run(runs, options.to, db->name());
  const io::StoredRun& from = options.from.empty() ? previous_comparable(runs, to, db->name())
                                                   : tiered_run(runs, options.from, db->name());
  if (&from == &to) throw Error(fmt::format("--from and --to name the same run {}", to.run_id));
  if (from.hashed_ids != to.hashed_ids) {
    throw Error(
        fmt::format("runs {} and {} cannot be matched: one stored hashed ids "
                    "(--hash-ids), the other did not",
                    from.run_id, to.run_id));
  }
  for (const std::string* tier : {&options.from_tier, &options.to_tier}) {
    const io::StoredRun& run = tier == &options.from_tier ? from : to;
    const std::vector<std::string> tiers = tiers_of(run);
    if (!tier->empty() && std::find(tiers.begin(), tiers.end(), *tier) == tiers.end()) {
      throw Error(fmt::format("run {} has no tier {}; its tiers: {}", run.run_id, *tier,
                              fmt::join(tiers, ", ")));
    }
  }
  const analysis::TierMigration migration = analysis::compute_migration(
      tiers_of(from), tiers_of(to), customers_of(*db, from), customers_of(*db, to));
  const report::MigrationRuns pair{&from, &to};
  const nlohmann::json json = report::migration_to_json(migration, pair);
  io::OutputFiles outputs;
  std::optional<std::filesystem::path> out_dir;
  const std::string movers = report::movers_csv(migration, options.from_tier, options.to_tier);
  if (!options.out.empty()) {
    out_dir = make_out_dir(options.out);
    const report::SinkContext sinks{outputs, lang, nullptr};
    const report::SinkResults results(
        nlohmann::json{{"custlens_version", std::string(version())}, {"migration", json}});
    report::write_sink("summary.json", results, sinks, *out_dir / "summary.json");
    report::write_sink("report.html", results, sinks, *out_dir / "report.html");
    write_text(outputs.stage(*out_dir / "movers.csv"), movers);
  }
  if (!options.customers.empty()) write_text(outputs.stage(options.customers), movers);
  outputs.commit();
  if (options.json) report::require_finite_numbers(json, "the JSON output");
  print_result(json, options.json, report::migration_text(migration, pair, lang), lang, out_dir);
}

void setup(CLI::App& app) {
  auto options = std::make_shared<MigrateOptions>();
  app.add_option("--store", options->store,
                 "Run store (default: $CUSTLENS_STORE, else custlens.db here; docs/store.md)");
  app.add_option("--from", options->from,
                 "Earlier run: id, unique id prefix, latest, -2, ... (default: the run before "
                 "--to of the same source and scheme)");
  app.add_option("--to", options->to, "Later run (default: the newest run with tiers)");
  app.add_option("--customers", options->customers,
                 "Write the customers whose tier changed to this CSV (for the next campaign)");
  app.add_option("--from-tier", options->from_tier, "Only movers out of this tier");
  app.add_option("--to-tier", options->to_tier, "Only movers into this tier");
  app.add_option("--lang", options->lang, "Language of the text and report: en or zh");
  app.add_option("--out,-o", options->out,
                 "Also write summary.json, report.html and movers.csv here");
  app.add_flag("--json", options->json, "Print one JSON object on stdout");
  app.callback([options] { run_migrate(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(migrate,
                          "Tier migration between two stored runs, and who moved (for the next "
                          "campaign)",
                          setup);

}  // namespace custlens::cli
