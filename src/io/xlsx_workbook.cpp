// The workbook-level parts of an XLSX file: sheet list and 1904 flag (workbook.xml), sheet part
// paths (workbook.xml.rels), shared strings and date styles; plus cell value conversions.
#include "io/xlsx_workbook.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <iterator>
#include <utility>

#include "common/name_list.h"
#include "common/utf8.h"
#include "custlens/error.h"

namespace custlens::io::xlsx {
namespace {

constexpr std::string_view kDefaultWorkbookPart = "xl/workbook.xml";
constexpr std::int64_t kSecondsPerDay = 86400;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool equals_nocase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

int to_int(std::string_view text, int fallback) {
  int value = fallback;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() ? value : fallback;
}

std::string_view directory_of(std::string_view part) {
  std::size_t slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : part.substr(0, slash + 1);
}

// The relationships part that belongs to `part`: "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels".
std::string rels_part_of(std::string_view part) {
  std::string_view dir = directory_of(part);
  return fmt::format("{}_rels/{}.rels", dir, part.substr(dir.size()));
}

struct Relationship {
  std::string id;
  std::string type;
  std::string target;
};

struct RelsHandler {
  std::vector<Relationship> relationships;
  void start(std::string_view name, const char** attributes) {
    if (name != "Relationship" || attribute(attributes, "TargetMode") == "External") return;
    relationships.push_back(Relationship{std::string(attribute(attributes, "Id")),
                                         std::string(attribute(attributes, "Type")),
                                         std::string(attribute(attributes, "Target"))});
  }
  void end(std::string_view) {}
  void text(std::string_view) {}
};

std::vector<Relationship> read_relationships(const Archive& archive, const std::string& part) {
  RelsHandler handler;
  if (archive.has(part)) XmlPart(archive, part, callbacks_for(handler)).parse_all();
  return std::move(handler.relationships);
}

struct WorkbookHandler {
  struct Sheet {
    std::string name;
    std::string relationship_id;
  };
  std::vector<Sheet> sheets;
  bool date1904 = false;
  void start(std::string_view name, const char** attributes) {
    if (name == "sheet") {
      sheets.push_back(Sheet{std::string(attribute(attributes, "name")),
                             std::string(attribute(attributes, "id"))});
    } else if (name == "workbookPr") {
      std::string_view flag = attribute(attributes, "date1904");
      date1904 = flag == "1" || flag == "true";
    }
  }
  void end(std::string_view) {}
  void text(std::string_view) {}
};

// Text of <si> items: plain <t> or the <t> of rich-text runs <r>, never phonetic hints <rPh>.
struct SharedStringsHandler {
  SharedStrings* strings = nullptr;
  std::string item;
  bool in_item = false;
  bool in_text = false;
  int phonetic_depth = 0;
  void start(std::string_view name, const char**) {
    if (name == "si") {
      item.clear();
      in_item = true;
    } else if (name == "rPh") {
      ++phonetic_depth;
    } else if (name == "t") {
      in_text = in_item && phonetic_depth == 0;
    }
  }
  void end(std::string_view name) {
    if (name == "t") {
      in_text = false;
    } else if (name == "rPh") {
      --phonetic_depth;
    } else if (name == "si") {
      decode_escapes(item, 0);
      strings->add(item);
      in_item = false;
    }
  }
  void text(std::string_view text) {
    if (in_text) item.append(text);
  }
};

struct StylesHandler {
  std::vector<std::pair<int, std::string>> custom_formats;
  std::vector<int> cell_formats;  // per cellXfs <xf>: its numFmtId
  bool in_cell_xfs = false;
  void start(std::string_view name, const char** attributes) {
    if (name == "numFmt") {
      custom_formats.emplace_back(to_int(attribute(attributes, "numFmtId"), -1),
                                  std::string(attribute(attributes, "formatCode")));
    } else if (name == "cellXfs") {
      in_cell_xfs = true;
    } else if (name == "xf" && in_cell_xfs) {
      cell_formats.push_back(to_int(attribute(attributes, "numFmtId"), 0));
    }
  }
  void end(std::string_view name) {
    if (name == "cellXfs") in_cell_xfs = false;
  }
  void text(std::string_view) {}
};

std::string find_workbook_part(const Archive& archive) {
  if (archive.has(std::string(kDefaultWorkbookPart))) return std::string(kDefaultWorkbookPart);
  // Rare writers put the workbook elsewhere; the package relationships say where.
  for (const Relationship& rel : read_relationships(archive, "_rels/.rels")) {
    if (ends_with(rel.type, "/officeDocument")) {
      std::string part = resolve_target("", rel.target);
      if (archive.has(part)) return part;
    }
  }
  throw Error(fmt::format("{}: a zip archive without xl/workbook.xml; not an XLSX workbook",
                          archive.path()));
}

void append_two_digits(std::string& out, unsigned value) {
  out.push_back(static_cast<char>('0' + value / 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

// The code of an "_xHHHH_" escape starting at text[at], or -1.
int escape_at(std::string_view text, std::size_t at) {
  if (at + 7 > text.size() || text[at] != '_' || text[at + 1] != 'x' || text[at + 6] != '_') {
    return -1;
  }
  unsigned code = 0;
  auto [end, ec] = std::from_chars(text.data() + at + 2, text.data() + at + 6, code, 16);
  return ec == std::errc() && end == text.data() + at + 6 ? static_cast<int>(code) : -1;
}

}  // namespace

Workbook load_workbook(const Archive& archive) {
  std::string workbook_part = find_workbook_part(archive);
  WorkbookHandler workbook_handler;
  XmlPart(archive, workbook_part, callbacks_for(workbook_handler)).parse_all();
  std::string_view base_dir = directory_of(workbook_part);
  std::vector<Relationship> relationships =
      read_relationships(archive, rels_part_of(workbook_part));

  Workbook workbook;
  workbook.date1904 = workbook_handler.date1904;
  std::string shared_strings_part = fmt::format("{}sharedStrings.xml", base_dir);
  std::string styles_part = fmt::format("{}styles.xml", base_dir);
  for (const Relationship& rel : relationships) {
    if (ends_with(rel.type, "/sharedStrings"))
      shared_strings_part = resolve_target(base_dir, rel.target);
    if (ends_with(rel.type, "/styles")) styles_part = resolve_target(base_dir, rel.target);
  }
  for (const auto& sheet : workbook_handler.sheets) {
    auto rel = std::find_if(relationships.begin(), relationships.end(),
                            [&](const Relationship& r) { return r.id == sheet.relationship_id; });
    // Chart sheets, dialog sheets and macro sheets hold no cells.
    if (rel == relationships.end() || !ends_with(rel->type, "/worksheet")) continue;
    workbook.sheets.push_back(SheetEntry{sheet.name, resolve_target(base_dir, rel->target)});
  }

  if (archive.has(shared_strings_part)) {
    SharedStringsHandler handler;
    handler.strings = &workbook.shared_strings;
    XmlPart(archive, shared_strings_part, callbacks_for(handler)).parse_all();
  }
  if (archive.has(styles_part)) {
    StylesHandler handler;
    XmlPart(archive, styles_part, callbacks_for(handler)).parse_all();
    workbook.date_styles.reserve(handler.cell_formats.size());
    for (int id : handler.cell_formats) {
      auto custom = std::find_if(handler.custom_formats.begin(), handler.custom_formats.end(),
                                 [id](const auto& format) { return format.first == id; });
      bool has_code = custom != handler.custom_formats.end();
      workbook.date_styles.push_back(
          is_date_format(id, has_code, has_code ? std::string_view(custom->second) : "") ? 1 : 0);
    }
  }
  return workbook;
}

const SheetEntry& choose_sheet(const Workbook& workbook, const std::string& name,
                               const std::string& path) {
  if (workbook.sheets.empty()) throw Error(fmt::format("{}: the workbook has no worksheet", path));
  if (name.empty()) return workbook.sheets.front();
  for (const SheetEntry& sheet : workbook.sheets) {
    if (sheet.name == name) return sheet;
  }
  const SheetEntry* match = nullptr;
  int matches = 0;
  for (const SheetEntry& sheet : workbook.sheets) {
    if (equals_nocase(sheet.name, name)) {
      match = &sheet;
      ++matches;
    }
  }
  if (matches == 1) return *match;
  std::vector<std::string> names;
  for (const SheetEntry& sheet : workbook.sheets) names.push_back(fmt::format("'{}'", sheet.name));
  throw Error(fmt::format("{}: no sheet named '{}'; the sheets are {}", path, name,
                          common::list_names(names)));
}

bool is_date_format(int id, bool has_code, std::string_view code) {
  if (has_code) return is_date_format_code(code);
  return (id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 36) ||
         (id >= 50 && id <= 58);
}

bool is_date_format_code(std::string_view code) {
  for (std::size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') {
      std::size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
    } else if (c == '[') {
      std::size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // an escaped literal, a padding width or a fill character: the next char is no token
    } else {
      switch (std::tolower(static_cast<unsigned char>(c))) {
        case 'd':
        case 'm':
        case 'y':
        case 'h':
        case 's':
          return true;
        default:
          break;
      }
    }
  }
  return false;
}

std::optional<CellReference> parse_cell_reference(std::string_view cell_ref) {
  CellReference ref;
  std::size_t i = 0;
  int column = 0;
  for (; i < cell_ref.size() && i < 4; ++i) {
    const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(cell_ref[i])));
    if (upper < 'A' || upper > 'Z') break;
    column = column * 26 + (upper - 'A' + 1);
  }
  if (i == 0 || i > 3 || column > kMaxSheetColumns) return std::nullopt;
  ref.column = column - 1;
  const std::string_view digits = cell_ref.substr(i);
  // At most 7 digits: 1048576 has 7, and no overflow can hide a bad row.
  if (digits.empty() || digits.size() > 7 || digits.front() == '0') return std::nullopt;
  std::int64_t row = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    row = row * 10 + (c - '0');
  }
  if (row > kMaxSheetRows) return std::nullopt;
  ref.row = row;
  return ref;
}

