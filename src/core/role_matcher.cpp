// The scoring role matcher: a header name against a role's aliases and word patterns, and the
// assignment of columns to roles, best score first, with ties and weak matches reported.
#include "core/role_matcher.h"

#include <absl/container/flat_hash_set.h>
#include <fmt/format.h>

#include <algorithm>

#include "common/name_list.h"
#include "core/header_name.h"
#include "custlens/error.h"

namespace custlens::core {
namespace {

constexpr int kSupportBonus = 3;
constexpr int kMaxSupportBonus = 9;
constexpr int kUnexplainedCost = 10;
constexpr std::size_t kWeakListed = 3;

bool in_list(std::string_view list, std::string_view meaning) {
  if (meaning.empty()) return false;
  while (!list.empty()) {
    const std::size_t bar = list.find('|');
    if (list.substr(0, bar) == meaning) return true;
    list = bar == std::string_view::npos ? std::string_view() : list.substr(bar + 1);
  }
  return false;
}

bool word_in(const HeaderWord& word, std::string_view list) {
  return in_list(list, word.meanings[0]) || in_list(list, word.meanings[1]);
}

std::vector<std::string_view> split_groups(std::string_view needs) {
  std::vector<std::string_view> groups;
  while (!needs.empty()) {
    const std::size_t space = needs.find(' ');
    if (space != 0) groups.push_back(needs.substr(0, space));
    needs = space == std::string_view::npos ? std::string_view() : needs.substr(space + 1);
  }
  return groups;
}

// Fills group after group with a (word, meaning) not used yet; true when every group is filled.
bool fill_groups(const std::vector<HeaderWord>& words, std::span<const std::string_view> groups,
                 std::vector<std::uint8_t>& used, std::vector<std::uint8_t>& matched) {
  if (groups.empty()) return true;
  for (std::size_t w = 0; w < words.size(); ++w) {
    for (std::size_t slot = 0; slot < 2; ++slot) {
      const std::size_t unit = w * 2 + slot;
      if (used[unit] || !in_list(groups.front(), words[w].meanings[slot])) continue;
      used[unit] = 1;
      if (fill_groups(words, groups.subspan(1), used, matched)) {
        matched[w] = 1;
        return true;
      }
      used[unit] = 0;
    }
  }
  return false;
}

using Vocabulary = absl::flat_hash_set<std::string_view>;

// Every meaning a pattern of the rule needs: a column with none of them cannot score.
Vocabulary vocabulary(const RoleRule& rule) {
  Vocabulary needed;
  for (const RolePattern& pattern : rule.patterns) {
    std::string_view rest = pattern.needs;
    while (!rest.empty()) {
      const std::size_t end = rest.find_first_of(" |");
      if (end != 0) needed.insert(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
  }
  return needed;
}

bool could_match(const std::vector<HeaderWord>& words, const Vocabulary& needed) {
  return std::any_of(words.begin(), words.end(), [&](const HeaderWord& word) {
    return needed.contains(word.meanings[0]) || needed.contains(word.meanings[1]);
  });
}

RoleEvidence score_words(const std::vector<HeaderWord>& words, const RoleRule& rule) {
  RoleEvidence best;
  if (words.empty()) return best;
  const bool unless = std::any_of(words.begin(), words.end(),
                                  [&](const HeaderWord& w) { return word_in(w, rule.unless); });
  for (const HeaderWord& word : words) {
    if (word_in(word, rule.vetoes) || (!unless && word_in(word, rule.soft_vetoes))) return best;
  }
  for (const RolePattern& pattern : rule.patterns) {
    const std::vector<std::string_view> groups = split_groups(pattern.needs);
    std::vector<std::uint8_t> used(words.size() * 2, 0), matched(words.size(), 0);
    if (!fill_groups(words, groups, used, matched)) continue;
    int score = pattern.weight;
    int bonus = 0;
    for (std::size_t w = 0; w < words.size(); ++w) {
      if (matched[w]) continue;
      if (word_in(words[w], rule.supports)) {
        bonus += kSupportBonus;
        matched[w] = 1;
      } else if (!words[w].neutral && !word_in(words[w], rule.allows)) {
        score -= kUnexplainedCost;
      }
    }
    score = std::clamp(score + std::min(bonus, kMaxSupportBonus), 0, kAliasScore - 1);
    if (score <= best.score) continue;
    best.score = score;
    best.how = RoleEvidence::How::kWords;
    best.words.clear();
    for (std::size_t w = 0; w < words.size(); ++w) {
      if (matched[w]) best.words.push_back(words[w].text);
    }
  }
  return best;
}

bool is_alias(const RoleRule& rule, std::string_view normalized) {
  return !normalized.empty() &&
         std::find(rule.aliases.begin(), rule.aliases.end(), normalized) != rule.aliases.end();
}

int find_column(std::span<const std::string> header, std::string_view column) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == column) return static_cast<int>(i);
  }
  const std::string wanted = normalize_header_name(column);
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (!wanted.empty() && normalize_header_name(header[i]) == wanted) return static_cast<int>(i);
  }
  return -1;
}

