// CSV dialect and header conventions: delimiter sniffing, header-or-data detection, column names.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace custlens::io {

/// The delimiter among , ; \t | whose per-row field count (outside quotes, blank rows skipped)
/// is most consistent over `sample`; ties go to more fields, then to that order; ',' when none
/// splits rows. `truncated`: the sample ends inside the file, so its last row is left out
/// (unless it is the only one).
char sniff_delimiter(std::string_view sample, bool truncated);

/// True for a decimal number such as "12", " -3.5", ".5e3" (not "inf" or "nan": those are names).
bool parses_as_number(std::string_view text);

/// The first row is data, not a header, when any of its fields parses as a number.
bool looks_like_data_row(std::span<const std::string_view> fields);

/// Column names from the first row: trimmed, an empty name becomes column_N (1-based), then
/// duplicates get pandas' suffixes ("Name.1", "Name.2"). Without a header: column_1..column_N.
/// Invalid UTF-8 in a name is replaced by U+FFFD.
std::vector<std::string> header_names(std::span<const std::string_view> fields, bool has_header);

}  // namespace custlens::io
