// The per-customer features of `custlens predict`, built one kept line at a time as the scan
// streams (docs/predict.md, "Features"): memory per customer and per order, none per line.
// After the scan, features are cut at any day: only orders dated before the cut count, so
// nothing after a cutoff can change a feature taken at it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "models/feature_matrix.h"
#include "pipeline/kept_line.h"

namespace custlens::analysis {

/// The features of every customer with a kept purchase on a day before `cut_day`, as of that day.
struct CustomerFeatureSet {
  std::int64_t cut_day = 0;  ///< days since 1970-01-01; orders on days < cut_day count
  std::vector<std::uint32_t> customers;  ///< ids into the scan's customer list; row order
  models::FeatureMatrix features;        ///< one row per customer, names as documented
};

class CustomerFeatureAccumulator final : public pipeline::LineConsumer {
 public:
  /// by_day: the input has no invoice column, so an order is a customer's purchase day.
  explicit CustomerFeatureAccumulator(bool by_day);
  ~CustomerFeatureAccumulator() override;

  void add(std::span<const pipeline::KeptLine> lines) override;
  /// Country, description and category when the input has them.
  pipeline::NameFields needs() const override { return {true, true, true}; }

  /// The day after the last kept purchase (the default as_of of docs/predict.md).
  std::int64_t day_after_last_purchase() const;
  /// Features as of `cut_day` of every customer with an order on a day before it.
  /// `names` is the scan's LineNames (for country names). Columns that depend on the data (one
  /// per main country) are chosen from the orders before the cut, or are those of
  /// `same_columns_as` when given (the apply step scores with the training set's columns).
  /// Call after the scan; any number of times, with any days.
  CustomerFeatureSet features_at(std::int64_t cut_day, const pipeline::LineNames& names,
                                 const models::FeatureMatrix* same_columns_as = nullptr) const;
  /// 1 for each customer of `set` with a kept purchase on a day in [set.cut_day, end_day).
  std::vector<float> labels(const CustomerFeatureSet& set, std::int64_t end_day) const;
  /// Per customer of `set`: the mean value of its orders before the cut (the "expected order
  /// value" that --margin-rate multiplies).
  std::vector<double> average_order_values(const CustomerFeatureSet& set) const;
};

}  // namespace custlens::analysis
