// prediction_to_json and the text and CSV outputs of `custlens predict`.
#include "report/predict_summary.h"

#include <fmt/format.h>

#include <cmath>

#include "common/calendar.h"
#include "io/csv_writer.h"
#include "report/sections/section.h"

namespace custlens::report {
namespace {

using models::PredictionRun;

template <typename N>
std::string count(N n) {
  return format_count(static_cast<std::int64_t>(n));
}

// A float feature value for JSON and CSV: null / "" when missing.
nlohmann::json value_json(float value) {
  if (std::isnan(value)) return nullptr;
  return static_cast<double>(value);
}

std::string value_text(float value) {
  if (std::isnan(value)) return "";
  return fmt::format("{}", value);
}

std::string reason_text(const models::Reason& reason) {
  return fmt::format("{}={} ({:+.3f})", reason.feature,
                     std::isnan(reason.value) ? std::string("missing") : value_text(reason.value),
                     reason.contribution);
}

nlohmann::json model_json(const models::ModelRun& model) {
  nlohmann::json parameters = nlohmann::json::object();
  for (const auto& [name, value] : model.description.parameters) parameters[name] = value;
  nlohmann::json out = {{"model", model.description.name},
                        {"iterations", model.description.iterations},
                        {"parameters", std::move(parameters)}};
  out.update(models::evaluation_to_json(model.test));
  return out;
}

// The primary model's importance: its own (XGBoost's total gain) with the share of the total,
// and the mean |contribution| on the test part (mean |SHAP|), by the first, descending.
nlohmann::json importance_json(const PredictionRun& run) {
  const models::ModelDescription& d = run.model.description;
  double total = 0;
  for (const auto& f : d.importance) total += f.value;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : d.importance) {
    const auto at = std::find(run.feature_names.begin(), run.feature_names.end(), f.feature);
    const double shap =
        at == run.feature_names.end()
            ? 0.0
            : run.model
                  .mean_abs_contribution[static_cast<std::size_t>(at - run.feature_names.begin())];
    out.push_back({{"feature", f.feature},
                   {"importance", f.value},
                   {"share", total > 0 ? f.value / total : 0.0},
                   {"mean_abs_shap", shap}});
  }
  return out;
}

}  // namespace

nlohmann::json prediction_to_json(const PredictionReport& report) {
  const PredictionRun& run = report.run;
  nlohmann::json out;
  out["population"] = run.population.customers.size();
  out["positives"] = run.positives;
  out["positive_rate"] =
      static_cast<double>(run.positives) / static_cast<double>(run.population.customers.size());
  out["cutoff"] = common::format_day(run.cutoff_day);
  out["as_of"] = common::format_day(run.as_of_day);
  out["horizon_days"] = run.horizon_days;
  out["model"] = run.model.description.name;
  out["split"] = {{"method", "stratified by label, seeded"},
                  {"seed", run.seed},
                  {"test_share", run.test_share},
                  {"validation_share", run.validation_share},
                  {"train", run.train},
                  {"validation", run.validation},
                  {"test", run.test}};
  out["features"] = run.feature_names;
  out["test"] = models::evaluation_to_json(run.model.test);
  out["test"]["iterations"] = run.model.description.iterations;
  if (!run.baselines.empty()) {
    const models::ModelRun& b = run.baselines.front();
    out["baseline"] = {{"model", b.description.name},
                       {"auc", b.test.auc},
                       {"auc_ci_lower", b.test.auc_ci_lower},
                       {"auc_ci_upper", b.test.auc_ci_upper},
                       {"brier", b.test.brier}};
  } else {
    out["baseline"] = nullptr;
  }
  out["models"] = nlohmann::json::array();
  out["models"].push_back(model_json(run.model));
  for (const auto& b : run.baselines) out["models"].push_back(model_json(b));
  out["baseline_failures"] = run.baseline_failures;
  out["roc"] = models::roc_to_json(run.model.test);
  out["gains"] = models::gains_to_json(run.model.test);
  out["calibration"] = models::calibration_to_json(run.model.test);
  out["importance_kind"] = run.model.description.importance_kind;
  out["importance"] = importance_json(run);
  nlohmann::json targeting = models::targeting_to_json(run.targeting);
  targeting["value_per_conversion"] =
      run.margin ? nlohmann::json{{"margin", *run.margin}}
                 : nlohmann::json{{"margin_rate", run.margin_rate},
                                  {"of", "the customer's average order value before the cut"}};
  out["targeting"] = std::move(targeting);
  double expected_buyers = 0;
  for (const auto& t : run.targets) expected_buyers += t.score;
  nlohmann::json top = nlohmann::json::array();
  for (std::size_t i = 0; i < std::min<std::size_t>(20, run.targets.size()); ++i) {
    const models::Target& t = run.targets[i];
    nlohmann::json reasons = nlohmann::json::array();
    for (const auto& r : t.reasons) {
      reasons.push_back({{"feature", r.feature},
                         {"value", value_json(r.value)},
                         {"contribution", r.contribution}});
    }
    top.push_back({{"customer_id", report.customer_ids[t.customer]},
                   {"score", t.score},
                   {"decile", t.decile},
                   {"tier", report.tiers[t.customer]},
                   {"expected_value", t.expected_value},
                   {"reasons", std::move(reasons)}});
  }
  out["apply"] = {{"customers", run.targets.size()},
                  {"model", run.model.description.name},
                  {"refit_iterations", run.refit_iterations},
                  {"expected_buyers", expected_buyers},
                  {"scheme", report.scheme},
                  {"projection", models::projection_to_json(run.targets_projection)},
                  {"top", std::move(top)}};
  return out;
}

