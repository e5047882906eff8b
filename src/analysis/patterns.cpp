// Sales patterns of order lines in memory: the shape checks, then every line through the
// streaming PatternAccumulator, so the batch and streaming paths are one implementation.
#include "custlens/patterns.h"

#include <fmt/format.h>

#include <span>

#include "analysis/pattern_accumulator.h"
#include "custlens/error.h"

namespace custlens {
namespace {

void check_shape(const OrderLines& lines) {
  const std::size_t n = lines.size();
  auto check = [&](std::size_t size, bool optional, const char* column) {
    if (size != n && !(optional && size == 0)) {
      throw Error(fmt::format("order lines are inconsistent: {} has {} entries for {} lines",
                              column, size, n));
    }
  };
  check(lines.timestamp.size(), false, "timestamp");
  check(lines.amount.size(), false, "amount");
  check(lines.invoice.size(), true, "invoice");
  check(lines.country.size(), true, "country");
  check(lines.description.size(), true, "description");
  check(lines.category.size(), true, "category");
  auto check_ids = [&](std::span<const std::uint32_t> ids, std::size_t names, bool nullable,
                       const char* column) {
    for (std::uint32_t id : ids) {
      if (id >= names && !(nullable && id == OrderLines::kNone)) {
        throw Error(fmt::format("order lines are inconsistent: {} id {} out of range", column, id));
      }
    }
  };
  check_ids(lines.customer, lines.customer_ids.size(), false, "customer");
  check_ids(lines.invoice, lines.invoice_ids.size(), false, "invoice");
  check_ids(lines.country, lines.country_names.size(), true, "country");
  check_ids(lines.description, lines.descriptions.size(), true, "description");
  check_ids(lines.category, lines.category_names.size(), true, "category");
}

}  // namespace

SalesPatterns compute_patterns(const OrderLines& lines, const PatternOptions& options) {
  if (lines.size() != 0) check_shape(lines);  // no lines: finish() says so
  PatternAccumulator accumulator(options, lines);
  accumulator.add_lines(lines);
  return accumulator.finish(lines);
}

}  // namespace custlens
