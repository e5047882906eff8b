// Cleaned order lines, columnar: the input of RFM, tiers, Pareto and sales patterns.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace custlens {

/// One entry per kept order line. Ids are dense indices into the name vectors.
struct OrderLines {
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  std::vector<std::uint32_t> customer;  ///< index into customer_ids
  std::vector<std::string> customer_ids;
  /// Index into invoice_ids; empty vector when the input has no invoice column (then frequency
  /// counts distinct purchase days).
  std::vector<std::uint32_t> invoice;
  std::vector<std::string> invoice_ids;
  std::vector<std::int64_t> timestamp;  ///< seconds since 1970-01-01 (naive local time)
  std::vector<double> amount;           ///< quantity * unit price, or the amount column
  std::vector<double> quantity;         ///< empty when the input has no quantity column

  /// Optional descriptive columns (empty when absent): index into the names, or kNone for null.
  std::vector<std::uint32_t> country;
  std::vector<std::string> country_names;
  std::vector<std::uint32_t> description;
  std::vector<std::string> descriptions;
  std::vector<std::uint32_t> category;  ///< a category column of the input, if any
  std::vector<std::string> category_names;

  std::size_t size() const { return customer.size(); }
};

}  // namespace custlens
