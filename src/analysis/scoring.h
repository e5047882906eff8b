// R, F and M scores 1-5 (rank quintiles or fixed bins from a scoring file) and the sums they use.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace custlens::analysis {

inline constexpr int kMinScore = 1;
inline constexpr int kMaxScore = 5;

/// Monetary value in units of 1e-6, rounded half away from zero: the key for monetary ranks and
/// thresholds, so that sums equal up to summation order compare equal.
inline double money_key(double value) { return std::round(value * 1e6); }

/// Compensated running sum, step for step the one pandas' groupby sum uses.
struct KahanSum {
  double sum = 0;
  double compensation = 0;
  void add(double value) {
    double y = value - compensation;
    double t = sum + y;
    compensation = (t - sum) - y;
    sum = t;
  }
};

/// Sum in numpy's order (np.sum / Series.sum / Series.mean): blocks of 8192, pairwise inside.
double numpy_sum(std::span<const double> values);

/// Rank quintiles: score = 1 + floor(5 L / n), L = number of keys strictly smaller than this one.
/// Equal keys get equal scores. Pass negated keys to rank "smaller is better" (recency).
std::vector<int> quintile_scores(std::span<const double> keys);

/// Fixed bins of one measure: value <= upper[0] -> scores[0]; upper[i-1] < value <= upper[i] ->
/// scores[i]; value > upper.back() -> scores.back().
struct ScoreBins {
  std::vector<double> upper;  ///< strictly increasing; for monetary in money_key units
  std::vector<int> scores;    ///< upper.size() + 1 scores, each 1-5
  int score(double value) const;
};

/// A scoring file: fixed bins per measure; a measure without a section keeps quintile scores.
struct ScoringRules {
  std::optional<ScoreBins> recency, frequency, monetary;
};

/// Parses scoring TOML (`[recency] bins = [30, 90, 180] scores = [4, 3, 2, 1]`, ...). `source`
/// names the text in error messages. Throws custlens::Error for bad TOML or bad bins.
ScoringRules parse_scoring_rules(std::string_view toml_text, std::string_view source);
/// Reads and parses a scoring file; throws custlens::Error when it cannot be read or is invalid.
ScoringRules load_scoring_file(const std::string& path);

struct RfmScores {
  std::vector<int> r, f, m;
};

/// Scores every customer (columns in customer-table order): fixed bins where `rules` has them,
/// rank quintiles otherwise (R by fewer days is better, F and M by more is better).
RfmScores score_customers(std::span<const double> recency_days, std::span<const double> frequency,
                          std::span<const double> monetary, const ScoringRules* rules);

}  // namespace custlens::analysis
