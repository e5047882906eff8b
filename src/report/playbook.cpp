// The strategy playbook: TOML loading and validation, lookup by scheme and tier, and its JSON and
// text renderings.
#include "report/playbook.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include <algorithm>

#include "analysis/categories.h"
#include "analysis/scoring.h"
#include "analysis/toml_file.h"
#include "custlens/error.h"

namespace custlens::report {
namespace {

// Where a message points: the file, the line of the offending node, and the tier.
struct Place {
  std::string_view source;
  std::string_view scheme;
  std::string_view tier;
};

[[noreturn]] void fail(const Place& place, const toml::node& node, std::string_view message) {
  const toml::source_position at = node.source().begin;
  std::string where =
      at.line == 0 ? std::string(place.source) : fmt::format("{}:{}", place.source, at.line);
  if (!place.tier.empty()) {
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

}  // namespace

Playbook Playbook::load(const std::string& path) {
  return parse(analysis::read_text_file(path, "playbook file"), path);
}

Playbook Playbook::parse(std::string_view toml_text, std::string_view source) {
  const toml::table root = analysis::parse_toml(toml_text, source);
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

std::string default_playbook_path() { return analysis::share_dir() + "/playbook.toml"; }

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
  }
  return out;
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
  }
  return text;
}

}  // namespace custlens::report
