// LineValueStats: value counts for exact quantiles, and the candidates for the examples.
#include "pipeline/line_value_stats.h"

#include <algorithm>
#include <utility>

namespace custlens::pipeline {
namespace {

// True when `value` has fewer than kOutlierExamples values in `extremes` at least as extreme
// (more_extreme(a, b): a is beyond b); then it is remembered among them.
template <typename MoreExtreme>
bool remember_if_extreme(std::array<double, kOutlierExamples>& values, std::size_t& size,
                         std::size_t& least, double value, MoreExtreme more_extreme) {
  if (size == values.size()) {
    // Most values are not beyond the least extreme remembered: one comparison.
    if (!more_extreme(value, values[least])) return false;
    values[least] = value;
  } else {
    values[size++] = value;
    if (size < values.size()) return true;
  }
  least = 0;
  for (std::size_t i = 1; i < size; ++i) {
    if (more_extreme(values[least], values[i])) least = i;
  }
  return true;
}

}  // namespace

void LineValueStats::add_ordered(double value, const Origin& origin) {
  sum_ += value;
  if (remember_if_extreme(highest_.values, highest_.size, highest_.least, value,
                          [](double a, double b) { return a > b; })) {
    high_.push_back({origin, value});
  }
  if (remember_if_extreme(lowest_.values, lowest_.size, lowest_.least, value,
                          [](double a, double b) { return a < b; })) {
    low_.push_back({origin, value});
  }
}

OutlierField LineValueStats::finish(std::string field, const OutlierOptions& options,
                                    const std::vector<std::string>& files,
                                    const std::vector<std::string>& customer_ids) const {
  std::vector<std::pair<double, std::int64_t>> counts(counts_.begin(), counts_.end());
  std::sort(counts.begin(), counts.end());
  OutlierField out = describe_counts(std::move(field), "line", counts, sum_, options);
  // Both candidate lists are in row order; merged, the first flagged ones are the examples.
  auto before = [](const Candidate& a, const Candidate& b) {
    return a.origin.file != b.origin.file ? a.origin.file < b.origin.file
                                          : a.origin.line < b.origin.line;
  };
  std::vector<Candidate> merged;
  std::merge(high_.begin(), high_.end(), low_.begin(), low_.end(), std::back_inserter(merged),
             before);
  const Candidate* previous = nullptr;
  for (const Candidate& candidate : merged) {
    if (out.examples.size() >= kOutlierExamples) break;
    const bool repeat = previous != nullptr && !before(*previous, candidate);
    previous = &candidate;
    if (repeat || !is_outlier(out, candidate.value)) continue;
    out.examples.push_back({files[candidate.origin.file], candidate.origin.line,
                            customer_ids[candidate.origin.customer], candidate.value});
  }
  return out;
}

}  // namespace custlens::pipeline
