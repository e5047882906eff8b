// The strategy playbook: TOML loading and validation, lookup by scheme and tier, and its JSON and
// text renderings.
#include "report/playbook.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>

#include "common/share_dir.h"
#include "common/text_file.h"
#include "common/toml_file.h"
#include "custlens/error.h"

namespace custlens::report {
namespace {

// Where a message points: the file, the line of the offending node, and the tier (or, in a
// profile playbook, the tier or region: `what` then names it).
struct Place {
  std::string_view source;
  std::string_view scheme;
  std::string_view tier;
  std::string_view what = {};  ///< "tier", "region": "tier 'lost'" instead of "... of scheme"
};

[[noreturn]] void fail(const Place& place, const toml::node& node, std::string_view message) {
  const toml::source_position at = node.source().begin;
  std::string where =
      at.line == 0 ? std::string(place.source) : fmt::format("{}:{}", place.source, at.line);
  if (!place.what.empty()) {
    where += fmt::format(": {} '{}'", place.what, place.tier);
  } else if (!place.tier.empty()) {
    where += fmt::format(": tier '{}' of scheme '{}'", place.tier, place.scheme);
  } else if (!place.scheme.empty()) {
    where += fmt::format(": scheme '{}'", place.scheme);
  }
  throw Error(fmt::format("{}: {}", where, message));
}

// { en = "...", zh = "..." }: both languages, nothing else, neither empty.
Bilingual parse_bilingual(const Place& place, const toml::node& node, std::string_view what) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    fail(place, node, fmt::format("{} must be a table {{ en = \"...\", zh = \"...\" }}", what));
  }
  Bilingual text;
  bool has_en = false, has_zh = false;
  for (const auto& [key, value] : *table) {
    std::string* target = nullptr;
    if (key.str() == "en") {
      target = &text.en;
      has_en = true;
    } else if (key.str() == "zh") {
      target = &text.zh;
      has_zh = true;
    } else {
      fail(place, value,
           fmt::format("{} has unknown key '{}' (expected en and zh)", what, key.str()));
    }
    const toml::value<std::string>* string = value.as_string();
    if (string == nullptr || string->get().empty()) {
      fail(place, value, fmt::format("{}.{} must be a non-empty string", what, key.str()));
    }
    *target = string->get();
  }
  if (!has_en || !has_zh) {
    fail(place, node, fmt::format("{} lacks its {} text", what, has_en ? "zh" : "en"));
  }
  return text;
}

PlaybookEntry parse_tier(const Place& place, const toml::node& node) {
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    fail(place, node, "must be a table with positioning and actions");
  }
  PlaybookEntry entry;
  entry.segment = std::string(place.tier);
  bool has_positioning = false, has_actions = false;
  for (const auto& [key, value] : *table) {
    if (key.str() == "positioning") {
      entry.positioning = parse_bilingual(place, value, "positioning");
      has_positioning = true;
    } else if (key.str() == "actions") {
      const toml::array* actions = value.as_array();
      if (actions == nullptr) {
        fail(place, value, "actions must be an array of tables ([[<scheme>.<tier>.actions]])");
      }
      for (const toml::node& action : *actions) {
        entry.actions.push_back(parse_bilingual(place, action, "an action"));
      }
      if (entry.actions.size() < kMinPlaybookActions ||
          entry.actions.size() > kMaxPlaybookActions) {
        fail(place, value,
             fmt::format("has {} action{}; give {} to {}", entry.actions.size(),
                         entry.actions.size() == 1 ? "" : "s", kMinPlaybookActions,
                         kMaxPlaybookActions));
      }
      has_actions = true;
    } else {
      fail(place, value,
           fmt::format("unknown key '{}' (expected positioning, actions)", key.str()));
    }
  }
  if (!has_positioning) fail(place, node, "has no positioning");
  if (!has_actions) {
    fail(place, node,
         fmt::format("has no actions; give {} to {}", kMinPlaybookActions, kMaxPlaybookActions));
  }
  return entry;
}

