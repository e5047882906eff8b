// The keyword -> category map that sorts product descriptions into categories
// (share/categories.toml or a user's file of the same form).
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace custlens::analysis {

/// Keywords in priority order, each naming a category. Immutable after loading; classify() may be
/// called from several threads at once.
class CategoryMap {
 public:
  /// classify() result for a description that holds no keyword.
  static constexpr std::uint32_t kOther = std::numeric_limits<std::uint32_t>::max();

  /// Reads a TOML file of [[category]] tables (name = "...", keywords = ["...", ...]) in priority
  /// order. Throws custlens::Error when the file is missing, is not TOML or breaks the format.
  static CategoryMap load(const std::string& path);
  /// As load(), from TOML text; `source` names it in error messages.
  static CategoryMap parse(std::string_view toml_text, std::string_view source);

  /// Category names in file order (without "Other", unless the file names it).
  const std::vector<std::string>& categories() const { return categories_; }
  std::size_t keyword_count() const { return keywords_.size(); }

  /// Index into categories() of the first keyword, in file order, that `description` contains as
  /// a whole word, ignoring ASCII case; kOther if none. Words are runs of [A-Za-z0-9_].
  std::uint32_t classify(std::string_view description) const;

 private:
  struct Keyword {
    std::string text;  // upper case
    std::uint32_t category = 0;
  };
  void add_keyword(std::string_view keyword, std::uint32_t category, std::string_view source);

  std::vector<std::string> categories_;
  std::vector<Keyword> keywords_;  // file order = priority
  /// Single-word keywords -> index into keywords_, so a description costs one lookup per word.
  absl::flat_hash_map<std::string, std::uint32_t> single_words_;
  /// Keywords spanning several words ("T-LIGHT", "CAKE CASES"): indices into keywords_.
  std::vector<std::uint32_t> phrases_;
};

/// common::share_dir() + "/categories.toml".
std::string default_category_map_path();

}  // namespace custlens::analysis
