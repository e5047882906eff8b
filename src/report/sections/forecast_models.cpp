// Section `forecast_models`: every model's backtest MASE and holdout metrics, the chosen one
// marked, and why model families were skipped.
#include <fmt/format.h>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

std::optional<Section> build_forecast_models(const SectionContext& context) {
  const nlohmann::json* forecast = context.find("/forecast");
  if (forecast == nullptr || !forecast->contains("models") || !(*forecast)["models"].is_array()) {
    return std::nullopt;
  }
  const nlohmann::json& f = *forecast;
  Section section;
  section.title = context.text("Forecast models: backtest and holdout", "预测模型:回测与留出期");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Model", "模型")),
                   std::string(context.text("Form", "形式")),
                   std::string(context.text("Backtest MASE", "回测 MASE")),
                   "MAE",
                   "RMSE",
                   "MAPE",
                   "MASE",
                   "R²",
                   std::string(context.text("80% coverage", "80% 覆盖")),
                   std::string(context.text("95% coverage", "95% 覆盖"))};
  table.formats = {CellFormat::kText,      CellFormat::kText,      CellFormat::kStatistic,
                   CellFormat::kMoney,     CellFormat::kMoney,     CellFormat::kPercent,
                   CellFormat::kStatistic, CellFormat::kStatistic, CellFormat::kPercent,
                   CellFormat::kPercent};
  const std::string chosen = f.value("model", "");
  const nlohmann::json* best = nullptr;
  const nlohmann::json* runner_up = nullptr;
  for (const nlohmann::json& m : f["models"]) {
    auto get = [&](const char* key) { return m.contains(key) ? m[key] : nlohmann::json(); };
    const std::string name = m["name"].get<std::string>();
    table.rows.push_back({name == chosen ? name + " ✓" : name, m.value("detail", ""),
                          get("backtest_mase"), get("mae"), get("rmse"), get("mape"), get("mase"),
                          get("r2"), get("coverage_80"), get("coverage_95")});
    if (!m["backtest_mase"].is_number()) continue;
    if (name == chosen) {
      best = &m;
    } else if (runner_up == nullptr ||
               m["backtest_mase"].get<double>() < (*runner_up)["backtest_mase"].get<double>()) {
      runner_up = &m;
    }
  }
  const std::size_t origins = f["backtest"]["origins"].size();
  if (best != nullptr) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "{} has the lowest mean MASE over {} backtest origins before the holdout: {:.3f}.",
            "{} 在留出期之前的 {} 个回测起点上平均 MASE 最低:{:.3f}。")),
        chosen, origins, (*best)["backtest_mase"].get<double>()));
    if (runner_up != nullptr) {
      section.findings.push_back(fmt::format(
          fmt::runtime(context.text("Next: {} with {:.3f}.", "其次:{},{:.3f}。")),
          (*runner_up)["name"].get<std::string>(), (*runner_up)["backtest_mase"].get<double>()));
    }
  }
  if (f.contains("notes") && f["notes"].is_array() && !f["notes"].empty()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("{} ETS models were not fitted on all periods; the first: {}.",
                                  "{} 个 ETS 模型未在全部周期上拟合;第一个原因:{}。")),
        f["notes"].size(), f["notes"][0].get<std::string>()));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(forecast_models, 510, build_forecast_models);

}  // namespace custlens::report
