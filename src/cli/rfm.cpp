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
#include "report/summary.h"
#include "report/xlsx_export.h"

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
  const std::string rejects_path =
      options.rejects.empty() ? std::string() : outputs.stage(options.rejects).string();
  RfmResult rfm;
  CleaningAudit audit;
  if (can_stream(clean_options, options.input)) {
    StreamedOrders streamed =
        stream_orders(options.input, clean_options, rejects_path, hasher ? &*hasher : nullptr);
    audit = std::move(streamed.scan.audit);
    if (audit.rows_kept == 0) outputs.commit();  // the error below points at the rejects
    require_kept_lines(audit);
    rfm = rfm_from_totals(std::move(streamed.totals), to_rfm_options(options.tiers));
  } else {
    LoadedOrders loaded = load_orders(options.input, clean_options);
    if (!options.rejects.empty()) {
      if (hasher) report::hash_reject_ids(loaded.clean.rejects, *hasher);
      report::write_rejects_csv(loaded.clean.rejects, rejects_path);
      if (loaded.clean.audit.rows_kept == 0) outputs.commit();  // the error below points at them
    }
    require_kept_lines(loaded);
    rfm = compute_rfm(loaded.clean.lines, to_rfm_options(options.tiers));
    audit = std::move(loaded.clean.audit);
  }
  report::add_customer_outliers(audit.outliers, rfm);
  if (hasher) {
    report::hash_customer_ids(rfm, *hasher);
    report::hash_outlier_ids(audit.outliers, *hasher);
  }

  if (!options.customers.empty()) {
    const std::string customers = outputs.stage(options.customers);
    if (ends_with(options.customers, ".xlsx")) {
      report::write_customers_xlsx(rfm, audit, customers);
    } else {
      report::write_customers_csv(rfm, customers);
    }
  }
  outputs.commit();
  if (options.json) {
    nlohmann::json out = report::rfm_to_json(rfm);
    out["audit"] = report::audit_to_json(audit);
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
