// write_customers_xlsx: one workbook with the customer table, tier summary and audit.
#include "report/xlsx_export.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <memory>

#include "custlens/error.h"
#include "io/dates.h"

namespace custlens::report {
namespace {

struct WorkbookCloser {
  void operator()(lxw_workbook* workbook) const {
    if (workbook) workbook_close(workbook);
  }
};

void write_header(lxw_worksheet* sheet, std::initializer_list<const char*> names,
                  lxw_format* bold) {
  lxw_col_t col = 0;
  for (const char* name : names) worksheet_write_string(sheet, 0, col++, name, bold);
  worksheet_freeze_panes(sheet, 1, 0);
}

}  // namespace

void write_customers_xlsx(const RfmResult& rfm, const CleaningAudit& audit,
                          const std::string& path) {
  lxw_workbook* raw = workbook_new(path.c_str());
  if (!raw) throw Error(fmt::format("{}: cannot create workbook", path));
  std::unique_ptr<lxw_workbook, WorkbookCloser> workbook(raw);
  lxw_format* bold = workbook_add_format(raw);
  format_set_bold(bold);
  lxw_format* money = workbook_add_format(raw);
  format_set_num_format(money, "#,##0.00");
  lxw_format* percent = workbook_add_format(raw);
  format_set_num_format(percent, "0.0%");

  lxw_worksheet* customers = workbook_add_worksheet(raw, "customers");
  write_header(
      customers,
      {"customer_id", "recency_days", "frequency", "monetary", "first_purchase", "last_purchase",
       "r_score", "f_score", "m_score", "rfm_code", "segment", "tenure_days", "avg_order_value"},
      bold);
  lxw_row_t row = 1;
  for (const CustomerRfm& c : rfm.customers) {
    worksheet_write_string(customers, row, 0, c.customer_id.c_str(), nullptr);
    worksheet_write_number(customers, row, 1, static_cast<double>(c.recency_days), nullptr);
    worksheet_write_number(customers, row, 2, static_cast<double>(c.frequency), nullptr);
    worksheet_write_number(customers, row, 3, c.monetary, money);
    worksheet_write_string(customers, row, 4, io::format_timestamp(c.first_purchase).c_str(),
                           nullptr);
    worksheet_write_string(customers, row, 5, io::format_timestamp(c.last_purchase).c_str(),
                           nullptr);
    worksheet_write_number(customers, row, 6, c.r_score, nullptr);
    worksheet_write_number(customers, row, 7, c.f_score, nullptr);
    worksheet_write_number(customers, row, 8, c.m_score, nullptr);
    worksheet_write_string(customers, row, 9,
                           fmt::format("{}{}{}", c.r_score, c.f_score, c.m_score).c_str(), nullptr);
    worksheet_write_string(customers, row, 10,
                           rfm.segments[static_cast<std::size_t>(c.segment)].name.c_str(), nullptr);
    worksheet_write_number(customers, row, 11, static_cast<double>(c.tenure_days), nullptr);
    worksheet_write_number(customers, row, 12, c.avg_order_value, money);
    ++row;
  }
  worksheet_autofilter(customers, 0, 0, row - 1, 12);

  lxw_worksheet* tiers = workbook_add_worksheet(raw, "tiers");
  write_header(tiers,
               {"segment", "segment_zh", "customers", "customer_share", "revenue", "revenue_share",
                "mean_recency", "mean_frequency", "mean_monetary"},
               bold);
  row = 1;
  for (const SegmentSummary& s : rfm.segments) {
    worksheet_write_string(tiers, row, 0, s.name.c_str(), nullptr);
    worksheet_write_string(tiers, row, 1, s.name_zh.c_str(), nullptr);
    worksheet_write_number(tiers, row, 2, static_cast<double>(s.customers), nullptr);
    worksheet_write_number(tiers, row, 3, s.customer_share, percent);
    worksheet_write_number(tiers, row, 4, s.revenue, money);
    worksheet_write_number(tiers, row, 5, s.revenue_share, percent);
    worksheet_write_number(tiers, row, 6, s.mean_recency, nullptr);
    worksheet_write_number(tiers, row, 7, s.mean_frequency, nullptr);
    worksheet_write_number(tiers, row, 8, s.mean_monetary, money);
    ++row;
  }
  worksheet_autofilter(tiers, 0, 0, row - 1, 8);

  lxw_worksheet* sheet = workbook_add_worksheet(raw, "audit");
  write_header(sheet, {"rule", "rows"}, bold);
  const std::pair<const char*, std::int64_t> counts[] = {
      {"rows_read", audit.rows_read},
      {"malformed", audit.malformed},
      {"missing_customer", audit.missing_customer},
      {"cancelled", audit.cancelled},
      {"non_positive_quantity", audit.non_positive_quantity},
      {"non_positive_price", audit.non_positive_price},
      {"duplicates", audit.duplicates},
      {"rows_kept", audit.rows_kept},
      {"customers_kept", audit.customers_kept}};
  row = 1;
  for (const auto& [name, value] : counts) {
    worksheet_write_string(sheet, row, 0, name, nullptr);
    worksheet_write_number(sheet, row, 1, static_cast<double>(value), nullptr);
    ++row;
  }

  lxw_error status = workbook_close(workbook.release());
  if (status != LXW_NO_ERROR) {
    throw Error(fmt::format("{}: cannot write workbook: {}", path, lxw_strerror(status)));
  }
}

}  // namespace custlens::report
