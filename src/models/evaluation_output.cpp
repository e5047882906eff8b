// The evaluation and the profit curve as predict shows them: one-line texts (en/zh) and JSON
// (no NaN or infinity: an infinite threshold and an undefined ROI are null).
#include <fmt/format.h>

#include <cmath>

#include "common/number_text.h"
#include "models/evaluation.h"

namespace custlens::models {
namespace {

using nlohmann::json;

json finite_or_null(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

std::string money(double value) { return common::group_thousands(fmt::format("{:.2f}", value)); }
std::string count(std::int64_t value) { return common::thousands(value); }
std::string percent(double share) { return fmt::format("{:.1f} %", 100 * share); }

json point_to_json(const TargetingPoint& p) {
  return {{"threshold", finite_or_null(p.threshold)},
          {"contacted", p.contacted},
          {"expected_converters", p.expected_converters},
          {"converters", p.converters},
          {"hit_rate", p.hit_rate},
          {"revenue", p.revenue},
          {"profit", p.profit},
          {"expected_profit", p.expected_profit},
          {"roi", p.roi ? finite_or_null(*p.roi) : json(nullptr)}};
}

// "→ 893 buyers, 58.9 %, profit 70,558.00, ROI 212.4 %" and its Chinese form.
std::string outcome_text(const TargetingPoint& p, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string text = zh ? fmt::format("→ {} 人购买，命中率 {}，利润 {}", count(p.converters),
                                      percent(p.hit_rate), money(p.profit))
                        : fmt::format("→ {} buyers, {}, profit {}", count(p.converters),
                                      percent(p.hit_rate), money(p.profit));
  if (p.roi) text += (zh ? "，投资回报率 " : ", ROI ") + percent(*p.roi);
  return text;
}

}  // namespace

std::string evaluation_text(const BinaryEvaluation& e, Lang lang) {
  const double top_lift = e.gains.empty() ? 0 : e.gains.front().lift;
  if (lang == Lang::kZh) {
    return fmt::format(
        "AUC {:.4f}（95% 置信区间 {:.4f}–{:.4f}，DeLong 法，logit 尺度），前 10% 客户提升度 "
        "{:.2f}，Brier 分数 {:.4f}（测试集 {} 名客户，其中 {} 名购买）",
        e.auc, e.auc_ci_lower, e.auc_ci_upper, top_lift, e.brier, count(e.customers),
        count(e.positives));
  }
  return fmt::format(
      "AUC {:.4f} (95 % CI {:.4f}–{:.4f}, DeLong, logit scale), top-decile lift {:.2f}, "
      "Brier {:.4f} (test: {} customers, {} buyers)",
      e.auc, e.auc_ci_lower, e.auc_ci_upper, top_lift, e.brier, count(e.customers),
      count(e.positives));
}

std::string contact_table_text(const Targeting& t, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string text;
  text +=
      zh ? fmt::format("全部联系：{} 人 {}\n", count(t.all.contacted), outcome_text(t.all, lang))
         : fmt::format("contact all: {} {}\n", count(t.all.contacted), outcome_text(t.all, lang));
  if (t.best.contacted == 0) {
    text += zh ? "模型：不联系任何人（每个阈值都亏损），利润 0.00\n"
               : "model: contact nobody (every cut loses money), profit 0.00\n";
  } else {
    text += zh ? fmt::format("模型（前 {} 人，得分 ≥ {:.4f}）：{}\n", count(t.best.contacted),
                             t.best.threshold, outcome_text(t.best, lang))
               : fmt::format("model (top {}, score ≥ {:.4f}): {}\n", count(t.best.contacted),
                             t.best.threshold, outcome_text(t.best, lang));
  }
  if (t.budget) {
    text += zh ? fmt::format("预算（前 {} 人）：{}\n", count(t.budget->contacted),
                             outcome_text(*t.budget, lang))
               : fmt::format("budget (top {}): {}\n", count(t.budget->contacted),
                             outcome_text(*t.budget, lang));
  }
  const std::string gain = (t.profit_vs_all >= 0 ? "+" : "") + money(t.profit_vs_all);
  if (t.best.contacted > 0 && t.all.hit_rate > 0) {
    text += zh ? fmt::format("模型 vs 全部联系：利润 {}，命中率 ×{:.2f}，少联系 {} 人\n", gain,
                             t.hit_rate_ratio, count(t.all.contacted - t.best.contacted))
               : fmt::format("model vs all: profit {}, hit rate ×{:.2f}, {} fewer contacts\n", gain,
                             t.hit_rate_ratio, count(t.all.contacted - t.best.contacted));
  } else {
    text += zh ? fmt::format("模型 vs 全部联系：利润 {}\n", gain)
               : fmt::format("model vs all: profit {}\n", gain);
  }
  return text;
}

json evaluation_to_json(const BinaryEvaluation& e) {
  return {{"auc", e.auc},
          {"auc_se", e.auc_se},
          {"auc_ci_lower", e.auc_ci_lower},
          {"auc_ci_upper", e.auc_ci_upper},
          {"auc_ci_method", kAucCiMethod},
          {"customers", e.customers},
          {"positives", e.positives},
          {"brier", e.brier}};
}

json roc_to_json(const BinaryEvaluation& e) {
  json out = json::array();
  for (std::size_t i : thin_indices(e.roc.size(), kMaxCurvePoints)) {
    const RocPoint& p = e.roc[i];
    out.push_back({{"fpr", p.fpr}, {"tpr", p.tpr}, {"threshold", finite_or_null(p.threshold)}});
  }
  return out;
}

json gains_to_json(const BinaryEvaluation& e) {
  json out = json::array();
  for (const GainsDecile& g : e.gains) {
    out.push_back({{"decile", g.decile},
                   {"customers", g.customers},
                   {"positives", g.positives},
                   {"min_score", g.min_score},
                   {"max_score", g.max_score},
                   {"response_rate", g.response_rate},
                   {"gain", g.gain},
                   {"lift", g.lift},
                   {"cumulative_lift", g.cumulative_lift}});
  }
  return out;
}

json calibration_to_json(const BinaryEvaluation& e) {
  json out = json::array();
  for (const CalibrationBin& b : e.calibration) {
    out.push_back({{"lower", b.lower},
                   {"upper", b.upper},
                   {"customers", b.customers},
                   {"mean_score", b.mean_score},
                   {"observed_rate", b.observed_rate}});
  }
  return out;
}

json targeting_to_json(const Targeting& t) {
  json curve = json::array();
  const std::size_t keep[] = {t.best_index};
  for (std::size_t i : thin_indices(t.curve.size(), kMaxCurvePoints - 1, keep)) {
    curve.push_back(point_to_json(t.curve[i]));
  }
  return {{"contact_cost", t.contact_cost},
          {"customers", t.customers},
          {"positives", t.positives},
          {"best", point_to_json(t.best)},
          {"all", point_to_json(t.all)},
          {"budget", t.budget ? point_to_json(*t.budget) : json(nullptr)},
          {"budget_requested", t.budget_requested ? json(*t.budget_requested) : json(nullptr)},
          {"profit_vs_all", t.profit_vs_all},
          {"hit_rate_ratio", t.hit_rate_ratio},
          {"curve", curve}};
}

json projection_to_json(const ListProjection& p) {
  return {{"threshold", finite_or_null(p.threshold)},
          {"listed", p.listed},
          {"contacted", p.contacted},
          {"expected_converters", p.expected_converters},
          {"expected_revenue", p.expected_revenue},
          {"cost", p.cost},
          {"expected_profit", p.expected_profit}};
}

}  // namespace custlens::models
