// Sections `profile_tier_category`, `profile_quadrant` and `profile_cross` of a customer-profile
// summary: preferred-category penetration per tier (heat map, top 3), the penetration × order
// value quadrant of every tier × category cell, and category × interest pairs with lift.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "report/sections/profile_common.h"
#include "report/sections/section.h"

namespace custlens::report {
namespace {

using nlohmann::json;

// Tier ids in the order of profile.tiers.counts, then any other id met in `cells`.
std::vector<std::string> tier_order(const SectionContext& context, const json& cells) {
  std::vector<std::string> ids;
  if (const json* counts = context.find("/profile/tiers/counts")) {
    for (const json& tier : *counts) ids.push_back(tier.at("id").get<std::string>());
  }
  for (const json& cell : cells) {
    const std::string id = cell.at("tier").get<std::string>();
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

std::string quadrant_name(const SectionContext& context, const std::string& quadrant) {
  if (quadrant == "star") return std::string(context.text("Star", "明星"));
  if (quadrant == "question") return std::string(context.text("Question mark", "问题"));
  if (quadrant == "cash_cow") return std::string(context.text("Cash cow", "金牛"));
  if (quadrant == "dog") return std::string(context.text("Dog", "瘦狗"));
  return quadrant;
}

std::optional<Section> build_tier_category(const SectionContext& context) {
  const json* cells = context.find("/profile/tier_category/cells");
  if (cells == nullptr || cells->empty()) return std::nullopt;
  std::vector<std::string> categories;
  for (const json& cell : *cells) {
    const std::string category = cell.at("category").get<std::string>();
    if (std::find(categories.begin(), categories.end(), category) == categories.end()) {
      categories.push_back(category);
    }
  }
  std::sort(categories.begin(), categories.end());
  const std::vector<std::string> tiers = tier_order(context, *cells);

  Section section;
  section.title = std::string(context.text("Preferred categories by tier", "各层级偏好品类"));
  json tier_labels = json::array();
  for (const std::string& id : tiers) tier_labels.push_back(profile_tier_name(context, id));
  json data = json::array();
  double highest = 0;
  const json* top_cell = &cells->front();
  for (const json& cell : *cells) {
    const auto x =
        std::find(categories.begin(), categories.end(), cell.at("category").get<std::string>()) -
        categories.begin();
    const auto y =
        std::find(tiers.begin(), tiers.end(), cell.at("tier").get<std::string>()) - tiers.begin();
    const double penetration = cell.at("penetration").get<double>();
    data.push_back({x, y, chart_percent(penetration)});
    if (penetration > highest) {
      highest = penetration;
      top_cell = &cell;
    }
  }
  section.chart = {
      {"tooltip", {{"trigger", "item"}}},
      {"grid", profile_grid(16)},
      {"xAxis", category_axis(categories)},
      {"yAxis", category_axis(tier_labels)},
      {"visualMap",
       {{"min", 0},
        {"max", chart_percent(highest)},
        {"calculable", true},
        {"orient", "horizontal"},
        {"left", "center"},
        {"bottom", 0},
        {"inRange", {{"color", json::array({"#f4f7fb", "#3b6ea5"})}}}}},
      {"series", json::array({{{"name", std::string(context.text("Penetration (%)", "渗透率(%)"))},
                               {"type", "heatmap"},
                               {"label", {{"show", true}}},
                               {"data", std::move(data)}}})}};
  section.chart["grid"]["bottom"] = 56;

  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Tier", "层级")),
                   std::string(context.text("Top 3 categories", "前三偏好品类")),
                   std::string(context.text("Penetration", "渗透率")),
                   std::string(context.text("Mean order value", "平均客单价")),
                   std::string(context.text("Mean spend", "人均消费"))};
  table.formats = {CellFormat::kText, CellFormat::kText, CellFormat::kPercent, CellFormat::kMoney,
                   CellFormat::kMoney};
  const json* top = context.find("/profile/tier_category/top");
  for (const std::string& id : tiers) {
    if (top == nullptr || !top->contains(id)) continue;
    int rank = 0;
    for (const json& category : top->at(id)) {
      for (const json& cell : *cells) {
        if (cell.at("tier") != id || cell.at("category") != category) continue;
        table.rows.push_back({rank == 0 ? profile_tier_name(context, id) : std::string(),
                              fmt::format("{}. {}", rank + 1, category.get<std::string>()),
                              cell.at("penetration"), cell.at("mean_aov"),
                              cell.at("mean_monetary")});
      }
      ++rank;
    }
  }
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("The strongest preference: {} of {} prefer {}.",
                                "偏好最集中的是:{} 的{}偏好 {}。")),
      format_share(highest), profile_tier_name(context, top_cell->at("tier").get<std::string>()),
      top_cell->at("category").get<std::string>()));
  if (top != nullptr) {
    for (const std::string id : {"important", "core"}) {
      if (!top->contains(id) || top->at(id).empty()) continue;
      std::vector<std::string> names;
      for (const json& category : top->at(id)) names.push_back(category.get<std::string>());
      section.findings.push_back(fmt::format(
          fmt::runtime(context.text("{} prefer, in order: {}.", "{}的前三偏好品类:{}。")),
          profile_tier_name(context, id), fmt::join(names, ", ")));
    }
  }
  return section;
}

