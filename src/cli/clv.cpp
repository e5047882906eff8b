// `custlens clv`: customer lifetime value by the buy-till-you-die models (docs/clv.md). One scan
// feeds the calibration summary and the RFM totals as of the calibration end; models::run_clv
// fits BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma; the outputs are written from its typed result.
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "cli/clv_feed.h"
#include "cli/command.h"
#include "cli/common.h"
#include "custlens/error.h"
#include "io/output_files.h"
#include "report/clv_summary.h"
#include "report/hashed_ids.h"
#include "report/json_output.h"
#include "report/run_record.h"
#include "report/sinks/sink.h"

namespace custlens::cli {
namespace {

struct ClvCommandOptions {
  InputOptions input;
  TierOptions tiers;
  IdHashOptions ids;
  OutlierCliOptions outliers;
  ClvCliOptions clv;
  std::string customers;
  std::string out;
  std::string lang;  // "" = zh for Chinese headers, else en
  bool dedup = false;
  bool json = false;
  StoreOptions store;
};

void run_clv_command(const ClvCommandOptions& options) {
  if (!options.tiers.as_of.empty()) {
    throw Error(
        "clv: the tiers are as of the calibration end; give --calibration-end, not --as-of");
  }
  std::optional<report::IdHasher> hasher = make_id_hasher(options.ids);
  RunRecorder recorder("clv", options.store, expand_inputs(options.input.inputs),
                       database_relation(options.input));
  CleanOptions clean_options;
  clean_options.dedup = options.dedup;
  clean_options.keep_zero_value = true;  // a free purchase is a purchase: the models count them
  clean_options.outliers = to_outlier_options(options.outliers);
  ClvFeed feed(to_clv_settings(options.clv), to_rfm_options(options.tiers), options.input.quiet);
  SummaryCommand command("clv", options.input, clean_options, options.lang, options.out,
                         hasher ? &*hasher : nullptr, &feed.extra());

  const report::ClvReport view = feed.take_report(command.lang(), hasher ? &*hasher : nullptr);
  const nlohmann::json clv_json = report::clv_to_json(view);
  report::require_finite_numbers(clv_json, "the lifetime-value results");
  if (!options.customers.empty()) {
    write_text(command.outputs().stage(options.customers), report::clv_customers_csv(view));
  }
  if (command.out_dir()) {
    write_text(command.outputs().stage(*command.out_dir() / "customers.csv"),
               report::clv_customers_csv(view));
  }
  io::RunRecord& record = recorder.record();
  record.scheme = clv_json.value("scheme", "");
  record.as_of = clv_json.value("calibration_end", "");
  record.hashed_ids = hasher.has_value();
  const nlohmann::json parameters = {
      {"scheme", options.tiers.scheme},
      {"model", clv_json.value("model", "")},
      {"horizon", clv_json.value("horizon", nlohmann::json())},
      {"discount_rate", clv_json.value("discount_rate", 0.0)},
      {"margin", clv_json.value("margin", nlohmann::json())},
      {"dedup", options.dedup}};
  record.parameters = parameters.dump();
  report::add_json_kpis(record, clv_json, report::clv_kpis());
  command.finish("clv", clv_json, options.json,
                 options.json ? std::string() : report::clv_text(view, command.lang()), &recorder);
}

void setup(CLI::App& app) {
  auto options = std::make_shared<ClvCommandOptions>();
  add_input_options(app, options->input);
  add_tier_options(app, options->tiers);
  add_clv_options(app, options->clv);
  app.add_option("--customers", options->customers,
                 "Write the per-customer table (customer_id, x, t_x, T, p_alive, "
                 "expected_purchases, expected_value, clv, ...) to this CSV file");
  app.add_option("--out,-o", options->out,
                 "Output folder: customers.csv, summary.json, report.html, rejects.csv");
  app.add_option("--lang", options->lang, "en or zh (default: zh for Chinese headers, else en)");
  add_id_hash_options(app, options->ids);
  add_outlier_options(app, options->outliers);
  app.add_flag("--dedup", options->dedup, "Drop exact duplicate lines");
  app.add_flag("--json", options->json, "Print one JSON object on stdout");
  add_store_options(app, options->store);
  app.callback([options] { run_clv_command(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(
    clv,
    "Customer lifetime value: BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma by maximum likelihood, "
    "P(alive), expected purchases and discounted CLV per customer, a holdout scorecard",
    setup);

}  // namespace custlens::cli
