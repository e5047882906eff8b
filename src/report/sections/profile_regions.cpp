// Sections `profile_regions`, `profile_tier_region` and `profile_chi_square` of a customer-profile
// summary: users, spend and behaviour per region with rankings (and the regional playbook), each
// region's tier mix, and the chi-square tests that say which differences are significant.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <string>
#include <vector>

#include "report/sections/profile_common.h"
#include "report/sections/section.h"

namespace custlens::report {
namespace {

using nlohmann::json;

std::string ranking_text(const json& regions) {
  std::vector<std::string> names;
  for (const json& region : regions) names.push_back(region.get<std::string>());
  return fmt::format("{}", fmt::join(names, " > "));
}

std::string dimension_name(const SectionContext& context, const std::string& dimension) {
  if (dimension == "tier") return std::string(context.text("tier", "层级"));
  if (dimension == "gender") return std::string(context.text("gender", "性别"));
  if (dimension == "category") return std::string(context.text("preferred category", "偏好品类"));
  if (dimension == "interest") return std::string(context.text("interest", "兴趣"));
  if (dimension == "region") return std::string(context.text("region", "地区"));
  return dimension;
}

std::optional<Section> build_regions(const SectionContext& context) {
  const json* regions = context.find("/profile/regions/regions");
  if (regions == nullptr || regions->empty()) return std::nullopt;
  const json* plays = context.find("/profile/playbook/regions");
  Section section;
  section.title = std::string(context.text("Regions", "地区分析"));
  json names = json::array(), users = json::array(), spend = json::array();
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Region", "地区")),
                   std::string(context.text("Customers", "客户数")),
                   std::string(context.text("Share", "占比")),
                   std::string(context.text("Spend per customer", "人均消费")),
                   std::string(context.text("vs best region", "相对最高地区")),
                   std::string(context.text("Purchase frequency", "购买频率")),
                   std::string(context.text("Minutes on site", "在线时长(分钟)")),
                   std::string(context.text("Pages viewed", "浏览页数")),
                   std::string(context.text("Mean age", "平均年龄")),
                   std::string(context.text("Top category", "首选品类")),
                   std::string(context.text("Top interest", "首要兴趣")),
                   std::string(context.text("Gender split", "性别构成"))};
  table.formats = {CellFormat::kText,   CellFormat::kInteger, CellFormat::kPercent,
                   CellFormat::kMoney,  CellFormat::kPercent, CellFormat::kNumber,
                   CellFormat::kNumber, CellFormat::kNumber,  CellFormat::kNumber,
                   CellFormat::kText,   CellFormat::kText,    CellFormat::kList};
  for (const json& region : *regions) {
    const std::string name = region.at("region").get<std::string>();
    names.push_back(name);
    users.push_back(region.at("users"));
    spend.push_back(chart_money(region.at("per_capita_spend").get<double>()));
    json genders = json::array();
    if (region.contains("gender_split") && region.at("gender_split").is_object()) {
      for (const auto& [gender, share] : region.at("gender_split").items()) {
        genders.push_back(fmt::format("{} {}", gender, format_share(share.get<double>())));
      }
    }
    // "Books (22.3%)", or empty when the table has no such column.
    auto top = [&](const char* level, const char* share) -> json {
      if (!region.contains(level) || !region.at(level).is_string()) return "";
      return fmt::format("{} ({})", region.at(level).get<std::string>(),
                         format_share(region.at(share).get<double>()));
    };
    json row = {name,
                region.at("users"),
                region.at("share"),
                region.at("per_capita_spend"),
                region.at("per_capita_spend_ratio"),
                region.at("mean_frequency"),
                region.at("mean_time_on_site"),
                region.at("mean_pages"),
                region.at("mean_age"),
                top("top_category", "top_category_share"),
                top("top_interest", "top_interest_share"),
                std::move(genders)};
    table.rows.push_back(std::move(row));
    // The regional playbook is prose: one card per region below the table.
    if (plays != nullptr) {
      SectionCard card{name, {}};
      for (const json& play : *plays) {
        if (play.value("region", std::string()) != name) continue;
        for (const PlaybookField& field : kPlaybookFields) {
          if (!play.contains(field.key)) continue;
          std::string text = play.at(field.key).value(context.lang == Lang::kZh ? "zh" : "en", "");
          if (!text.empty()) {
            card.fields.push_back(
                {std::string(context.text(field.en, field.zh)), {std::move(text)}});
          }
        }
      }
      if (!card.fields.empty()) section.cards.push_back(std::move(card));
    }
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", profile_grid()},
      {"xAxis", category_axis(names)},
      {"yAxis",
       json::array({{{"type", "value"}, {"name", std::string(context.text("Customers", "客户数"))}},
                    {{"type", "value"},
                     {"name", std::string(context.text("Spend per customer", "人均消费"))}}})},
      {"series",
       json::array({{{"name", std::string(context.text("Customers", "客户数"))},
                     {"type", "bar"},
                     {"data", users}},
                    {{"name", std::string(context.text("Spend per customer", "人均消费"))},
                     {"type", "line"},
                     {"yAxisIndex", 1},
                     {"data", spend}}})}};

