// A view of cleaned order lines: the lines of a date range, a country and/or a set of customers,
// and the as-of day an analysis of that view uses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "custlens/orders.h"

namespace custlens {

/// Which lines to keep; every condition that is set must hold. Dates compare by calendar day.
struct OrderFilter {
  std::optional<std::int64_t> from;  ///< first day kept (any second of it), inclusive
  std::optional<std::int64_t> to;    ///< last day kept (any second of it), inclusive
  /// Country name, exactly as in OrderLines::country_names. "Unknown" also matches lines without
  /// a country, as in the sales patterns.
  std::optional<std::string> country;
  /// Customer ids (e.g. the members of one tier); lines of other customers are dropped.
  std::optional<std::vector<std::string>> customers;
};

/// The lines that pass `filter`, in input order. Every name vector (customers, invoices,
/// countries, descriptions, categories) keeps only the names the kept lines use, renumbered in
/// order of first appearance (as clean_orders numbers customers), so that analysing a small view
/// costs in proportion to it. No line passing gives empty OrderLines. Throws custlens::Error for
/// a country filter on lines without a country column.
OrderLines filter_order_lines(const OrderLines& lines, const OrderFilter& filter);

/// The as-of day (seconds at 00:00) for analysing a filtered view: the full data's as-of, unless
/// the view ends earlier: then the day after `to`, so that recency is measured from the end of
/// the view. `from` does not move it.
std::int64_t filtered_as_of(std::int64_t full_as_of, const OrderFilter& filter);

}  // namespace custlens
