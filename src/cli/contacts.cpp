// `custlens contacts`: a target list (predict's targets.csv, or any CSV with a customer id
// column) made into a contact list for `custlens campaign`, with a seeded treatment/control
// split stratified by decile or tier (docs/campaign.md, "Making a contact list").
#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <cmath>
#include <iostream>

#include "analysis/contact_assignment.h"
#include "cli/command.h"
#include "cli/common.h"
#include "core/contact_list.h"
#include "custlens/clean.h"
#include "custlens/error.h"
#include "io/csv_writer.h"
#include "io/output_files.h"
#include "io/table_builder.h"

namespace custlens::cli {
namespace {

struct ContactsCommandOptions {
  std::string list;
  std::vector<std::string> maps;
  std::string campaign;
  double control_share = 0.2;
  std::uint64_t seed = 1;
  std::string sent_at;
  std::string channel;
  std::string cost;
  std::string out;
  bool quiet = false;
};

// The columns of the list carried over, in this order, when it has them.
constexpr core::ContactRole kKept[] = {core::ContactRole::kScore, core::ContactRole::kDecile,
                                       core::ContactRole::kTier};

void run_contacts(const ContactsCommandOptions& options) {
  std::int64_t sent_seconds = 0;
  if (!core::parse_sent_at(options.sent_at, sent_seconds)) {
    throw Error(fmt::format("--sent-at '{}' is not a date like 2024-03-01", options.sent_at));
  }
  double cost = 0;
  if (!options.cost.empty() &&
      (!io::parse_double(options.cost, cost) || !std::isfinite(cost) || cost < 0)) {
    throw Error(fmt::format("--cost '{}' is not a number of 0 or more", options.cost));
  }
  if (options.campaign.empty()) throw Error("--campaign needs a name");

  ReadOptions read;
  const std::vector<std::string> header = read_header(options.list, read);
  const core::ContactRoleMap roles = core::detect_contact_roles(header, parse_maps(options.maps));
  constexpr core::ContactRole kNeeded[] = {core::ContactRole::kCustomer};
  core::require_contact_roles(roles, kNeeded, header, options.list);
  const Dataset data =
      read_with_progress({options.list}, core::contact_read_options(header, read), options.quiet);
  if (!data.rejects.empty()) {
    const Reject& r = data.rejects.front();
    throw Error(fmt::format("{}:{}: {} ({}); fix the row, a target list is taken whole", r.file,
                            r.line, r.rule, r.detail));
  }
  auto column_of = [&](core::ContactRole role) -> const Column* {
    return roles.has(role) ? data.table.find(header[static_cast<std::size_t>(roles.column(role))])
                           : nullptr;
  };
  auto text_at = [](const Column* column, std::size_t row) {
    return column == nullptr || column->is_null(row) ? std::string()
                                                     : std::string(column->string_at(row));
  };
  const Column* customer = column_of(core::ContactRole::kCustomer);
  // Strata: the decile, else the tier, else one.
  const Column* stratum = column_of(core::ContactRole::kDecile);
  if (stratum == nullptr) stratum = column_of(core::ContactRole::kTier);

  const std::size_t rows = data.table.num_rows();
  std::vector<std::string> ids(rows), strata(rows);
  absl::flat_hash_map<std::string, std::int64_t> first_line;
  for (std::size_t row = 0; row < rows; ++row) {
    ids[row] = normalise_customer_id(text_at(customer, row));
    const std::int64_t line = data.row_line[row];
    if (ids[row].empty()) throw Error(fmt::format("{}:{}: empty customer id", options.list, line));
    const auto [it, added] = first_line.try_emplace(ids[row], line);
    if (!added) {
      throw Error(fmt::format("{}:{}: the customer of line {} is listed again", options.list, line,
                              it->second));
    }
    strata[row] = text_at(stratum, row);
  }
  const std::vector<std::uint8_t> control =
      analysis::assign_control(strata, options.control_share, options.seed);

  io::OutputFiles outputs;
  io::CsvWriter writer(outputs.open(options.out));
  for (std::string_view name : {"customer_id", "campaign", "group", "sent_at", "channel", "cost"}) {
    writer.field(name);
  }
  std::vector<const Column*> kept;
  for (core::ContactRole role : kKept) {
    if (const Column* column = column_of(role)) {
      writer.field(core::contact_role_name(role));
      kept.push_back(column);
    }
  }
  writer.end_row();
  std::int64_t controls = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    writer.field(ids[row]);
    writer.field(options.campaign);
    writer.field(control[row] ? "control" : "treatment");
    writer.field(options.sent_at);
    writer.field(options.channel);
    writer.field(options.cost);
    for (const Column* column : kept) writer.field(text_at(column, row));
    writer.end_row();
    controls += control[row];
  }
  outputs.commit();
  if (!options.quiet) {
    std::cerr << fmt::format(
        "{}: {} contacts, {} treatment, {} control (seed {}, stratified by {})\n", options.out,
        rows, static_cast<std::int64_t>(rows) - controls, controls, options.seed,
        roles.has(core::ContactRole::kDecile) ? "decile"
        : roles.has(core::ContactRole::kTier) ? "tier"
                                              : "nothing");
  }
}

void setup(CLI::App& app) {
  auto options = std::make_shared<ContactsCommandOptions>();
  app.add_option("list", options->list, "Target list (predict's targets.csv or any customer list)")
      ->required();
  app.add_option("--map", options->maps,
                 "Column role override role=column (customer, decile, score, tier)");
  app.add_option("--campaign", options->campaign, "Campaign name")->required();
  app.add_option("--control-share", options->control_share,
                 "Share held out as control (default 0.2), per decile or tier");
  app.add_option("--seed", options->seed, "Seed of the random assignment (default 1)");
  app.add_option("--sent-at", options->sent_at, "Send date YYYY-MM-DD")->required();
  app.add_option("--channel", options->channel, "Channel written on every row");
  app.add_option("--cost", options->cost, "Cost per contact written on every row");
  app.add_option("--out,-o", options->out, "The contact list to write (CSV)")->required();
  app.add_flag("--quiet,-q", options->quiet, "No summary on stderr");
  app.callback([options] { run_contacts(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(
    contacts,
    "Contact list for a campaign from a target list: seeded treatment/control split, stratified "
    "by decile or tier",
    setup);

}  // namespace custlens::cli
