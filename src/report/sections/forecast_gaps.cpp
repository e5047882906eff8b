// Section `forecast_gaps`: the days without sales behind the forecast's zeros, per weekday, and
// the longest gap.
#include <fmt/format.h>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

constexpr const char* kWeekdaysZh[] = {"星期一", "星期二", "星期三", "星期四",
                                       "星期五", "星期六", "星期日"};

std::optional<Section> build_forecast_gaps(const SectionContext& context) {
  const nlohmann::json* gaps = context.find("/forecast/gaps");
  if (gaps == nullptr || !gaps->contains("weekdays")) return std::nullopt;
  Section section;
  section.title = context.text("Days without sales", "无销售的日子");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Weekday", "星期")),
                   std::string(context.text("Days", "天数")),
                   std::string(context.text("Days with sales", "有销售的天数")),
                   std::string(context.text("Share with sales", "有销售占比"))};
  table.formats = {CellFormat::kText, CellFormat::kInteger, CellFormat::kInteger,
                   CellFormat::kPercent};
  std::size_t d = 0;
  for (const nlohmann::json& w : (*gaps)["weekdays"]) {
    const auto days = w["days"].get<std::int64_t>();
    const auto sales = w["sales_days"].get<std::int64_t>();
    const std::string name =
        context.lang == Lang::kZh ? kWeekdaysZh[d % 7] : w["weekday"].get<std::string>();
    table.rows.push_back(
        {name, days, sales,
         days > 0 ? nlohmann::json(static_cast<double>(sales) / days) : nlohmann::json()});
    if (days > 0 && sales == 0) {
      section.findings.push_back(
          fmt::format(fmt::runtime(context.text("No sales on any {}: 0 of {} {}s.",
                                                "所有{}都无销售:{} 个中 0 个有销售。")),
                      name, days, name));
    }
    ++d;
  }
  const auto days = (*gaps)["days"].get<std::int64_t>();
  const auto zero_days = (*gaps)["zero_days"].get<std::int64_t>();
  section.findings.push_back(
      context.lang == Lang::kZh
          ? fmt::format("{} 天中有 {} 天无销售,按 0 计。", days, zero_days)
          : fmt::format("{} of {} days have no sales; they count as 0.", zero_days, days));
  if ((*gaps)["longest_gap_days"].get<std::int64_t>() > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "The longest gap is {} days from {}; {} runs of two or more days without sales.",
            "最长无销售间隔 {} 天,自 {} 起;连续两天以上无销售共 {} 段。")),
        (*gaps)["longest_gap_days"].get<std::int64_t>(),
        (*gaps)["longest_gap_start"].get<std::string>(), (*gaps)["zero_runs"].get<std::int64_t>()));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(forecast_gaps, 520, build_forecast_gaps);

}  // namespace custlens::report