// [tiers.<id>] or [regions.<name>]: product, content, promotion and channel, each { en, zh }.
ProfilePlay parse_play(const Place& place, const toml::node& node) {
  const toml::table* table = node.as_table();
  if (table == nullptr)
    fail(place, node, "must be a table with product, content, promotion, channel");
  ProfilePlay play;
  play.key = std::string(place.tier);
  std::array<bool, 4> seen{};
  for (const auto& [key, value] : *table) {
    const auto field = std::find(kProfilePlayFields.begin(), kProfilePlayFields.end(), key.str());
    if (field == kProfilePlayFields.end()) {
      fail(place, value,
           fmt::format("unknown key '{}' (expected {})", key.str(),
                       fmt::join(kProfilePlayFields, ", ")));
    }
    const auto index = static_cast<std::size_t>(field - kProfilePlayFields.begin());
    play.fields[index] = parse_bilingual(place, value, key.str());
    seen[index] = true;
  }
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (!seen[i]) fail(place, node, fmt::format("has no {}", kProfilePlayFields[i]));
  }
  return play;
}

}  // namespace

Playbook Playbook::load(const std::string& path) {
  return parse(common::read_text_file(path, "playbook file"), path);
}

Playbook Playbook::parse(std::string_view toml_text, std::string_view source) {
  const toml::table root = common::parse_toml(toml_text, source);
  Playbook playbook;
  playbook.source_ = std::string(source);
  // TOML tables iterate by key; the playbook keeps the order of the file, by line.
  std::vector<std::pair<toml::source_index, Scheme>> schemes;
  for (const auto& [scheme_key, scheme_node] : root) {
    const Place scheme_place{source, scheme_key.str(), {}};
    const toml::table* tiers = scheme_node.as_table();
    if (tiers == nullptr) {
      fail(scheme_place, scheme_node,
           fmt::format("must be a table of tiers ([{}.<tier>]); a playbook has no other keys",
                       scheme_key.str()));
    }
    if (tiers->empty()) fail(scheme_place, scheme_node, "names no tier");
    std::vector<std::pair<toml::source_index, PlaybookEntry>> entries;
    for (const auto& [tier_key, tier_node] : *tiers) {
      const Place tier_place{source, scheme_key.str(), tier_key.str()};
      entries.emplace_back(tier_node.source().begin.line, parse_tier(tier_place, tier_node));
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    Scheme scheme;
    scheme.name = std::string(scheme_key.str());
    for (auto& [line, entry] : entries) scheme.tiers.push_back(std::move(entry));
    schemes.emplace_back(entries.front().first, std::move(scheme));
  }
  if (schemes.empty()) throw Error(fmt::format("{}: the playbook names no scheme", source));
  std::stable_sort(schemes.begin(), schemes.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [line, scheme] : schemes) playbook.schemes_.push_back(std::move(scheme));
  return playbook;
}

std::vector<std::string> Playbook::schemes() const {
  std::vector<std::string> names;
  for (const Scheme& scheme : schemes_) names.push_back(scheme.name);
  return names;
}

std::span<const PlaybookEntry> Playbook::entries(std::string_view scheme) const {
  auto found = std::find_if(schemes_.begin(), schemes_.end(),
                            [&](const Scheme& s) { return s.name == scheme; });
  if (found == schemes_.end()) return {};
  return found->tiers;
}

const PlaybookEntry* Playbook::find(std::string_view scheme, std::string_view segment) const {
  for (const PlaybookEntry& entry : entries(scheme)) {
    if (entry.segment == segment) return &entry;
  }
  return nullptr;
}

std::vector<PlaybookEntry> Playbook::for_result(const RfmResult& rfm, bool strict) const {
  if (strict) {
    for (const PlaybookEntry& entry : entries(rfm.scheme)) {
      bool known = std::any_of(rfm.segments.begin(), rfm.segments.end(),
                               [&](const SegmentSummary& s) { return s.name == entry.segment; });
      if (!known) {
        std::vector<std::string> names;
        for (const SegmentSummary& s : rfm.segments) names.push_back(s.name);
        throw Error(fmt::format("{}: tier '{}' of scheme '{}' is not a tier of the scheme ({})",
                                source_, entry.segment, rfm.scheme, fmt::join(names, ", ")));
      }
    }
  }
  std::vector<PlaybookEntry> out;
  for (const SegmentSummary& segment : rfm.segments) {
    if (const PlaybookEntry* entry = find(rfm.scheme, segment.name)) out.push_back(*entry);
  }
  return out;
}

std::string default_playbook_path() { return common::share_dir() + "/playbook.toml"; }

nlohmann::json playbook_to_json(std::span<const PlaybookEntry> entries) {
  auto bilingual = [](const Bilingual& text) {
    return nlohmann::json{{"en", text.en}, {"zh", text.zh}};
  };
  nlohmann::json out = nlohmann::json::array();
  for (const PlaybookEntry& entry : entries) {
    nlohmann::json actions = nlohmann::json::array();
    for (const Bilingual& action : entry.actions) actions.push_back(bilingual(action));
    out.push_back({{"segment", entry.segment},
                   {"positioning", bilingual(entry.positioning)},
                   {"actions", std::move(actions)}});
    if (!entry.last_test.en.empty()) out.back()["last_test"] = bilingual(entry.last_test);
  }
  return out;
}

void attach_last_tests(std::vector<PlaybookEntry>& entries,
                       std::span<const io::StoredCampaignRow> readouts, std::string_view scheme) {
  for (PlaybookEntry& entry : entries) {
    // The latest sent campaign with a measured interval; runs are oldest first, so a campaign
    // read out again later wins a tie.
    const io::StoredCampaignRow* last = nullptr;
    for (const io::StoredCampaignRow& row : readouts) {
      if (row.scheme == scheme && row.result.breakdown == "tier" &&
          row.result.level == entry.segment && row.result.uplift && row.result.ci_lower &&
          row.result.ci_upper && row.result.p_value &&
          (last == nullptr || row.campaign.first_sent >= last->campaign.first_sent)) {
        last = &row;
      }
    }
    if (last == nullptr) continue;
    const io::StoredCampaignResult& r = last->result;
    const bool clear = *r.p_value < 0.05;
    entry.last_test.en = fmt::format(
        "last {} test (sent {}): {:+.1f} pp conversion, 95% CI {:.1f} to {:.1f}, p = {:.3f}, {}",
        last->campaign.campaign, last->campaign.first_sent, *r.uplift * 100, *r.ci_lower * 100,
        *r.ci_upper * 100, *r.p_value,
        clear ? "distinguishable from chance" : "not distinguishable from chance");
    entry.last_test.zh = fmt::format(
        "上次 {} 测试（{} 发送）：转化率 {:+.1f} 个百分点，95% 区间 {:.1f} 至 {:.1f}，p = "
        "{:.3f}，{}",
        last->campaign.campaign, last->campaign.first_sent, *r.uplift * 100, *r.ci_lower * 100,
        *r.ci_upper * 100, *r.p_value, clear ? "可与随机波动区分" : "无法与随机波动区分");
  }
}

std::vector<PlaybookEntry> playbook_from_json(const nlohmann::json& json) {
  if (!json.is_array()) throw Error("summary.json: playbook is not an array");
  auto bilingual = [](const nlohmann::json& text, std::size_t index) {
    if (!text.is_object() || text.size() != 2 || !text.contains("en") || !text.contains("zh") ||
        !text["en"].is_string() || !text["zh"].is_string()) {
      throw Error(fmt::format("summary.json: playbook entry {} has a text that is not {{en, zh}}",
                              index + 1));
    }
    return Bilingual{text["en"].get<std::string>(), text["zh"].get<std::string>()};
  };
  std::vector<PlaybookEntry> entries;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const nlohmann::json& entry = json[i];
    const bool with_test = entry.is_object() && entry.contains("last_test");
    if (!entry.is_object() || entry.size() != (with_test ? 4u : 3u) || !entry.contains("segment") ||
        !entry["segment"].is_string() || !entry.contains("positioning") ||
        !entry.contains("actions") || !entry["actions"].is_array()) {
      throw Error(fmt::format(
          "summary.json: playbook entry {} is not {{segment, positioning, actions}}", i + 1));
    }
    PlaybookEntry out{entry["segment"].get<std::string>(), bilingual(entry["positioning"], i), {}, {}};
    for (const nlohmann::json& action : entry["actions"]) {
      out.actions.push_back(bilingual(action, i));
    }
    if (with_test) out.last_test = bilingual(entry["last_test"], i);
    entries.push_back(std::move(out));
  }
  return entries;
}