std::optional<Section> build_quadrant(const SectionContext& context) {
  const json* cells = context.find("/profile/tier_category/cells");
  const json* medians = context.find("/profile/tier_category/medians");
  if (cells == nullptr || medians == nullptr || !medians->is_object() || cells->empty()) {
    return std::nullopt;  // no order-value column: no quadrant
  }
  Section section;
  section.title = std::string(
      context.text("Category quadrant: penetration × order value", "品类四象限:渗透率 × 客单价"));
  const std::vector<std::string> quadrants = {"star", "question", "cash_cow", "dog"};
  json series = json::array();
  std::vector<std::vector<std::string>> members(quadrants.size());
  for (std::size_t q = 0; q < quadrants.size(); ++q) {
    json points = json::array();
    for (const json& cell : *cells) {
      if (cell.at("quadrant") != quadrants[q]) continue;
      const std::string label =
          fmt::format("{} · {}", profile_tier_name(context, cell.at("tier").get<std::string>()),
                      cell.at("category").get<std::string>());
      points.push_back({{"name", label},
                        {"value",
                         {chart_percent(cell.at("penetration").get<double>()),
                          chart_money(cell.at("mean_aov").get<double>())}}});
      members[q].push_back(label);
    }
    json one = {{"name", quadrant_name(context, quadrants[q])},
                {"type", "scatter"},
                {"symbolSize", 10},
                {"data", std::move(points)}};
    if (q == 0) {
      one["markLine"] = {
          {"symbol", "none"},
          {"silent", true},
          {"lineStyle", {{"type", "dashed"}, {"color", "#888"}}},
          {"label", {{"show", false}}},
          {"data",
           json::array({{{"xAxis", chart_percent(medians->at("penetration").get<double>())}},
                        {{"yAxis", chart_money(medians->at("mean_aov").get<double>())}}})}};
    }
    series.push_back(std::move(one));
  }
  section.chart = {{"tooltip", {{"trigger", "item"}}},
                   {"legend", {{"top", 0}}},
                   {"grid", profile_grid()},
                   {"xAxis",
                    {{"type", "value"},
                     {"scale", true},
                     {"name", std::string(context.text("Penetration (%)", "渗透率(%)"))},
                     {"nameLocation", "middle"},
                     {"nameGap", 24}}},
                   {"yAxis",
                    {{"type", "value"},
                     {"scale", true},
                     {"name", std::string(context.text("Mean order value", "平均客单价"))}}},
                   {"series", std::move(series)}};

  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Quadrant", "象限")),
                   std::string(context.text("Tier", "层级")),
                   std::string(context.text("Category", "品类")),
                   std::string(context.text("Customers", "客户数")),
                   std::string(context.text("Penetration", "渗透率")),
                   std::string(context.text("Mean order value", "平均客单价"))};
  table.formats = {CellFormat::kText,    CellFormat::kText,    CellFormat::kText,
                   CellFormat::kInteger, CellFormat::kPercent, CellFormat::kMoney};
  for (const std::string& quadrant : quadrants) {
    for (const json& cell : *cells) {
      if (cell.at("quadrant") != quadrant) continue;
      table.rows.push_back({quadrant_name(context, quadrant),
                            profile_tier_name(context, cell.at("tier").get<std::string>()),
                            cell.at("category"), cell.at("users"), cell.at("penetration"),
                            cell.at("mean_aov")});
    }
  }
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("Split at the medians: penetration {}, order value {}; {} star "
                                "cells, {} question marks, {} cash cows, {} dogs.",
                                "以中位数划分:渗透率 {},客单价 {};明星 {} 个,问题 {} 个,"
                                "金牛 {} 个,瘦狗 {} 个。")),
      format_share(medians->at("penetration").get<double>()),
      format_money(medians->at("mean_aov").get<double>()), members[0].size(), members[1].size(),
      members[2].size(), members[3].size()));
  if (!members[0].empty()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("Stars (defend and feature): {}.", "明星(重点维护与主推):{}。")),
        fmt::join(members[0], ", ")));
  }
  if (!members[1].empty()) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("Question marks (high value, few buyers: grow reach): {}.",
                                  "问题(客单价高但渗透低:扩大触达):{}。")),
        fmt::join(members[1], ", ")));
  }
  return section;
}

