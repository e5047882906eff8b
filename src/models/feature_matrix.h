// A dense table of model features, one row per customer (or period), as the models take it.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

namespace custlens::models {

/// Row-major features: rows × names.size() floats (XGBoost's own precision), NaN for a missing
/// value (a customer with one order has no gap between orders).
struct FeatureMatrix {
  std::vector<std::string> names;  ///< one per column
  std::size_t rows = 0;
  std::vector<float> values;  ///< rows * names.size()

  std::size_t cols() const { return names.size(); }
  float at(std::size_t row, std::size_t col) const { return values[row * names.size() + col]; }
  float& at(std::size_t row, std::size_t col) { return values[row * names.size() + col]; }
  /// The rows `picked`, in that order.
  FeatureMatrix select(const std::vector<std::size_t>& picked) const {
    FeatureMatrix out{names, picked.size(), {}};
    out.values.reserve(picked.size() * cols());
    for (std::size_t r : picked) {
      out.values.insert(out.values.end(), values.begin() + static_cast<std::ptrdiff_t>(r * cols()),
                        values.begin() + static_cast<std::ptrdiff_t>((r + 1) * cols()));
    }
    return out;
  }
};

}  // namespace custlens::models