std::string playbook_text(std::span<const PlaybookEntry> entries,
                          std::span<const SegmentSummary> segments, Lang lang) {
  if (entries.empty()) return {};
  std::string text = lang == Lang::kZh ? "策略建议\n" : "Playbook\n";
  for (const PlaybookEntry& entry : entries) {
    auto segment = std::find_if(segments.begin(), segments.end(),
                                [&](const SegmentSummary& s) { return s.name == entry.segment; });
    const std::string& name =
        lang == Lang::kZh && segment != segments.end() ? segment->name_zh : entry.segment;
    text += fmt::format("  {}: {}\n", name, entry.positioning.in(lang));
    for (const Bilingual& action : entry.actions)
      text += fmt::format("    - {}\n", action.in(lang));
    if (!entry.last_test.en.empty()) text += fmt::format("    * {}\n", entry.last_test.in(lang));
  }
  return text;
}

ProfilePlaybook ProfilePlaybook::load(const std::string& path) {
  return parse(common::read_text_file(path, "playbook file"), path);
}

ProfilePlaybook ProfilePlaybook::parse(std::string_view toml_text, std::string_view source) {
  const toml::table root = common::parse_toml(toml_text, source);
  ProfilePlaybook playbook;
  for (const auto& [group_key, group_node] : root) {
    const bool tiers = group_key.str() == "tiers";
    const Place group_place{source, {}, {}};
    if (!tiers && group_key.str() != "regions") {
      fail(group_place, group_node,
           fmt::format("unknown table '{}' (a profile playbook has [tiers.<id>] and "
                       "[regions.<name>])",
                       group_key.str()));
    }
    const toml::table* entries = group_node.as_table();
    if (entries == nullptr) fail(group_place, group_node, "must be a table");
    std::vector<std::pair<toml::source_index, ProfilePlay>> plays;
    for (const auto& [key, node] : *entries) {
      const Place place{source, {}, key.str(), tiers ? "tier" : "region"};
      if (tiers && std::find(kProfileTierIds.begin(), kProfileTierIds.end(), key.str()) ==
                       kProfileTierIds.end()) {
        fail(place, node,
             fmt::format("is not a profile tier ({})", fmt::join(kProfileTierIds, ", ")));
      }
      plays.emplace_back(node.source().begin.line, parse_play(place, node));
    }
    std::stable_sort(plays.begin(), plays.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [line, play] : plays) (tiers ? playbook.tiers_ : playbook.regions_).push_back(play);
  }
  return playbook;
}

