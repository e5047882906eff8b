// Section `events_kpis`: the eight behaviour KPIs of a log (docs/events.md "KPIs") and the cleaning
// audit of its rows in one line.
#include <fmt/format.h>

#include "report/sections/events_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

std::string audit_line(const SectionContext& context, const json& audit) {
  const std::int64_t read = events_count(audit, "rows_read");
  const std::int64_t malformed = events_count(audit, "malformed");
  const std::int64_t missing = events_count(audit, "missing_customer");
  const std::int64_t duplicates = events_count(audit, "duplicates");
  const std::int64_t kept = events_count(audit, "rows_kept");
  // rows_kept leaves the duplicates out only under --dedup (docs/events.md "Cleaning audit").
  const bool dropped = duplicates > 0 && kept == read - malformed - missing - duplicates;
  const std::string duplicates_fate = duplicates == 0 ? std::string()
                                      : dropped
                                          ? std::string(context.text(" (dropped)", "（已剔除）"))
                                          : std::string(context.text(" (kept)", "（保留）"));
  return fmt::format(
      fmt::runtime(context.text(
          "{} rows read: {} malformed, {} without a user, {} exact duplicates{}; {} rows kept "
          "({}).",
          "读取 {} 行：格式错误 {} 行，缺少用户 {} 行，完全重复 {} 行{}；保留 {} 行（{}）。")),
      format_count(read), format_count(malformed), format_count(missing), format_count(duplicates),
      duplicates_fate, format_count(kept), format_share(events_share(kept, read)));
}

// A dashboard view's filter (summary.json `filter`: from, to, category) in one sentence.
std::string filter_line(const SectionContext& context, const json& filter) {
  const std::string from = events_text(filter, "from");
  const std::string to = events_text(filter, "to");
  const std::string category = events_text(filter, "category");
  std::vector<std::string> parts;
  if (!from.empty() && !to.empty()) {
    parts.push_back(fmt::format(
        fmt::runtime(context.text("local days {} to {}", "本地日期 {} 至 {}")), from, to));
  } else if (!from.empty()) {
    parts.push_back(
        fmt::format(fmt::runtime(context.text("local days from {}", "本地日期 {} 起")), from));
  } else if (!to.empty()) {
    parts.push_back(
        fmt::format(fmt::runtime(context.text("local days up to {}", "本地日期截至 {}")), to));
  }
  if (!category.empty()) {
    parts.push_back(fmt::format(fmt::runtime(context.text("category {}", "类目 {}")), category));
  }
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) joined += context.text(", ", "，");
    joined += part;
  }
  return fmt::format(fmt::runtime(context.text(
                         "Filtered view: {}. The numbers are of these events only; the cleaning "
                         "audit counts the whole file.",
                         "筛选视图：{}。各项数字仅统计这些事件；清洗统计针对整个文件。")),
                     joined);
}

std::optional<Section> build_events_kpis(const SectionContext& context) {
  const json* events = events_root(context);
  if (events == nullptr || !events->contains("kpis") || !events->at("kpis").is_object()) {
    return std::nullopt;
  }
  const json& kpis = events->at("kpis");
  const json null_value;
  auto value = [&](const char* key) { return kpis.contains(key) ? kpis.at(key) : null_value; };

  Section section;
  section.title = context.text("Behaviour KPIs", "行为指标");
  section.chart = nullptr;
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("KPI", "指标")),
                   std::string(context.text("Value", "数值")),
                   std::string(context.text("Rate", "比率"))};
  table.formats = {CellFormat::kText, CellFormat::kNumber, CellFormat::kPercent};
  table.rows.push_back(
      {std::string(context.text("Page views (PV)", "浏览量（PV）")), value("pv"), nullptr});
  table.rows.push_back(
      {std::string(context.text("Visitors (UV)", "访客数（UV）")), value("uv"), nullptr});
  table.rows.push_back(
      {std::string(context.text("PV per UV", "人均浏览量")), value("pv_per_uv"), nullptr});
  table.rows.push_back(
      {std::string(context.text("Buyers", "购买用户数")), value("buy_users"), nullptr});
  table.rows.push_back(
      {std::string(context.text("Purchases", "购买次数")), value("buys"), nullptr});
  table.rows.push_back(
      {std::string(context.text("Conversion (buyers / UV)", "转化率（购买用户 / UV）")), nullptr,
       value("conversion_rate")});
  table.rows.push_back(
      {std::string(context.text("Repurchase (buyers on ≥ 2 days)", "复购率（≥ 2 天购买）")),
       nullptr, value("repurchase_rate")});
  table.rows.push_back(
      {std::string(context.text("Bounce (a single page view only)", "跳失率（仅一次浏览）")),
       nullptr, value("bounce_rate")});

  if (const json* filter = context.find("/filter");
      filter != nullptr && filter->is_object() && !filter->empty()) {
    section.findings.push_back(filter_line(context, *filter));
  }
  if (events->contains("audit") && events->at("audit").is_object()) {
    section.findings.push_back(audit_line(context, events->at("audit")));
  }
  const std::int64_t pv = events_count(kpis, "pv");
  const std::int64_t uv = events_count(kpis, "uv");
  const std::int64_t buyers = events_count(kpis, "buy_users");
  if (uv == 0) {
    section.findings.push_back(
        std::string(context.text("No row was kept, so there is no behaviour to report.",
                                 "没有保留任何行，因此没有可报告的行为。")));
    return section;
  }
  if (pv > 0) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("{} users made {} page views, {} per user.",
                                              "{} 个用户共浏览 {} 次，人均 {} 次。")),
                    format_count(uv), format_count(pv),
                    fmt::format("{:.1f}", events_number(kpis, "pv_per_uv").value_or(0.0))));
  }
  section.findings.push_back(
      fmt::format(fmt::runtime(context.text("{} of the {} users bought ({}), {} purchases in all.",
                                            "{1} 个用户中有 {0} 个购买（{2}），共购买 {3} 次。")),
                  format_count(buyers), format_count(uv), format_share(events_share(buyers, uv)),
                  format_count(events_count(kpis, "buys"))));
  if (const std::optional<double> repurchase = events_number(kpis, "repurchase_rate");
      repurchase && buyers > 0) {
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("{} of buyers ({} of {}) bought on two or more days.",
                                              "{} 的购买用户（{}/{}）在两天或以上购买过。")),
                    format_share(*repurchase),
                    format_count(std::llround(*repurchase * static_cast<double>(buyers))),
                    format_count(buyers)));
  }
  if (const std::optional<double> bounce = events_number(kpis, "bounce_rate"); bounce && pv > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(
            context.text("{} of users ({}) did nothing but view one page (the bounce rate).",
                         "{} 的用户（{} 个）只浏览了一次就离开（跳失率）。")),
        format_share(*bounce), format_count(std::llround(*bounce * static_cast<double>(uv)))));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(events_kpis, 700, build_events_kpis);

}  // namespace custlens::report
