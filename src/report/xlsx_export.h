// XLSX export of the customer table, the tier summary and the audit (libxlsxwriter).
#pragma once

#include <cstddef>
#include <string>

#include "custlens/clean.h"
#include "custlens/rfm.h"

namespace custlens::report {

/// Rows of one Excel sheet, the header row included.
inline constexpr std::size_t kXlsxMaxRows = 1048576;

/// Whether the customer table fits one sheet under its header row.
bool customers_fit_xlsx(const RfmResult& rfm);

/// Sheets "customers" (the columns of customers.csv), "tiers" (the rfm.segments of summary.json)
/// and "audit" (rule, count): bold shaded frozen headers, auto-filters, column widths, money with
/// two decimals, shares as percentages, purchase times as Excel dates. Throws custlens::Error
/// when the file cannot be written or the customers do not fit one sheet.
void write_customers_xlsx(const RfmResult& rfm, const CleaningAudit& audit,
                          const std::string& path);

}  // namespace custlens::report
