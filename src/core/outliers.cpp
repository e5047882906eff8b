// Outlier statistics: quantiles, bounds of the IQR and z-score rules, and the option words.
#include "custlens/outliers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "custlens/error.h"

namespace custlens {

std::string_view outlier_method_name(OutlierMethod method) {
  switch (method) {
    case OutlierMethod::kIqr:
      return "iqr";
    case OutlierMethod::kZ:
      return "z";
    case OutlierMethod::kOff:
      return "off";
  }
  return "iqr";
}

std::string_view outlier_action_name(OutlierAction action) {
  switch (action) {
    case OutlierAction::kFlag:
      return "flag";
    case OutlierAction::kDrop:
      return "drop";
    case OutlierAction::kCap:
      return "cap";
  }
  return "flag";
}

OutlierMethod parse_outlier_method(std::string_view text) {
  if (text == "iqr") return OutlierMethod::kIqr;
  if (text == "z") return OutlierMethod::kZ;
  if (text == "off") return OutlierMethod::kOff;
  throw Error(fmt::format("unknown outlier rule '{}'; use --outliers iqr, z or off", text));
}

OutlierAction parse_outlier_action(std::string_view text) {
  if (text == "flag") return OutlierAction::kFlag;
  if (text == "drop") return OutlierAction::kDrop;
  if (text == "cap") return OutlierAction::kCap;
  throw Error(
      fmt::format("unknown outlier action '{}'; use --outlier-action flag, drop or cap", text));
}

double OutlierOptions::multiplier() const {
  if (!k) return method == OutlierMethod::kZ ? kDefaultZLimit : kDefaultIqrK;
  if (!std::isfinite(*k) || *k <= 0) {
    throw Error(fmt::format("--outlier-k must be a number above 0, not {}", *k));
  }
  return *k;
}

double quantile_sorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto below = static_cast<std::size_t>(std::floor(h));
  if (below + 1 >= sorted.size()) return sorted.back();
  const double fraction = h - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
}

OutlierField describe_field(std::string field, std::string scope, std::span<const double> values,
                            const OutlierOptions& options) {
  // The values as sorted distinct values with counts, so that every statistic, the sd's sum of
  // squares included, is the very number the streaming scan gets from its value counts.
  std::vector<double> present;
  present.reserve(values.size());
  double sum = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    present.push_back(v);
    sum += v;
  }
  std::sort(present.begin(), present.end());
  std::vector<std::pair<double, std::int64_t>> counts;
  for (double v : present) {
    if (!counts.empty() && counts.back().first == v) {
      ++counts.back().second;
    } else {
      counts.emplace_back(v, 1);
    }
  }
  return describe_counts(std::move(field), std::move(scope), counts, sum, options);
}

namespace {

// The value at 0-based position `rank` of the sorted values that `counts` stands for; `ends`
// holds the running totals of the counts.
double value_at_rank(std::span<const std::pair<double, std::int64_t>> counts,
                     std::span<const std::int64_t> ends, std::int64_t rank) {
  const auto it = std::upper_bound(ends.begin(), ends.end(), rank);
  return counts[static_cast<std::size_t>(it - ends.begin())].first;
}

double quantile_counts(std::span<const std::pair<double, std::int64_t>> counts,
                       std::span<const std::int64_t> ends, double p) {
  const std::int64_t n = ends.back();
  const double h = static_cast<double>(n - 1) * p;
  const auto below = static_cast<std::int64_t>(std::floor(h));
  const double at = value_at_rank(counts, ends, below);
  const double fraction = h - static_cast<double>(below);
  if (below + 1 >= n || fraction == 0) return at;
  const double next = value_at_rank(counts, ends, below + 1);
  return at + fraction * (next - at);
}

}  // namespace

OutlierField describe_counts(std::string field, std::string scope,
                             std::span<const std::pair<double, std::int64_t>> counts, double sum,
                             const OutlierOptions& options) {
  OutlierField out;
  out.field = std::move(field);
  out.scope = std::move(scope);
  out.action = std::string(outlier_action_name(options.action));
  std::vector<std::int64_t> ends(counts.size());
  std::int64_t n = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) ends[i] = n += counts[i].second;
  out.count = n;
  if (n == 0) return out;
  out.min = counts.front().first;
  out.max = counts.back().first;
  out.q1 = quantile_counts(counts, ends, 0.25);
  out.median = quantile_counts(counts, ends, 0.5);
  out.q3 = quantile_counts(counts, ends, 0.75);
  out.iqr = out.q3 - out.q1;
  out.mean = sum / static_cast<double>(n);
  if (n > 1) {
    double squares = 0;
    for (const auto& [value, count] : counts) {
      squares += static_cast<double>(count) * (value - out.mean) * (value - out.mean);
    }
    out.sd = std::sqrt(squares / static_cast<double>(n - 1));
  }
  const double k = options.multiplier();
  if (options.method == OutlierMethod::kZ) {
    out.lower = out.mean - k * out.sd;
    out.upper = out.mean + k * out.sd;
  } else {
    out.lower = out.q1 - k * out.iqr;
    out.upper = out.q3 + k * out.iqr;
  }
  for (const auto& [value, count] : counts) {
    if (value < out.lower) out.below += count;
    if (value > out.upper) out.above += count;
  }
  return out;
}

std::string outlier_drop_detail(const OutlierField& field, double value,
                                const OutlierAudit& audit) {
  const bool below = value < field.lower;
  return fmt::format("{} {} {} the {} bound {} ({}, k = {})", field.field, value,
                     below ? "below" : "above", below ? "lower" : "upper",
                     below ? field.lower : field.upper, outlier_method_name(audit.method), audit.k);
}

}  // namespace custlens
