// `custlens campaign`: the readout of campaigns from order lines and a contact list
// (docs/campaign.md). The orders are read and cleaned as `rfm` and `analyze` read them; the
// contact list is checked row by row; analysis::read_out_campaigns does the statistics.
#include "analysis/campaign.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/command.h"
#include "cli/common.h"
#include "cli/run_store.h"
#include "core/contact_list.h"
#include "custlens/error.h"
#include "io/output_files.h"
#include "report/campaign_summary.h"
#include "report/hashed_ids.h"
#include "report/json_output.h"
#include "report/run_record.h"
#include "report/sinks/sink.h"
#include "report/summary.h"

namespace custlens::cli {
namespace {

struct CampaignCommandOptions {
  InputOptions input;
  TierOptions tiers;
  IdHashOptions ids;
  std::string contacts;
  std::vector<std::string> contacts_maps;
  int window = analysis::kDefaultCampaignWindowDays;
  double margin = analysis::kDefaultCampaignMargin;
  std::optional<double> planned_split;
  std::string out;
  std::string lang;  // "" = zh for Chinese headers, else en
  bool dedup = false;
  bool json = false;
  StoreOptions store;
};

constexpr core::ContactRole kRequiredRoles[] = {
    core::ContactRole::kCustomer, core::ContactRole::kGroup, core::ContactRole::kSentAt};

void run_campaign(const CampaignCommandOptions& options) {
  if (!options.tiers.as_of.empty()) {
    throw Error("campaign takes the tiers as of each campaign's first send day; drop --as-of");
  }
  std::optional<report::IdHasher> hasher = make_id_hasher(options.ids);
  RunRecorder recorder("campaign", options.store, expand_inputs(options.input.inputs),
                       database_relation(options.input));
  analysis::CampaignOptions campaign_options;
  campaign_options.window_days = options.window;
  campaign_options.margin = options.margin;
  campaign_options.planned_split = options.planned_split;
  campaign_options.rfm = to_rfm_options(options.tiers);

  // The contact list first: its errors are cheaper than reading the orders.
  ReadOptions contact_read;
  contact_read.threads = options.input.threads;
  const std::vector<std::string> header = read_header(options.contacts, contact_read);
  const core::ContactRoleMap roles =
      core::detect_contact_roles(header, parse_maps(options.contacts_maps));
  core::require_contact_roles(roles, kRequiredRoles, header, options.contacts);
  // Malformed rows' ids located too, so that --hash-ids can hash them in rejects.csv.
  contact_read.id_column =
      header[static_cast<std::size_t>(roles.column(core::ContactRole::kCustomer))];
  Dataset contact_data = read_with_progress({options.contacts},
                                            core::contact_read_options(header, contact_read), true);
  report::CampaignRun run;
  run.options = campaign_options;
  run.contacts = core::check_contacts(std::move(contact_data), header, roles,
                                      std::filesystem::path(options.contacts).stem().string());

  std::optional<std::filesystem::path> out_dir;
  if (!options.out.empty()) out_dir = make_out_dir(options.out);
  CleanOptions clean_options;
  clean_options.dedup = options.dedup;
  clean_options.collect_rejects = out_dir.has_value();
  LoadedOrders loaded = load_order_lines(options.input, clean_options);
  const Lang lang =
      parse_lang(!options.lang.empty()                                             ? options.lang
                 : has_chinese_header(loaded.header) || has_chinese_header(header) ? "zh"
                                                                                   : "en");
  io::OutputFiles outputs;
  const report::SinkContext sinks{outputs, lang, options.input.quiet ? nullptr : &std::cerr};
  if (out_dir) {
    std::unique_ptr<report::RejectWriter> rejects =
        report::open_reject_sink("rejects.csv", sinks, *out_dir / "rejects.csv");
    std::vector<Reject> contact_rejects = run.contacts.rejects;
    if (hasher) {
      report::hash_reject_ids(loaded.clean.rejects, *hasher);
      report::hash_reject_ids(contact_rejects, *hasher);
    }
    rejects->add(loaded.clean.rejects);
    rejects->add(contact_rejects);
    rejects->close();
    // The errors below point at the rejects: they stay.
    if (loaded.clean.audit.rows_kept == 0 || run.contacts.contacts.empty()) outputs.commit();
  }
  require_kept_lines(loaded);
  if (run.contacts.contacts.empty()) {
    std::vector<std::string> reasons;
    for (const auto& [rule, count] : run.contacts.audit.rejected) {
      reasons.push_back(fmt::format("{} {}", rule, count));
    }
    throw Error(
        fmt::format("{}: no valid contact row ({} read; rejected: {}); rejects.csv of --out "
                    "says why for each row",
                    options.contacts, run.contacts.audit.rows_read, fmt::join(reasons, ", ")));
  }
  run.readouts = analysis::read_out_campaigns(run.contacts, loaded.clean.lines, campaign_options);

  const nlohmann::json json = report::campaign_to_json(run, lang);
  report::require_finite_numbers(json, "the campaign readout");
  if (out_dir) {
    nlohmann::json summary = {{"input", report::input_to_json(input_info(loaded))},
                              {"audit", report::audit_to_json(loaded.clean.audit)},
                              {"campaign", json}};
    const report::SinkResults results(std::move(summary));
    report::write_sink("summary.json", results, sinks, *out_dir / "summary.json");
    report::write_sink("report.html", results, sinks, *out_dir / "report.html");
  }
  io::RunRecord& record = recorder.record();
  report::fill_campaign_record(record, run.readouts, loaded.clean.audit);
  record.scheme = campaign_options.rfm.scheme;
  record.hashed_ids = hasher.has_value();
  const nlohmann::json parameters = {
      {"contacts", options.contacts},
      {"window_days", options.window},
      {"margin", options.margin},
      {"planned_split",
       options.planned_split ? nlohmann::json(*options.planned_split) : nlohmann::json()},
      {"scheme", options.tiers.scheme},
      {"dedup", options.dedup}};
  record.parameters = parameters.dump();
  if (out_dir) recorder.set_out_dir(*out_dir);
  recorder.write(options.input.quiet);
  outputs.commit();
  print_result(json, options.json, options.json ? std::string() : report::campaign_text(run, lang),
               lang, out_dir);
}

void setup(CLI::App& app) {
  auto options = std::make_shared<CampaignCommandOptions>();
  add_input_options(app, options->input);
  add_tier_options(app, options->tiers);
  app.add_option("--contacts", options->contacts,
                 "Contact list: customer_id, campaign, group (treatment|control), sent_at, "
                 "channel, cost[, decile, score]")
      ->required();
  app.add_option("--contacts-map", options->contacts_maps,
                 "Contact-list column role override role=column (customer, campaign, group, "
                 "sent_at, channel, cost, decile, score, tier)");
  app.add_option("--window", options->window,
                 fmt::format("Days from the send day in which an order counts (default {})",
                             analysis::kDefaultCampaignWindowDays));
  app.add_option("--margin", options->margin,
                 fmt::format("Share of incremental revenue that is profit (default {})",
                             analysis::kDefaultCampaignMargin));
  app.add_option("--planned-split", options->planned_split,
                 "Planned treatment share (0-1): adds the sample-ratio-mismatch test");
  app.add_option("--out,-o", options->out, "Output folder: summary.json, report.html, rejects.csv");
  app.add_option("--lang", options->lang, "en or zh (default: zh for Chinese headers, else en)");
  add_id_hash_options(app, options->ids);
  app.add_flag("--dedup", options->dedup, "Drop exact duplicate order lines");
  app.add_flag("--json", options->json, "Print one JSON object on stdout");
  add_store_options(app, options->store);
  app.callback([options] { run_campaign(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(
    campaign,
    "Campaign readout: conversion and revenue uplift of treatment over control with intervals, "
    "CUPED, sample ratio, by tier and decile, Qini, incremental profit",
    setup);

}  // namespace custlens::cli
