// Section `clv_models`: every lifetime-value model's parameters with standard errors and 95 %
// intervals (a point-and-interval plot on a log axis), log-likelihoods, which model fits and
// predicts best, and the data window behind the fits.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

#include "report/sections/clv_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

// Parameters in the order the papers write them; names not listed follow, alphabetically.
std::vector<std::string> parameter_names(const json& fit) {
  constexpr std::array<std::string_view, 9> kOrder = {"r", "alpha", "s", "beta", "a",
                                                      "b", "p",     "q", "v"};
  std::vector<std::string> names;
  const auto se = fit.find("se");
  if (se == fit.end() || !se->is_object()) return names;
  for (std::string_view name : kOrder) {
    if (se->contains(name)) names.emplace_back(name);
  }
  for (const auto& [name, value] : se->items()) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

// A map entry (se, ci_lower, ci_upper) of a parameter, null when missing or not a number.
json map_value(const json& fit, const char* map, const std::string& name) {
  const auto found = fit.find(map);
  if (found == fit.end() || !found->is_object() || !found->contains(name)) return nullptr;
  const json& value = found->at(name);
  return value.is_number() ? value : json();
}

// The parameter plot: each estimate a point (one series per model), its 95 % interval a thin
// box, on a log axis since the parameters differ by orders of magnitude.
json parameter_chart(const SectionContext& context, const json& clv,
                     const std::vector<std::string>& fits, int& rows) {
  json names = json::array();
  json intervals = json::array();
  json series = json::array();
  rows = 0;
  for (const std::string& key : fits) {
    const json& fit = clv.at(key);
    const std::string title = clv_model_title(clv, key);
    json points = json::array();
    for (const std::string& name : parameter_names(fit)) {
      const std::optional<double> value = clv_number(fit, name);
      if (!value || *value <= 0) continue;  // the log axis shows positive values only
      const json low = map_value(fit, "ci_lower", name);
      const json high = map_value(fit, "ci_upper", name);
      names.push_back(fmt::format("{} · {}", title, name));
      if (low.is_number() && high.is_number() && low.get<double>() > 0) {
        const double lo = low.get<double>();
        const double hi = high.get<double>();
        intervals.push_back({lo, lo, *value, hi, hi});
      } else {
        intervals.push_back(json::array());  // no interval: an empty box
      }
      points.push_back({{"name", names.back()}, {"value", {*value, rows}}});
      ++rows;
    }
    series.push_back(
        {{"name", title}, {"type", "scatter"}, {"symbolSize", 9}, {"data", std::move(points)}});
  }
  if (rows == 0) return nullptr;
  json interval_series = {{"name", std::string(context.text("95% interval", "95% 置信区间"))},
                          {"type", "boxplot"},
                          {"silent", true},
                          {"boxWidth", json::array({4, 6})},
                          {"itemStyle", {{"color", "#7f8c9a"}, {"borderColor", "#7f8c9a"}}},
                          {"data", std::move(intervals)}};
  series.insert(series.begin(), std::move(interval_series));
  json legend = json::array();
  for (const std::string& key : fits) legend.push_back(clv_model_title(clv, key));
  return {
      {"tooltip", {{"trigger", "item"}}},
      {"legend", {{"top", 0}, {"data", std::move(legend)}}},
      {"grid", {{"left", 8}, {"right", 24}, {"top", 36}, {"bottom", 40}, {"containLabel", true}}},
      {"xAxis",
       {{"type", "log"},
        {"name", std::string(context.text("Estimate (95% interval, log scale)",
                                          "估计值（95% 置信区间，对数刻度）"))}}},
      {"yAxis",
       {{"type", "category"},
        {"data", std::move(names)},
        {"inverse", true},
        {"axisLabel", {{"interval", 0}}}}},
      {"series", std::move(series)}};
}

// "BG/NBD −9,582.4" for each fit other than `best`, joined for a sentence.
std::string others_likelihood(const SectionContext& context, const json& clv,
                              const std::vector<std::string>& fits, const std::string& best) {
  std::vector<std::string> parts;
  for (const std::string& key : fits) {
    if (key == best) continue;
    const std::optional<double> ll = clv_number(clv.at(key), "log_likelihood");
    if (ll) parts.push_back(fmt::format("{} {}", clv_model_title(clv, key), format_money(*ll)));
  }
  return fmt::format("{}", fmt::join(parts, context.text(", ", "，")));
}

void holdout_findings(const SectionContext& context, const json& clv, Section& section) {
  const json* models = context.find("/clv/holdout/models");
  if (models == nullptr || !models->is_object() || models->empty()) return;
  // The lowest of a metric over the models (by its absolute value for the bias).
  auto lowest = [&](const char* metric, bool absolute) {
    std::string best;
    double best_value = 0;
    for (const auto& [key, score] : models->items()) {
      const std::optional<double> value = clv_number(score, metric);
      if (!value) continue;
      const double v = absolute ? std::abs(*value) : *value;
      if (best.empty() || v < best_value) {
        best = key;
        best_value = v;
      }
    }
    return best;
  };
  const std::string holdout_end = clv.value("holdout_end", std::string());
  const std::optional<double> length = clv_number(clv, "holdout_length");
  const std::string tracking = lowest("mape_cumulative", false);
  if (!tracking.empty()) {
    std::vector<std::string> others;
    for (const auto& [key, score] : models->items()) {
      const std::optional<double> value = clv_number(score, "mape_cumulative");
      if (key != tracking && value) {
        others.push_back(fmt::format("{} {}", clv_model_title(clv, key), format_share(*value)));
      }
    }
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "On the holdout ({} to {}), {} tracks cumulative repeat purchases best: mean absolute "
            "error {} over the holdout weeks{}{}.",
            "在留出期（{}，至 {}）上，{} 对累计重复购买的跟踪最准：各周平均绝对百分比误差 "
            "{}{}{}。")),
        length ? clv_units(context, clv, *length) : std::string("-"), holdout_end,
        clv_model_title(clv, tracking),
        format_share(*clv_number(models->at(tracking), "mape_cumulative")),
        others.empty() ? "" : context.text("; ", "；"),
        fmt::join(others, context.text(", ", "，"))));
  }
  const std::string bias = lowest("bias", true);
  if (!bias.empty()) {
    const json& score = models->at(bias);
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "{} comes closest to the holdout total: {} repeat purchases expected against {} "
            "actual ({}).",
            "{} 最接近留出期总量：预计重复购买 {} 次，实际 {} 次（{}）。")),
        clv_model_title(clv, bias), format_money(score.value("expected_purchases", 0.0)),
        format_count(std::llround(score.value("actual_purchases", 0.0))),
        clv_signed_share(*clv_number(score, "bias"))));
  }
  const std::string msle = lowest("msle", false);
  if (!msle.empty()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "Per customer, {} has the lowest mean squared log error: {} (mean absolute error {} "
            "purchases).",
            "按单个客户计，{} 的均方对数误差最低：{}（平均绝对误差 {} 次购买）。")),
        clv_model_title(clv, msle), format_stat(*clv_number(models->at(msle), "msle")),
        clv_number(models->at(msle), "mae") ? clv_fixed(*clv_number(models->at(msle), "mae"), 2)
                                            : std::string("-")));
  }
}

