// Header names as words: the tokeniser behind column-role scoring (order lines and profiles).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace custlens::core {

/// One word of a header name, with what it means.
struct HeaderWord {
  std::string text;  ///< as written, lower-cased: "spending", "天数", "$"
  /// Canonical meanings ("spend", "day"); a word not in the dictionary has its own text as its
  /// only meaning. A plural event noun ("purchases", "orders") also means "count".
  std::array<std::string, 2> meanings;
  /// A unit, a stop word or a decoration in brackets: evidence when a role asks for it, never
  /// counted against a role when it does not.
  bool neutral = false;
  bool has(std::string_view meaning) const {
    return meanings[0] == meaning || meanings[1] == meaning;
  }
};

/// Splits a header name into words: snake_case, camelCase (with acronyms: CustomerID, userID),
/// spaces, punctuation, digits, full-width forms; Chinese by the longest known term
/// (上次登录天数 → 上次 登录 天数). Units and decorations ((元), （天）, _分钟, ($), (USD), [days])
/// are kept as neutral words.
std::vector<HeaderWord> split_header(std::string_view name);

}  // namespace custlens::core