bool append_excel_date(double serial, bool date1904, std::string& out) {
  using std::chrono::days;
  using std::chrono::December;
  using std::chrono::February;
  using std::chrono::January;
  using std::chrono::sys_days;
  using std::chrono::year_month_day;
  // 9999-12-31 23:59:59 in either system; later serials are no dates.
  if (!std::isfinite(serial) || serial < 0 || serial >= (date1904 ? 2957004.0 : 2958466.0)) {
    return false;
  }
  auto seconds = static_cast<std::int64_t>(std::llround(serial * kSecondsPerDay));
  std::int64_t day = seconds / kSecondsPerDay;
  auto second_of_day = static_cast<unsigned>(seconds % kSecondsPerDay);
  sys_days date;
  if (date1904) {
    date = sys_days(std::chrono::year(1904) / January / 1) + days(day);
  } else if (day < 60) {
    date = sys_days(std::chrono::year(1899) / December / 31) + days(day);
  } else if (day == 60) {
    date = sys_days(std::chrono::year(1900) / February / 28);
  } else {
    date = sys_days(std::chrono::year(1899) / December / 30) + days(day);
  }
  year_month_day ymd(date);
  int year = static_cast<int>(ymd.year());
  if (year > 9999) return false;
  fmt::format_to(std::back_inserter(out), "{:04}-", year);
  append_two_digits(out, static_cast<unsigned>(ymd.month()));
  out.push_back('-');
  append_two_digits(out, static_cast<unsigned>(ymd.day()));
  out.push_back(' ');
  append_two_digits(out, second_of_day / 3600);
  out.push_back(':');
  append_two_digits(out, second_of_day / 60 % 60);
  out.push_back(':');
  append_two_digits(out, second_of_day % 60);
  return true;
}

