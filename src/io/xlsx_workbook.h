// The workbook-level parts of an XLSX file (sheet list, 1904 flag, shared strings, date styles)
// and the cell-level conversions the sheet reader needs (cell references, date serials).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/xlsx_archive.h"

namespace custlens::io::xlsx {

/// A worksheet as the workbook lists it.
struct SheetEntry {
  std::string name;
  std::string part;  ///< e.g. "xl/worksheets/sheet1.xml"
};

/// The shared string table, all strings in one block.
class SharedStrings {
 public:
  std::size_t size() const { return ends_.size(); }
  std::string_view at(std::size_t index) const {
    std::size_t begin = index == 0 ? 0 : ends_[index - 1];
    return std::string_view(text_).substr(begin, ends_[index] - begin);
  }
  void add(std::string_view text) {
    text_.append(text);
    ends_.push_back(text_.size());
  }

 private:
  std::string text_;
  std::vector<std::size_t> ends_;
};

/// What the sheet reader needs from the workbook.
struct Workbook {
  std::vector<SheetEntry> sheets;  ///< in workbook order
  bool date1904 = false;
  SharedStrings shared_strings;
  std::vector<std::uint8_t> date_styles;  ///< per cellXfs index: 1 when the number is a date
};

/// Reads xl/workbook.xml, its relationships, the shared strings and the styles. Throws
/// custlens::Error for a zip without a workbook or for corrupt parts.
Workbook load_workbook(const Archive& archive);

/// The sheet named `name` (exact, else the only case-insensitive match), or the first sheet when
/// `name` is empty. Throws custlens::Error listing the sheet names when there is none such.
const SheetEntry& choose_sheet(const Workbook& workbook, const std::string& name,
                               const std::string& path);

/// Whether number format `id` shows a date or time: its custom `code` when the workbook defines
/// one (`has_code`), else the built-in formats 14-22, 45-47 (and the CJK date formats 27-36,
/// 50-58).
bool is_date_format(int id, bool has_code, std::string_view code);
/// Whether a format code has a date/time token (d, m, y, h, s) outside quotes and [brackets].
bool is_date_format_code(std::string_view code);

/// Excel's sheet limits: columns A to XFD, rows 1 to 1048576.
inline constexpr int kMaxSheetColumns = 16384;
inline constexpr std::int64_t kMaxSheetRows = 1048576;

/// A cell reference: 0-based column, 1-based row.
struct CellReference {
  int column = 0;
  std::int64_t row = 1;
};

/// Parses an A1-style reference ("C5" -> column 2, row 5; letters in either case); nullopt
/// unless it is 1-3 letters up to XFD followed by a row number in 1..1048576 and nothing else.
std::optional<CellReference> parse_cell_reference(std::string_view cell_ref);

/// Appends the serial as "YYYY-MM-DD HH:MM:SS", rounded to the second, and returns true; returns
/// false (appending nothing) for serials that are no date (negative, past 9999-12-31). The 1900
/// system follows Excel: serial 1 is 1900-01-01 and 61 is 1900-03-01, because Excel counts a
/// 1900-02-29 that never was (serial 60, given as 1900-02-28 as openpyxl does).
bool append_excel_date(double serial, bool date1904, std::string& out);

/// Appends an ISO 8601 cell value (t="d", "2024-01-02T03:04:05.123") as "YYYY-MM-DD HH:MM:SS".
void append_iso_cell_date(std::string_view text, std::string& out);

/// Decodes OOXML's "_xHHHH_" escapes (e.g. "_x000D_" for CR) in text[from...], in place.
void decode_escapes(std::string& text, std::size_t from);

/// A relationship target resolved to a part name: "worksheets/sheet1.xml" -> "xl/worksheets/
/// sheet1.xml", "/xl/worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml".
std::string resolve_target(std::string_view base_dir, std::string_view target);

}  // namespace custlens::io::xlsx
