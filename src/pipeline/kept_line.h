// What the streaming scan hands to the analyses: one kept order line at a time, in file order,
// with ids dense in order of first appearance among kept lines.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace custlens::pipeline {

inline constexpr std::uint32_t kNoId = std::numeric_limits<std::uint32_t>::max();

/// One order line that passed every cleaning rule. Ids index the vectors of LineNames.
struct KeptLine {
  std::uint32_t customer = 0;     ///< always set
  std::uint32_t invoice = kNoId;  ///< kNoId when the input has no invoice column
  std::int64_t timestamp = 0;     ///< seconds since 1970-01-01, naive local time
  double amount = 0;              ///< quantity * unit price, or the amount column
  double quantity = 0;            ///< 0 when the input has no quantity column
  std::uint32_t country = kNoId;  ///< kNoId for a null field or no such column
  std::uint32_t description = kNoId;
  std::uint32_t category = kNoId;
};

/// The names behind the ids of KeptLine, dense in order of first appearance among kept lines.
/// The has_* flags say whether the input has the column at all.
struct LineNames {
  std::vector<std::string> customer_ids;
  /// Empty after a scan unless asked for (OrderScanOptions::keep_invoice_ids): no analysis
  /// prints invoice numbers. invoice_count is always the number of invoice ids.
  std::vector<std::string> invoice_ids;
  std::size_t invoice_count = 0;
  std::vector<std::string> country_names;
  std::vector<std::string> descriptions;
  std::vector<std::string> category_names;
  bool has_invoice = false;
  bool has_quantity = false;
  bool has_country = false;
  bool has_description = false;
  bool has_category = false;
};

/// The name fields of KeptLine an analysis reads. The scan looks up only those some consumer
/// asks for (a product description changes line after line: a dictionary lookup each); the
/// others stay kNoId and their LineNames lists empty.
struct NameFields {
  bool country = true;
  bool description = true;
  bool category = true;
  NameFields& operator|=(const NameFields& other) {
    country |= other.country;
    description |= other.description;
    category |= other.category;
    return *this;
  }
};

/// An analysis fed by the scan: kept lines in file order, a batch at a time, on one thread.
class LineConsumer {
 public:
  virtual ~LineConsumer() = default;
  virtual void add(std::span<const KeptLine> lines) = 0;
  /// The name fields add() reads; customer and invoice ids are always set.
  virtual NameFields needs() const { return {}; }
};

}  // namespace custlens::pipeline