std::string prediction_text(const PredictionReport& report, Lang lang) {
  const PredictionRun& run = report.run;
  const bool zh = lang == Lang::kZh;
  std::string out;
  out += zh ? fmt::format("购买预测：截止日 {}，观察期 {} 天，至 {}（不含）\n",
                          common::format_day(run.cutoff_day), run.horizon_days,
                          common::format_day(run.as_of_day))
            : fmt::format("Purchase prediction: cutoff {}, horizon {} days, up to {} (excluded)\n",
                          common::format_day(run.cutoff_day), run.horizon_days,
                          common::format_day(run.as_of_day));
  const double rate =
      static_cast<double>(run.positives) / static_cast<double>(run.population.customers.size());
  out += zh ? fmt::format("  样本：截止日前购买过的客户 {}，其中观察期内再次购买 {}（{:.1f}%）\n",
                          count(run.population.customers.size()), count(run.positives), rate * 100)
            : fmt::format(
                  "  population: {} customers who bought before the cutoff; {} "
                  "({:.1f}%) bought in the horizon\n",
                  count(run.population.customers.size()), count(run.positives), rate * 100);
  out += zh ? fmt::format("  划分：训练 {}，验证 {}，测试 {}（按标签分层，种子 {}）\n",
                          count(run.train), count(run.validation), count(run.test), run.seed)
            : fmt::format("  split: train {}, validation {}, test {} (stratified, seed {})\n",
                          count(run.train), count(run.validation), count(run.test), run.seed);
  out += fmt::format("  {} ({}): {}\n", run.model.description.name, zh ? "主模型" : "model",
                     models::evaluation_text(run.model.test, lang));
  for (const auto& b : run.baselines) {
    out += fmt::format("  {} ({}): {}\n", b.description.name, zh ? "基线" : "baseline",
                       models::evaluation_text(b.test, lang));
  }
  for (const auto& f : run.baseline_failures)
    out += fmt::format("  {}: {}\n", zh ? "未完成" : "not fitted", f);
  out += zh ? "\n最重要的特征（增益占比，测试集平均 |SHAP|）：\n"
            : "\nMost important features (share of gain, mean |SHAP| on the test part):\n";
  const nlohmann::json importance = importance_json(run);
  for (std::size_t i = 0; i < std::min<std::size_t>(8, importance.size()); ++i) {
    out += fmt::format("  {:<28} {:>6.1f}%  {:.3f}\n", importance[i]["feature"].get<std::string>(),
                       importance[i]["share"].get<double>() * 100,
                       importance[i]["mean_abs_shap"].get<double>());
  }
  out += '\n' + models::contact_table_text(run.targeting, lang) + '\n';
  const models::ListProjection& p = run.targets_projection;
  out += zh ? fmt::format(
                  "\n当前名单（{} 位客户，按截至 {} 的数据评分）：按最优阈值联系 {} 位，预计购买 "
                  "{} 位，预计利润 {}\n",
                  count(p.listed), common::format_day(run.as_of_day), count(p.contacted),
                  count(std::llround(p.expected_converters)), format_money(p.expected_profit))
            : fmt::format(
                  "\nCurrent list ({} customers scored on data up to {}): the best cut "
                  "contacts {}, expecting {} buyers and a profit of {}\n",
                  count(p.listed), common::format_day(run.as_of_day), count(p.contacted),
                  count(std::llround(p.expected_converters)), format_money(p.expected_profit));
  return out;
}

std::string targets_csv(const PredictionReport& report) {
  std::string out =
      "customer_id,score,decile,tier,value_per_conversion,expected_value,reason_1,"
      "reason_2,reason_3\n";
  for (const models::Target& t : report.run.targets) {
    out += io::csv_escape(report.customer_ids[t.customer]);
    out += fmt::format(",{:.6f},{},", t.score, t.decile);
    out += io::csv_escape(report.tiers[t.customer]);
    out += fmt::format(",{:.2f},{:.2f}", t.value_per_conversion, t.expected_value);
    for (std::size_t k = 0; k < 3; ++k) {
      out += ',';
      if (k < t.reasons.size()) out += io::csv_escape(reason_text(t.reasons[k]));
    }
    out += '\n';
  }
  return out;
}

std::string scores_csv(const PredictionReport& report) {
  const PredictionRun& run = report.run;
  std::string out = "customer_id,split,label,score\n";
  for (std::size_t i = 0; i < run.population.customers.size(); ++i) {
    out += io::csv_escape(report.customer_ids[run.population.customers[i]]);
    // Shortest text that reads back as the same double (the references recompute from it).
    out += fmt::format(",{},{},{}\n", models::split_name(run.split[i]),
                       static_cast<int>(run.labels[i]), run.model.scores[i]);
  }
  return out;
}

std::string features_csv(const PredictionReport& report) {
  const PredictionRun& run = report.run;
  const models::FeatureMatrix& x = run.population.features;
  std::string out = "customer_id,split,label";
  for (const std::string& name : x.names) out += ',' + io::csv_escape(name);
  out += '\n';
  for (std::size_t i = 0; i < x.rows; ++i) {
    out += io::csv_escape(report.customer_ids[run.population.customers[i]]);
    out += fmt::format(",{},{}", models::split_name(run.split[i]), static_cast<int>(run.labels[i]));
    for (std::size_t j = 0; j < x.cols(); ++j) out += ',' + value_text(x.at(i, j));
    out += '\n';
  }
  return out;
}

}  // namespace custlens::report
