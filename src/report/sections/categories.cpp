// Section `categories`: revenue by product category, the leading one and the uncategorised rest.
#include <fmt/format.h>

#include "report/sections/charts.h"

namespace custlens::report {
namespace {

constexpr std::size_t kChartedCategories = 15;
// The bucket for descriptions that match no keyword (analysis/patterns.cpp).
constexpr std::string_view kOther = "Other";

std::optional<Section> build_categories(const SectionContext& context) {
  const nlohmann::json* categories = context.find("/patterns/categories");
  if (categories == nullptr || !categories->is_array() || categories->empty()) return std::nullopt;

  Section section;
  section.title = context.text("Product categories", "商品品类");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Category", "品类")),
                   std::string(context.text("Revenue", "收入")),
                   std::string(context.text("Order lines", "订单行数")),
                   std::string(context.text("Revenue share", "收入占比"))};
  table.formats = {CellFormat::kText, CellFormat::kMoney, CellFormat::kInteger,
                   CellFormat::kPercent};
  std::vector<std::string> labels;
  std::vector<double> percent;
  const nlohmann::json* other = nullptr;
  for (const nlohmann::json& category : *categories) {
    std::string name = category.at("category").get<std::string>();
    if (name == kOther) {
      other = &category;
      name = context.text("Other", "其他");
    }
    table.rows.push_back(
        {name, category.at("revenue"), category.at("lines"), category.at("revenue_share")});
    if (labels.size() < kChartedCategories) {
      labels.push_back(name);
      percent.push_back(chart_percent(category.at("revenue_share").get<double>()));
    }
  }
  section.chart = ranked_share_chart(context.text("Revenue share", "收入占比"), labels, percent);

  const nlohmann::json& top = categories->front();
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("{} is the largest category: {} of revenue ({} order lines).",
                                "{}是最大的品类:占收入的 {}({} 个订单行)。")),
      table.rows[0][0].get<std::string>(), format_share(top.at("revenue_share").get<double>()),
      format_count(top.at("lines").get<std::int64_t>())));
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("{} categories in all.", "共 {} 个品类。")), categories->size()));
  if (other != nullptr) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text(
                        "{} of revenue is in no category (Other); a keyword map "
                        "(--categories) can place it.",
                        "{} 的收入未归入任何品类(其他);可用关键词表(--categories)细分。")),
                    format_share(other->at("revenue_share").get<double>())));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(categories, 90, build_categories);

}  // namespace custlens::report
