// The evaluation of scores and the profit curve: one sort of the customers by score, then linear
// walks over the groups of tied scores (ROC, DeLong's placement values, deciles, the curve).
#include "models/evaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "custlens/error.h"

namespace custlens::models {
namespace {

// The 97.5 % quantile of the standard normal: the 95 % interval's half-width in standard errors.
constexpr double kZ975 = 1.959963984540054;
constexpr int kDeciles = 10;
constexpr int kBins = 10;

struct Ranked {
  double score;
  std::size_t row;
};

// The rows by score descending, ties by row ascending: the one order every output uses.
std::vector<Ranked> rank_rows(std::span<const double> scores) {
  std::vector<Ranked> order(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) order[i] = {scores[i], i};
  std::sort(order.begin(), order.end(), [](const Ranked& a, const Ranked& b) {
    return a.score > b.score || (a.score == b.score && a.row < b.row);
  });
  return order;
}

// A run of equal scores in the ranked order: rows [begin, end) of it.
struct TieGroup {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::int64_t positives = 0;
};

std::vector<TieGroup> tie_groups(const std::vector<Ranked>& order, std::span<const float> labels) {
  std::vector<TieGroup> groups;
  for (std::size_t i = 0; i < order.size();) {
    TieGroup g{i, i, 0};
    while (g.end < order.size() && order[g.end].score == order[i].score) {
      if (labels[order[g.end].row] == 1.0f) ++g.positives;
      ++g.end;
    }
    groups.push_back(g);
    i = g.end;
  }
  return groups;
}

void check_inputs(std::span<const float> labels, std::span<const double> scores) {
  if (labels.size() != scores.size()) {
    throw Error(fmt::format("evaluation: {} labels but {} scores", labels.size(), scores.size()));
  }
  if (scores.empty()) throw Error("evaluation: no customers to evaluate");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != 0.0f && labels[i] != 1.0f) {
      throw Error(fmt::format("evaluation: label {} of row {} is not 0 or 1", labels[i], i));
    }
    if (!(scores[i] >= 0.0 && scores[i] <= 1.0)) {
      throw Error(fmt::format("evaluation: score {} of row {} is not a probability in [0, 1]",
                              scores[i], i));
    }
  }
}

void check_values(std::span<const double> values, std::size_t size, std::string_view what) {
  if (values.size() != size) {
    throw Error(
        fmt::format("{}: {} values per conversion but {} scores", what, values.size(), size));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]) || values[i] < 0) {
      throw Error(fmt::format("{}: value per conversion {} of row {} is not a finite number >= 0",
                              what, values[i], i));
    }
  }
}

void check_cost(double cost, std::string_view what) {
  if (!std::isfinite(cost) || cost < 0) {
    throw Error(fmt::format("{}: contact cost {} is not a finite number >= 0", what, cost));
  }
}

// sklearn's roc_curve: one point per distinct score, collinear interior points dropped
// (drop_intermediate=True keeps a point where the second difference of fps or tps is non-zero),
// then (0, 0) with threshold +inf prepended.
std::vector<RocPoint> roc_curve(const std::vector<Ranked>& order,
                                const std::vector<TieGroup>& groups, std::int64_t positives,
                                std::int64_t negatives) {
  std::vector<double> tps, fps, thresholds;
  std::int64_t tp = 0;
  for (const TieGroup& g : groups) {
    tp += g.positives;
    tps.push_back(static_cast<double>(tp));
    fps.push_back(static_cast<double>(static_cast<std::int64_t>(g.end) - tp));
    thresholds.push_back(order[g.begin].score);
  }
  std::vector<std::size_t> kept;
  const std::size_t count = tps.size();
  for (std::size_t i = 0; i < count; ++i) {
    bool keep = i == 0 || i + 1 == count || count <= 2;
    if (!keep) {
      keep = fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0;
    }
    if (keep) kept.push_back(i);
  }
  std::vector<RocPoint> roc;
  roc.reserve(kept.size() + 1);
  roc.push_back({0, 0, std::numeric_limits<double>::infinity()});
  for (std::size_t i : kept) {
    roc.push_back({fps[i] / static_cast<double>(negatives), tps[i] / static_cast<double>(positives),
                   thresholds[i]});
  }
  return roc;
}

