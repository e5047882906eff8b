// write_customers_xlsx: one workbook with the customer table, tier summary and audit.
#include "report/xlsx_export.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <span>
#include <string_view>

#include "common/calendar.h"
#include "custlens/error.h"
#include "io/output_files.h"
#include "io/xlsx_archive.h"

namespace custlens::report {
namespace {

// Excel's day 0 of the 1900 date system is 1899-12-30, 25,569 days before 1970-01-01.
constexpr double kExcelDaysBefore1970 = 25569;
// Widths in characters: wide enough for a header or a typical value, never wider than a screen.
constexpr double kMinTextWidth = 12;
constexpr double kMaxTextWidth = 40;

struct WorkbookCloser {
  void operator()(lxw_workbook* workbook) const {
    if (workbook) workbook_close(workbook);
  }
};

struct Formats {
  lxw_format* header = nullptr;
  lxw_format* text = nullptr;
  lxw_format* count = nullptr;
  lxw_format* decimal = nullptr;
  lxw_format* money = nullptr;
  lxw_format* share = nullptr;
  lxw_format* datetime = nullptr;
};

Formats add_formats(lxw_workbook* workbook) {
  Formats formats;
  formats.header = workbook_add_format(workbook);
  format_set_bold(formats.header);
  format_set_pattern(formats.header, LXW_PATTERN_SOLID);
  format_set_bg_color(formats.header, 0xD9E1F2);
  format_set_bottom(formats.header, LXW_BORDER_THIN);
  formats.text = nullptr;  // the default cell format
  formats.count = workbook_add_format(workbook);
  format_set_num_format(formats.count, "#,##0");
  formats.decimal = workbook_add_format(workbook);
  format_set_num_format(formats.decimal, "0.00");
  formats.money = workbook_add_format(workbook);
  format_set_num_format(formats.money, "#,##0.00");
  formats.share = workbook_add_format(workbook);
  format_set_num_format(formats.share, "0.00%");
  formats.datetime = workbook_add_format(workbook);
  format_set_num_format(formats.datetime, "yyyy-mm-dd hh:mm:ss");
  return formats;
}

// One column of a sheet: its header, width in characters and cell format.
struct ColumnSpec {
  const char* name;
  double width;
  lxw_format* format;
};

// Writes one sheet row by row (the workbook runs in constant-memory mode) and fails loudly.
class SheetWriter {
 public:
  SheetWriter(lxw_workbook* workbook, const char* name, std::span<const ColumnSpec> columns,
              lxw_format* header, lxw_col_t frozen_columns, std::string_view path)
      : columns_(columns), path_(path) {
    sheet_ = workbook_add_worksheet(workbook, name);
    if (sheet_ == nullptr) throw Error(fmt::format("{}: cannot add sheet '{}'", path_, name));
    for (lxw_col_t col = 0; col < columns_.size(); ++col) {
      check(worksheet_set_column(sheet_, col, col, columns_[col].width, nullptr));
      check(worksheet_write_string(sheet_, 0, col, columns_[col].name, header));
    }
    worksheet_freeze_panes(sheet_, 1, frozen_columns);
  }

  void text(lxw_col_t col, const std::string& value) {
    check(worksheet_write_string(sheet_, row_, col, value.c_str(), columns_[col].format));
  }
  void number(lxw_col_t col, double value) {
    check(worksheet_write_number(sheet_, row_, col, value, columns_[col].format));
  }
  void boolean(lxw_col_t col, bool value) {
    check(worksheet_write_boolean(sheet_, row_, col, value ? 1 : 0, columns_[col].format));
  }
  // Purchase times are naive seconds since 1970; Excel counts days since its day 0.
  void timestamp(lxw_col_t col, std::int64_t seconds) {
    number(col, kExcelDaysBefore1970 +
                    static_cast<double>(seconds) / static_cast<double>(common::kSecondsPerDay));
  }
  void next_row() { ++row_; }

