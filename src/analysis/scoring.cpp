// Rank-quintile and fixed-bin scores, the scoring-file parser, and numpy-ordered sums.
#include "analysis/scoring.h"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_sort.h>
#include <toml++/toml.h>

#include <algorithm>
#include <iterator>
#include <utility>

#include "common/text_file.h"
#include "common/toml_file.h"
#include "custlens/error.h"

namespace custlens::analysis {
namespace {

// numpy reduces contiguous float64 in buffers of this many elements, each summed pairwise.
constexpr std::size_t kNumpyBlock = 8192;
constexpr std::size_t kPairwiseBlock = 128;
// Below this many keys a serial sort is as fast as a parallel one.
constexpr std::size_t kParallelSortMin = 1 << 15;

double pairwise_sum(const double* values, std::size_t n) {
  if (n < 8) {
    double sum = 0.;
    for (std::size_t i = 0; i < n; ++i) sum += values[i];
    return sum;
  }
  if (n <= kPairwiseBlock) {
    double r[8];
    for (std::size_t j = 0; j < 8; ++j) r[j] = values[j];
    std::size_t i = 8;
    for (; i < n - n % 8; i += 8) {
      for (std::size_t j = 0; j < 8; ++j) r[j] += values[i + j];
    }
    double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += values[i];
    return sum;
  }
  std::size_t half = n / 2;
  half -= half % 8;
  return pairwise_sum(values, half) + pairwise_sum(values + half, n - half);
}

std::string where(std::string_view source, const toml::node& node) {
  const toml::source_region& region = node.source();
  if (region.begin.line == 0) return std::string(source);
  return fmt::format("{}:{}:{}", source, region.begin.line, region.begin.column);
}

[[noreturn]] void fail(std::string_view source, const toml::node& node, std::string_view message) {
  throw Error(fmt::format("{}: {}", where(source, node), message));
}

std::vector<double> parse_bins(std::string_view source, std::string_view section,
                               const toml::node& node) {
  const toml::array* array = node.as_array();
  if (array == nullptr || array->empty()) {
    fail(source, node, fmt::format("[{}] bins must be a non-empty array of numbers", section));
  }
  std::vector<double> bins;
  for (const toml::node& item : *array) {
    std::optional<double> value = item.is_number() ? item.value<double>() : std::nullopt;
    if (!value || !std::isfinite(*value)) {
      fail(source, item, fmt::format("[{}] bins must hold finite numbers", section));
    }
    if (!bins.empty() && *value <= bins.back()) {
      fail(source, item,
           fmt::format("[{}] bins must be strictly increasing ({} after {})", section, *value,
                       bins.back()));
    }
    bins.push_back(*value);
  }
  return bins;
}

std::vector<int> parse_scores(std::string_view source, std::string_view section,
                              const toml::node& node, std::size_t expected) {
  const toml::array* array = node.as_array();
  if (array == nullptr) fail(source, node, fmt::format("[{}] scores must be an array", section));
  if (array->size() != expected) {
    fail(source, node,
         fmt::format("[{}] needs {} scores (one more than bins), found {}", section, expected,
                     array->size()));
  }
  std::vector<int> scores;
  for (const toml::node& item : *array) {
    std::optional<std::int64_t> value =
        item.as_integer() ? item.value<std::int64_t>() : std::nullopt;
    if (!value || *value < kMinScore || *value > kMaxScore) {
      fail(
          source, item,
          fmt::format("[{}] scores must be integers from {} to {}", section, kMinScore, kMaxScore));
    }
    scores.push_back(static_cast<int>(*value));
  }
  return scores;
}

// Recency scores fall as days grow; frequency and monetary scores rise with the value.
ScoreBins parse_section(std::string_view source, std::string_view section, const toml::node& node) {
  const toml::table* table = node.as_table();
  if (table == nullptr) fail(source, node, fmt::format("[{}] must be a table", section));
  const bool descending = section == "recency";
  const toml::node* bins_node = nullptr;
  const toml::node* scores_node = nullptr;
  for (const auto& [key, value] : *table) {
    if (key.str() == "bins") {
      bins_node = &value;
    } else if (key.str() == "scores") {
      scores_node = &value;
    } else {
      fail(source, value,
           fmt::format("unknown key '{}' in [{}] (expected bins, scores)", key.str(), section));
    }
  }
  if (bins_node == nullptr) fail(source, node, fmt::format("[{}] has no bins", section));
  ScoreBins bins;
  bins.upper = parse_bins(source, section, *bins_node);
  const std::size_t count = bins.upper.size() + 1;
  if (scores_node != nullptr) {
    bins.scores = parse_scores(source, section, *scores_node, count);
  } else {
    if (count > static_cast<std::size_t>(kMaxScore)) {
      fail(source, *bins_node,
           fmt::format("[{}] has {} bins; give scores, or at most {} bins for the default "
                       "scores",
                       section, bins.upper.size(), kMaxScore - 1));
    }
    for (std::size_t i = 0; i < count; ++i) {
      int step = static_cast<int>(i);
      bins.scores.push_back(descending ? static_cast<int>(count) - step : kMinScore + step);
    }
  }
  for (std::size_t i = 1; i < bins.scores.size(); ++i) {
    bool wrong_way =
        descending ? bins.scores[i] > bins.scores[i - 1] : bins.scores[i] < bins.scores[i - 1];
    if (wrong_way) {
      fail(source, scores_node != nullptr ? *scores_node : node,
           fmt::format("[{}] scores must {} as the value grows", section,
                       descending ? "not rise (more days = less recent)" : "not fall"));
    }
  }
  if (section == "monetary") {
    for (double& edge : bins.upper) edge = money_key(edge);
  }
  return bins;
}

std::vector<int> bin_scores(const ScoreBins& bins, std::span<const double> values) {
  std::vector<int> scores(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) scores[i] = bins.score(values[i]);
  return scores;
}

}  // namespace

double numpy_sum(std::span<const double> values) {
  double sum = 0.;
  for (std::size_t start = 0; start < values.size(); start += kNumpyBlock) {
    sum += pairwise_sum(values.data() + start, std::min(kNumpyBlock, values.size() - start));
  }
  return sum;
}

std::vector<int> quintile_scores(std::span<const double> keys) {
  const std::size_t n = keys.size();
  std::vector<std::pair<double, std::uint32_t>> sorted(n);
  for (std::size_t i = 0; i < n; ++i) sorted[i] = {keys[i], static_cast<std::uint32_t>(i)};
  // (key, index) is a total order, so the unstable parallel sort is deterministic.
  if (n >= kParallelSortMin) {
    tbb::parallel_sort(sorted.begin(), sorted.end());
  } else {
    std::sort(sorted.begin(), sorted.end());
  }
  std::vector<int> scores(n);
  std::size_t smaller = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && sorted[i].first != sorted[i - 1].first) smaller = i;
    scores[sorted[i].second] = kMinScore + static_cast<int>(5 * smaller / n);
  }
  return scores;
}