  const json* rankings = context.find("/profile/regions/rankings");
  if (rankings != nullptr) {
    const std::vector<std::pair<std::string, std::string>> measures = {
        {"per_capita_spend", std::string(context.text("Spend per customer", "人均消费"))},
        {"frequency", std::string(context.text("Purchase frequency", "购买频率"))},
        {"time_on_site", std::string(context.text("Time on site", "在线时长"))},
        {"pages", std::string(context.text("Pages viewed", "浏览页数"))}};
    std::vector<std::string> parts;
    for (const auto& [key, label] : measures) {
      if (rankings->contains(key)) {
        parts.push_back(fmt::format("{}: {}", label, ranking_text(rankings->at(key))));
      }
    }
    section.findings.push_back(fmt::format("{}{}",
                                           fmt::join(parts, context.lang == Lang::kZh ? ";" : "; "),
                                           context.lang == Lang::kZh ? "。" : "."));
  }
  const json* lowest = &regions->front();
  for (const json& region : *regions) {
    if (region.at("per_capita_spend_ratio").get<double>() <
        lowest->at("per_capita_spend_ratio").get<double>()) {
      lowest = &region;
    }
  }
  section.findings.push_back(
      fmt::format(fmt::runtime(context.text("{} spends {} per customer, {} of the best region.",
                                            "{}人均消费 {},为最高地区的 {}。")),
                  lowest->at("region").get<std::string>(),
                  format_money(lowest->at("per_capita_spend").get<double>()),
                  format_share(lowest->at("per_capita_spend_ratio").get<double>())));
  const json& largest = regions->front();
  if (largest.contains("top_category") && largest.at("top_category").is_string()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("The largest region, {}, has {} of customers; its top category "
                                  "is {}.",
                                  "最大的地区 {} 拥有 {} 的客户,首选品类为 {}。")),
        largest.at("region").get<std::string>(), format_share(largest.at("share").get<double>()),
        largest.at("top_category").get<std::string>()));
  } else {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("The largest region, {}, has {} of customers.",
                                  "最大的地区 {} 拥有 {} 的客户。")),
        largest.at("region").get<std::string>(), format_share(largest.at("share").get<double>())));
  }
  return section;
}

std::optional<Section> build_tier_region(const SectionContext& context) {
  const json* by_region = context.find("/profile/tier_region/by_region");
  const json* counts = context.find("/profile/tiers/counts");
  if (by_region == nullptr || counts == nullptr || by_region->empty()) return std::nullopt;
  Section section;
  section.title = std::string(context.text("Tier mix by region", "各地区客户层级构成"));
  json regions = json::array();
  for (const json& region : *by_region) regions.push_back(region.at("region"));
  json series = json::array();
  for (const json& tier : *counts) {
    const std::string id = tier.at("id").get<std::string>();
    json data = json::array();
    for (const json& region : *by_region) {
      data.push_back(chart_percent(region.at("shares").value(id, 0.0)));
    }
    series.push_back({{"name", profile_tier_name(context, id)},
                      {"type", "bar"},
                      {"stack", "tiers"},
                      {"data", std::move(data)}});
  }
  section.chart = {{"tooltip", {{"trigger", "axis"}}},
                   {"legend", {{"top", 0}}},
                   {"grid", profile_grid()},
                   {"xAxis", category_axis(regions)},
                   {"yAxis", {{"type", "value"}, {"max", 100}, {"name", "%"}}},
                   {"series", std::move(series)}};
  SectionTable& table = section.table;
  table.columns = {
      std::string(context.text("Region", "地区")), std::string(context.text("Customers", "客户数")),
      std::string(context.text("High value (Important + Core)", "高价值(重要 + 核心)")),
      std::string(context.text("Lost", "流失")), std::string(context.text("Potential", "潜力"))};
  table.formats = {CellFormat::kText, CellFormat::kInteger, CellFormat::kPercent,
                   CellFormat::kPercent, CellFormat::kPercent};
  const json* best = &by_region->front();
  const json* churn = &by_region->front();
  for (const json& region : *by_region) {
    table.rows.push_back({region.at("region"), region.at("users"), region.at("high_value_share"),
                          region.at("churn_share"), region.at("potential_share")});
    if (region.at("high_value_share").get<double>() > best->at("high_value_share").get<double>()) {
      best = &region;
    }
    if (region.at("churn_share").get<double>() > churn->at("churn_share").get<double>()) {
      churn = &region;
    }
  }
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("{} has the largest high-value share: {} of its customers are "
                                "Important or Core.",
                                "{}的高价值客户占比最高:{} 的客户为重要或核心客户。")),
      best->at("region").get<std::string>(),
      format_share(best->at("high_value_share").get<double>())));
  section.findings.push_back(
      fmt::format(fmt::runtime(context.text("{} has the largest churn share ({} Lost).",
                                            "{}的流失客户占比最高({})。")),
                  churn->at("region").get<std::string>(),
                  format_share(churn->at("churn_share").get<double>())));
  // Whether the mix differs at all: the tier × region chi-square test, when there is one.
  if (const json* tests = context.find("/profile/chi_square")) {
    for (const json& test : *tests) {
      if (test.value("rows", std::string()) != "tier") continue;
      section.findings.push_back(fmt::format(
          fmt::runtime(test.at("significant").get<bool>()
                           ? context.text("The tier mix differs between regions (χ² = {}, {}).",
                                          "各地区的层级构成存在显著差异(χ² = {},{})。")
                           : context.text("These differences are within chance: the tier mix "
                                          "does not differ significantly between regions "
                                          "(χ² = {}, {}).",
                                          "上述差异在随机波动范围内:各地区的层级构成没有显著差异"
                                          "(χ² = {},{})。")),
          format_stat(test.at("statistic").get<double>()),
          format_p(test.at("p_value").get<double>())));
    }
  }
  return section;
}