std::string column_label(std::span<const std::string> header, int column) {
  const std::string& name = header[static_cast<std::size_t>(column)];
  return name.empty() ? std::string("(unnamed)") : fmt::format("'{}'", name);
}

std::string tie_message(std::span<const std::string> header, const RoleRule& rule,
                        const std::vector<RoleEvidence>& tied) {
  std::vector<std::string> names;
  for (const RoleEvidence& candidate : tied) {
    names.push_back(fmt::format("{} ({})", column_label(header, candidate.column),
                                fmt::join(candidate.words, ", ")));
  }
  return fmt::format(
      "columns {} all read as {} equally well (score {}); choose one with --map {}=<column>, "
      "e.g. --map {}={}",
      fmt::join(names, " and "), rule.name, tied.front().score, rule.name, rule.name,
      header[static_cast<std::size_t>(tied.front().column)]);
}

}  // namespace

std::string describe(const RoleEvidence& evidence) {
  switch (evidence.how) {
    case RoleEvidence::How::kMap:
      return "--map";
    case RoleEvidence::How::kAlias:
      return "alias";
    case RoleEvidence::How::kWords:
      return fmt::format("words: {} (score {})", fmt::join(evidence.words, ", "), evidence.score);
    default:
      return "";
  }
}

RoleEvidence score_role(std::string_view header_name, const RoleRule& rule) {
  if (is_alias(rule, normalize_header_name(header_name))) {
    RoleEvidence alias;
    alias.score = kAliasScore;
    alias.how = RoleEvidence::How::kAlias;
    alias.words.emplace_back(header_name);
    return alias;
  }
  return score_words(split_header(header_name), rule);
}

RoleMatch match_roles(std::span<const std::string> header, std::span<const RoleRule> rules,
                      std::span<const RoleOverride> overrides) {
  const std::size_t roles = rules.size();
  const std::size_t columns = header.size();
  RoleMatch match;
  match.chosen.resize(roles);
  match.weak.resize(roles);
  std::vector<int> role_of_column(columns, -1);

  // --map first: a later override of the same role replaces an earlier one.
  for (const RoleOverride& override : overrides) {
    const int column = find_column(header, override.column_text);
    if (column < 0) {
      throw Error(fmt::format("--map {}={}: no column '{}' in the header: {}", override.role_text,
                              override.column_text, override.column_text,
                              quoted_header_list(header)));
    }
    match.chosen[override.rule] = {column, kAliasScore, RoleEvidence::How::kMap, {}};
  }
  for (std::size_t r = 0; r < roles; ++r) {
    const int column = match.chosen[r].column;
    if (column < 0) continue;
    const auto c = static_cast<std::size_t>(column);
    if (role_of_column[c] >= 0) {
      throw Error(fmt::format(
          "--map: column '{}' is given to both {} and {}; a column plays one role", header[c],
          rules[static_cast<std::size_t>(role_of_column[c])].name, rules[r].name));
    }
    role_of_column[c] = static_cast<int>(r);
  }

  // The (role, column) pairs that score at all. A column named exactly as an alias keeps that
  // meaning only.
  std::vector<std::vector<RoleEvidence>> candidates(roles);
  std::vector<Vocabulary> needed;
  for (const RoleRule& rule : rules) needed.push_back(vocabulary(rule));
  for (std::size_t c = 0; c < columns; ++c) {
    if (role_of_column[c] >= 0) continue;
    const std::string normalized = normalize_header_name(header[c]);
    bool alias = false;
    for (std::size_t r = 0; r < roles; ++r) {
      if (is_alias(rules[r], normalized)) {
        alias = true;
        candidates[r].push_back(
            {static_cast<int>(c), kAliasScore, RoleEvidence::How::kAlias, {header[c]}});
      }
    }
    if (alias) continue;
    const std::vector<HeaderWord> words = split_header(header[c]);
    for (std::size_t r = 0; r < roles; ++r) {
      if (!could_match(words, needed[r])) continue;  // most columns of a wide header
      RoleEvidence evidence = score_words(words, rules[r]);
      if (evidence.score <= 0) continue;
      evidence.column = static_cast<int>(c);
      candidates[r].push_back(std::move(evidence));
    }
  }
  auto is_free = [&](const RoleEvidence& e) {
    return role_of_column[static_cast<std::size_t>(e.column)] < 0;
  };

  // Best (role, column) first; equal scores go to the role listed first, then the left column.
  while (true) {
    const RoleEvidence* best = nullptr;
    std::size_t best_role = roles;
    for (std::size_t r = 0; r < roles; ++r) {
      if (match.chosen[r].column >= 0) continue;
      for (const RoleEvidence& candidate : candidates[r]) {
        if (is_free(candidate) && candidate.score >= kConfidentScore &&
            (best == nullptr || candidate.score > best->score)) {
          best = &candidate;
          best_role = r;
        }
      }
    }
    if (best == nullptr) break;
    // Another free column as good for the same role is a tie (two exact aliases: the first).
    std::vector<RoleEvidence> tied;
    for (const RoleEvidence& candidate : candidates[best_role]) {
      if (is_free(candidate) && candidate.score == best->score) tied.push_back(candidate);
    }
    if (tied.size() > 1 && best->score < kAliasScore && match.conflict.empty()) {
      match.conflict = tie_message(header, rules[best_role], tied);
    }
    match.chosen[best_role] = *best;
    role_of_column[static_cast<std::size_t>(best->column)] = static_cast<int>(best_role);
  }

  for (std::size_t r = 0; r < roles; ++r) {
    if (match.chosen[r].column >= 0) continue;
    std::vector<RoleEvidence>& weak = match.weak[r];
    for (const RoleEvidence& candidate : candidates[r]) {
      if (is_free(candidate)) weak.push_back(candidate);
    }
    std::stable_sort(weak.begin(), weak.end(), [](const RoleEvidence& a, const RoleEvidence& b) {
      return a.score > b.score;
    });
    if (weak.size() > kWeakListed) weak.resize(kWeakListed);
  }
  return match;
}

