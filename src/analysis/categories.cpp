// The keyword -> category map: TOML loading, validation and whole-word, first-keyword-wins
// classification of product descriptions.
#include "analysis/categories.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <optional>

#include "common/share_dir.h"
#include "common/text_file.h"
#include "common/toml_file.h"
#include "custlens/error.h"

namespace custlens::analysis {
namespace {

bool is_word_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

char to_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

std::string upper_trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  std::string out(text.substr(first, last - first + 1));
  for (char& c : out) c = to_upper(c);
  return out;
}

// Whether `needle` occurs in `haystack` with no word character right before or after it.
bool contains_whole(std::string_view haystack, std::string_view needle) {
  for (std::size_t at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + 1)) {
    const std::size_t end = at + needle.size();
    if ((at == 0 || !is_word_char(haystack[at - 1])) &&
        (end == haystack.size() || !is_word_char(haystack[end]))) {
      return true;
    }
  }
  return false;
}

}  // namespace

void CategoryMap::add_keyword(std::string_view keyword, std::uint32_t category,
                              std::string_view source) {
  std::string text = upper_trimmed(keyword);
  if (text.empty()) {
    throw Error(
        fmt::format("{}: category '{}' has an empty keyword", source, categories_[category]));
  }
  const auto index = static_cast<std::uint32_t>(keywords_.size());
  bool single_word = true;
  for (char c : text) single_word = single_word && is_word_char(c);
  if (single_word) {
    single_words_.try_emplace(text, index);  // a repeated keyword keeps its first category
  } else {
    phrases_.push_back(index);
  }
  keywords_.push_back(Keyword{std::move(text), category});
}

CategoryMap CategoryMap::parse(std::string_view toml_text, std::string_view source) {
  const toml::table root = common::parse_toml(toml_text, source);
  const toml::array* tables = root["category"].as_array();
  if (tables == nullptr || tables->empty()) {
    throw Error(fmt::format(
        "{}: no categories; expected [[category]] tables with name and keywords", source));
  }
  CategoryMap map;
  for (std::size_t i = 0; i < tables->size(); ++i) {
    const toml::table* table = tables->get(i)->as_table();
    const std::optional<std::string> name =
        table ? (*table)["name"].value<std::string>() : std::nullopt;
    if (!name || name->empty()) {
      throw Error(fmt::format("{}: category #{} has no name", source, i + 1));
    }
    const toml::array* keywords = (*table)["keywords"].as_array();
    if (keywords == nullptr || keywords->empty()) {
      throw Error(fmt::format("{}: category '{}' has no keywords list", source, *name));
    }
    const auto category = static_cast<std::uint32_t>(map.categories_.size());
    map.categories_.push_back(*name);
    for (const toml::node& keyword : *keywords) {
      const std::optional<std::string_view> text = keyword.value<std::string_view>();
      if (!text) {
        throw Error(
            fmt::format("{}: category '{}' has a keyword that is not a string", source, *name));
      }
      map.add_keyword(*text, category, source);
    }
  }
  return map;
}

CategoryMap CategoryMap::load(const std::string& path) {
  return parse(common::read_text_file(path, "category map"), path);
}

std::uint32_t CategoryMap::classify(std::string_view description) const {
  std::uint32_t best = kOther;  // index into keywords_ of the earliest keyword found
  std::string upper(description);
  for (char& c : upper) c = to_upper(c);
  std::string_view text = upper;
  for (std::size_t i = 0; i < text.size();) {
    if (!is_word_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_word_char(text[end])) ++end;
    const auto found = single_words_.find(absl::string_view(text.data() + i, end - i));
    if (found != single_words_.end() && found->second < best) best = found->second;
    i = end;
  }
  for (std::uint32_t index : phrases_) {
    if (index >= best) break;  // phrases_ is in file order; later ones cannot win
    if (contains_whole(text, keywords_[index].text)) best = index;
  }
  return best == kOther ? kOther : keywords_[best].category;
}

std::string default_category_map_path() { return common::share_dir() + "/categories.toml"; }

}  // namespace custlens::analysis
