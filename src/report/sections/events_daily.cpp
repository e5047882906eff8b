// Section `events_daily`: page views, visitors, purchases and buyers per local day (`days`).
#include <fmt/format.h>

#include "report/sections/events_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

std::optional<Section> build_events_daily(const SectionContext& context) {
  const json* events = events_root(context);
  const json* days = events == nullptr ? nullptr : events_array(*events, "days");
  if (days == nullptr || days->empty()) return std::nullopt;
  const std::string tz = events_tz(*events);

  Section section;
  section.title = fmt::format(fmt::runtime(context.text("Daily PV, UV and purchases ({})",
                                                        "每日浏览量、访客数与购买（{}）")),
                              tz);
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Day", "日期")), "PV", "UV",
                   std::string(context.text("Purchases", "购买次数")),
                   std::string(context.text("Buyers", "购买用户数"))};
  table.formats = {CellFormat::kText, CellFormat::kInteger, CellFormat::kInteger,
                   CellFormat::kInteger, CellFormat::kInteger};
  json labels = json::array();
  json pv = json::array();
  json uv = json::array();
  json buys = json::array();
  const json* busiest = nullptr;
  const json* most_buys = nullptr;
  std::int64_t pv_total = 0;
  for (const json& day : *days) {
    table.rows.push_back({events_text(day, "day"), events_count(day, "pv"), events_count(day, "uv"),
                          events_count(day, "buys"), events_count(day, "buy_users")});
    labels.push_back(events_text(day, "day"));
    pv.push_back(events_count(day, "pv"));
    uv.push_back(events_count(day, "uv"));
    buys.push_back(events_count(day, "buys"));
    pv_total += events_count(day, "pv");
    // The busiest day by visitors (page views need a pv vocabulary); ties to the earlier day.
    if (busiest == nullptr || events_count(day, "uv") > events_count(*busiest, "uv")) {
      busiest = &day;
    }
    if (most_buys == nullptr || events_count(day, "buys") > events_count(*most_buys, "buys")) {
      most_buys = &day;
    }
  }
  const std::string pv_name = context.lang == Lang::kZh ? "浏览量（PV）" : "Page views (PV)";
  const std::string uv_name = context.lang == Lang::kZh ? "访客数（UV）" : "Visitors (UV)";
  const std::string buys_name(context.text("Purchases", "购买次数"));
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid",
       {{"left", kDateAxisLeft}, {"right", 8}, {"top", 36}, {"bottom", 8}, {"containLabel", true}}},
      {"xAxis", {{"type", "category"}, {"data", std::move(labels)}}},
      {"yAxis", json::array({{{"type", "value"}, {"name", "PV"}},
                             {{"type", "value"},
                              {"name", std::string(context.text("UV, purchases", "UV、购买"))},
                              {"splitLine", {{"show", false}}}}})},
      {"series",
       json::array(
           {{{"name", pv_name}, {"type", "line"}, {"data", std::move(pv)}},
            {{"name", uv_name}, {"type", "line"}, {"yAxisIndex", 1}, {"data", std::move(uv)}},
            {{"name", buys_name},
             {"type", "line"},
             {"yAxisIndex", 1},
             {"data", std::move(buys)}}})}};

  const std::string first_day = events_text(days->front(), "day");
  const std::string last_day = events_text(days->back(), "day");
  if (days->size() == 1) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text(
                        "Every event falls on one local day, {}: {} visitors, {} "
                        "page views, {} purchases.",
                        "所有事件都在同一天（{}）：访客 {} 人，浏览 {} 次，购买 {} 次。")),
                    first_day, format_count(events_count(days->front(), "uv")),
                    format_count(events_count(days->front(), "pv")),
                    format_count(events_count(days->front(), "buys"))));
    return section;
  }
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("The log has events on {} local days from {} to {} ({}).",
                                "日志在 {1} 至 {2} 之间的 {0} 个本地日期有事件（{3}）。")),
      days->size(), first_day, last_day, tz));
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("The most visitors came on {}: {} users, {} page views.",
                                "访客最多的一天是 {}：{} 个用户，浏览 {} 次。")),
      events_text(*busiest, "day"), format_count(events_count(*busiest, "uv")),
      format_count(events_count(*busiest, "pv"))));
  if (most_buys != nullptr && events_count(*most_buys, "buys") > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("The most purchases were made on {}: {} by {} buyers.",
                                  "购买最多的一天是 {}：{} 次，{} 个购买用户。")),
        events_text(*most_buys, "day"), format_count(events_count(*most_buys, "buys")),
        format_count(events_count(*most_buys, "buy_users"))));
  }
  if (pv_total > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("{} page views a day on average over these {} days.",
                                  "这 {1} 天平均每天浏览 {0} 次。")),
        fmt::format("{:.1f}", static_cast<double>(pv_total) / static_cast<double>(days->size())),
        days->size()));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(events_daily, 720, build_events_daily);

}  // namespace custlens::report
