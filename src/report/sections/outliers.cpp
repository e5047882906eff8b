// Section `outliers`: the outlier step of the cleaning audit as box plots, one row per field,
// with the rule's bounds as the whiskers, the extremes beyond them, and the counts per field.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

struct FieldName {
  std::string_view field, en, zh;
};

constexpr std::array<FieldName, 11> kFieldNames = {{
    {"quantity", "quantity", "数量"},
    {"unit_price", "unit price", "单价"},
    {"amount", "line amount", "行金额"},
    {"monetary", "monetary", "消费总额"},
    {"frequency", "frequency", "购买频次"},
    {"recency", "recency (days)", "最近天数"},
    {"aov", "average order value", "客单价"},
    {"age", "age", "年龄"},
    {"income", "income", "收入"},
    {"time_on_site", "time on site", "停留时长"},
    {"pages", "pages viewed", "浏览页数"},
}};

constexpr const char* kOutlierColor = "#d9534f";
constexpr int kRowHeight = 84;  // px per field: the box, its axis labels and the gap

std::string field_label(const SectionContext& context, const std::string& field,
                        const std::string& scope) {
  std::string name = field;
  for (const FieldName& known : kFieldNames) {
    if (known.field == field) name = std::string(context.text(known.en, known.zh));
  }
  if (scope == "customer") name += std::string(context.text(" per customer", "(按客户)"));
  return name;
}

std::string rule_text(const SectionContext& context, const nlohmann::json& outliers) {
  const double k = outliers.value("k", 0.0);
  const std::string method = outliers.value("method", std::string());
  if (method == "z") {
    return fmt::format(fmt::runtime(context.text("|z| > {} (mean and sample standard deviation)",
                                                 "|z| > {}(均值与样本标准差)")),
                       format_stat(k));
  }
  return fmt::format(
      fmt::runtime(context.text("outside Q1 − {0}·IQR … Q3 + {0}·IQR (quartiles by linear "
                                "interpolation)",
                                "超出 Q1 − {0}·IQR … Q3 + {0}·IQR(四分位数按线性插值)")),
      format_stat(k));
}

std::string action_text(const SectionContext& context, const std::string& action) {
  if (action == "drop") return std::string(context.text("dropped", "已剔除"));
  if (action == "cap") return std::string(context.text("capped to the bounds", "已截尾到边界"));
  return std::string(context.text("flagged, kept in the analysis", "仅标记,仍参与分析"));
}