void append_iso_cell_date(std::string_view text, std::string& out) {
  auto digits = [&](std::size_t from, std::size_t count) {
    if (from + count > text.size()) return false;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
    }
    return true;
  };
  bool has_date = digits(0, 4) && text.size() >= 10 && text[4] == '-' && digits(5, 2) &&
                  text[7] == '-' && digits(8, 2);
  if (!has_date) {
    out.append(text);
    return;
  }
  out.append(text.substr(0, 10));
  bool has_time = text.size() >= 19 && (text[10] == 'T' || text[10] == ' ') && digits(11, 2) &&
                  text[13] == ':' && digits(14, 2) && text[16] == ':' && digits(17, 2);
  out.push_back(' ');
  out.append(has_time ? text.substr(11, 8) : std::string_view("00:00:00"));
}

void decode_escapes(std::string& text, std::size_t from) {
  std::size_t first = text.find("_x", from);
  if (first == std::string::npos) return;
  std::string decoded(text, from, first - from);
  decoded.reserve(text.size() - from);
  std::size_t at = first;
  while (at < text.size()) {
    int code = escape_at(text, at);
    if (code < 0) {
      decoded.push_back(text[at++]);
      continue;
    }
    at += 7;
    auto code_point = static_cast<std::uint32_t>(code);
    // A UTF-16 surrogate pair arrives as two escapes.
    if (code >= 0xD800 && code <= 0xDBFF) {
      int low = escape_at(text, at);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        code_point =
            0x10000 + ((code_point - 0xD800) << 10) + static_cast<std::uint32_t>(low - 0xDC00);
        at += 7;
      }
    }
    common::append_utf8(decoded, code_point);
  }
  text.resize(from);
  text += decoded;
}

std::string resolve_target(std::string_view base_dir, std::string_view target) {
  std::string joined = target.starts_with('/') ? std::string(target.substr(1))
                                               : fmt::format("{}{}", base_dir, target);
  // Normalize "." and ".." segments ("../media/x" from "xl/").
  std::vector<std::string_view> segments;
  std::string_view rest = joined;
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
      continue;
    }
    segments.push_back(segment);
  }
  return fmt::format("{}", fmt::join(segments, "/"));
}

}  // namespace custlens::io::xlsx
