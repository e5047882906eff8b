// The profile analysis as summary.json's `profile` object and its plain-text summary (en/zh).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "custlens/profile.h"
#include "report/playbook.h"
#include "report/summary.h"

namespace custlens::report {

/// What `profile.input` reports about the files read.
struct ProfileInput {
  std::vector<std::string> files;
  std::string encoding;
  const ProfileTable* table = nullptr;  ///< for the roles
  const ProfileAudit* audit = nullptr;
  const std::vector<Reject>* rejects = nullptr;  ///< for `input.rejects` (the first 100)
};

/// The report plots at most this many PCA points: every ⌈n / kPcaPlotPoints⌉-th customer.
inline constexpr std::size_t kPcaPlotPoints = 2000;

/// summary.json's `filter` for a view of the profile dashboard; each part written when set.
struct ProfileSummaryFilter {
  std::optional<std::string> region;
  std::optional<std::string> category;
  std::optional<std::string> tier;  ///< the profile tier id
};

/// The results of a profile analysis, as summary.json and the sinks (src/report/sinks/) write
/// them.
struct ProfileRun {
  const ProfileResult& result;
  /// input.table is the table customers.csv lists: ids already hashed for --hash-ids.
  ProfileInput input;
  const ProfilePlaybook& playbook;
  /// Set for a filtered view of the dashboard.
  std::optional<ProfileSummaryFilter> filter = std::nullopt;
};

/// summary.json of a profile analysis, its one writer (`profile --out` and --json, the profile
/// dashboard's full and filtered views): {"custlens_version", "profile", "filter" (when set)}.
/// `profile`: input, rfm, tiers, clusters, tier_category, regions, tier_region, chi_square,
/// notes (README "custlens profile" lists every key), and `playbook` for the tiers that have
/// customers and the regions listed. Sections whose columns are missing are left out; `notes`
/// says why. NaN (no value) is written as null.
nlohmann::json profile_summary_json(const ProfileRun& run);

/// The readable summary that `custlens profile` prints without --json.
std::string profile_text(const ProfileResult& result, const ProfileInput& input, Lang lang);

}  // namespace custlens::report
