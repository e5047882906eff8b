// `custlens rfm`: cleaning audit, RFM scores, tiers and Pareto for order lines.
#include "custlens/rfm.h"

#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "custlens/error.h"
#include "io/output_files.h"
#include "report/hashed_ids.h"
#include "report/json_output.h"
#include "report/sinks/sink.h"
#include "report/summary.h"

namespace custlens::cli {
namespace {

struct RfmCommandOptions {
  InputOptions input;
  TierOptions tiers;
  IdHashOptions ids;
  OutlierCliOptions outliers;
  std::string customers;
  std::string rejects;
  std::string lang = "en";
  bool dedup = false;
  bool json = false;
};

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void run_rfm(const RfmCommandOptions& options) {
  Lang lang = parse_lang(options.lang);
  std::optional<report::IdHasher> hasher = make_id_hasher(options.ids);
  CleanOptions clean_options;
  clean_options.dedup = options.dedup;
  clean_options.collect_rejects = !options.rejects.empty();
  clean_options.outliers = to_outlier_options(options.outliers);
  io::OutputFiles outputs;
  const report::SinkContext sinks{outputs, lang, nullptr};
  std::unique_ptr<report::RejectWriter> rejects;
  if (!options.rejects.empty()) {
    rejects = report::open_reject_sink("rejects.csv", sinks, options.rejects);
  }
  report::Summary summary;
  if (can_stream(clean_options, options.input)) {
    StreamedOrders streamed =
        stream_orders(options.input, clean_options, rejects.get(), hasher ? &*hasher : nullptr);
    summary.audit = std::move(streamed.scan.audit);
    if (summary.audit.rows_kept == 0) outputs.commit();  // the error below points at the rejects
    require_kept_lines(summary.audit);
    summary.rfm = rfm_from_totals(std::move(streamed.totals), to_rfm_options(options.tiers));
    summary.input = input_info(streamed.scan);
  } else {
    LoadedOrders loaded = load_orders(options.input, clean_options);
    if (rejects) {
      if (hasher) report::hash_reject_ids(loaded.clean.rejects, *hasher);
      rejects->add(loaded.clean.rejects);
      rejects->close();
      if (loaded.clean.audit.rows_kept == 0) outputs.commit();  // the error below points at them
    }
    require_kept_lines(loaded);
    summary.rfm = compute_rfm(loaded.clean.lines, to_rfm_options(options.tiers));
    summary.audit = std::move(loaded.clean.audit);
    summary.input = input_info(loaded);
  }
  // No sales patterns: `rfm` writes the customer table, not summary.json.
  report::add_customer_outliers(summary.audit.outliers, summary.rfm);
  if (hasher) report::hash_summary_ids(summary, *hasher);
  const RfmResult& rfm = summary.rfm;
  const CleaningAudit& audit = summary.audit;

  if (!options.customers.empty()) {
    report::write_sink(ends_with(options.customers, ".xlsx") ? "customers.xlsx" : "customers.csv",
                       report::SinkResults(summary), sinks, options.customers);
  }
  outputs.commit();
  if (options.json) {
    const nlohmann::json out = report::rfm_output_to_json(rfm, audit);
    report::require_finite_numbers(out, "the JSON output");
    std::cout << out.dump(2) << '\n';
    return;
  }
  std::cout << report::audit_text(audit, lang) << '\n' << report::rfm_text(rfm, lang);
}

void setup(CLI::App& app) {
  auto options = std::make_shared<RfmCommandOptions>();
  add_input_options(app, options->input);
  add_tier_options(app, options->tiers);
  app.add_option("--customers", options->customers, "Write the customer table (.csv or .xlsx)");
  app.add_option("--rejects", options->rejects,
                 "Write every rejected row with file, line and reason");
  app.add_option("--lang", options->lang, "Language of the text output: en or zh");
  add_id_hash_options(app, options->ids);
  add_outlier_options(app, options->outliers);
  app.add_flag("--dedup", options->dedup,
               "Drop exact duplicate lines (they are counted either way)");
  app.add_flag("--json", options->json, "Print one JSON object on stdout");
  app.callback([options] { run_rfm(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(rfm, "RFM scores, value tiers and Pareto concentration of order lines",
                          setup);

}  // namespace custlens::cli