void data_findings(const SectionContext& context, const json& clv, Section& section) {
  const auto customers = clv.value("customers", std::int64_t{0});
  const auto repeat = clv.value("repeat_customers", std::int64_t{0});
  const std::string calibration_end = clv.value("calibration_end", std::string());
  const json data = clv.value("data", json::object());
  const std::string first_day = data.value("first_day", std::string());
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text(
          "Fitted on {} customers who first bought from {} to the calibration end {}; {} of them "
          "({}) bought again in that period.",
          "拟合基于 {} 个在 {} 至校准期结束日 {} 之间首次购买的客户；其中 {} 个（{}）在此期间"
          "有重复购买。")),
      format_count(customers), first_day, calibration_end, format_count(repeat),
      format_share(customers > 0 ? static_cast<double>(repeat) / static_cast<double>(customers)
                                 : 0.0)));
  const auto later = data.value("later_customers", std::int64_t{0});
  if (later > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "{} customers whose first purchase came after the calibration end are not fitted.",
            "{} 个在校准期结束后才首次购买的客户未参与拟合。")),
        format_count(later)));
  }
  const auto zero = data.value("zero_value_lines", std::int64_t{0});
  if (zero > 0) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("{} order lines worth 0 count as purchases.",
                                              "{} 条金额为 0 的订单行计为购买。")),
                    format_count(zero)));
  }
  const auto unused = data.value("unused_transactions", std::int64_t{0});
  if (unused > 0) {
    const json& end = clv.contains("holdout_end") && clv.at("holdout_end").is_string()
                          ? clv.at("holdout_end")
                          : clv.at("calibration_end");
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("{} transactions of fitted customers after {} are not used.",
                                  "已拟合客户在 {1} 之后的 {0} 笔交易未被使用。")),
        format_count(unused), end.get<std::string>()));
  }
  const json* gamma = context.find("/clv/gamma_gamma");
  if (gamma != nullptr && gamma->value("excluded", std::int64_t{0}) > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "{} repeat customers with a mean value of 0 or less are left out of Gamma-Gamma; "
            "their expected value is the population's.",
            "{} 个平均消费额不大于 0 的重复购买客户未参与 Gamma-Gamma 拟合，其预期消费额取"
            "总体值。")),
        format_count(gamma->value("excluded", std::int64_t{0}))));
  }
  if (gamma != nullptr && gamma->contains("problem") && gamma->at("problem").is_string()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("Gamma-Gamma was not fitted: {}.", "Gamma-Gamma 未拟合：{}。")),
        gamma->at("problem").get<std::string>()));
  }
}

