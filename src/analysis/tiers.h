// Tier schemes: ordered segment rules on RFM scores and values, the registry of built-in schemes
// (five, cn8, rfm11) and TOML rules files, and the assignment of customers to segments.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/rfm.h"

namespace custlens::analysis {

enum class Measure : std::uint8_t { kRecency, kFrequency, kMonetary };

/// The measure's score (r, f, m) lies in [low, high], inclusive.
struct ScoreRange {
  Measure measure = Measure::kRecency;
  int low = 1;
  int high = 5;
};

/// The measure's value (recency_days, frequency, monetary) compared with the mean over all
/// customers or with a fixed threshold. Monetary thresholds compare money_key values.
struct ValueTest {
  enum class Op : std::uint8_t { kLess, kLessEqual, kGreater, kGreaterEqual };
  Measure measure = Measure::kRecency;
  Op op = Op::kLess;
  bool against_mean = false;
  double threshold = 0;  ///< when not against_mean
};

/// A segment and its rule: every condition must hold. A fallback segment has no conditions and
/// takes the customers that no rule matched.
struct Segment {
  std::string name;     ///< English
  std::string name_zh;  ///< Chinese
  std::vector<ScoreRange> scores;
  std::vector<ValueTest> values;
  bool fallback = false;
};

/// A complete scheme. Segments are in output order; rules are tried in `evaluation` order.
struct TierScheme {
  std::string name;
  std::vector<Segment> segments;
  std::vector<int> evaluation;  ///< indices into segments, first match wins; fallback not included
  int fallback = -1;            ///< index of the fallback segment, or -1 if there is none
};

/// Builds a scheme from segments listed in evaluation order and the segment names in output order
/// (empty = listed order). Throws custlens::Error for duplicate or empty names, more than one
/// fallback, a fallback with conditions, bad score ranges or an output order that is not a
/// permutation of the names. `source` prefixes the messages.
TierScheme make_tier_scheme(std::string name, std::vector<Segment> listed,
                            std::span<const std::string> output_order, std::string_view source);

/// Makes a built-in scheme.
using TierSchemeFactory = TierScheme (*)();

struct TierSchemeEntry {
  std::string name;
  std::string description;
  TierSchemeFactory make = nullptr;
};

/// Every registered scheme, in registration order.
std::vector<TierSchemeEntry>& tier_scheme_registry();

struct TierSchemeRegistrar {
  TierSchemeRegistrar(std::string name, std::string description, TierSchemeFactory make);
};

/// Names of the registered schemes, sorted.
std::vector<std::string> builtin_tier_scheme_names();

/// A built-in scheme by name, or the rules file at `name_or_path` when it ends in ".toml".
/// Throws custlens::Error for an unknown name (listing the built-in names) or a bad rules file.
TierScheme resolve_tier_scheme(const std::string& name_or_path);

/// Parses a TOML rules file's text; `source` names it in messages and is the default scheme name.
TierScheme parse_tier_rules(std::string_view toml_text, std::string_view source);
/// Reads and parses a TOML rules file.
TierScheme load_tier_rules(const std::string& path);

/// The customer table's columns (one entry per customer) that rules look at. Recency and
/// frequency are whole numbers for order lines; a profile table may hold fractions.
struct TierInputs {
  std::span<const int> r, f, m;
  std::span<const double> recency_days, frequency;
  std::span<const double> monetary;
};

/// Means of recency_days, frequency and monetary over all customers, summed in numpy's order.
struct MeasureMeans {
  double recency = 0, frequency = 0, monetary = 0;
};
MeasureMeans measure_means(const TierInputs& inputs);

/// The segment index of each customer: the first rule in evaluation order that holds, else the
/// fallback, else -1.
std::vector<int> assign_segments(const TierScheme& scheme, const TierInputs& inputs);

/// Per segment of `scheme`, in its order: customers, revenue (compensated sum of monetary), the
/// shares of all customers and of `total`, and mean recency, frequency and monetary (0 for an
/// empty segment). `segment[i]` is customer i's index from assign_segments (none may be -1).
std::vector<SegmentSummary> summarize_segments(const TierScheme& scheme,
                                               std::span<const int> segment,
                                               const TierInputs& inputs, double total);

}  // namespace custlens::analysis

/// Registers a built-in tier scheme from any file of custlens_core:
/// CUSTLENS_REGISTER_TIER_SCHEME(five, "description", make_five_scheme). A scheme in a file of its
/// own must be referenced from elsewhere, or the static library's linker drops the object.
#define CUSTLENS_REGISTER_TIER_SCHEME(ident, description, factory)                       \
  static const ::custlens::analysis::TierSchemeRegistrar ident##_tier_scheme_registrar { \
#ident, description, factory                                                         \
  }
