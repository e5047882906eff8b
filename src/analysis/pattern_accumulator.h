// Streaming sales patterns: the state behind compute_patterns, fed one kept order line at a time.
// Memory is bounded by distinct keys (customers, orders, descriptions, groups), never by lines.
#pragma once

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/categories.h"
#include "custlens/orders.h"
#include "custlens/patterns.h"
#include "pipeline/kept_line.h"

namespace custlens {

/// The sales patterns of lines seen one at a time, equal in every field (doubles bitwise: every
/// sum runs in line order) to compute_patterns on an OrderLines holding the same lines in the
/// same order. Kept per distinct key, never per line (bytes):
///  - per customer 8 (first and latest group), 16 when there is no invoice column;
///  - per order 4 (group of its first line): per invoice, or per customer-day without invoices,
///    which then also costs a hash entry (16 per slot);
///  - per (group, customer) and (group, order) pair beyond an entity's first line: a hash entry
///    (8 per slot; customers active in several months, invoices spanning two hours ...);
///  - per description or category id 4; per country 16; per (country, month, weekday, hour) 48.
/// std::vector and hash growth add up to 2x. Measured (heap after add(), 4 lines per order):
/// 10 M customers with one invoice each 201 MB (20 per customer); the same without
/// an invoice column 621 MB (62 per customer-day); 1 M customers with 10 invoices on 10 dates
/// 113 MB (11 per invoice).
class PatternAccumulator {
 public:
  /// For a streaming scan. `names` is read while lines come in: it must outlive the accumulator,
  /// hold the name of every description and category id before add() first sees that id, and not
  /// change while add() runs. Its has_* flags are read here. Each distinct description is
  /// classified when it is first seen. A category map that cannot be read is reported by finish().
  PatternAccumulator(const PatternOptions& options, const pipeline::LineNames& names);
  /// For lines already in memory (compute_patterns): their name lists; every description is
  /// classified here, in parallel. `lines` must outlive the accumulator.
  PatternAccumulator(const PatternOptions& options, const OrderLines& lines);

  /// One kept line, in file order. No string work or allocation except at a new id or group.
  void add(const pipeline::KeptLine& line);
  /// Several kept lines, in file order (saves a call per line).
  void add(std::span<const pipeline::KeptLine> lines);
  /// Every line of `lines` in order (the OrderLines the accumulator was made with).
  void add_lines(const OrderLines& lines);

  /// The patterns of every line added, with the final names. Throws custlens::Error for no lines,
  /// an id outside `names`, dates spanning more than 200 years, or a category map that cannot be
  /// read, with compute_patterns' messages.
  SalesPatterns finish(const pipeline::LineNames& names) const;
  /// As finish(names), for the OrderLines the accumulator was made with.
  SalesPatterns finish(const OrderLines& lines) const;

 private:
  static constexpr std::uint32_t kUnseen = pipeline::kNoId;
  // A group of each dimension: country id (kNoId = Unknown), month slot, weekday, hour.
  static constexpr std::size_t kDimensions = 4;
  using Groups = std::array<std::uint32_t, kDimensions>;
  // One distinct combination of groups, with the orders and customers whose first line has it.
  struct Combination {
    Groups group{};
    std::int64_t first_orders = 0;
    std::int64_t first_customers = 0;
  };
  struct CustomerState {
    std::uint32_t first = kUnseen;   // combination of the customer's first line
    std::uint32_t latest = kUnseen;  // combination of the customer's latest line
  };
  struct CustomerDay {     // without invoices: the customer's latest order (a customer-day)
    std::int32_t day = 0;  // days since the first line's day
    std::uint32_t order = kUnseen;
  };
  enum class CategorySource { kNone, kColumn, kMap };
  // Sizes of the name lists, for the id checks of finish().
  struct NameCounts {
    std::size_t customers = 0, invoices = 0, countries = 0, descriptions = 0, categories = 0;
  };
  PatternAccumulator(const PatternOptions& options, bool has_invoice, bool has_country,
                     const std::vector<std::string>* descriptions,
                     const std::vector<std::string>* category_names);
  void enter_day(std::int64_t day);
  std::uint32_t combination_of(std::uint64_t key);
  void add_line(const pipeline::KeptLine& line);
  // The slow paths of add_line(): a new customer-day, an order or customer in another group.
  std::uint32_t new_customer_day(std::uint32_t customer, std::int32_t day_offset);
  void note_order(std::uint32_t order);
  void note_customer(std::uint32_t customer);
  bool grow_customers(std::uint32_t customer);
  bool resolve_categories_through(std::uint32_t id);
  std::uint32_t intern_category(const std::string& name);
  SalesPatterns build(std::span<const std::string> country_names, const NameCounts& counts) const;
  std::vector<PatternBucket> country_buckets(std::span<const std::string> country_names,
                                             double total) const;
  std::vector<PatternBucket> month_buckets(double total) const;
  std::vector<CategoryBucket> category_buckets(double total) const;
  // Distinct orders and customers of each group of dimension `dimension`; index = group + shift.
  void count_distinct(std::size_t dimension, std::uint32_t shift, std::vector<std::int64_t>& orders,
                      std::vector<std::int64_t>& customers) const;