std::optional<Section> build_clv_models(const SectionContext& context) {
  const json* found = context.find("/clv");
  if (found == nullptr || !found->is_object()) return std::nullopt;
  const json& clv = *found;
  std::vector<std::string> fits = clv_model_keys(clv);
  if (clv.contains("gamma_gamma") && clv.at("gamma_gamma").contains("se")) {
    fits.push_back("gamma_gamma");
  }
  if (fits.empty()) return std::nullopt;

  Section section;
  section.title =
      context.text("Lifetime-value models: parameters and fit", "终身价值模型：参数与拟合");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Model", "模型")),
                   std::string(context.text("Parameter", "参数")),
                   std::string(context.text("Estimate", "估计值")),
                   std::string(context.text("Std. error", "标准误")),
                   std::string(context.text("95% low", "95% 下限")),
                   std::string(context.text("95% high", "95% 上限")),
                   std::string(context.text("Log-likelihood", "对数似然")),
                   std::string(context.text("Converged", "已收敛"))};
  table.formats = {CellFormat::kText,      CellFormat::kText,      CellFormat::kStatistic,
                   CellFormat::kStatistic, CellFormat::kStatistic, CellFormat::kStatistic,
                   CellFormat::kStatistic, CellFormat::kText};
  std::vector<std::string> not_converged, no_dropout;
  double alive = 0;
  for (const std::string& key : fits) {
    const json& fit = clv.at(key);
    const std::string title = clv_model_title(clv, key);
    const bool converged = fit.value("converged", false);
    if (fit.value("no_dropout", false)) {
      no_dropout.push_back(title);
      alive = std::max(alive, clv_number(fit, "mean_p_alive").value_or(0));
    } else if (!converged) {
      not_converged.push_back(title);
    }
    bool first = true;
    for (const std::string& name : parameter_names(fit)) {
      // The model's own figures on its first row only, so that each model reads as one block.
      table.rows.push_back(
          {title, name, fit.contains(name) && fit.at(name).is_number() ? fit.at(name) : json(),
           map_value(fit, "se", name), map_value(fit, "ci_lower", name),
           map_value(fit, "ci_upper", name),
           first && fit.contains("log_likelihood") ? fit.at("log_likelihood") : json(),
           first
               ? json(std::string(converged ? context.text("yes", "是") : context.text("no", "否")))
               : json()});
      first = false;
    }
  }
  int rows = 0;
  section.chart = parameter_chart(context, clv, fits, rows);
  section.chart_height = std::max(380, 26 * rows + 110);

  // Log-likelihoods compare between the purchase models: the same customers, the same data.
  std::string best;
  double best_ll = 0;
  for (const std::string& key : clv_model_keys(clv)) {
    const std::optional<double> ll = clv_number(clv.at(key), "log_likelihood");
    if (ll && (best.empty() || *ll > best_ll)) {
      best = key;
      best_ll = *ll;
    }
  }
  if (!best.empty()) {
    const std::string others = others_likelihood(context, clv, clv_model_keys(clv), best);
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text(
                        "{} has the highest log-likelihood on the calibration data: {}{}{}.",
                        "{} 在校准期数据上的对数似然最高：{}{}{}。")),
                    clv_model_title(clv, best), format_money(best_ll),
                    others.empty() ? "" : context.text(" (", "（"),
                    others.empty() ? others : others + std::string(context.text(")", "）"))));
  }
  holdout_findings(context, clv, section);
  const std::string model = clv.value("model", std::string());
  if (!model.empty()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("Per-customer figures (P(alive), expected purchases, CLV) use "
                                  "{}.",
                                  "单个客户的指标（存活概率、预期购买次数、CLV）采用 {}。")),
        clv_model_title(clv, model)));
  }
  if (!not_converged.empty()) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("Not converged: {}; read their estimates with care.",
                                              "未收敛：{}；其估计值仅供参考。")),
                    fmt::join(not_converged, ", ")));
  }
  if (!no_dropout.empty()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "{}: these data show next to no dropout (mean P(alive) up to {}): the likelihood "
            "keeps rising as the dropout rate goes to zero, so the dropout parameters have no "
            "estimate and no interval; the purchase-rate parameters r and alpha still hold.",
            "{}：数据中几乎没有流失（平均存活概率最高 {}），似然随流失率趋于零而继续上升，流失参数"
            "没有估计值和区间；购买率参数 r、alpha 仍然有效。")),
        fmt::join(no_dropout, ", "), format_share(alive)));
  }
  data_findings(context, clv, section);
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(clv_models, 600, build_clv_models);

}  // namespace custlens::report