const ProfilePlay* ProfilePlaybook::tier(std::string_view id) const {
  for (const ProfilePlay& play : tiers_) {
    if (play.key == id) return &play;
  }
  return nullptr;
}

const ProfilePlay* ProfilePlaybook::region(std::string_view name) const {
  const ProfilePlay* fallback = nullptr;
  for (const ProfilePlay& play : regions_) {
    if (play.key == name) return &play;
    if (play.key == "default") fallback = &play;
  }
  return fallback;
}

std::string default_profile_playbook_path() {
  return common::share_dir() + "/profile_playbook.toml";
}

nlohmann::json profile_playbook_to_json(const ProfilePlaybook& playbook,
                                        std::span<const std::string> tier_ids,
                                        std::span<const std::string> regions) {
  auto fields = [](nlohmann::json out, const ProfilePlay& play) {
    for (std::size_t i = 0; i < kProfilePlayFields.size(); ++i) {
      out[std::string(kProfilePlayFields[i])] = {{"en", play.fields[i].en},
                                                 {"zh", play.fields[i].zh}};
    }
    return out;
  };
  nlohmann::json tiers = nlohmann::json::array();
  for (const std::string& id : tier_ids) {
    if (const ProfilePlay* play = playbook.tier(id)) tiers.push_back(fields({{"id", id}}, *play));
  }
  nlohmann::json by_region = nlohmann::json::array();
  for (const std::string& name : regions) {
    if (const ProfilePlay* play = playbook.region(name)) {
      by_region.push_back(fields({{"region", name}, {"from", play->key}}, *play));
    }
  }
  return {{"tiers", std::move(tiers)}, {"regions", std::move(by_region)}};
}

}  // namespace custlens::report