  /// Auto-filter over the header and every row written. Returns the bytes of rows written so far
  /// to libxlsxwriter's temporary file, whose writes it does not check itself (a full /tmp).
  std::uint64_t finish() {
    const lxw_row_t last = row_ > 0 ? row_ - 1 : 0;
    check(worksheet_autofilter(sheet_, 0, 0, last, static_cast<lxw_col_t>(columns_.size() - 1)));
    std::FILE* rows = sheet_->optimize_tmpfile;
    if (rows == nullptr) return 0;
    errno = 0;
    if (std::fflush(rows) != 0 || std::ferror(rows)) throw io::write_error(path_, errno);
    const off_t bytes = ::ftello(rows);
    return bytes > 0 ? static_cast<std::uint64_t>(bytes) : 0;
  }

 private:
  void check(lxw_error status) const {
    if (status != LXW_NO_ERROR) {
      throw Error(fmt::format("{}: cannot write row {} of the workbook: {}", path_, row_ + 1,
                              lxw_strerror(status)));
    }
  }

  std::span<const ColumnSpec> columns_;
  std::string_view path_;
  lxw_worksheet* sheet_ = nullptr;
  lxw_row_t row_ = 1;
};

// Width of a text column from its header and its longest value in display columns, clamped.
double text_width(std::string_view header, std::size_t longest) {
  return std::clamp(static_cast<double>(std::max(header.size(), longest)) + 2, kMinTextWidth,
                    kMaxTextWidth);
}

// Returns the bytes of row data written (SheetWriter::finish).
std::uint64_t write_customers(lxw_workbook* workbook, const RfmResult& rfm, const Formats& formats,
                              std::string_view path) {
  std::size_t longest_id = 0;
  for (const CustomerRfm& c : rfm.customers) {
    longest_id = std::max(longest_id, c.customer_id.size());  // ids are mostly ASCII
  }
  std::size_t longest_segment = 0;
  for (const SegmentSummary& s : rfm.segments) {
    longest_segment = std::max(longest_segment, s.name.size());
  }
  const ColumnSpec columns[] = {
      {"customer_id", text_width("customer_id", longest_id), formats.text},
      {"recency_days", 14, formats.count},
      {"frequency", 11, formats.count},
      {"monetary", 14, formats.money},
      {"first_purchase", 20, formats.datetime},
      {"last_purchase", 20, formats.datetime},
      {"r_score", 9, formats.count},
      {"f_score", 9, formats.count},
      {"m_score", 9, formats.count},
      {"rfm_code", 10, formats.text},
      {"segment", text_width("segment", longest_segment), formats.text},
      {"tenure_days", 13, formats.count},
      {"avg_order_value", 17, formats.money},
  };
  SheetWriter sheet(workbook, "customers", columns, formats.header, 1, path);
  for (const CustomerRfm& c : rfm.customers) {
    sheet.text(0, c.customer_id);
    sheet.number(1, static_cast<double>(c.recency_days));
    sheet.number(2, static_cast<double>(c.frequency));
    sheet.number(3, c.monetary);
    sheet.timestamp(4, c.first_purchase);
    sheet.timestamp(5, c.last_purchase);
    sheet.number(6, c.r_score);
    sheet.number(7, c.f_score);
    sheet.number(8, c.m_score);
    sheet.text(9, fmt::format("{}{}{}", c.r_score, c.f_score, c.m_score));
    sheet.text(10, rfm.segments[static_cast<std::size_t>(c.segment)].name);
    sheet.number(11, static_cast<double>(c.tenure_days));
    sheet.number(12, c.avg_order_value);
    sheet.next_row();
  }
  return sheet.finish();
}

void write_tiers(lxw_workbook* workbook, const RfmResult& rfm, const Formats& formats,
                 std::string_view path) {
  std::size_t longest = 0, longest_zh = 0;
  for (const SegmentSummary& s : rfm.segments) {
    longest = std::max(longest, s.name.size());
    longest_zh = std::max(longest_zh, s.name_zh.size() * 2 / 3);  // 3-byte CJK, 2 columns wide
  }
  const ColumnSpec columns[] = {
      {"segment", text_width("segment", longest), formats.text},
      {"segment_zh", text_width("segment_zh", longest_zh), formats.text},
      {"customers", 12, formats.count},
      {"customer_share", 16, formats.share},
      {"revenue", 16, formats.money},
      {"revenue_share", 15, formats.share},
      {"mean_recency", 14, formats.decimal},
      {"mean_frequency", 16, formats.decimal},
      {"mean_monetary", 15, formats.money},
  };
  SheetWriter sheet(workbook, "tiers", columns, formats.header, 0, path);
  for (const SegmentSummary& s : rfm.segments) {
    sheet.text(0, s.name);
    sheet.text(1, s.name_zh);
    sheet.number(2, static_cast<double>(s.customers));
    sheet.number(3, s.customer_share);
    sheet.number(4, s.revenue);
    sheet.number(5, s.revenue_share);
    sheet.number(6, s.mean_recency);
    sheet.number(7, s.mean_frequency);
    sheet.number(8, s.mean_monetary);
    sheet.next_row();
  }
  sheet.finish();
}

void write_audit(lxw_workbook* workbook, const CleaningAudit& audit, const Formats& formats,
                 std::string_view path) {
  const ColumnSpec columns[] = {
      {"rule", 24, formats.text},
      {"count", 14, formats.count},
  };
  SheetWriter sheet(workbook, "audit", columns, formats.header, 0, path);
  for (const AuditCount& count : audit_counts(audit)) {
    sheet.text(0, std::string(count.name));
    sheet.number(1, static_cast<double>(count.value));
    sheet.next_row();
  }
  // Whether the duplicates counted above were dropped (--dedup) or kept.
  sheet.text(0, "duplicates_dropped");
  sheet.boolean(1, audit.duplicates_dropped);
  sheet.next_row();
  sheet.finish();
}

}  // namespace

bool customers_fit_xlsx(const RfmResult& rfm) { return rfm.customers.size() < kXlsxMaxRows; }

void write_customers_xlsx(const RfmResult& rfm, const CleaningAudit& audit,
                          const std::string& path) {
  const std::string name = io::output_name(path);  // the final name when `path` is staged
  if (!customers_fit_xlsx(rfm)) {
    throw Error(fmt::format("{}: {} customers do not fit one Excel sheet ({} rows); write a .csv",
                            name, rfm.customers.size(), kXlsxMaxRows - 1));
  }
  // Rows go to temporary files as they are written, so memory does not grow with the table.
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* raw = workbook_new_opt(path.c_str(), &options);
  if (!raw) throw Error(fmt::format("{}: cannot create workbook", name));
  std::unique_ptr<lxw_workbook, WorkbookCloser> workbook(raw);
  const Formats formats = add_formats(raw);
  const std::uint64_t row_bytes = write_customers(raw, rfm, formats, name);
  write_tiers(raw, rfm, formats, name);
  write_audit(raw, audit, formats, name);
  errno = 0;
  lxw_error status = workbook_close(workbook.release());
  if (status != LXW_NO_ERROR) {
    // libxlsxwriter says only "error in zip file operation" when the disk is full.
    if (errno == ENOSPC || errno == EFBIG || errno == EIO || errno == EDQUOT) {
      throw io::write_error(path, errno);
    }
    throw Error(fmt::format("{}: cannot write workbook: {}", name, lxw_strerror(status)));
  }
  // The sheet is assembled in an unchecked temporary file at close: a short one was cut off.
  const io::xlsx::Archive written(path);
  const io::xlsx::XmlPart sheet(written, "xl/worksheets/sheet1.xml", {});
  if (sheet.bytes_total() < row_bytes) {
    throw Error(fmt::format(
        "{}: cannot write: the customers sheet came out cut short (is the temporary folder full?)",
        name));
  }
}

}  // namespace custlens::report
