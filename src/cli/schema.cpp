// `custlens schema`: the detected encoding, delimiter, roles, types and date formats of an input.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "cli/common.h"
#include "custlens/error.h"

namespace custlens::cli {
namespace {

void run_schema(const InputOptions& input) {
  ReadOptions read = to_read_options(input);
  auto files = expand_inputs(input.inputs);
  std::vector<std::string> header = read_header(files.front(), read);
  RoleMap roles = detect_roles(header, parse_maps(input.maps));
  // The date column is read as a date even when its values are numbers (unix seconds, serials).
  if (roles.has(Role::kDate)) {
    read.column_types.emplace_back(header[static_cast<std::size_t>(roles.column(Role::kDate))],
                                   ColumnType::kTimestamp);
  }
  Schema schema = sniff_schema(files.front(), read);

  std::string delimiter = schema.delimiter == '\t' ? "tab" : std::string(1, schema.delimiter);
  std::cout << fmt::format("file: {}\nformat: {}\nencoding: {}\n", schema.file, schema.format,
                           schema.encoding);
  if (schema.format == "csv") std::cout << fmt::format("delimiter: {}\n", delimiter);
  if (files.size() > 1)
    std::cout << fmt::format("files: {} (read as one data set)\n", files.size());
  std::cout << fmt::format("{:>3}  {:<28} {:<12} {:<10} {}\n", "#", "column", "role", "type",
                           "date format");
  for (std::size_t i = 0; i < schema.columns.size(); ++i) {
    const ColumnInfo& column = schema.columns[i];
    std::string role = "-";
    for (std::size_t r = 0; r < kRoleCount; ++r) {
      if (roles.column(static_cast<Role>(r)) == static_cast<int>(i)) {
        role = std::string(role_name(static_cast<Role>(r)));
      }
    }
    std::cout << fmt::format("{:>3}  {:<28} {:<12} {:<10} {}\n", i + 1, column.name, role,
                             to_string(column.type), column.date_format);
  }
}

void setup(CLI::App& app) {
  auto options = std::make_shared<InputOptions>();
  add_input_options(app, *options);
  app.callback([options] { run_schema(*options); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(schema, "Print the detected roles, types and date formats of an input",
                          setup);

}  // namespace custlens::cli