std::optional<std::size_t> find_rule(std::span<const RoleRule> rules, std::string_view name) {
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (name == rules[i].name) return i;
  }
  const std::string normalized = normalize_header_name(name);
  if (normalized.empty()) return std::nullopt;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (normalized == normalize_header_name(rules[i].name) || is_alias(rules[i], normalized)) {
      return i;
    }
  }
  return std::nullopt;
}

std::vector<RoleOverride> resolve_overrides(
    std::span<const RoleRule> rules, std::span<const std::pair<std::string, std::string>> overrides,
    std::string_view what) {
  std::vector<RoleOverride> resolved;
  for (const auto& [role_text, column_text] : overrides) {
    const std::optional<std::size_t> rule = find_rule(rules, role_text);
    if (!rule) {
      std::string names;
      for (const RoleRule& each : rules) {
        names += names.empty() ? "" : ", ";
        names += each.name;
      }
      throw Error(fmt::format("--map {}={}: unknown role '{}'; {} are: {}", role_text, column_text,
                              role_text, what, names));
    }
    resolved.push_back({*rule, role_text, column_text});
  }
  return resolved;
}

RoleReport explain_match(std::span<const std::string> header, std::span<const RoleRule> rules,
                         const RoleMatch& found) {
  RoleReport report;
  report.conflict = found.conflict;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const RoleEvidence& chosen = found.chosen[i];
    if (chosen.column < 0) {
      if (!found.weak[i].empty()) {
        report.weak.emplace_back(rules[i].name, weak_candidates_text(header, found.weak[i]));
      }
      continue;
    }
    report.roles.push_back(
        {std::string(rules[i].name), chosen.column, chosen.score, describe(chosen)});
  }
  return report;
}

std::string quoted_header_list(std::span<const std::string> header) {
  std::vector<std::string> quoted;
  quoted.reserve(header.size());
  for (const std::string& name : header) {
    quoted.push_back(name.empty() ? std::string("(unnamed)") : fmt::format("'{}'", name));
  }
  return common::list_names(quoted);
}

std::string weak_candidates_text(std::span<const std::string> header,
                                 std::span<const RoleEvidence> weak) {
  std::vector<std::string> names;
  for (const RoleEvidence& candidate : weak) {
    names.push_back(fmt::format("{} ({}; score {})", column_label(header, candidate.column),
                                fmt::join(candidate.words, ", "), candidate.score));
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace custlens::core
