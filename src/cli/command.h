// The subcommand registry: each src/cli/<name>.cpp registers itself; main() wires them to CLI11.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace custlens::cli {

/// A subcommand: `setup` adds its options to `app` and sets its callback.
struct Command {
  std::string name;
  std::string description;
  std::function<void(CLI::App& app)> setup;
};

std::vector<Command>& command_registry();

struct CommandRegistrar {
  explicit CommandRegistrar(Command command) { command_registry().push_back(std::move(command)); }
};

}  // namespace custlens::cli

/// Registers a subcommand from its own file: CUSTLENS_REGISTER_COMMAND(rfm, "RFM ...", setup_fn).
#define CUSTLENS_REGISTER_COMMAND(ident, description, setup)         \
  static const ::custlens::cli::CommandRegistrar ident##_registrar { \
    ::custlens::cli::Command { #ident, description, setup }          \
  }
