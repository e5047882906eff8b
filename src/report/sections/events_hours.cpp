// Section `events_hours`: page views, visitors and purchases by local hour of the day (`hours`,
// in the log's time zone); for date-only timestamps one line saying there is no time of day.
#include <fmt/format.h>

#include "report/sections/events_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

std::string hour_label(std::int64_t hour) { return fmt::format("{:02d}:00", hour); }

std::optional<Section> build_events_hours(const SectionContext& context) {
  const json* events = events_root(context);
  const json* hours = events == nullptr ? nullptr : events_array(*events, "hours");
  if (hours == nullptr || hours->empty()) return std::nullopt;
  const std::string tz = events_tz(*events);
  const std::string title = fmt::format(
      fmt::runtime(context.text("Activity by hour of day ({})", "按时段的行为（{}）")), tz);

  std::int64_t pv_total = 0;
  std::int64_t buys_total = 0;
  std::vector<std::int64_t> active_hours;
  for (const json& hour : *hours) {
    pv_total += events_count(hour, "pv");
    buys_total += events_count(hour, "buys");
    if (events_count(hour, "uv") > 0) active_hours.push_back(events_count(hour, "hour"));
  }
  if (active_hours.empty()) return std::nullopt;
  if (events_date_only(*events)) {
    // Date-only timestamps read as local midnight: there is no hour-of-day pattern to show.
    Section note;
    note.title = title;
    note.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "Every event falls at 00:00–00:59 local time ({}), as date-only timestamps do, so "
            "there is no hour-of-day pattern to show.",
            "所有事件都在本地时间（{}）00:00–00:"
            "59，与只有日期的时间戳一致，因此没有按时段的行为规律"
            "可以展示。")),
        tz));
    return note;
  }

  Section section;
  section.title = title;
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Hour", "时段")), "PV", "UV",
                   std::string(context.text("Purchases", "购买次数"))};
  table.formats = {CellFormat::kText, CellFormat::kInteger, CellFormat::kInteger,
                   CellFormat::kInteger};
  json labels = json::array();
  json pv = json::array();
  json uv = json::array();
  json buys = json::array();
  const json* peak_pv = nullptr;
  const json* peak_uv = nullptr;
  const json* peak_buys = nullptr;
  for (const json& hour : *hours) {
    const std::string label = hour_label(events_count(hour, "hour"));
    table.rows.push_back(
        {label, events_count(hour, "pv"), events_count(hour, "uv"), events_count(hour, "buys")});
    labels.push_back(label);
    pv.push_back(events_count(hour, "pv"));
    uv.push_back(events_count(hour, "uv"));
    buys.push_back(events_count(hour, "buys"));
    // Peaks: ties to the earlier hour.
    if (peak_pv == nullptr || events_count(hour, "pv") > events_count(*peak_pv, "pv")) {
      peak_pv = &hour;
    }
    if (peak_uv == nullptr || events_count(hour, "uv") > events_count(*peak_uv, "uv")) {
      peak_uv = &hour;
    }
    if (peak_buys == nullptr || events_count(hour, "buys") > events_count(*peak_buys, "buys")) {
      peak_buys = &hour;
    }
  }
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", {{"left", 8}, {"right", 8}, {"top", 36}, {"bottom", 8}, {"containLabel", true}}},
      {"xAxis", {{"type", "category"}, {"data", std::move(labels)}}},
      {"yAxis", json::array({{{"type", "value"}, {"name", "PV"}},
                             {{"type", "value"},
                              {"name", std::string(context.text("UV, purchases", "UV、购买"))},
                              {"splitLine", {{"show", false}}}}})},
      {"series",
       json::array({{{"name", context.lang == Lang::kZh ? "浏览量（PV）" : "Page views (PV)"},
                     {"type", "bar"},
                     {"itemStyle", {{"color", "#7fa7cf"}}},
                     {"data", std::move(pv)}},
                    {{"name", context.lang == Lang::kZh ? "访客数（UV）" : "Visitors (UV)"},
                     {"type", "line"},
                     {"yAxisIndex", 1},
                     {"data", std::move(uv)}},
                    {{"name", std::string(context.text("Purchases", "购买次数"))},
                     {"type", "line"},
                     {"yAxisIndex", 1},
                     {"data", std::move(buys)}}})}};

  if (active_hours.size() == 1) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("Every event falls in one hour of the day: {} local ({}).",
                                  "所有事件都在同一个时段：本地 {}（{}）。")),
        hour_label(active_hours.front()), tz));
    return section;
  }
  if (pv_total > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("Peak hour {} local ({}): {} page views, {} of all.",
                                  "浏览高峰在本地 {}（{}）：{} 次浏览，占全部的 {}。")),
        hour_label(events_count(*peak_pv, "hour")), tz, format_count(events_count(*peak_pv, "pv")),
        format_share(events_share(events_count(*peak_pv, "pv"), pv_total))));
  }
  section.findings.push_back(fmt::format(
      fmt::runtime(context.text("Most visitors are active at {} local: {} users.",
                                "活跃访客最多的时段是本地 {}：{} 个用户。")),
      hour_label(events_count(*peak_uv, "hour")), format_count(events_count(*peak_uv, "uv"))));
  if (buys_total > 0) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("Most purchases are made at {} local: {} of {} ({}).",
                                              "购买最多的时段是本地 {}：{}/{}（{}）。")),
                    hour_label(events_count(*peak_buys, "hour")),
                    format_count(events_count(*peak_buys, "buys")), format_count(buys_total),
                    format_share(events_share(events_count(*peak_buys, "buys"), buys_total))));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(events_hours, 730, build_events_hours);

}  // namespace custlens::report
