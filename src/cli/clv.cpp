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
};

void run_clv_command(const ClvCommandOptions& options) {
  if (!options.tiers.as_of.empty()) {
    throw Error(
        "clv: the tiers are as of the calibration end; give --calibration-end, not --as-of");
  }
  std::optional<report::IdHasher> hasher = make_id_hasher(options.ids);
  CleanOptions clean_options;
  clean_options.dedup = options.dedup;
  clean_options.keep_zero_value = true;  // a free purchase is a purchase: the models count them
  clean_options.outliers = to_outlier_options(options.outliers);
  if (!can_stream(clean_options, options.input)) {
    throw Error(
        "clv reads its input once as a stream: --outlier-action drop or cap needs files, not a "
        "pipe or standard input");
  }
  ClvFeed feed(to_clv_settings(options.clv), to_rfm_options(options.tiers), options.input.quiet);

  const std::vector<std::string> files = expand_inputs(options.input.inputs);
  std::unique_ptr<io::RowSource> first =
      io::open_input(files.front(), to_read_options(options.input));
  const Lang lang = parse_lang(
      !options.lang.empty() ? options.lang : (has_chinese_header(first->header()) ? "zh" : "en"));
  std::optional<std::filesystem::path> out_dir;
  if (!options.out.empty()) out_dir = make_out_dir(options.out);
  io::OutputFiles outputs;
  const report::SinkContext sinks{outputs, lang, options.input.quiet ? nullptr : &std::cerr};
  std::unique_ptr<report::RejectWriter> rejects;
  if (out_dir) rejects = report::open_reject_sink("rejects.csv", sinks, *out_dir / "rejects.csv");
  StreamedOrders streamed =
      stream_orders(options.input, clean_options, rejects.get(), hasher ? &*hasher : nullptr,
                    nullptr, std::move(first), &feed.extra());
  if (streamed.scan.audit.rows_kept == 0) outputs.commit();  // the error below points at them
  require_kept_lines(streamed.scan.audit);

  const report::ClvReport view = feed.take_report(lang, hasher ? &*hasher : nullptr);
  const nlohmann::json clv_json = report::clv_to_json(view);
  report::require_finite_numbers(clv_json, "the lifetime-value results");
  if (!options.customers.empty()) {
    write_text(outputs.stage(options.customers), report::clv_customers_csv(view));
  }
  if (out_dir) {
    write_text(outputs.stage(*out_dir / "customers.csv"), report::clv_customers_csv(view));
    nlohmann::json summary = {{"input", report::input_to_json(input_info(streamed.scan))},
                              {"audit", report::audit_to_json(streamed.scan.audit)},
                              {"clv", clv_json}};
    const report::SinkResults results(std::move(summary));
    report::write_sink("summary.json", results, sinks, *out_dir / "summary.json");
    report::write_sink("report.html", results, sinks, *out_dir / "report.html");
  }
  outputs.commit();
  if (options.json) {
    std::cout << clv_json.dump(2) << '\n';
    return;
  }
  std::cout << report::clv_text(view, lang);
  if (out_dir) {
    std::cout << fmt::format("{}: {}\n", lang == Lang::kZh ? "结果目录" : "results in",
                             out_dir->string());
  }
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
  app.callback([options] { run_clv_command(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(
    clv,
    "Customer lifetime value: BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma by maximum likelihood, "
    "P(alive), expected purchases and discounted CLV per customer, a holdout scorecard",
    setup);

}  // namespace custlens::cli