// The AUC and DeLong's standard error from the placement values (Sun & Xu 2014): a positive's
// is the share of negatives scored below it (ties half), a negative's the share of positives
// scored above it; both are constant within a group of tied scores.
void auc_delong(const std::vector<TieGroup>& groups, std::int64_t m, std::int64_t n,
                BinaryEvaluation& out) {
  const double md = static_cast<double>(m), nd = static_cast<double>(n);
  std::vector<double> v10(groups.size()), v01(groups.size());
  std::int64_t pos_above = 0, neg_above = 0;
  double sum = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::int64_t gp = groups[g].positives;
    const std::int64_t gn = static_cast<std::int64_t>(groups[g].end - groups[g].begin) - gp;
    v10[g] = (static_cast<double>(n - neg_above - gn) + 0.5 * static_cast<double>(gn)) / nd;
    v01[g] = (static_cast<double>(pos_above) + 0.5 * static_cast<double>(gp)) / md;
    sum += static_cast<double>(gp) * v10[g];
    pos_above += gp;
    neg_above += gn;
  }
  out.auc = sum / md;
  if (m < 2 || n < 2) {
    // A class of one has no spread to estimate its variance term from: say nothing.
    out.auc_se = 0;
    out.auc_ci_lower = 0;
    out.auc_ci_upper = 1;
    return;
  }
  double s10 = 0, s01 = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::int64_t gp = groups[g].positives;
    const std::int64_t gn = static_cast<std::int64_t>(groups[g].end - groups[g].begin) - gp;
    s10 += static_cast<double>(gp) * (v10[g] - out.auc) * (v10[g] - out.auc);
    s01 += static_cast<double>(gn) * (v01[g] - out.auc) * (v01[g] - out.auc);
  }
  s10 /= md - 1;
  s01 /= nd - 1;
  out.auc_se = std::sqrt(s10 / md + s01 / nd);
  if (out.auc <= 0 || out.auc >= 1 || out.auc_se == 0) {
    out.auc_ci_lower = out.auc;
    out.auc_ci_upper = out.auc;
    return;
  }
  // The logit scale keeps the interval inside (0, 1) and fits the AUC's skew near the edges.
  const double logit = std::log(out.auc / (1 - out.auc));
  const double half = kZ975 * out.auc_se / (out.auc * (1 - out.auc));
  out.auc_ci_lower = 1 / (1 + std::exp(-(logit - half)));
  out.auc_ci_upper = 1 / (1 + std::exp(-(logit + half)));
}

}  // namespace

int decile_of_position(std::size_t position, std::size_t n) {
  // The d with ⌊d·n/10⌋ ≤ position < ⌊(d+1)·n/10⌋, i.e. d = ⌈10·(position+1)/n⌉ − 1.
  return static_cast<int>((static_cast<std::size_t>(kDeciles) * (position + 1) - 1) / n) + 1;
}