  // Which columns the lines have.
  bool has_invoice_ = false;
  bool has_country_ = false;
  CategorySource category_source_ = CategorySource::kNone;

  // Totals and the date range.
  std::int64_t lines_ = 0;
  double revenue_ = 0;
  bool has_time_of_day_ = false;
  bool started_ = false;
  bool span_exceeded_ = false;  // finish() throws; only the day range is still tracked
  std::int64_t min_day_ = 0, max_day_ = 0;
  std::int64_t base_day_ = 0, base_month_ = 0;  // of the first line: slots count from them

  // The current line's day and what follows from it (lines come in runs of one day).
  std::int64_t day_ = std::numeric_limits<std::int64_t>::min();  // no line has this day
  std::int64_t month_first_day_ = 0, month_end_day_ = 0;  // the current month's days [first, end)
  std::uint32_t month_slot_ = 0, weekday_ = 0;

  // Revenue and lines per group, summed in line order.
  std::vector<double> month_revenue_;        // per month slot
  std::array<double, 7> weekday_revenue_{};  // Monday first
  std::array<double, 24> hour_revenue_{};    // 0..23
  std::vector<double> country_revenue_;      // per country id + 1; [0] = Unknown
  std::vector<std::int64_t> country_lines_;  // as country_revenue_

  // Distinct orders and customers per group: the combination of each one's first line, plus the
  // (group, id) pairs of later lines that differ from it, per dimension.
  absl::flat_hash_map<std::uint64_t, std::uint32_t> combination_ids_;
  std::vector<Combination> combinations_;
  std::uint64_t current_key_ = ~std::uint64_t{0};  // no combination has this key
  std::uint32_t current_ = 0;                      // combination of the current line
  std::vector<std::uint32_t> order_first_;         // per invoice or customer-day
  std::vector<CustomerState> customers_;
  std::vector<CustomerDay> customer_days_;  // per customer, without invoices
  absl::flat_hash_map<std::uint64_t, std::uint32_t> customer_day_ids_;
  std::array<absl::flat_hash_set<std::uint64_t>, kDimensions> order_pairs_;
  std::array<absl::flat_hash_set<std::uint64_t>, kDimensions> customer_pairs_;

  // Categories: per description id (map) or category id (column), an index into category_names_.
  const std::vector<std::string>* description_names_ = nullptr;
  const std::vector<std::string>* category_column_names_ = nullptr;
  std::optional<analysis::CategoryMap> map_;
  std::vector<std::uint32_t> map_category_;  // per map category: index into category_names_
  std::string map_error_;                    // why the map could not be read, thrown by finish()
  std::string category_path_;                // "column", the map's path, or ""
  std::vector<std::uint32_t> category_of_id_;
  std::vector<std::string> category_names_;  // deduplicated, "Other" included
  absl::flat_hash_map<std::string, std::uint32_t> category_index_;
  std::uint32_t other_ = 0;
  std::vector<double> category_revenue_;
  std::vector<std::int64_t> category_lines_;

  // An id that add() could not use (an invoice of kNoId, a description without a name yet).
  std::optional<std::pair<const char*, std::uint32_t>> bad_id_;
};

}  // namespace custlens
