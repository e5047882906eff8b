// What the streaming scan hands to the analyses: one kept order line at a time, in file order,
// with ids dense in order of first appearance among kept lines.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
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

/// A line rejected by the cancellation rule (an invoice number starting with "C"), handed only to
/// consumers that ask (NameFields::cancelled). Its fields are converted as a kept line's; the
/// rule runs after the malformed and missing-customer checks, so every field is set. No
/// --dedup or outlier step applies to it. `customer_id` is valid only during the call.
struct CancelledLine {
  std::string_view customer_id;    ///< the normalised id text, as a kept line's would be
  std::uint32_t customer = kNoId;  ///< its kept-line id if it has one so far, else kNoId
  std::int64_t timestamp = 0;      ///< seconds since 1970-01-01, naive local time
  double amount = 0;               ///< quantity * unit price (negative as a rule), or the amount
  double quantity = 0;             ///< 0 when the input has no quantity column
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
  /// Also the lines the cancellation rule rejects (add_cancelled); the scan collects them only
  /// when some consumer asks, so the others pay nothing.
  bool cancelled = false;
  NameFields& operator|=(const NameFields& other) {
    country |= other.country;
    description |= other.description;
    category |= other.category;
    cancelled |= other.cancelled;
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
  /// With needs().cancelled: the batch's cancelled lines in file order, after add() of the same
  /// batch's kept lines (so `customer` is set for a customer with a kept line up to this batch's
  /// end). A customer with cancellations only gets no id: match it by `customer_id` text.
  virtual void add_cancelled(std::span<const CancelledLine> /*lines*/) {}
};

}  // namespace custlens::pipeline
