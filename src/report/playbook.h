// The strategy playbook: per tier of a tier scheme, its positioning and two to four recommended
// actions in English and Chinese (share/playbook.toml, or a user's file of the same form).
#pragma once

#include <array>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/lang.h"
#include "custlens/rfm.h"
#include "io/store.h"

namespace custlens::report {

/// A text in each language of the reports.
struct Bilingual {
  std::string en;
  std::string zh;
  const std::string& in(Lang lang) const { return lang == Lang::kZh ? zh : en; }
  bool operator==(const Bilingual&) const = default;
};

inline constexpr std::size_t kMinPlaybookActions = 2;
inline constexpr std::size_t kMaxPlaybookActions = 4;

/// What to do with one tier.
struct PlaybookEntry {
  std::string segment;  ///< the tier's name as in RfmResult::segments[].name
  Bilingual positioning;
  std::vector<Bilingual> actions;  ///< kMinPlaybookActions to kMaxPlaybookActions
  /// The last campaign readout measured on this tier (from the run store), in words: "last
  /// winback test (sent 2011-11-01): +8.2 pp conversion, 95% CI 2.9 to 13.5, p = 0.002"; empty
  /// when none was.
  Bilingual last_test;
  bool operator==(const PlaybookEntry&) const = default;
};

/// Sets each entry's last_test from the stored campaign readouts: the newest row broken down by
/// tier (breakdown "tier", level = the entry's tier) of a run with the same `scheme`.
void attach_last_tests(std::vector<PlaybookEntry>& entries,
                       std::span<const io::StoredCampaignRow> readouts, std::string_view scheme);

/// A playbook file: tables [<scheme>.<tier>] with positioning = { en, zh } and an array of
/// actions [[<scheme>.<tier>.actions]] with en and zh.
class Playbook {
 public:
  /// Reads and validates a playbook file. Throws custlens::Error, naming the file, line and
  /// tier, for TOML errors, unknown keys, a missing or empty language, or a tier with fewer than
  /// two or more than four actions.
  static Playbook load(const std::string& path);
  /// As load(), from TOML text; `source` names it in messages.
  static Playbook parse(std::string_view toml_text, std::string_view source);

  /// Scheme names in file order.
  std::vector<std::string> schemes() const;
  /// The entries of a scheme in file order; empty when the file does not name the scheme.
  std::span<const PlaybookEntry> entries(std::string_view scheme) const;
  /// The entry of one tier, or nullptr.
  const PlaybookEntry* find(std::string_view scheme, std::string_view segment) const;

  /// The entries of the result's scheme, in segment order; tiers the file does not name get
  /// none. When `strict`, throws custlens::Error if the file names a tier of that scheme which
  /// the scheme does not have (a misspelt tier would otherwise be dropped silently).
  std::vector<PlaybookEntry> for_result(const RfmResult& rfm, bool strict) const;

 private:
  struct Scheme {
    std::string name;
    std::vector<PlaybookEntry> tiers;
  };
  std::string source_;
  std::vector<Scheme> schemes_;
};

/// share_dir() + "/playbook.toml".
std::string default_playbook_path();

/// [{"segment", "positioning": {"en", "zh"}, "actions": [{"en", "zh"}, ...]}, ...].
nlohmann::json playbook_to_json(std::span<const PlaybookEntry> entries);
/// The inverse of playbook_to_json, for a summary.json read back (`serve DIR`: the playbook of
/// the run, which may have come from a --playbook file it does not name). Throws
/// custlens::Error naming the first entry that is not of that shape.
std::vector<PlaybookEntry> playbook_from_json(const nlohmann::json& json);
/// Each tier's positioning and actions in `lang`, tiers named as in rfm_text().
std::string playbook_text(std::span<const PlaybookEntry> entries,
                          std::span<const SegmentSummary> segments, Lang lang);

/// The profile tiers of docs/profile.md, in report order.
inline constexpr std::array<std::string_view, 5> kProfileTierIds = {"important", "core", "lost",
                                                                    "potential", "general"};
/// What a profile play says, in this order.
inline constexpr std::array<std::string_view, 4> kProfilePlayFields = {"product", "content",
                                                                       "promotion", "channel"};

/// The strategy for one profile tier or one region: product, content, promotion and channel.
struct ProfilePlay {
  std::string key;  ///< the tier id or the region name ("default": regions the file omits)
  std::array<Bilingual, 4> fields;  ///< in kProfilePlayFields order
};

/// The profile playbook (share/profile_playbook.toml, or `--playbook FILE`): [tiers.<id>] and
/// [regions.<name>] tables with product, content, promotion and channel = { en, zh }.
class ProfilePlaybook {
 public:
  /// Reads and validates the file; throws custlens::Error naming file, line and entry for TOML
  /// errors, unknown tables or keys, a tier that is not a profile tier, or a missing field.
  static ProfilePlaybook load(const std::string& path);
  static ProfilePlaybook parse(std::string_view toml_text, std::string_view source);

  /// The play of a tier id, or nullptr.
  const ProfilePlay* tier(std::string_view id) const;
  /// The play of a region, else the file's [regions.default], else nullptr.
  const ProfilePlay* region(std::string_view name) const;

 private:
  std::vector<ProfilePlay> tiers_;
  std::vector<ProfilePlay> regions_;
};

/// share_dir() + "/profile_playbook.toml".
std::string default_profile_playbook_path();

/// summary.json's profile.playbook: {"tiers": [{"id", "product": {"en", "zh"}, ...}],
/// "regions": [{"region", "from" (the entry used: the name or "default"), "product", ...}]} for
/// the given tiers and regions, in their order; those without a play are left out.
nlohmann::json profile_playbook_to_json(const ProfilePlaybook& playbook,
                                        std::span<const std::string> tier_ids,
                                        std::span<const std::string> regions);

}  // namespace custlens::report