std::optional<Section> build_outliers(const SectionContext& context) {
  const nlohmann::json* outliers = context.find("/audit/outliers");
  if (outliers == nullptr) outliers = context.find("/profile/input/outliers");
  if (outliers == nullptr || !outliers->is_object()) return std::nullopt;
  const nlohmann::json* all_fields =
      context.find(outliers == context.find("/audit/outliers") ? "/audit/outliers/fields"
                                                               : "/profile/input/outliers/fields");
  if (all_fields == nullptr || !all_fields->is_array()) return std::nullopt;
  // A field with no value has no box to draw (and no statistics in the summary).
  std::vector<const nlohmann::json*> fields;
  for (const nlohmann::json& field : *all_fields) {
    if (field.value("count", std::int64_t{0}) > 0 && field.contains("q1")) fields.push_back(&field);
  }
  if (fields.empty()) return std::nullopt;

  Section section;
  section.title = context.text("Outliers", "异常值");
  SectionTable& table = section.table;
  // What a narrow screen shows first: the field, its bounds and counts; then the quartiles.
  table.columns = {std::string(context.text("Field", "字段")),
                   std::string(context.text("Values", "数值个数")),
                   std::string(context.text("Lower bound", "下界")),
                   std::string(context.text("Upper bound", "上界")),
                   std::string(context.text("Below", "低于下界")),
                   std::string(context.text("Above", "高于上界")),
                   std::string(context.text("Q1", "Q1")),
                   std::string(context.text("Median", "中位数")),
                   std::string(context.text("Q3", "Q3"))};
  table.formats = {CellFormat::kText,   CellFormat::kInteger, CellFormat::kNumber,
                   CellFormat::kNumber, CellFormat::kInteger, CellFormat::kInteger,
                   CellFormat::kNumber, CellFormat::kNumber,  CellFormat::kNumber};

  // One grid per field, stacked: each field on its own scale (quantities and amounts differ by
  // orders of magnitude). The whiskers stop at the bounds (or the data's extremes inside them).
  nlohmann::json grids = nlohmann::json::array();
  nlohmann::json x_axes = nlohmann::json::array();
  nlohmann::json y_axes = nlohmann::json::array();
  nlohmann::json series = nlohmann::json::array();
  const std::string box_name(context.text("box plot", "箱线图"));
  const std::string extreme_name(context.text("extreme beyond a bound", "超出边界的极值"));
  int index = 0;
  // Rows fill the page's 380 px chart; more fields make the chart taller.
  const int row_height = std::max(kRowHeight, 364 / static_cast<int>(fields.size()));
  for (const nlohmann::json* field : fields) {
    const std::string label = field_label(context, field->at("field").get<std::string>(),
                                          field->value("scope", std::string("line")));
    const double min = field->at("min").get<double>(), max = field->at("max").get<double>();
    const double lower = field->at("lower").get<double>(), upper = field->at("upper").get<double>();
    const double q1 = field->at("q1").get<double>(), q3 = field->at("q3").get<double>();
    const double median = field->at("median").get<double>();
    const auto count = field->at("count").get<std::int64_t>();
    const auto below = field->at("below").get<std::int64_t>();
    const auto above = field->at("above").get<std::int64_t>();
    table.rows.push_back({label, count, lower, upper, below, above, q1, median, q3});

    // The axis spans the whiskers with a margin, not the extremes: one far value would squash
    // the box to a line. An extreme beyond a bound sits at the axis edge, labelled with its value.
    const double low_whisker = std::max(min, lower), high_whisker = std::min(max, upper);
    const double span = high_whisker - low_whisker;
    const double pad = span > 0 ? 0.12 * span : std::max(1.0, std::abs(high_whisker) * 0.1);
    const double axis_min = low_whisker - pad, axis_max = high_whisker + pad;
    grids.push_back({{"left", 8},
                     {"right", 40},
                     {"top", 24 + index * row_height},
                     {"height", row_height - 48},
                     {"containLabel", true}});
    x_axes.push_back(
        {{"type", "value"},
         {"gridIndex", index},
         {"min", chart_money(axis_min)},
         {"max", chart_money(axis_max)},
         // The padded ends are not data: no label at them.
         {"axisLabel", {{"hideOverlap", true}, {"showMinLabel", false}, {"showMaxLabel", false}}},
         {"splitLine", {{"show", false}}}});
    y_axes.push_back({{"type", "category"},
                      {"gridIndex", index},
                      {"data", nlohmann::json::array({label})},
                      // Drawn at the value 0 it would read as a whisker; the label is enough.
                      {"axisLine", {{"show", false}}},
                      {"axisTick", {{"show", false}}},
                      {"axisLabel", {{"width", 120}, {"overflow", "break"}}}});
    series.push_back({{"name", box_name},
                      {"type", "boxplot"},
                      {"xAxisIndex", index},
                      {"yAxisIndex", index},
                      {"data", nlohmann::json::array({nlohmann::json::array(
                                   {chart_money(low_whisker), chart_money(q1), chart_money(median),
                                    chart_money(q3), chart_money(high_whisker)})})}});
    nlohmann::json extremes = nlohmann::json::array();
    // The label runs inwards from its point at the axis edge, so that it stays on the canvas.
    auto extreme = [&](double value, double at, const char* align, std::string_view word) {
      extremes.push_back({{"value", nlohmann::json::array({chart_money(at), 0})},
                          {"label",
                           {{"show", true},
                            {"position", "top"},
                            {"align", align},
                            {"formatter", fmt::format("{} {}", word, format_money(value))}}}});
    };
    if (min < lower) extreme(min, axis_min, "left", context.text("min", "最小值"));
    if (max > upper) extreme(max, axis_max, "right", context.text("max", "最大值"));
    series.push_back({{"name", extreme_name},
                      {"type", "scatter"},
                      {"xAxisIndex", index},
                      {"yAxisIndex", index},
                      {"itemStyle", {{"color", kOutlierColor}}},
                      {"data", std::move(extremes)}});
    ++index;
  }
  section.chart = {{"tooltip", {{"trigger", "item"}}},
                   {"grid", std::move(grids)},
                   {"xAxis", std::move(x_axes)},
                   {"yAxis", std::move(y_axes)},
                   {"series", std::move(series)}};
  if (32 + index * row_height > 380) section.chart_height = 32 + index * row_height;

  const std::string action = outliers->value("action", std::string("flag"));
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("Rule: values {}; {}. Checked after the other cleaning rules, on "
                                "the rows they kept.",
                                "规则:数值{};{}。在其他清洗规则之后、对保留的行进行检查。")),
      rule_text(context, *outliers), action_text(context, action)));
  std::size_t fields_with_outliers = 0;
  for (const nlohmann::json* field : fields) {
    const auto below = field->at("below").get<std::int64_t>();
    const auto above = field->at("above").get<std::int64_t>();
    if (below + above == 0) continue;
    ++fields_with_outliers;
    const auto count = field->at("count").get<std::int64_t>();
    const std::string label = field_label(context, field->at("field").get<std::string>(),
                                          field->value("scope", std::string("line")));
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("{0}: {1} of {2} values ({3}) outside [{4}, {5}]: {6} below, "
                                  "{7} above.",
                                  "{0}:{2} 个数值中有 {1} 个({3})超出 [{4}, {5}]:低于下界 {6} "
                                  "个,高于上界 {7} 个。")),
        label, format_count(below + above), format_count(count),
        format_share(static_cast<double>(below + above) / static_cast<double>(count)),
        format_stat(field->at("lower").get<double>()),
        format_stat(field->at("upper").get<double>()), format_count(below), format_count(above)));
  }
  if (fields_with_outliers == 0) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("No value of the {} fields lies outside its bounds.",
                                              "{} 个字段都没有超出边界的数值。")),
                    fields.size()));
  }
  if (outliers->value("rows_dropped", std::int64_t{0}) > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("{} rows were dropped as outliers (rule outlier:<field> in "
                                  "rejects.csv).",
                                  "{} 行作为异常值被剔除(rejects.csv 中的规则 outlier:<字段>)。")),
        format_count(outliers->at("rows_dropped").get<std::int64_t>())));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(outliers, 15, build_outliers);

}  // namespace custlens::report