namespace {

std::vector<GainsDecile> gains_by_decile(const std::vector<Ranked>& order,
                                         std::span<const float> labels, std::int64_t positives) {
  const std::size_t n = order.size();
  const double overall = static_cast<double>(positives) / static_cast<double>(n);
  std::vector<GainsDecile> gains;
  std::int64_t cum_customers = 0, cum_positives = 0;
  for (int d = 0; d < kDeciles; ++d) {
    const std::size_t begin = static_cast<std::size_t>(d) * n / kDeciles;
    const std::size_t end = static_cast<std::size_t>(d + 1) * n / kDeciles;
    GainsDecile g;
    g.decile = d + 1;
    g.customers = static_cast<std::int64_t>(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      if (labels[order[i].row] == 1.0f) ++g.positives;
    }
    if (g.customers > 0) {
      g.max_score = order[begin].score;
      g.min_score = order[end - 1].score;
      g.response_rate = static_cast<double>(g.positives) / static_cast<double>(g.customers);
    }
    cum_customers += g.customers;
    cum_positives += g.positives;
    g.gain =
        positives > 0 ? static_cast<double>(cum_positives) / static_cast<double>(positives) : 0;
    if (overall > 0) {
      g.lift = g.response_rate / overall;
      g.cumulative_lift = cum_customers > 0 ? static_cast<double>(cum_positives) /
                                                  static_cast<double>(cum_customers) / overall
                                            : 0;
    }
    gains.push_back(g);
  }
  return gains;
}

// The bin of a score: k with k/10 <= score < (k+1)/10 (edges as the doubles k / 10.0, as
// numpy's arange(11) / 10), 1.0 in the last bin.
int calibration_bin(double score) {
  int b = std::clamp(static_cast<int>(score * kBins), 0, kBins - 1);
  while (b > 0 && score < b / static_cast<double>(kBins)) --b;
  while (b < kBins - 1 && score >= (b + 1) / static_cast<double>(kBins)) ++b;
  return b;
}

std::vector<CalibrationBin> calibration_table(std::span<const float> labels,
                                              std::span<const double> scores) {
  std::vector<CalibrationBin> bins(kBins);
  std::vector<double> score_sum(kBins, 0), positive_sum(kBins, 0);
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const int b = calibration_bin(scores[i]);
    ++bins[b].customers;
    score_sum[b] += scores[i];
    positive_sum[b] += labels[i];
  }
  for (int b = 0; b < kBins; ++b) {
    bins[b].lower = b / static_cast<double>(kBins);
    bins[b].upper = (b + 1) / static_cast<double>(kBins);
    if (bins[b].customers > 0) {
      bins[b].mean_score = score_sum[b] / static_cast<double>(bins[b].customers);
      bins[b].observed_rate = positive_sum[b] / static_cast<double>(bins[b].customers);
    }
  }
  return bins;
}

// Running sums of the contacted, in the ranked order.
struct Contacted {
  std::int64_t count = 0;
  double score = 0;
  std::int64_t converters = 0;
  double revenue = 0;
  double expected_revenue = 0;

  void add(double s, float label, double value) {
    ++count;
    score += s;
    expected_revenue += s * value;
    if (label == 1.0f) {
      ++converters;
      revenue += value;
    }
  }
};

TargetingPoint make_point(double threshold, const Contacted& c, double cost) {
  TargetingPoint p;
  p.threshold = threshold;
  p.contacted = c.count;
  p.expected_converters = c.score;
  p.converters = c.converters;
  p.hit_rate = c.count > 0 ? static_cast<double>(c.converters) / static_cast<double>(c.count) : 0;
  const double spent = cost * static_cast<double>(c.count);
  p.revenue = c.revenue;
  p.profit = c.revenue - spent;
  p.expected_profit = c.expected_revenue - spent;
  if (spent > 0) p.roi = p.profit / spent;
  return p;
}

}  // namespace

BinaryEvaluation evaluate_scores(std::span<const float> labels, std::span<const double> scores) {
  check_inputs(labels, scores);
  BinaryEvaluation out;
  out.customers = static_cast<std::int64_t>(scores.size());
  for (float y : labels) out.positives += y == 1.0f ? 1 : 0;
  const std::int64_t negatives = out.customers - out.positives;
  if (out.positives == 0 || negatives == 0) {
    throw Error(fmt::format(
        "evaluation: all {} test customers are {}: the AUC needs both buyers and non-buyers "
        "(use a longer horizon, more data or a larger --test-share)",
        out.customers, out.positives == 0 ? "non-buyers (label 0)" : "buyers (label 1)"));
  }
  const std::vector<Ranked> order = rank_rows(scores);
  const std::vector<TieGroup> groups = tie_groups(order, labels);
  out.roc = roc_curve(order, groups, out.positives, negatives);
  auc_delong(groups, out.positives, negatives, out);
  out.gains = gains_by_decile(order, labels, out.positives);
  out.calibration = calibration_table(labels, scores);
  double squares = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const double d = scores[i] - labels[i];
    squares += d * d;
  }
  out.brier = squares / static_cast<double>(scores.size());
  return out;
}

