// Entry point: builds the CLI11 app from the command registry; the one place errors become exit
// codes.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "cli/command.h"
#include "custlens/error.h"

namespace custlens::cli {
std::vector<Command>& command_registry() {
  static std::vector<Command> commands;
  return commands;
}
}  // namespace custlens::cli

namespace {

// Large columns are touched once, page by page; with transparent huge pages and without glibc
// handing freed blocks back to the kernel, 10 M order lines go from 7.5 s to 3.6 s
// (bench/RESULTS.md). glibc reads these settings only at start-up, hence the one re-exec.
void tune_malloc_and_reexec(char** argv) {
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  constexpr const char* kTunables =
      "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:"
      "glibc.malloc.trim_threshold=4294967296";
  if (std::getenv("CUSTLENS_NO_MALLOC_TUNING") != nullptr) return;
  const char* current = std::getenv("GLIBC_TUNABLES");
  if (current != nullptr) return;  // the user's own settings win (and we have been here)
  ::setenv("GLIBC_TUNABLES", kTunables, 1);
  ::execv("/proc/self/exe", argv);
  ::unsetenv("GLIBC_TUNABLES");  // exec failed: run untuned
#else
  (void)argv;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  tune_malloc_and_reexec(argv);
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
