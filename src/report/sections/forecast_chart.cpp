// Section `forecast_chart`: revenue per period, the chosen model on the holdout and its forecast
// with 80 % and 95 % bands; the forecast table and the headline findings in numbers.
#include <fmt/format.h>

#include "common/number_text.h"
#include "report/sections/section.h"

namespace custlens::report {
namespace {

std::string money(double value) { return common::group_thousands(fmt::format("{:.0f}", value)); }

// A band drawn as a transparent lower line and the stacked difference above it.
void add_band(nlohmann::json& series, const std::string& name, const std::string& stack,
              const std::vector<nlohmann::json>& low, const std::vector<nlohmann::json>& high,
              double opacity) {
  nlohmann::json width = nlohmann::json::array();
  for (std::size_t i = 0; i < low.size(); ++i) {
    width.push_back(low[i].is_null()
                        ? nlohmann::json()
                        : nlohmann::json(high[i].get<double>() - low[i].get<double>()));
  }
  series.push_back({{"name", name},
                    {"type", "line"},
                    {"stack", stack},
                    {"symbol", "none"},
                    {"lineStyle", {{"opacity", 0}}},
                    {"tooltip", {{"show", false}}},
                    {"data", low}});
  series.push_back({{"name", name},
                    {"type", "line"},
                    {"stack", stack},
                    {"symbol", "none"},
                    {"lineStyle", {{"opacity", 0}}},
                    {"areaStyle", {{"opacity", opacity}, {"color", "#5470c6"}}},
                    {"data", std::move(width)}});
}

std::optional<Section> build_forecast_chart(const SectionContext& context) {
  const nlohmann::json* forecast = context.find("/forecast");
  if (forecast == nullptr || !forecast->contains("forecast") || !forecast->contains("series") ||
      !forecast->contains("holdout")) {
    return std::nullopt;
  }
  const nlohmann::json& f = *forecast;
  std::vector<std::string> dates;
  std::vector<nlohmann::json> actual, holdout, future, lo80, hi80, lo95, hi95;
  const nlohmann::json& values = f["series"]["values"];
  const std::size_t n = values.size();
  const std::size_t holdout_start = n - f["holdout"].size();
  for (std::size_t i = 0; i < n; ++i) {
    dates.push_back(values[i]["date"]);
    actual.push_back(values[i]["revenue"]);
    const bool in_holdout =
        i >= holdout_start && f["holdout"][i - holdout_start].contains("predicted");
    const nlohmann::json* point = in_holdout ? &f["holdout"][i - holdout_start] : nullptr;
    holdout.push_back(point ? (*point)["predicted"] : nlohmann::json());
    future.emplace_back();
    lo80.push_back(point ? (*point)["lo80"] : nlohmann::json());
    hi80.push_back(point ? (*point)["hi80"] : nlohmann::json());
    lo95.push_back(point ? (*point)["lo95"] : nlohmann::json());
    hi95.push_back(point ? (*point)["hi95"] : nlohmann::json());
  }
  if (n > 0) future.back() = actual.back();  // the forecast line starts at the last actual
  Section section;
  section.title = context.text("Revenue forecast", "收入预测");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Period", "周期")),
                   std::string(context.text("Forecast", "预测")),
                   std::string(context.text("80% low", "80% 下限")),
                   std::string(context.text("80% high", "80% 上限")),
                   std::string(context.text("95% low", "95% 下限")),
                   std::string(context.text("95% high", "95% 上限"))};
  table.formats = {CellFormat::kText,  CellFormat::kMoney, CellFormat::kMoney,
                   CellFormat::kMoney, CellFormat::kMoney, CellFormat::kMoney};
  double total = 0;
  for (const nlohmann::json& point : f["forecast"]) {
    dates.push_back(point["date"]);
    actual.emplace_back();
    holdout.emplace_back();
    future.push_back(point["value"]);
    lo80.push_back(point["lo80"]);
    hi80.push_back(point["hi80"]);
    lo95.push_back(point["lo95"]);
    hi95.push_back(point["hi95"]);
    total += point["value"].get<double>();
    table.rows.push_back({point["date"], point["value"], point["lo80"], point["hi80"],
                          point["lo95"], point["hi95"]});
  }
  nlohmann::json series = nlohmann::json::array();
  add_band(series, std::string(context.text("95% interval", "95% 区间")), "band95", lo95, hi95,
           0.12);
  add_band(series, std::string(context.text("80% interval", "80% 区间")), "band80", lo80, hi80,
           0.22);
  series.push_back({{"name", std::string(context.text("Actual", "实际"))},
                    {"type", "line"},
                    {"symbol", "none"},
                    {"color", "#333"},
                    {"data", actual}});
  series.push_back({{"name", std::string(context.text("Holdout forecast", "留出期预测"))},
                    {"type", "line"},
                    {"symbol", "none"},
                    {"color", "#ee6666"},
                    {"lineStyle", {{"type", "dashed"}}},
                    {"data", holdout}});
  series.push_back({{"name", std::string(context.text("Forecast", "预测"))},
                    {"type", "line"},
                    {"symbol", "none"},
                    {"color", "#5470c6"},
                    {"data", future}});
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend",
       {{"top", 0},
        {"data",
         {std::string(context.text("Actual", "实际")),
          std::string(context.text("Holdout forecast", "留出期预测")),
          std::string(context.text("Forecast", "预测"))}}}},
      {"grid", {{"left", 8}, {"right", 24}, {"top", 36}, {"bottom", 56}, {"containLabel", true}}},
      {"dataZoom", nlohmann::json::array({{{"type", "slider"}, {"bottom", 8}}})},
      {"xAxis", {{"type", "category"}, {"data", dates}, {"boundaryGap", false}}},
      {"yAxis", {{"type", "value"}, {"name", std::string(context.text("Revenue", "收入"))}}},
      {"series", std::move(series)}};

  const std::string model = f.value("model", "");
  const std::string detail = f.value("model_detail", "");
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("The next {} periods are forecast at {} in total by {} ({}).",
                                "未来 {} 期预测收入合计 {},模型 {}({})。")),
      f["forecast"].size(), money(total), model, detail));
  const nlohmann::json& m = f["metrics"];
  if (m.is_object()) {
    auto number = [](const nlohmann::json& v) {
      return v.is_number() ? fmt::format("{:.3f}", v.get<double>()) : std::string("-");
    };
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "On the last {} periods, fitted without them: MAE {}, R² {}, MASE {}; {:.0f}% of "
            "actuals inside the 80% interval, {:.0f}% inside the 95% interval.",
            "在最后 {} 期(拟合时不含这些期)上:MAE {},R² {},MASE {};{:.0f}% 的实际值落在 80% "
            "区间内,{:.0f}% 落在 95% 区间内。")),
        f["holdout"].size(), money(m["mae"].get<double>()), number(m["r2"]), number(m["mase"]),
        100 * m["coverage_80"].get<double>(), 100 * m["coverage_95"].get<double>()));
  }
  for (const char* key : {"partial_first", "partial_last"}) {
    const nlohmann::json& partial = f["series"][key];
    if (!partial.is_object()) continue;
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "The period of {} is partial ({} of {} days, revenue {}) and is left out of the fit.",
            "{} 所在周期不完整({}/{} 天,收入 {}),不参与拟合。")),
        partial["date"].get<std::string>(), partial["covered_days"].get<int>(),
        partial["days"].get<int>(), money(partial["revenue"].get<double>())));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(forecast_chart, 500, build_forecast_chart);

}  // namespace custlens::report
