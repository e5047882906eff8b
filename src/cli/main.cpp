// Entry point: builds the CLI11 app from the command registry; the one place errors become exit
// codes.
#include <fmt/format.h>

#include <cstdio>
#include <exception>

#include "cli/command.h"
#include "custlens/error.h"

namespace custlens::cli {
std::vector<Command>& command_registry() {
  static std::vector<Command> commands;
  return commands;
}
}  // namespace custlens::cli

int main(int argc, char** argv) {
  CLI::App app{"custlens: customer analytics for e-commerce order lines and profiles"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "custlens 0.1.0");
  for (const auto& command : custlens::cli::command_registry()) {
    CLI::App* sub = app.add_subcommand(command.name, command.description);
    command.setup(*sub);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const custlens::Error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "custlens: error: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "custlens: internal error: {}\n", e.what());
    return 2;
  }
  return 0;
}
