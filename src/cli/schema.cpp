// `custlens schema`: the detected encoding, delimiter, roles (and why), types and date formats of
// an input, read as order lines or as a customer-profile table as `analyze` would read it.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "custlens/error.h"
#include "custlens/profile.h"

namespace custlens::cli {
namespace {

void run_schema(const InputOptions& input) {
  ReadOptions read = to_read_options(input);
  auto files = expand_inputs(input.inputs);
  std::vector<std::string> header = read_header(files.front(), read);
  const auto overrides = parse_maps(input.maps);
  const bool profile = is_profile_header(header);
  const RoleReport roles =
      profile ? explain_profile_roles(header, overrides) : explain_roles(header, overrides);
  // The date column is read as a date even when its values are numbers (unix seconds, serials).
  for (const RoleReason& role : roles.roles) {
    if (!profile && role.role == role_name(Role::kDate)) {
      read.column_types.emplace_back(header[static_cast<std::size_t>(role.column)],
                                     ColumnType::kTimestamp);
    }
  }
  Schema schema = sniff_schema(files.front(), read);

  std::string delimiter = schema.delimiter == '\t'  ? "tab"
                          : schema.delimiter == ' ' ? "whitespace (runs of spaces and tabs)"
                                                    : std::string(1, schema.delimiter);
  std::cout << fmt::format("file: {}\nformat: {}\nencoding: {}\n", schema.file, schema.format,
                           schema.encoding);
  if (schema.format == "csv") std::cout << fmt::format("delimiter: {}\n", delimiter);
  if (!schema.layout.empty()) {
    std::cout << fmt::format("layout: {} (headerless, recognised by content)\n", schema.layout);
  }
  if (files.size() > 1)
    std::cout << fmt::format("files: {} (read as one data set)\n", files.size());
  std::cout << fmt::format("table: {}\n",
                           profile ? "customer profiles (one row per customer)" : "order lines");
  std::cout << fmt::format("{:>3}  {:<28} {:<12} {:<10} {:<12} {}\n", "#", "column", "role", "type",
                           "date format", "why");
  for (std::size_t i = 0; i < schema.columns.size(); ++i) {
    const ColumnInfo& column = schema.columns[i];
    std::string role = "-", why;
    for (const RoleReason& reason : roles.roles) {
      if (reason.column == static_cast<int>(i)) {
        role = reason.role;
        why = reason.why;
      }
    }
    std::cout << fmt::format("{:>3}  {:<28} {:<12} {:<10} {:<12} {}\n", i + 1, column.name, role,
                             to_string(column.type), column.date_format, why);
  }
  for (const auto& [role, candidates] : roles.weak) {
    std::cout << fmt::format("no {} column; too weak to take: {} (use --map {}=<column>)\n", role,
                             candidates, role);
  }
  std::cout.flush();
  // The table above shows the candidates; the tie itself fails like every reading command.
  if (!roles.conflict.empty()) throw Error(roles.conflict);
}

void setup(CLI::App& app) {
  auto options = std::make_shared<InputOptions>();
  add_input_options(app, *options);
  app.callback([options] { run_schema(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(schema,
                          "Print the detected roles (and why), types and date formats of an input",
                          setup);

}  // namespace custlens::cli
