// The per-customer features of `custlens predict`, built one kept line at a time as the scan
// streams (docs/predict.md, "Features"): memory per customer and per order, none per line.
// After the scan, features are cut at any day: only orders dated before the cut count, so
// nothing after a cutoff can change a feature taken at it.
#pragma once

#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "models/feature_matrix.h"
#include "pipeline/kept_line.h"

namespace custlens::analysis {

/// The features of every customer with a kept purchase on a day before `cut_day`, as of that day.
struct CustomerFeatureSet {
  std::int64_t cut_day = 0;              ///< days since 1970-01-01; orders on days < cut_day count
  std::vector<std::uint32_t> customers;  ///< ids into the scan's customer list; ascending
  models::FeatureMatrix features;        ///< one row per customer, names as documented
};

/// How many main countries get a one-hot column of their own (the rest: country_other).
inline constexpr std::size_t kTopCountries = 10;

/// An order is an invoice of one customer on one day (an invoice with lines on two days is two
/// orders, so that a line after a cut cannot change an order before it); without an invoice column
/// a customer's purchase day. Kept per key, never per line (bytes, before hash and vector growth,
/// up to 2x more):
///  - per order 32, plus 4 per invoice id (without invoices: a hash entry of 16 per order);
///  - per distinct (customer, description) and (customer, category) pair a hash entry of 16;
///  - per (customer, day) with cancelled lines a hash entry of 16; per customer 4 (without
///    invoices); a customer whose cancellations come before its first kept line: its id text.
/// features_at() adds, while it runs, about 60 bytes per customer and 4 per order.
class CustomerFeatureAccumulator final : public pipeline::LineConsumer {
 public:
  /// by_day: the input has no invoice column, so an order is a customer's purchase day.
  explicit CustomerFeatureAccumulator(bool by_day);
  ~CustomerFeatureAccumulator() override;

  void add(std::span<const pipeline::KeptLine> lines) override;
  /// Cancelled lines count towards cancellation_share (customers with a kept purchase only).
  void add_cancelled(std::span<const pipeline::CancelledLine> lines) override;
  /// Country, description and category when the input has them, and the cancelled lines.
  pipeline::NameFields needs() const override { return {true, true, true, true}; }

  /// The day after the last kept purchase (the default as_of of docs/predict.md). Throws
  /// custlens::Error when no line was kept.
  std::int64_t day_after_last_purchase() const;
  /// Features as of `cut_day` of every customer with an order on a day before it.
  /// `names` is the scan's LineNames: its has_* flags say which features exist, its country names
  /// name the country columns, and its customer_ids (still there: call before
  /// RfmAccumulator::finish takes them) match cancellations to customers. Columns that depend on
  /// the data (one per main country) are chosen from the orders before the cut, or are those of
  /// `same_columns_as` when given (the apply step scores with the training set's columns): the
  /// result then has exactly its columns, in its order (custlens::Error for a name this input
  /// cannot give). Call after the scan; any number of times, with any days. No customer before
  /// the cut: zero rows, the columns as usual.
  CustomerFeatureSet features_at(std::int64_t cut_day, const pipeline::LineNames& names,
                                 const models::FeatureMatrix* same_columns_as = nullptr) const;
  /// 1 for each customer of `set` with a kept purchase on a day in [set.cut_day, end_day).
  std::vector<float> labels(const CustomerFeatureSet& set, std::int64_t end_day) const;
  /// Per customer of `set`: the mean value of its orders before the cut (the "expected order
  /// value" that --margin-rate multiplies).
  std::vector<double> average_order_values(const CustomerFeatureSet& set) const;

  /// The column name of a country: "country_" + its name in snake_case (ASCII letters lowered,
  /// runs of other ASCII characters as one "_", other UTF-8 kept).
  static std::string country_column(std::string_view country);

 private:
  struct Order {
    std::uint32_t customer;
    std::int32_t day;
    std::uint32_t lines;
    std::uint32_t country;  ///< of its first line; kNoId for none
    double amount;
    double quantity;
  };
  std::uint32_t order_of(const pipeline::KeptLine& line, std::int32_t day);
  /// Per customer id: its cancelled lines before `cut_day` (matching texts by `names`).
  std::vector<std::uint32_t> cancelled_before(std::int64_t cut_day,
                                              const pipeline::LineNames& names) const;

  bool by_day_;
  std::uint32_t customer_count_ = 0;
  std::int32_t last_day_ = 0;
  bool any_line_ = false;
  std::vector<Order> orders_;
  // With invoices: per invoice id the order of its first (customer, day); the invoice's other
  // (customer, day) pairs in extra_orders_. Without: per customer its latest order, and every
  // (customer, day) in day_orders_.
  std::vector<std::uint32_t> invoice_order_;
  struct InvoiceKey {
    std::uint32_t invoice, customer;
    std::int32_t day;
    bool operator==(const InvoiceKey&) const = default;
    template <typename H>
    friend H AbslHashValue(H h, const InvoiceKey& k) {
      return H::combine(std::move(h), k.invoice, k.customer, k.day);
    }
  };
  absl::flat_hash_map<InvoiceKey, std::uint32_t> extra_orders_;
  std::vector<std::uint32_t> customer_last_order_;
  absl::flat_hash_map<std::uint64_t, std::uint32_t> day_orders_;
  // (customer, description) and (customer, category) -> the first day bought.
  absl::flat_hash_map<std::uint64_t, std::int32_t> product_first_day_;
  absl::flat_hash_map<std::uint64_t, std::int32_t> category_first_day_;
  // (customer, day) -> cancelled lines; customers known by text only: (pending index, day).
  absl::flat_hash_map<std::uint64_t, std::uint32_t> cancelled_;
  absl::flat_hash_map<std::uint64_t, std::uint32_t> pending_cancelled_;
  absl::flat_hash_map<std::string, std::uint32_t> pending_ids_;
};

}  // namespace custlens::analysis
