// Section `predict_overview`: the protocol of the prediction (cutoff, horizon, population,
// split) and every model side by side on the same test customers.
#include <fmt/format.h>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

std::optional<Section> build_predict_overview(const SectionContext& context) {
  const nlohmann::json* predict = context.find("/predict");
  if (predict == nullptr || !predict->contains("models") || !predict->contains("cutoff") ||
      !predict->contains("population")) {
    return std::nullopt;
  }
  const nlohmann::json& p = *predict;
  Section section;
  section.title = std::string(context.text("Purchase prediction: models on held-out customers",
                                           "购买预测：模型在留出客户上的表现"));
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Model", "模型")),
                   "AUC",
                   std::string(context.text("95% CI lower", "95% 置信下限")),
                   std::string(context.text("95% CI upper", "95% 置信上限")),
                   "Brier",
                   std::string(context.text("Rounds / iterations", "轮数 / 迭代")),
                   std::string(context.text("Role", "角色"))};
  table.formats = {CellFormat::kText,      CellFormat::kStatistic, CellFormat::kStatistic,
                   CellFormat::kStatistic, CellFormat::kStatistic, CellFormat::kInteger,
                   CellFormat::kText};
  const std::string primary = p.value("model", std::string());
  for (const nlohmann::json& m : p.at("models")) {
    const std::string name = m.value("model", std::string());
    table.rows.push_back({name, m.value("auc", 0.0), m.value("auc_ci_lower", 0.0),
                          m.value("auc_ci_upper", 0.0), m.value("brier", 0.0),
                          m.value("iterations", 0),
                          std::string(name == primary ? context.text("scores the list", "用于评分")
                                                      : context.text("baseline", "基线"))});
  }
  const std::int64_t population = p.at("population").get<std::int64_t>();
  const std::int64_t positives = p.value("positives", std::int64_t{0});
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text(
          "Protocol: features use only orders before the cutoff {}; a customer is a buyer when "
          "they bought on a day in [{}, {}) — the {} days up to the as-of day.",
          "方法：特征只使用截止日 {} 之前的订单；客户在 [{}, {})（截至日前 {} "
          "天）内有购买即为正例。")),
      p.value("cutoff", std::string()), p.value("cutoff", std::string()),
      p.value("as_of", std::string()), p.value("horizon_days", 0)));
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text(
          "{} customers bought before the cutoff; {} of them ({}) bought again in the horizon.",
          "截止日前购买过的客户 {} 位，其中 {} 位（{}）在观察期内再次购买。")),
      format_count(population), format_count(positives),
      format_share(population > 0 ? static_cast<double>(positives) / static_cast<double>(population)
                                  : 0.0)));
  if (const nlohmann::json* split = context.find("/predict/split")) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "Split stratified by label with seed {}: {} to fit, {} to stop the boosting early, "
            "{} held out for every number below.",
            "按标签分层随机划分（种子 {}）：训练 {} 位，早停验证 {} 位，留出测试 {} "
            "位，下文数字均来自测试集。")),
        split->value("seed", 0), format_count(split->value("train", std::int64_t{0})),
        format_count(split->value("validation", std::int64_t{0})),
        format_count(split->value("test", std::int64_t{0}))));
  }
  const nlohmann::json* baseline = context.find("/predict/baseline");
  const nlohmann::json* test = context.find("/predict/test");
  if (baseline != nullptr && baseline->is_object() && test != nullptr) {
    const double model_auc = test->value("auc", 0.0);
    const double base_auc = baseline->value("auc", 0.0);
    const bool overlap = baseline->value("auc_ci_upper", 1.0) >= test->value("auc_ci_lower", 0.0) &&
                         test->value("auc_ci_upper", 1.0) >= baseline->value("auc_ci_lower", 0.0);
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("{} reaches AUC {} against {} for the {} baseline ({:+.3f}); {}",
                                  "{} 的 AUC 为 {}，{} 基线为 {}（差 {:+.3f}）；{}")),
        primary, format_stat(model_auc), baseline->value("model", std::string()),
        format_stat(base_auc), model_auc - base_auc,
        overlap
            ? context.text("their 95% intervals overlap, so the difference may be chance.",
                           "两者 95% 置信区间重叠，差异可能来自随机波动。")
            : context.text("their 95% intervals do not overlap.", "两者 95% 置信区间不重叠。")));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(predict_overview, 390, build_predict_overview);

}  // namespace custlens::report
