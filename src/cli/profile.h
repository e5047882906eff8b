// `custlens profile`, also run by `custlens analyze` when its input is a profile table.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli/common.h"

namespace custlens::cli {

/// The options of `custlens profile` (see its --help).
struct ProfileCommandOptions {
  InputOptions input;
  std::string out;
  std::string tiers = "clusters";
  std::string scheme = "five";
  std::string scoring;
  std::vector<std::string> features;
  int k = 0;  // 0 = chosen by silhouette
  std::string k_range = "2..10";
  std::uint64_t seed = 42;
  int restarts = 20;
  std::string cluster_names;
  std::string lang;      // "" = zh for Chinese headers, else en
  std::string playbook;  // "" = the shipped share/profile_playbook.toml
  IdHashOptions ids;     // --hash-ids: customers.csv and rejects.csv
  OutlierCliOptions outliers;
  bool json = false;
};

/// The analysis options of the command's options; throws custlens::Error for a bad --tiers,
/// --k-range or --restarts.
ProfileOptions to_profile_options(const ProfileCommandOptions& options);

/// Reads, checks and analyses the profile table; prints the summary (or --json) and, with
/// --out, writes report.html, summary.json, customers.csv and rejects.csv.
/// `first`: the first input, when the caller opened it already (analyze, to look at its header).
void run_profile(const ProfileCommandOptions& options,
                 std::unique_ptr<io::RowSource> first = nullptr);

}  // namespace custlens::cli
