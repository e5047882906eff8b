// Section `events_categories`: the 20 categories with the most page views (`categories`), their
// users, purchases and conversion (buys / pv); `events_items` draws the items' table with it.
#include <fmt/format.h>

#include "report/sections/events_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

struct KeyWords {
  const char* key;  // the events object's array
  const char* title_en;
  const char* title_zh;
  const char* column_en;
  const char* column_zh;
};

constexpr KeyWords kCategories{"categories", "Top categories: views, purchases and conversion",
                               "热门品类：浏览、购买与转化", "Category", "品类"};
constexpr KeyWords kItems{"items", "Top items: views, purchases and conversion",
                          "热门商品：浏览、购买与转化", "Item", "商品"};

}  // namespace

std::optional<Section> build_events_key_table(const SectionContext& context, bool items) {
  const KeyWords& words = items ? kItems : kCategories;
  const json* events = events_root(context);
  const json* keys = events == nullptr ? nullptr : events_array(*events, words.key);
  if (keys == nullptr || keys->empty()) return std::nullopt;
  const std::int64_t pv_total = events_count(events->value("kpis", json::object()), "pv");
  const std::string name(context.text(words.column_en, words.column_zh));

  Section section;
  section.title = context.text(words.title_en, words.title_zh);
  SectionTable& table = section.table;
  table.columns = {name,
                   "PV",
                   std::string(context.text("Users", "用户数")),
                   std::string(context.text("Purchases", "购买次数")),
                   std::string(context.text("Buyers", "购买用户数")),
                   std::string(context.text("Conversion (buys / PV)", "转化率（购买 / 浏览）"))};
  table.formats = {CellFormat::kText,    CellFormat::kInteger, CellFormat::kInteger,
                   CellFormat::kInteger, CellFormat::kInteger, CellFormat::kPercent};
  json labels = json::array();
  json pv = json::array();
  json buys = json::array();
  const json* best = nullptr;
  std::size_t without_buys = 0;
  std::int64_t listed_pv = 0;
  for (const json& key : *keys) {
    const std::string label = events_text(key, "key");
    table.rows.push_back({label, events_count(key, "pv"), events_count(key, "users"),
                          events_count(key, "buys"), events_count(key, "buy_users"),
                          key.value("conversion", json())});
    labels.push_back(label);
    pv.push_back(events_count(key, "pv"));
    buys.push_back(events_count(key, "buys"));
    listed_pv += events_count(key, "pv");
    if (events_count(key, "buys") == 0) ++without_buys;
    const std::optional<double> conversion = events_number(key, "conversion");
    if (conversion && events_count(key, "buys") > 0 &&
        (best == nullptr || *conversion > *events_number(*best, "conversion"))) {
      best = &key;
    }
  }
  if (std::string(words.key) == "categories") {
    section.chart = {
        {"tooltip", {{"trigger", "axis"}}},
        {"legend", {{"top", 0}}},
        {"grid", {{"left", 8}, {"right", 32}, {"top", 36}, {"bottom", 8}, {"containLabel", true}}},
        {"xAxis", json::array({{{"type", "value"}, {"name", "PV"}},
                               {{"type", "value"},
                                {"name", std::string(context.text("Purchases", "购买次数"))},
                                {"splitLine", {{"show", false}}}}})},
        {"yAxis", {{"type", "category"}, {"inverse", true}, {"data", std::move(labels)}}},
        {"series", json::array({{{"name", "PV"},
                                 {"type", "bar"},
                                 {"itemStyle", {{"color", "#7fa7cf"}}},
                                 {"data", std::move(pv)}},
                                {{"name", std::string(context.text("Purchases", "购买次数"))},
                                 {"type", "bar"},
                                 {"xAxisIndex", 1},
                                 {"itemStyle", {{"color", "#3b6ea5"}}},
                                 {"data", std::move(buys)}}})}};
    section.chart_height = std::max(380, 80 + 22 * static_cast<int>(keys->size()));
  } else {
    section.chart = nullptr;
  }

  const json& top = keys->front();
  if (pv_total > 0 && events_count(top, "pv") > 0) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text(
                        "{} {} draws the most page views: {}, {} of all; the {} listed "
                        "draw {}.",
                        "{0} {1} 的浏览最多：{2} 次，占全部的 {3}；所列 {4} 个共占 {5}。")),
                    name, events_text(top, "key"), format_count(events_count(top, "pv")),
                    format_share(events_share(events_count(top, "pv"), pv_total)), keys->size(),
                    format_share(events_share(listed_pv, pv_total))));
  }
  if (best != nullptr) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("Of these, {} converts best: {} purchases on {} page views "
                                  "({}).",
                                  "其中 {0} 的转化最高：{2} 次浏览带来 {1} 次购买（{3}）。")),
        events_text(*best, "key"), format_count(events_count(*best, "buys")),
        format_count(events_count(*best, "pv")),
        format_share(*events_number(*best, "conversion"))));
  }
  if (without_buys > 0) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("{} of the {} listed have no purchase.",
                                              "所列 {1} 个中有 {0} 个没有购买。")),
                    without_buys, keys->size()));
  }
  return section;
}

namespace {

std::optional<Section> build_events_categories(const SectionContext& context) {
  return build_events_key_table(context, false);
}

}  // namespace

CUSTLENS_REGISTER_SECTION(events_categories, 750, build_events_categories);

}  // namespace custlens::report
