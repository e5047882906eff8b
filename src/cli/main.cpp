// Entry point: builds the CLI11 app from the command registry; the one place errors become exit
// codes, and where standard output is checked to have been written.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "common/share_dir.h"
#include "custlens/error.h"
#include "io/output_files.h"
#include "io/source_registry.h"

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

/// Flushes and closes standard output: a full disk or a closed pipe shows only here, and a run
/// whose output was lost must not exit 0.
int finish_stdout() {
  std::cout.flush();
  // errno is not cleared first: after an earlier failed write it still says why.
  bool ok = std::fflush(stdout) == 0;
  int error = errno;
  ok = ok && !std::ferror(stdout) && !std::cout.bad();
  // Some file systems report a failed write only at close. The FILE stays open (the C++
  // runtime flushes it at exit); EBADF means stdout was closed from the start, nothing was lost.
  if (ok && ::close(STDOUT_FILENO) != 0 && errno != EBADF) {
    ok = false;
    error = errno;
  }
  if (ok) return 0;
  fmt::print(stderr, "custlens: error: cannot write to standard output: {}\n",
             error != 0 ? std::strerror(error) : "write error");
  return 1;
}

/// CLI11's parse errors as custlens' own one-line error, with where to look next.
int parse_error(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  std::string message = e.what();
  std::replace(message.begin(), message.end(), '\n', ' ');
  const auto chosen = app.get_subcommands();
  // CLI11 says only "A subcommand is required" when the first word names none (custlens has
  // no options before the command but --help and --version).
  if (chosen.empty() && argc > 1) {
    message = fmt::format("unknown {} '{}'", argv[1][0] == '-' ? "option" : "command", argv[1]);
  }
  std::string hint;
  if (chosen.empty()) {
    std::vector<std::string> names;
    for (const auto& command : custlens::cli::command_registry()) names.push_back(command.name);
    hint = fmt::format("commands: {}; run 'custlens --help' for what each does",
                       fmt::join(names, ", "));
  } else {
    hint = fmt::format("run 'custlens {} --help' for its options", chosen.front()->get_name());
  }
  std::fflush(stdout);
  fmt::print(stderr, "custlens: error: {}; {}\n", message, hint);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  tune_malloc_and_reexec(argv);
  custlens::io::install_interrupt_cleanup();
  CLI::App app{"custlens: customer analytics for e-commerce order lines and profiles"};
  app.require_subcommand(1);
  // The share line says which data files (playbooks, category map) this binary reads, the
  // formats line which input sources it has (--format).
  app.set_version_flag("--version", [] {
    return fmt::format("custlens 0.1.0\nshare: {}\ninput formats: {}",
                       custlens::common::share_dir(),
                       fmt::join(custlens::io::source_names(), ", "));
  });
  for (const auto& command : custlens::cli::command_registry()) {
    CLI::App* sub = app.add_subcommand(command.name, command.description);
    command.setup(*sub);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    app.exit(e);
    return finish_stdout();
  } catch (const CLI::CallForAllHelp& e) {
    app.exit(e);
    return finish_stdout();
  } catch (const CLI::CallForVersion& e) {
    app.exit(e);
    return finish_stdout();
  } catch (const CLI::ParseError& e) {
    return parse_error(app, e, argc, argv);
  } catch (const custlens::Error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "custlens: error: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "custlens: internal error: {}\n", e.what());
    return 2;
  }
  return finish_stdout();
}
