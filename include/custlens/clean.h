// Cleaning of order lines: the audit rules, counted one by one, and the cleaned OrderLines.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "custlens/ingest.h"
#include "custlens/orders.h"
#include "custlens/roles.h"

namespace custlens {

/// Counts of the cleaning audit. Every data row read is in exactly one of malformed,
/// missing_customer, cancelled, non_positive_quantity, non_positive_price or rows_kept
/// (plus duplicates when they are dropped).
struct CleaningAudit {
  std::int64_t rows_read = 0;
  std::int64_t malformed = 0;
  std::int64_t missing_customer = 0;
  std::int64_t cancelled = 0;
  std::int64_t non_positive_quantity = 0;
  std::int64_t non_positive_price = 0;
  std::int64_t duplicates = 0;      ///< kept rows equal in every field to an earlier kept row
  bool duplicates_dropped = false;  ///< --dedup
  std::int64_t rows_kept = 0;
  std::int64_t customers_kept = 0;
};

struct CleanOptions {
  bool dedup = false;         ///< drop exact duplicates instead of only counting them
  bool collect_rejects = true;  ///< build a Reject for every rule reject (for the rejects file)
};

struct CleanResult {
  OrderLines lines;
  CleaningAudit audit;
  std::vector<Reject> rejects;  ///< the reader's malformed rows, then rule rejects; file order
};

/// The roles an order-line analysis needs, as ReadOptions (columns to materialize, forced
/// types). Throws custlens::Error naming --map when the customer, date or value columns are
/// missing.
ReadOptions order_read_options(const std::vector<std::string>& header, const RoleMap& roles,
                               ReadOptions base);

/// Applies the rules in order (malformed → missing_customer → cancelled → non_positive_quantity
/// → non_positive_price), counts duplicates, and builds the cleaned order lines.
CleanResult clean_orders(Dataset data, const RoleMap& roles, const CleanOptions& options);

}  // namespace custlens
