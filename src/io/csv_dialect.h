// CSV dialect and header conventions: delimiter sniffing, header-or-data detection, column names.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace custlens::io {

/// The delimiter value (ReadOptions::delimiter, RowSource::delimiter) of whitespace-aligned
/// text: runs of spaces and tabs are one separator, leading and trailing ones are ignored, and a
/// line of only blanks is blank (R's read.table default; fixed-width-looking exports).
inline constexpr char kWhitespaceDelimiter = ' ';

/// The line break of a file: '\r' when line breaks outside quotes in `sample` are mostly bare CRs
/// (old Mac exports), else '\n' (LF or CRLF). `truncated`: the sample ends inside the file, so a
/// CR as its last byte may be the first half of a CRLF and is not counted.
char sniff_line_break(std::string_view sample, bool truncated);

/// The delimiter among , ; \t | whose per-row field count (outside quotes, blank rows skipped)
/// is most consistent over `sample`, rows ending at `line_break`; ties go to more fields, then to
/// that order; ',' when none splits rows. As a last resort, when none of them splits every row
/// into the same count, kWhitespaceDelimiter when splitting at runs of blanks gives the same count,
/// 3 or more, on every row (2 rows at least). `truncated`: the sample ends inside the file, so its
/// last row is left out (unless it is the only one).
char sniff_delimiter(std::string_view sample, bool truncated, char line_break = '\n');

/// True for a decimal number such as "12", " -3.5", ".5e3" (not "inf" or "nan": those are names).
bool parses_as_number(std::string_view text);

/// The first row is data, not a header, when any of its fields parses as a number.
bool looks_like_data_row(std::span<const std::string_view> fields);

/// Column names from the first row: trimmed, an empty name becomes column_N (1-based), then
/// duplicates get pandas' suffixes ("Name.1", "Name.2"). Without a header: column_1..column_N.
/// Invalid UTF-8 in a name is replaced by U+FFFD.
std::vector<std::string> header_names(std::span<const std::string_view> fields, bool has_header);

}  // namespace custlens::io
