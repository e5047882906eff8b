// The tier-scheme registry, the built-in schemes five, cn8 and rfm11, the TOML rules-file parser
// and segment assignment.
#include "analysis/tiers.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <utility>

#include "analysis/scoring.h"
#include "common/text_file.h"
#include "common/toml_file.h"
#include "custlens/error.h"

namespace custlens::analysis {
namespace {

constexpr std::string_view kMeanTokens = "above_mean, below_mean, not_above_mean, not_below_mean";
// Below this many customers assignment runs on the calling thread.
constexpr std::size_t kParallelAssignMin = 1 << 15;

std::string_view measure_name(Measure measure) {
  switch (measure) {
    case Measure::kRecency:
      return "recency";
    case Measure::kFrequency:
      return "frequency";
    case Measure::kMonetary:
      return "monetary";
  }
  return "?";
}

// ---- builders for the built-in tables ----

ScoreRange r_in(int low, int high) { return {Measure::kRecency, low, high}; }
ScoreRange f_in(int low, int high) { return {Measure::kFrequency, low, high}; }
ScoreRange m_in(int low, int high) { return {Measure::kMonetary, low, high}; }

Segment by_scores(std::string name, std::string name_zh, std::vector<ScoreRange> scores) {
  Segment segment;
  segment.name = std::move(name);
  segment.name_zh = std::move(name_zh);
  segment.scores = std::move(scores);
  return segment;
}

Segment fallback_segment(std::string name, std::string name_zh) {
  Segment segment;
  segment.name = std::move(name);
  segment.name_zh = std::move(name_zh);
  segment.fallback = true;
  return segment;
}

ValueTest mean_test(Measure measure, ValueTest::Op op) { return {measure, op, true, 0}; }

TierScheme make_five() {
  std::vector<Segment> listed = {
      by_scores("Champions", "冠军客户", {r_in(4, 5), f_in(4, 5), m_in(4, 5)}),
      by_scores("Loyal", "忠实客户", {r_in(3, 5), f_in(3, 5), m_in(3, 5)}),
      by_scores("Potential", "潜力客户", {r_in(3, 5)}),
      by_scores("Lost", "流失客户", {r_in(1, 1)}),
      fallback_segment("General", "一般客户"),
  };
  const std::vector<std::string> order = {"Champions", "Loyal", "Potential", "General", "Lost"};
  return make_tier_scheme("five", std::move(listed), order, "built-in scheme five");
}

// High R means fewer days than the mean; high F and M mean more than the mean.
TierScheme make_cn8() {
  using Op = ValueTest::Op;
  const std::array<ValueTest, 2> recency = {mean_test(Measure::kRecency, Op::kLess),
                                            mean_test(Measure::kRecency, Op::kGreaterEqual)};
  const std::array<ValueTest, 2> frequency = {mean_test(Measure::kFrequency, Op::kGreater),
                                              mean_test(Measure::kFrequency, Op::kLessEqual)};
  const std::array<ValueTest, 2> monetary = {mean_test(Measure::kMonetary, Op::kGreater),
                                             mean_test(Measure::kMonetary, Op::kLessEqual)};
  struct Row {
    const char* pattern;  // R, F, M: H or L
    const char* name;
    const char* name_zh;
  };
  static constexpr Row kRows[] = {
      {"HHH", "Important Value", "重要价值客户"},   {"LHH", "Important Retain", "重要保持客户"},
      {"HLH", "Important Develop", "重要发展客户"}, {"LLH", "Important Win-back", "重要挽留客户"},
      {"HHL", "General Value", "一般价值客户"},     {"LHL", "General Retain", "一般保持客户"},
      {"HLL", "General Develop", "一般发展客户"},   {"LLL", "General Win-back", "一般挽留客户"},
  };
  std::vector<Segment> listed;
  for (const Row& row : kRows) {
    Segment segment;
    segment.name = row.name;
    segment.name_zh = row.name_zh;
    auto pick = [&](const std::array<ValueTest, 2>& tests, int position) {
      return tests[row.pattern[position] == 'H' ? 0 : 1];
    };
    segment.values = {pick(recency, 0), pick(frequency, 1), pick(monetary, 2)};
    listed.push_back(std::move(segment));
  }
  return make_tier_scheme("cn8", std::move(listed), {}, "built-in scheme cn8");
}

// The R `rfm` package's segment table; Lost is tried before Hibernating so that it is reachable.
TierScheme make_rfm11() {
  std::vector<Segment> listed = {
      by_scores("Champions", "冠军客户", {r_in(4, 5), f_in(4, 5), m_in(4, 5)}),
      by_scores("Loyal Customers", "忠诚客户", {r_in(3, 5), f_in(3, 5), m_in(3, 5)}),
      by_scores("Potential Loyalist", "潜在忠诚客户", {r_in(3, 5), f_in(2, 3), m_in(2, 3)}),
      by_scores("New Customers", "新客户", {r_in(4, 5), f_in(1, 1), m_in(1, 5)}),
      by_scores("Promising", "有潜力客户", {r_in(3, 3), f_in(1, 1), m_in(1, 5)}),
      by_scores("Can't Lose Them", "不能失去的客户", {r_in(1, 1), f_in(4, 5), m_in(4, 5)}),
      by_scores("At Risk", "有流失风险客户", {r_in(1, 2), f_in(3, 5), m_in(3, 5)}),
      by_scores("Need Attention", "需要关注客户", {r_in(2, 3), f_in(2, 3), m_in(2, 3)}),
      by_scores("About To Sleep", "即将沉睡客户", {r_in(2, 3), f_in(1, 2), m_in(1, 2)}),
      by_scores("Lost", "流失客户", {r_in(1, 1), f_in(1, 1), m_in(1, 1)}),
      by_scores("Hibernating", "休眠客户", {r_in(1, 2), f_in(1, 5), m_in(1, 5)}),
      fallback_segment("Others", "其他客户"),
  };
  const std::vector<std::string> order = {"Champions",
                                          "Loyal Customers",
                                          "Potential Loyalist",
                                          "New Customers",
                                          "Promising",
                                          "Can't Lose Them",
                                          "At Risk",
                                          "Need Attention",
                                          "About To Sleep",
                                          "Hibernating",
                                          "Lost",
                                          "Others"};
  return make_tier_scheme("rfm11", std::move(listed), order, "built-in scheme rfm11");
}

CUSTLENS_REGISTER_TIER_SCHEME(five, "Champions, Loyal, Potential, General, Lost (default)",
                              make_five);
CUSTLENS_REGISTER_TIER_SCHEME(cn8, "eight segments by R/F/M above or below the customer mean",
                              make_cn8);
CUSTLENS_REGISTER_TIER_SCHEME(rfm11, "the R rfm package's eleven segments, plus Others",
                              make_rfm11);

// ---- TOML rules files ----

std::string where(std::string_view source, const toml::node& node) {
  const toml::source_region& region = node.source();
  if (region.begin.line == 0) return std::string(source);
  return fmt::format("{}:{}:{}", source, region.begin.line, region.begin.column);
}

[[noreturn]] void fail(std::string_view source, const toml::node& node, std::string_view message) {
  throw Error(fmt::format("{}: {}", where(source, node), message));
}

std::string string_value(std::string_view source, const toml::node& node, std::string_view key) {
  const toml::value<std::string>* text = node.as_string();
  if (text == nullptr) fail(source, node, fmt::format("'{}' must be a string", key));
  return text->get();
}

int score_value(std::string_view source, const toml::node& node, std::string_view key) {
  const toml::value<std::int64_t>* number = node.as_integer();
  if (number == nullptr || number->get() < kMinScore || number->get() > kMaxScore) {
    fail(source, node,
         fmt::format("'{}' scores must be integers from {} to {}", key, kMinScore, kMaxScore));
  }
  return static_cast<int>(number->get());
}

// r = 4 (exactly 4) or r = [3, 5] (3 to 5 inclusive).
ScoreRange parse_score_range(std::string_view source, Measure measure, std::string_view key,
                             const toml::node& node) {
  if (node.is_integer()) {
    int score = score_value(source, node, key);
    return {measure, score, score};
  }
  const toml::array* array = node.as_array();
  if (array == nullptr || array->size() != 2) {
    fail(source, node,
         fmt::format("'{}' must be a score (e.g. 4) or an inclusive range (e.g. [3, 5])", key));
  }
  ScoreRange range{measure, score_value(source, *array->get(0), key),
                   score_value(source, *array->get(1), key)};
  if (range.low > range.high) {
    fail(source, node, fmt::format("'{}' range [{}, {}] is empty", key, range.low, range.high));
  }
  return range;
}

std::optional<ValueTest::Op> mean_op(std::string_view token) {
  using Op = ValueTest::Op;
  if (token == "above_mean") return Op::kGreater;
  if (token == "below_mean") return Op::kLess;
  if (token == "not_above_mean") return Op::kLessEqual;
  if (token == "not_below_mean") return Op::kGreaterEqual;
  return std::nullopt;
}

ValueTest parse_mean_token(std::string_view source, Measure measure, std::string_view key,
                           const toml::node& node) {
  std::string token = string_value(source, node, key);
  std::optional<ValueTest::Op> op = mean_op(token);
  if (!op) {
    fail(source, node,
         fmt::format("'{}' = \"{}\" is not a mean comparison (expected {})", key, token,
                     kMeanTokens));
  }
  return mean_test(measure, *op);
}

// recency = "below_mean", or monetary = { min = 100, below = 500, mean = "above_mean" }.
void parse_value_tests(std::string_view source, Measure measure, std::string_view key,
                       const toml::node& node, std::vector<ValueTest>& tests) {
  if (node.is_string()) {
    tests.push_back(parse_mean_token(source, measure, key, node));
    return;
  }
  const toml::table* table = node.as_table();
  if (table == nullptr) {
    fail(source, node,
         fmt::format("'{}' must be a mean comparison (\"above_mean\", ...) or a table of "
                     "thresholds ({{ min = ..., max = ..., above = ..., below = ... }})",
                     key));
  }
  if (table->empty()) fail(source, node, fmt::format("'{}' has no thresholds", key));
  using Op = ValueTest::Op;
  static constexpr std::pair<std::string_view, Op> kBounds[] = {{"min", Op::kGreaterEqual},
                                                                {"max", Op::kLessEqual},
                                                                {"above", Op::kGreater},
                                                                {"below", Op::kLess}};
  for (const auto& [bound, value] : *table) {
    if (bound.str() == "mean") {
      tests.push_back(parse_mean_token(source, measure, key, value));
      continue;
    }
    // A named copy: clang < 16 cannot capture a structured binding (make fuzz uses clang 14).
    const std::string_view bound_name = bound.str();
    auto known = std::find_if(std::begin(kBounds), std::end(kBounds),
                              [&](const auto& entry) { return entry.first == bound_name; });
    if (known == std::end(kBounds)) {
      fail(source, value,
           fmt::format("unknown threshold '{}' in '{}' (expected min, max, above, below, mean)",
                       bound.str(), key));
    }
    std::optional<double> threshold = value.is_number() ? value.value<double>() : std::nullopt;
    if (!threshold || !std::isfinite(*threshold)) {
      fail(source, value, fmt::format("'{}.{}' must be a finite number", key, bound.str()));
    }
    tests.push_back({measure, known->second, false, *threshold});
  }
}

Segment parse_segment(std::string_view source, const toml::node& node) {
  const toml::table* table = node.as_table();
  if (table == nullptr) fail(source, node, "each [[segment]] must be a table");
  Segment segment;
  bool named = false;
  for (const auto& [key_node, value] : *table) {
    std::string_view key = key_node.str();
    if (key == "name") {
      segment.name = string_value(source, value, key);
      named = true;
    } else if (key == "name_zh") {
      segment.name_zh = string_value(source, value, key);
    } else if (key == "fallback") {
      const toml::value<bool>* flag = value.as_boolean();
      if (flag == nullptr) fail(source, value, "'fallback' must be true or false");
      segment.fallback = flag->get();
    } else if (key == "r") {
      segment.scores.push_back(parse_score_range(source, Measure::kRecency, key, value));
    } else if (key == "f") {
      segment.scores.push_back(parse_score_range(source, Measure::kFrequency, key, value));
    } else if (key == "m") {
      segment.scores.push_back(parse_score_range(source, Measure::kMonetary, key, value));
    } else if (key == "recency") {
      parse_value_tests(source, Measure::kRecency, key, value, segment.values);
    } else if (key == "frequency") {
      parse_value_tests(source, Measure::kFrequency, key, value, segment.values);
    } else if (key == "monetary") {
      parse_value_tests(source, Measure::kMonetary, key, value, segment.values);
    } else {
      fail(source, value,
           fmt::format("unknown key '{}' in [[segment]] (expected name, name_zh, fallback, r, f, "
                       "m, recency, frequency, monetary)",
                       key));
    }
  }
  if (!named) fail(source, node, "a [[segment]] has no name");
  return segment;
}

bool holds(const ValueTest& test, double value, double mean) {
  double lhs = value;
  double rhs = mean;
  if (!test.against_mean) {
    // Money thresholds at 1e-6, like ranks, so 100.00000000000001 counts as 100.
    bool money = test.measure == Measure::kMonetary;
    lhs = money ? money_key(value) : value;
    rhs = money ? money_key(test.threshold) : test.threshold;
  }
  switch (test.op) {
    case ValueTest::Op::kLess:
      return lhs < rhs;
    case ValueTest::Op::kLessEqual:
      return lhs <= rhs;
    case ValueTest::Op::kGreater:
      return lhs > rhs;
    case ValueTest::Op::kGreaterEqual:
      return lhs >= rhs;
  }
  return false;
}

double mean_of(std::span<const double> values) {
  return numpy_sum(values) / static_cast<double>(values.size());
}

}  // namespace

TierScheme make_tier_scheme(std::string name, std::vector<Segment> listed,
                            std::span<const std::string> output_order, std::string_view source) {
  if (listed.empty()) throw Error(fmt::format("{}: the scheme has no segments", source));
  absl::flat_hash_map<std::string, int> listed_index;
  int fallback = -1;
  for (std::size_t i = 0; i < listed.size(); ++i) {
    Segment& segment = listed[i];
    if (segment.name.empty()) throw Error(fmt::format("{}: a segment has an empty name", source));
    if (segment.name_zh.empty()) segment.name_zh = segment.name;
    if (!listed_index.emplace(segment.name, static_cast<int>(i)).second) {
      throw Error(fmt::format("{}: segment name '{}' is used twice", source, segment.name));
    }
    for (const ScoreRange& range : segment.scores) {
      if (range.low < kMinScore || range.high > kMaxScore || range.low > range.high) {
        throw Error(fmt::format("{}: segment '{}' has an invalid {} score range [{}, {}]", source,
                                segment.name, measure_name(range.measure), range.low, range.high));
      }
    }
    if (segment.fallback) {
      if (fallback >= 0) {
        throw Error(fmt::format("{}: segments '{}' and '{}' are both the fallback", source,
                                listed[static_cast<std::size_t>(fallback)].name, segment.name));
      }
      if (!segment.scores.empty() || !segment.values.empty()) {
        throw Error(
            fmt::format("{}: fallback segment '{}' must have no conditions", source, segment.name));
      }
      fallback = static_cast<int>(i);
    }
  }

  std::vector<int> output;  // output position -> listed index
  if (output_order.empty()) {
    for (std::size_t i = 0; i < listed.size(); ++i) output.push_back(static_cast<int>(i));
  } else {
    std::vector<bool> seen(listed.size(), false);
    for (const std::string& segment_name : output_order) {
      auto it = listed_index.find(segment_name);
      if (it == listed_index.end()) {
        throw Error(fmt::format("{}: output_order names '{}', which is not a segment", source,
                                segment_name));
      }
      if (seen[static_cast<std::size_t>(it->second)]) {
        throw Error(fmt::format("{}: output_order lists '{}' twice", source, segment_name));
      }
      seen[static_cast<std::size_t>(it->second)] = true;
      output.push_back(it->second);
    }
    for (std::size_t i = 0; i < listed.size(); ++i) {
      if (!seen[i]) {
        throw Error(
            fmt::format("{}: output_order leaves out segment '{}'", source, listed[i].name));
      }
    }
  }

  TierScheme scheme;
  scheme.name = std::move(name);
  std::vector<int> position(listed.size());  // listed index -> output position
  for (std::size_t out = 0; out < output.size(); ++out) {
    position[static_cast<std::size_t>(output[out])] = static_cast<int>(out);
  }
  for (std::size_t i = 0; i < listed.size(); ++i) {
    if (listed[i].fallback) {
      scheme.fallback = position[i];
    } else {
      scheme.evaluation.push_back(position[i]);
    }
  }
  for (int listed_at : output) {
    scheme.segments.push_back(std::move(listed[static_cast<std::size_t>(listed_at)]));
  }
  return scheme;
}

std::vector<TierSchemeEntry>& tier_scheme_registry() {
  static std::vector<TierSchemeEntry> entries;
  return entries;
}

TierSchemeRegistrar::TierSchemeRegistrar(std::string name, std::string description,
                                         TierSchemeFactory make) {
  tier_scheme_registry().push_back({std::move(name), std::move(description), make});
}

std::vector<std::string> builtin_tier_scheme_names() {
  std::vector<std::string> names;
  for (const TierSchemeEntry& entry : tier_scheme_registry()) names.push_back(entry.name);
  std::sort(names.begin(), names.end());
  return names;
}

TierScheme resolve_tier_scheme(const std::string& name_or_path) {
  constexpr std::string_view kSuffix = ".toml";
  if (name_or_path.size() > kSuffix.size() && name_or_path.ends_with(kSuffix)) {
    return load_tier_rules(name_or_path);
  }
  for (const TierSchemeEntry& entry : tier_scheme_registry()) {
    if (entry.name == name_or_path) return entry.make();
  }
  throw Error(fmt::format(
      "unknown tier scheme '{}'; built-in schemes: {} (or the path of a .toml rules file)",
      name_or_path, fmt::join(builtin_tier_scheme_names(), ", ")));
}

TierScheme parse_tier_rules(std::string_view toml_text, std::string_view source) {
  const toml::table root = common::parse_toml(toml_text, source);
  std::string name(source);
  std::vector<std::string> output_order;
  std::vector<Segment> listed;
  bool has_segments = false;
  for (const auto& [key, value] : root) {
    if (key.str() == "name") {
      name = string_value(source, value, "name");
    } else if (key.str() == "output_order") {
      const toml::array* array = value.as_array();
      if (array == nullptr || array->empty()) {
        fail(source, value, "'output_order' must list every segment name, in output order");
      }
      for (const toml::node& item : *array) {
        output_order.push_back(string_value(source, item, "output_order"));
      }
    } else if (key.str() == "segment") {
      const toml::array* array = value.as_array();
      if (array == nullptr)
        fail(source, value, "'segment' must be an array of tables ([[segment]])");
      has_segments = true;
      for (const toml::node& item : *array) listed.push_back(parse_segment(source, item));
    } else {
      fail(source, value,
           fmt::format("unknown key '{}' (expected name, output_order, [[segment]])", key.str()));
    }
  }
  if (!has_segments || listed.empty()) {
    throw Error(fmt::format("{}: the rules file has no [[segment]]", source));
  }
  return make_tier_scheme(std::move(name), std::move(listed), output_order, source);
}

TierScheme load_tier_rules(const std::string& path) {
  return parse_tier_rules(common::read_text_file(path, "tier rules file"), path);
}

MeasureMeans measure_means(const TierInputs& inputs) {
  MeasureMeans means;
  if (inputs.monetary.empty()) return means;
  means.recency = mean_of(inputs.recency_days);
  means.frequency = mean_of(inputs.frequency);
  means.monetary = numpy_sum(inputs.monetary) / static_cast<double>(inputs.monetary.size());
  return means;
}

std::vector<int> assign_segments(const TierScheme& scheme, const TierInputs& inputs) {
  const std::size_t n = inputs.monetary.size();
  const MeasureMeans means = measure_means(inputs);
  const std::array<double, 3> mean_by_measure = {means.recency, means.frequency, means.monetary};
  std::vector<int> segment_of(n, scheme.fallback);
  auto assign_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const std::array<int, 3> score = {inputs.r[i], inputs.f[i], inputs.m[i]};
      const std::array<double, 3> value = {inputs.recency_days[i], inputs.frequency[i],
                                           inputs.monetary[i]};
      for (int candidate : scheme.evaluation) {
        const Segment& segment = scheme.segments[static_cast<std::size_t>(candidate)];
        bool match =
            std::all_of(segment.scores.begin(), segment.scores.end(), [&](const ScoreRange& range) {
              int s = score[static_cast<std::size_t>(range.measure)];
              return s >= range.low && s <= range.high;
            });
        match = match && std::all_of(segment.values.begin(), segment.values.end(),
                                     [&](const ValueTest& test) {
                                       auto m = static_cast<std::size_t>(test.measure);
                                       return holds(test, value[m], mean_by_measure[m]);
                                     });
        if (match) {
          segment_of[i] = candidate;
          break;
        }
      }
    }
  };
  if (n < kParallelAssignMin) {
    assign_range(0, n);
  } else {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        assign_range(range.begin(), range.end());
                      });
  }
  return segment_of;
}