Targeting evaluate_targeting(std::span<const float> labels, std::span<const double> scores,
                             std::span<const double> value_per_conversion,
                             const TargetingOptions& options) {
  check_inputs(labels, scores);
  check_values(value_per_conversion, scores.size(), "targeting");
  check_cost(options.contact_cost, "targeting");
  if (options.budget && *options.budget < 0) {
    throw Error(fmt::format("targeting: budget {} is negative", *options.budget));
  }
  Targeting out;
  out.contact_cost = options.contact_cost;
  out.customers = static_cast<std::int64_t>(scores.size());
  for (float y : labels) out.positives += y == 1.0f ? 1 : 0;
  const std::vector<Ranked> order = rank_rows(scores);
  const double cost = options.contact_cost;

  Contacted running;
  out.curve.push_back(make_point(std::numeric_limits<double>::infinity(), running, cost));
  std::size_t budget_left = options.budget ? static_cast<std::size_t>(*options.budget) : 0;
  Contacted budget;
  for (std::size_t i = 0; i < order.size();) {
    const double score = order[i].score;
    for (; i < order.size() && order[i].score == score; ++i) {
      const std::size_t row = order[i].row;
      running.add(score, labels[row], value_per_conversion[row]);
      if (budget_left > 0) {
        budget.add(score, labels[row], value_per_conversion[row]);
        --budget_left;
      }
    }
    out.curve.push_back(make_point(score, running, cost));
  }
  for (std::size_t k = 1; k < out.curve.size(); ++k) {
    if (out.curve[k].profit > out.curve[out.best_index].profit) out.best_index = k;
  }
  out.best = out.curve[out.best_index];
  out.all = out.curve.back();
  if (options.budget) {
    out.budget_requested = *options.budget;
    const double last = budget.count > 0 ? order[static_cast<std::size_t>(budget.count) - 1].score
                                         : std::numeric_limits<double>::infinity();
    out.budget = make_point(last, budget, cost);
  }
  out.profit_vs_all = out.best.profit - out.all.profit;
  out.hit_rate_ratio =
      out.best.contacted > 0 && out.all.hit_rate > 0 ? out.best.hit_rate / out.all.hit_rate : 0;
  return out;
}

ListProjection project_list(std::span<const double> scores,
                            std::span<const double> value_per_conversion, double threshold,
                            double contact_cost) {
  check_values(value_per_conversion, scores.size(), "targets");
  check_cost(contact_cost, "targets");
  if (std::isnan(threshold)) throw Error("targets: the threshold is not a number");
  ListProjection out;
  out.threshold = threshold;
  out.listed = static_cast<std::int64_t>(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (!(scores[i] >= 0.0 && scores[i] <= 1.0)) {
      throw Error(
          fmt::format("targets: score {} of row {} is not a probability in [0, 1]", scores[i], i));
    }
    if (scores[i] < threshold) continue;
    ++out.contacted;
    out.expected_converters += scores[i];
    out.expected_revenue += scores[i] * value_per_conversion[i];
  }
  out.cost = contact_cost * static_cast<double>(out.contacted);
  out.expected_profit = out.expected_revenue - out.cost;
  return out;
}

std::vector<std::size_t> thin_indices(std::size_t size, std::size_t max_points,
                                      std::span<const std::size_t> keep) {
  std::vector<std::size_t> out;
  if (size == 0) return out;
  max_points = std::max<std::size_t>(max_points, 2);
  if (size <= max_points) {
    out.resize(size);
    for (std::size_t i = 0; i < size; ++i) out[i] = i;
    return out;
  }
  const std::size_t steps = max_points - 1;
  for (std::size_t k = 0; k <= steps; ++k) out.push_back((k * (size - 1) + steps / 2) / steps);
  for (std::size_t k : keep) {
    if (k < size) out.push_back(k);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace custlens::models
