// The synthetic order generator: order lines in the UCI "Online Retail" schema, written as CSV.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace custlens::io {

/// How InvoiceDate is written: "2010-12-01 08:26:00" (kIso) or "12/1/2010 8:26" (kUci).
enum class DateStyle { kIso, kUci };

/// Parses "iso" or "uci"; throws custlens::Error for anything else.
DateStyle parse_date_style(std::string_view name);

struct OrdersGeneratorOptions {
  std::int64_t rows = 0;          ///< exact number of data rows; must be > 0
  std::int64_t customers = 4372;  ///< size of the customer pool, ids 12346, 12347, ...
  std::uint64_t seed = 42;
  DateStyle date_style = DateStyle::kIso;
  int threads = 0;  ///< 0 = every core; the output bytes do not depend on it
};

struct OrdersGeneratorStats {
  std::int64_t rows = 0;      ///< data rows written (header excluded)
  std::int64_t invoices = 0;  ///< distinct invoice numbers, cancellations included
  std::uint64_t bytes = 0;    ///< file size
};

/// Writes the UCI header and options.rows order lines to `path` ("-" = standard output). The
/// bytes depend only on rows, customers, seed and date_style. Throws custlens::Error for
/// rows <= 0, customers <= 0 or an output that cannot be written (a partial file is removed).
OrdersGeneratorStats generate_orders(const std::string& path,
                                     const OrdersGeneratorOptions& options);

}  // namespace custlens::io