std::vector<SegmentSummary> summarize_segments(const TierScheme& scheme,
                                               std::span<const int> segment,
                                               const TierInputs& inputs, double total) {
  const std::size_t count = scheme.segments.size();
  std::vector<SegmentSummary> out(count);
  // Compensated sums; recency and frequency of order lines are whole numbers, summed exactly.
  std::vector<KahanSum> money(count), recency(count), frequency(count);
  for (std::size_t i = 0; i < segment.size(); ++i) {
    const auto s = static_cast<std::size_t>(segment[i]);
    ++out[s].customers;
    money[s].add(inputs.monetary[i]);
    recency[s].add(inputs.recency_days[i]);
    frequency[s].add(inputs.frequency[i]);
  }
  const auto n = static_cast<double>(segment.size());
  for (std::size_t s = 0; s < count; ++s) {
    SegmentSummary& summary = out[s];
    summary.name = scheme.segments[s].name;
    summary.name_zh = scheme.segments[s].name_zh;
    summary.revenue = money[s].sum;
    summary.customer_share = static_cast<double>(summary.customers) / n;
    summary.revenue_share = total > 0 ? summary.revenue / total : 0.0;
    if (summary.customers > 0) {
      const auto members = static_cast<double>(summary.customers);
      summary.mean_recency = recency[s].sum / members;
      summary.mean_frequency = frequency[s].sum / members;
      summary.mean_monetary = summary.revenue / members;
    }
  }
  return out;
}

}  // namespace custlens::analysis
