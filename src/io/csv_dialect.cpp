// Delimiter sniffing and header naming for the CSV reader.
#include "io/csv_dialect.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <unordered_map>

#include "io/encoding.h"

namespace custlens::io {
namespace {

constexpr std::array<char, 4> kCandidateDelimiters{',', ';', '\t', '|'};
// Whitespace-aligned text is sniffed only from this much evidence: one row, or two words per row,
// is too often a list of names.
constexpr std::size_t kMinBlankSplitRows = 2;
constexpr std::uint32_t kMinBlankSplitFields = 3;

std::string_view trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

/// pandas' de-duplication: the second "Name" becomes "Name.1", the third "Name.2", ...
std::vector<std::string> deduplicate(std::vector<std::string> names) {
  std::unordered_map<std::string, std::size_t> counts;
  for (std::string& name : names) {
    std::size_t count = counts[name];
    while (count > 0) {
      counts[name] = count + 1;
      name = fmt::format("{}.{}", name, count);
      count = counts[name];
    }
    counts[name] = count + 1;
  }
  return names;
}

/// Every row (rows of only blanks aside, at least kMinBlankSplitRows) splits at runs of blanks
/// into the same number of fields, at least kMinBlankSplitFields: aligned columns, not prose.
bool splits_alike_at_blanks(std::span<const std::uint32_t> fields_per_row) {
  std::uint32_t fields = 0;
  std::size_t rows = 0;
  for (const std::uint32_t count : fields_per_row) {
    if (count == 0) continue;
    if (fields != 0 && count != fields) return false;
    fields = count;
    ++rows;
  }
  return rows >= kMinBlankSplitRows && fields >= kMinBlankSplitFields;
}

}  // namespace

char sniff_line_break(std::string_view sample, bool truncated) {
  std::size_t line_feeds = 0;
  std::size_t bare_returns = 0;
  bool in_quote = false;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const char c = sample[i];
    if (c == '"') in_quote = !in_quote;
    if (in_quote) continue;
    if (c == '\n') {
      ++line_feeds;
    } else if (c == '\r') {
      if (i + 1 < sample.size()) {
        bare_returns += sample[i + 1] != '\n';
      } else {
        bare_returns += !truncated;
      }
    }
  }
  return bare_returns > line_feeds ? '\r' : '\n';
}

char sniff_delimiter(std::string_view sample, bool truncated, char line_break) {
  std::vector<std::array<std::uint32_t, kCandidateDelimiters.size()>> rows;
  std::vector<std::uint32_t> blank_split_rows;  // per row: fields between runs of blanks
  std::array<std::uint32_t, kCandidateDelimiters.size()> counts{};
  std::uint32_t blank_split = 0;
  bool in_gap = true;
  bool in_quote = false;
  bool blank = true;
  const auto end_row = [&] {
    rows.push_back(counts);
    blank_split_rows.push_back(blank_split);
  };
  for (const char c : sample) {
    if (!in_quote && c != line_break && c != '\r') {
      // An opening quote starts a field like any other non-blank byte.
      const bool gap = c == ' ' || c == '\t';
      blank_split += in_gap && !gap;
      in_gap = gap;
    }
    if (c == '"') in_quote = !in_quote;
    if (in_quote) {
      blank = false;
      continue;
    }
    if (c == line_break) {
      if (!blank) end_row();
      counts.fill(0);
      blank_split = 0;
      in_gap = true;
      blank = true;
      continue;
    }
    if (c != '\r') blank = false;
    for (std::size_t d = 0; d < kCandidateDelimiters.size(); ++d) {
      counts[d] += c == kCandidateDelimiters[d];
    }
  }
  // A cut last row says nothing, unless it is all there is.
  if (!blank && (!truncated || rows.empty())) end_row();

  char best = ',';
  double best_consistency = 0;
  std::uint32_t best_fields = 1;
  for (std::size_t d = 0; d < kCandidateDelimiters.size(); ++d) {
    std::unordered_map<std::uint32_t, std::size_t> frequency;
    for (const auto& row : rows) ++frequency[row[d] + 1];
    std::uint32_t mode = 1;
    std::size_t mode_rows = 0;
    for (const auto& [fields, times] : frequency) {
      if (times > mode_rows || (times == mode_rows && fields > mode)) {
        mode = fields;
        mode_rows = times;
      }
    }
    if (mode < 2) continue;
    const double consistency = static_cast<double>(mode_rows) / static_cast<double>(rows.size());
    if (consistency > best_consistency || (consistency == best_consistency && mode > best_fields)) {
      best = kCandidateDelimiters[d];
      best_consistency = consistency;
      best_fields = mode;
    }
  }
  // Only when no candidate splits every row alike, so no file the candidates read changes.
  if (best_consistency < 1.0 && splits_alike_at_blanks(blank_split_rows)) {
    return kWhitespaceDelimiter;
  }
  return best;
}

bool parses_as_number(std::string_view text) {
  text = trim(text);
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - from;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t mantissa = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == text.size();
}

bool looks_like_data_row(std::span<const std::string_view> fields) {
  return std::any_of(fields.begin(), fields.end(), parses_as_number);
}

std::vector<std::string> header_names(std::span<const std::string_view> fields, bool has_header) {
  std::vector<std::string> names;
  names.reserve(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string name = has_header
                           ? utf8_excerpt(trim(fields[i]), std::numeric_limits<std::size_t>::max())
                           : std::string();
    names.push_back(name.empty() ? fmt::format("column_{}", i + 1) : std::move(name));
  }
  return deduplicate(std::move(names));
}

}  // namespace custlens::io