int ScoreBins::score(double value) const {
  auto bin = std::lower_bound(upper.begin(), upper.end(), value);
  return scores[static_cast<std::size_t>(bin - upper.begin())];
}

ScoringRules parse_scoring_rules(std::string_view toml_text, std::string_view source) {
  const toml::table root = common::parse_toml(toml_text, source);
  ScoringRules rules;
  for (const auto& [key, value] : root) {
    std::string_view section = key.str();
    if (section == "recency") {
      rules.recency = parse_section(source, section, value);
    } else if (section == "frequency") {
      rules.frequency = parse_section(source, section, value);
    } else if (section == "monetary") {
      rules.monetary = parse_section(source, section, value);
    } else {
      fail(source, value,
           fmt::format("unknown section [{}] (expected recency, frequency, monetary)", section));
    }
  }
  if (!rules.recency && !rules.frequency && !rules.monetary) {
    throw Error(fmt::format("{}: scoring file has no [recency], [frequency] or [monetary] section",
                            source));
  }
  return rules;
}

ScoringRules load_scoring_file(const std::string& path) {
  return parse_scoring_rules(common::read_text_file(path, "scoring file"), path);
}

RfmScores score_customers(std::span<const double> recency_days, std::span<const double> frequency,
                          std::span<const double> monetary, const ScoringRules* rules) {
  const std::size_t n = recency_days.size();
  std::vector<double> keys(recency_days.begin(), recency_days.end());
  RfmScores scores;
  if (rules != nullptr && rules->recency) {
    scores.r = bin_scores(*rules->recency, keys);
  } else {
    for (double& key : keys) key = -key;
    scores.r = quintile_scores(keys);
  }
  scores.f = rules != nullptr && rules->frequency ? bin_scores(*rules->frequency, frequency)
                                                  : quintile_scores(frequency);
  for (std::size_t i = 0; i < n; ++i) keys[i] = money_key(monetary[i]);
  scores.m = rules != nullptr && rules->monetary ? bin_scores(*rules->monetary, keys)
                                                 : quintile_scores(keys);
  return scores;
}

}  // namespace custlens::analysis
