// How good a binary classifier's scores are on held-out customers (AUC with DeLong's interval,
// ROC, gains and lift by decile, calibration, Brier) and what contacting by them earns (the
// profit curve over every score threshold, its optimum, contact-all and a budget). Contracts and
// JSON keys: docs/predict.md, "Evaluation" and "Targeting and profit".
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "custlens/lang.h"

namespace custlens::models {

/// One point of the ROC curve: contacting every score >= threshold gives these rates. The first
/// point (0, 0) has threshold +infinity (sklearn's np.inf; null in JSON).
struct RocPoint {
  double fpr = 0;
  double tpr = 0;
  double threshold = std::numeric_limits<double>::infinity();
};

/// One tenth of the customers by score, highest first. Customers are ordered by score descending,
/// ties by their position in the input (first first); decile d (0-based) holds positions
/// [floor(d·n/10), floor((d+1)·n/10)), so sizes differ by at most one (empty when n < 10).
/// The input's order must not depend on the labels (customer-id order, not grouped by label), or
/// ties would be broken by the outcome.
struct GainsDecile {
  int decile = 0;  ///< 1 (highest scores) .. 10
  std::int64_t customers = 0;
  std::int64_t positives = 0;
  double min_score = 0;        ///< 0 when empty
  double max_score = 0;        ///< 0 when empty
  double response_rate = 0;    ///< positives / customers; 0 when empty
  double gain = 0;             ///< cumulative positives of deciles 1..d / all positives
  double lift = 0;             ///< response_rate / overall rate
  double cumulative_lift = 0;  ///< cumulative rate of deciles 1..d / overall rate
};

/// One of the 10 uniform score bins [k/10, (k+1)/10), the last one closed: [0.9, 1.0].
struct CalibrationBin {
  double lower = 0;
  double upper = 0;
  std::int64_t customers = 0;  ///< empty bins are kept with 0 customers
  double mean_score = 0;       ///< 0 when empty
  double observed_rate = 0;    ///< positives / customers; 0 when empty
};

/// The decile (1 = highest scores) of the customer at `position` (0-based, score descending, ties
/// by input position) among `n`: GainsDecile's rule, for any list ranked the same way.
int decile_of_position(std::size_t position, std::size_t n);

/// The scores of held-out customers judged against what they did.
struct BinaryEvaluation {
  std::int64_t customers = 0;
  std::int64_t positives = 0;
  double auc = 0;  ///< = sklearn roc_auc_score (Mann-Whitney, ties counted half)
  /// DeLong's standard error of the AUC (Sun & Xu 2014's O(n log n) algorithm, sample variances
  /// of the placement values); 0 when it cannot be estimated (a class with one member).
  double auc_se = 0;
  /// 95 % interval, DeLong on the logit scale: logit(auc) ± 1.96 · se / (auc (1 − auc)), mapped
  /// back; [auc, auc] when auc is 0 or 1; [0, 1] when a class has a single member.
  double auc_ci_lower = 0;
  double auc_ci_upper = 0;
  std::vector<RocPoint> roc;       ///< sklearn roc_curve(drop_intermediate=True), every point
  std::vector<GainsDecile> gains;  ///< always 10
  std::vector<CalibrationBin> calibration;  ///< always 10
  double brier = 0;                         ///< mean (score − label)²
};

/// The name of the interval's method in JSON ("delong-logit").
inline constexpr const char* kAucCiMethod = "delong-logit";

/// Evaluates `scores` (probabilities in [0, 1], finite) against `labels` (0 or 1), same length.
/// Sorts once: O(n log n). Throws custlens::Error when the lengths differ, the set is empty, a
/// label is not 0/1, a score is outside [0, 1], or one class is absent (AUC undefined).
BinaryEvaluation evaluate_scores(std::span<const float> labels, std::span<const double> scores);

struct TargetingOptions {
  double contact_cost = 0;             ///< per contacted customer, >= 0
  std::optional<std::int64_t> budget;  ///< contacts the campaign can afford, >= 0
};

/// Contacting every customer with score >= threshold (the highest first).
struct TargetingPoint {
  /// The lowest score contacted; +infinity for the contact-nobody point (null in JSON).
  double threshold = std::numeric_limits<double>::infinity();
  std::int64_t contacted = 0;
  double expected_converters = 0;  ///< Σ score of the contacted
  std::int64_t converters = 0;     ///< Σ label of the contacted
  double hit_rate = 0;             ///< converters / contacted; 0 when none contacted
  double revenue = 0;              ///< Σ value of the contacted converters
  double profit = 0;               ///< revenue − cost · contacted
  double expected_profit = 0;      ///< Σ score · value − cost · contacted
  std::optional<double> roi;       ///< profit / (cost · contacted); none when that cost is 0
};

/// What contacting by score earns on labelled customers.
struct Targeting {
  double contact_cost = 0;
  std::int64_t customers = 0;
  std::int64_t positives = 0;
  /// Contact-nobody first (threshold +inf), then one point per distinct score, descending; the
  /// last point contacts everyone.
  std::vector<TargetingPoint> curve;
  /// The curve's point of greatest profit (ties: fewest contacts); may be contact-nobody.
  TargetingPoint best;
  std::size_t best_index = 0;  ///< its place in `curve`
  TargetingPoint all;          ///< contact everyone (= curve.back())
  /// The top min(budget, customers) customers in the deciles' order (score descending, then
  /// input position), exactly that many even when the last score is tied; threshold = the
  /// lowest score contacted.
  std::optional<TargetingPoint> budget;
  std::optional<std::int64_t> budget_requested;
  double profit_vs_all = 0;  ///< best.profit − all.profit (>= 0)
  /// best.hit_rate / all.hit_rate; 0 when best contacts nobody or nobody bought.
  double hit_rate_ratio = 0;
};

/// The profit curve of contacting by `scores`; `value_per_conversion[i]` is what customer i's
/// conversion earns (margin, or margin rate × average order value). Throws custlens::Error on
/// mismatched lengths, an empty set, bad labels or scores (as evaluate_scores), a negative or
/// non-finite value or cost, or a negative budget. One class absent is allowed here.
Targeting evaluate_targeting(std::span<const float> labels, std::span<const double> scores,
                             std::span<const double> value_per_conversion,
                             const TargetingOptions& options);

/// What a cut is expected to earn on an unlabelled list (the current targets).
struct ListProjection {
  double threshold = 0;
  std::int64_t listed = 0;
  std::int64_t contacted = 0;      ///< customers with score >= threshold
  double expected_converters = 0;  ///< Σ score of the contacted
  double expected_revenue = 0;     ///< Σ score · value of the contacted
  double cost = 0;                 ///< contact_cost · contacted
  double expected_profit = 0;      ///< expected_revenue − cost
};

/// Applies `threshold` (usually Targeting::best.threshold; +inf contacts nobody) to a list's
/// `scores` and `value_per_conversion`. Throws custlens::Error as evaluate_targeting does.
ListProjection project_list(std::span<const double> scores,
                            std::span<const double> value_per_conversion, double threshold,
                            double contact_cost);

/// Indices of at most `max_points` points of a curve of `size` points, evenly spread, always
/// with the first and last and every index of `keep`, ascending (so ≤ max_points + keep.size()).
std::vector<std::size_t> thin_indices(std::size_t size, std::size_t max_points,
                                      std::span<const std::size_t> keep = {});

/// Output curves are thinned to this many points.
inline constexpr std::size_t kMaxCurvePoints = 200;

// Text for `predict`'s output, en or zh.

/// "AUC 0.7262 (95 % CI 0.7011–0.7503, DeLong), top-decile lift 2.41, Brier 0.1834".
std::string evaluation_text(const BinaryEvaluation& evaluation, Lang lang);
/// The contact table in the reference project's form: contact all, the model's cut, the budget.
std::string contact_table_text(const Targeting& targeting, Lang lang);

// JSON (never NaN or infinity: +inf thresholds are null).

/// {auc, auc_se, auc_ci_lower, auc_ci_upper, auc_ci_method, customers, positives, brier}.
nlohmann::json evaluation_to_json(const BinaryEvaluation& evaluation);
/// [{fpr, tpr, threshold}], thinned to kMaxCurvePoints.
nlohmann::json roc_to_json(const BinaryEvaluation& evaluation);
/// [{decile, customers, positives, min_score, max_score, response_rate, gain, lift,
///   cumulative_lift}].
nlohmann::json gains_to_json(const BinaryEvaluation& evaluation);
/// [{lower, upper, customers, mean_score, observed_rate}].
nlohmann::json calibration_to_json(const BinaryEvaluation& evaluation);
/// {contact_cost, customers, positives, best, all, budget (null without one), budget_requested
///  (null), profit_vs_all, hit_rate_ratio, curve: [points, at most kMaxCurvePoints, best kept]}.
nlohmann::json targeting_to_json(const Targeting& targeting);
/// {threshold, listed, contacted, expected_converters, expected_revenue, cost, expected_profit}.
nlohmann::json projection_to_json(const ListProjection& projection);

}  // namespace custlens::models
