// Column roles by scoring: one matcher for every role set (order lines, customer profiles). A role
// is a table of exact aliases and word patterns; each header name is split into words
// (header_words.h) and scored against each role; columns go to roles best score first.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/header_words.h"
#include "custlens/error.h"
#include "custlens/roles.h"

namespace custlens::core {

/// The words a role needs, and what finding them is worth. `needs` is groups separated by
/// spaces, alternatives by '|': "customer|user|member id" needs a customer-like word and an id.
struct RolePattern {
  std::string_view needs;
  int weight;
};

/// One role of a role set. Word lists are '|'-separated meanings (header_words.cpp).
struct RoleRule {
  std::string_view name;
  std::span<const std::string_view> aliases;  ///< normalised (normalize_header_name); score 100
  std::span<const RolePattern> patterns;      ///< the best one that matches gives the score
  std::string_view supports;                  ///< other words of the role: +3 each instead of -10
  std::string_view allows;                    ///< words that neither add nor cost
  std::string_view vetoes;       ///< any of these rules the role out (category_id is no category)
  std::string_view soft_vetoes;  ///< ...the same, unless a word of `unless` is there too
  std::string_view unless;
};

/// Shared by the customer role of every role set: the words for who bought, and the words that
/// make a column something about the customer rather than its id (Customer Type, 客户年龄).
inline constexpr std::string_view kCustomerWords = "customer|user|member|buyer";
inline constexpr std::string_view kNotACustomerId =
    "order|invoice|transaction|product|item|goods|sku|stock|category|brand|type|group|level|score|"
    "status|phone|address|zip|city|province|country|region|location|district|age|gender|birth|"
    "count|frequency|date|time|timestamp|since|register|amount|total|spend|revenue|value|price|"
    "quantity|session|shipping|recency|last|first|income|interest|preference|page|view|duration|"
    "average|aov|shop|recipient|flag|platform|app|behavior|visit|login|day|minute";

inline constexpr int kAliasScore = 100;
/// Scores below this are weak: never taken, named in the error when the role is needed.
inline constexpr int kConfidentScore = 40;

/// Why a column plays (or could play) a role.
struct RoleEvidence {
  enum class How { kNone, kMap, kAlias, kWords };
  int column = -1;
  int score = 0;
  How how = How::kNone;
  std::vector<std::string> words;  ///< the header words that matched, as written
};

/// "--map", "alias", or "words: last, login, days (score 58)".
std::string describe(const RoleEvidence& evidence);

/// A --map role=column pair whose role the caller has resolved to an index into the rules.
struct RoleOverride {
  std::size_t rule;
  std::string role_text;
  std::string column_text;
};

struct RoleMatch {
  std::vector<RoleEvidence> chosen;             ///< per rule; column -1 when none
  std::vector<std::vector<RoleEvidence>> weak;  ///< per rule without a column: weak candidates
  /// A tie between columns for one role, as the one-line error message; "" when none.
  std::string conflict;
};

/// Scores one header name against one rule (0 = no match).
RoleEvidence score_role(std::string_view header_name, const RoleRule& rule);

/// Assigns roles: --map first, then the best (role, column) scores, each column to at most one
/// role. Throws custlens::Error for a --map column that is not in the header or a column given to
/// two roles; a tie is reported in `conflict`, not thrown.
RoleMatch match_roles(std::span<const std::string> header, std::span<const RoleRule> rules,
                      std::span<const RoleOverride> overrides);

/// The rule a role name given by the user (--map recency=..., --features) names: its own name
/// or one of its aliases, compared normalised; nullopt if none.
std::optional<std::size_t> find_rule(std::span<const RoleRule> rules, std::string_view name);

/// The --map role=column pairs with their roles resolved by find_rule; an unknown role is a
/// custlens::Error that lists the `what` ("roles", "profile roles") of `rules`.
std::vector<RoleOverride> resolve_overrides(
    std::span<const RoleRule> rules, std::span<const std::pair<std::string, std::string>> overrides,
    std::string_view what);

/// Every role a match gives and why, in rule order, with the weak candidates of the roles left
/// and the tie (not thrown): what `custlens schema` prints.
RoleReport explain_match(std::span<const std::string> header, std::span<const RoleRule> rules,
                         const RoleMatch& found);

/// "'A', 'B', (unnamed)": a header for error messages.
std::string quoted_header_list(std::span<const std::string> header);

/// "'Days' (days; score 20), 'Last' (last; score 30)", or "" when there are none.
std::string weak_candidates_text(std::span<const std::string> header,
                                 std::span<const RoleEvidence> weak);

/// The role map of a match: a column (or -1) and the weak candidates per role; a tie throws.
template <typename RoleT, std::size_t N>
RoleColumns<RoleT, N> role_columns(std::span<const std::string> header, const RoleMatch& found) {
  if (!found.conflict.empty()) throw Error(found.conflict);
  RoleColumns<RoleT, N> roles;
  for (std::size_t i = 0; i < N; ++i) {
    roles.set(static_cast<RoleT>(i), found.chosen[i].column);
    roles.set_weak_candidates(static_cast<RoleT>(i), weak_candidates_text(header, found.weak[i]));
  }
  return roles;
}

}  // namespace custlens::core
