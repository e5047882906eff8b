// XLSX export of the customer table, the tier summary and the audit (libxlsxwriter).
#pragma once

#include <string>

#include "custlens/clean.h"
#include "custlens/rfm.h"

namespace custlens::report {

/// Sheets "customers", "tiers" and "audit", with bold frozen headers and auto-filters.
void write_customers_xlsx(const RfmResult& rfm, const CleaningAudit& audit,
                          const std::string& path);

}  // namespace custlens::report
