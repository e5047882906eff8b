// `custlens history`: the runs of the run store, their KPIs and the change from the previous
// comparable run, as text, JSON, or summary.json and report.html with the trend lines.
#include "report/history.h"

#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/run_store.h"
#include "custlens/version.h"
#include "io/database.h"
#include "io/output_files.h"
#include "io/store.h"
#include "report/json_output.h"
#include "report/sinks/sink.h"

namespace custlens::cli {
namespace {

struct HistoryOptions {
  std::string store;
  std::string command;  // only runs of this command
  std::string source;   // only runs of this source name
  std::string lang = "en";
  std::string out;
  bool json = false;
};

void run_history(const HistoryOptions& options) {
  const Lang lang = parse_lang(options.lang);
  const std::string target = reading_store(options.store);
  const std::unique_ptr<io::Database> db = io::open_database(target);
  std::vector<io::StoredRun> runs = io::read_runs(*db);
  std::erase_if(runs, [&](const io::StoredRun& run) {
    return (!options.command.empty() && run.command != options.command) ||
           (!options.source.empty() && run.source_name != options.source);
  });
  std::vector<io::StoredCampaignRow> campaigns = io::read_campaign_results(*db);
  std::erase_if(campaigns, [&](const io::StoredCampaignRow& row) {
    return std::none_of(runs.begin(), runs.end(),
                        [&](const io::StoredRun& run) { return run.run_id == row.run_id; });
  });
  const report::History history = report::build_history(db->name(), std::move(runs), campaigns);
  const nlohmann::json json = report::history_to_json(history);
  std::optional<std::filesystem::path> out_dir;
  if (!options.out.empty()) {
    out_dir = make_out_dir(options.out);
    io::OutputFiles outputs;
    const report::SinkContext sinks{outputs, lang, nullptr};
    const report::SinkResults results(
        nlohmann::json{{"custlens_version", std::string(version())}, {"history", json}});
    report::write_sink("summary.json", results, sinks, *out_dir / "summary.json");
    report::write_sink("report.html", results, sinks, *out_dir / "report.html");
    outputs.commit();
  }
  if (options.json) report::require_finite_numbers(json, "the JSON output");
  print_result(json, options.json, report::history_text(history, lang), lang, out_dir);
}

void setup(CLI::App& app) {
  auto options = std::make_shared<HistoryOptions>();
  app.add_option("--store", options->store,
                 "Run store (default: $CUSTLENS_STORE, else custlens.db here; docs/store.md)");
  app.add_option("--command", options->command,
                 "Only runs of this command (analyze, predict, ...)");
  app.add_option("--source", options->source, "Only runs of this source name");
  app.add_option("--lang", options->lang, "Language of the text and report: en or zh");
  app.add_option("--out,-o", options->out, "Also write summary.json and report.html here");
  app.add_flag("--json", options->json, "Print one JSON object on stdout");
  app.callback([options] { run_history(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(history,
                          "Runs recorded in the run store: KPIs over time and the change from the "
                          "previous comparable run",
                          setup);

}  // namespace custlens::cli