std::optional<Section> build_cross(const SectionContext& context) {
  const json* cross = context.find("/profile/tier_category/cross");
  if (cross == nullptr || !cross->is_array() || cross->empty()) return std::nullopt;
  Section section;
  section.title = std::string(context.text("Cross-category opportunities (category × interest)",
                                           "交叉品类机会(品类 × 兴趣)"));
  json labels = json::array(), lifts = json::array();
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Tier", "层级")),
                   std::string(context.text("Category", "品类")),
                   std::string(context.text("Interest", "兴趣")),
                   std::string(context.text("Customers", "客户数")),
                   std::string(context.text("Support", "支持度")),
                   std::string(context.text("Lift", "提升度"))};
  table.formats = {CellFormat::kText,    CellFormat::kText,    CellFormat::kText,
                   CellFormat::kInteger, CellFormat::kPercent, CellFormat::kNumber};
  const json* best = &cross->front();
  for (const json& pair : *cross) {
    const std::string tier = profile_tier_name(context, pair.at("tier").get<std::string>());
    labels.push_back(fmt::format("{} · {} + {}", tier, pair.at("category").get<std::string>(),
                                 pair.at("interest").get<std::string>()));
    lifts.push_back(std::round(pair.at("lift").get<double>() * 100) / 100);
    table.rows.push_back({tier, pair.at("category"), pair.at("interest"), pair.at("users"),
                          pair.at("support"), pair.at("lift")});
    if (pair.at("lift").get<double>() > best->at("lift").get<double>()) best = &pair;
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"grid", {{"left", 8}, {"right", 24}, {"top", 16}, {"bottom", 28}, {"containLabel", true}}},
      {"xAxis", {{"type", "value"}, {"name", std::string(context.text("Lift", "提升度"))}}},
      {"yAxis",
       {{"type", "category"},
        {"data", labels},
        {"inverse", true},
        {"axisLabel", {{"interval", 0}, {"width", 260}, {"overflow", "truncate"}}}}},
      {"series", json::array({{{"name", std::string(context.text("Lift", "提升度"))},
                               {"type", "bar"},
                               {"data", lifts},
                               {"markLine",
                                {{"symbol", "none"},
                                 {"silent", true},
                                 {"lineStyle", {{"type", "dashed"}, {"color", "#888"}}},
                                 {"label", {{"show", false}}},
                                 {"data", json::array({{{"xAxis", 1}}})}}}}})}};
  section.chart_height = std::max(380, static_cast<int>(cross->size()) * 22 + 70);
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("Among {0}, customers who prefer {1} are {2} times as likely as "
                                "the tier's average to be interested in {3} ({4} customers): "
                                "bundle or cross-promote the two.",
                                "在{0}中,偏好 {1} 的客户对 {3} 感兴趣的可能性是该层级平均的 {2} 倍"
                                "({4} 人):可组合推荐或交叉促销。")),
      profile_tier_name(context, best->at("tier").get<std::string>()),
      best->at("category").get<std::string>(), format_stat(best->at("lift").get<double>()),
      best->at("interest").get<std::string>(), best->at("users").get<int>()));
  section.findings.push_back(std::string(context.text(
      "A customer states one preferred category, so pairs join that category with the "
      "customer's interest; listed when lift > 1 and at least 5 customers share the pair.",
      "每位客户只有一个偏好品类,因此将该品类与客户兴趣配对;仅列出提升度大于 1 且至少 5 "
      "位客户的组合。")));
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(profile_tier_category, 330, build_tier_category);
CUSTLENS_REGISTER_SECTION(profile_quadrant, 340, build_quadrant);
CUSTLENS_REGISTER_SECTION(profile_cross, 345, build_cross);

}  // namespace custlens::report