std::optional<Section> build_chi_square(const SectionContext& context) {
  const json* tests = context.find("/profile/chi_square");
  if (tests == nullptr || tests->empty()) return std::nullopt;
  Section section;
  section.title = std::string(
      context.text("Are the differences significant? Chi-square tests", "差异是否显著:卡方检验"));
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Test", "检验")),
                   "χ²",
                   std::string(context.text("df", "自由度")),
                   "p",
                   std::string(context.text("Cramér's V", "Cramér's V")),
                   std::string(context.text("Smallest expected count", "最小期望频数")),
                   std::string(context.text("Significant at 5%", "5% 水平显著"))};
  table.formats = {CellFormat::kText,      CellFormat::kStatistic, CellFormat::kInteger,
                   CellFormat::kStatistic, CellFormat::kStatistic, CellFormat::kNumber,
                   CellFormat::kText};
  json labels = json::array(), strength = json::array();
  std::vector<std::string> significant, not_significant, sparse;
  for (const json& test : *tests) {
    const std::string label =
        fmt::format("{} × {}", dimension_name(context, test.at("rows").get<std::string>()),
                    dimension_name(context, test.at("columns").get<std::string>()));
    const bool is_significant = test.at("significant").get<bool>();
    table.rows.push_back(
        {label, test.at("statistic"), test.at("dof"), test.at("p_value"), test.at("cramers_v"),
         test.at("min_expected"),
         std::string(is_significant ? context.text("yes", "是") : context.text("no", "否"))});
    labels.push_back(label);
    strength.push_back(std::round(test.at("cramers_v").get<double>() * 1000) / 1000);
    const std::string text =
        fmt::format("{} ({})", label, format_p(test.at("p_value").get<double>()));
    (is_significant ? significant : not_significant).push_back(text);
    const double cells =
        static_cast<double>(test.at("row_levels").get<int>()) * test.at("column_levels").get<int>();
    if (cells > 0 && test.at("cells_below_5").get<double>() / cells > 0.2) sparse.push_back(label);
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"grid", profile_grid(16)},
      {"xAxis", category_axis(labels)},
      {"yAxis", {{"type", "value"}, {"name", "Cramér's V"}, {"min", 0}}},
      {"series", json::array({{{"name", "Cramér's V"}, {"type", "bar"}, {"data", strength}}})}};
  const std::string none(context.text("none", "无"));
  section.findings.push_back(
      fmt::format(fmt::runtime(context.text("Significant at 5%: {}.", "在 5% 水平显著:{}。")),
                  significant.empty() ? none : fmt::format("{}", fmt::join(significant, ", "))));
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("Not significant (differences within chance): {}.",
                                "不显著(差异在随机波动范围内):{}。")),
      not_significant.empty() ? none : fmt::format("{}", fmt::join(not_significant, ", "))));
  if (!sparse.empty()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("Over 20% of the expected counts are below 5 in {}: read those "
                                  "p-values with care.",
                                  "{} 中超过 20% 的期望频数小于 5:其 p 值需谨慎解读。")),
        fmt::join(sparse, ", ")));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(profile_regions, 350, build_regions);
CUSTLENS_REGISTER_SECTION(profile_tier_region, 360, build_tier_region);
CUSTLENS_REGISTER_SECTION(profile_chi_square, 370, build_chi_square);

}  // namespace custlens::report
