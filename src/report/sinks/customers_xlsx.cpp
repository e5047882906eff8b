// The customers.xlsx sink: the customer table, the tiers and the audit of order lines as a
// workbook (report/xlsx_export.cpp). A profile run has none.
#include <fmt/format.h>

#include <ostream>

#include "report/sinks/sink.h"
#include "report/xlsx_export.h"

namespace custlens::report {
namespace {

bool write_customers_xlsx_sink(const SinkResults& results, const SinkContext& context,
                               const std::filesystem::path& path, bool required) {
  const Summary* orders = results.orders();
  if (orders == nullptr) return false;
  if (!required && !customers_fit_xlsx(orders->rfm)) {
    // In a folder customers.csv has them all: the workbook is left out, not the run failed.
    if (context.notes) {
      *context.notes << fmt::format(
          "custlens: customers.xlsx not written: {} customers do not fit one Excel sheet; "
          "customers.csv has them all\n",
          orders->rfm.customers.size());
    }
    return false;
  }
  write_customers_xlsx(orders->rfm, orders->audit, context.outputs.stage(path).string());
  return true;
}

}  // namespace

CUSTLENS_REGISTER_SINK(customers_xlsx, "customers.xlsx", 20, write_customers_xlsx_sink);

}  // namespace custlens::report
