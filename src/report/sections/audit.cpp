// Section `audit`: the cleaning audit as a waterfall from rows read, rule by rule, to rows kept.
#include <fmt/format.h>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

struct Rule {
  const char* key;  // field of summary.audit
  const char* en;
  const char* zh;
};

// In the order the cleaning applies them (README: Cleaning audit).
constexpr Rule kRules[] = {
    {"malformed", "malformed", "格式错误"},
    {"missing_customer", "missing customer id", "缺少客户ID"},
    {"cancelled", "cancelled (C invoices)", "取消订单(C开头)"},
    {"non_positive_quantity", "quantity ≤ 0", "数量≤0"},
    {"non_positive_price", "unit price ≤ 0", "单价≤0"},
};

constexpr const char* kRemovedColor = "#d9534f";
constexpr const char* kTotalColor = "#3b6ea5";

double share_of(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

std::optional<Section> build_audit(const SectionContext& context) {
  const nlohmann::json* audit = context.find("/audit");
  if (audit == nullptr || !audit->contains("rows_read") || !audit->contains("rows_kept")) {
    return std::nullopt;
  }
  const auto read = audit->at("rows_read").get<std::int64_t>();
  const auto kept = audit->at("rows_kept").get<std::int64_t>();
  const auto duplicates = audit->value("duplicates", std::int64_t{0});
  const bool dropped = audit->value("duplicates_dropped", false);

  Section section;
  section.title = context.text("Cleaning audit", "数据清洗审计");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Step", "步骤")),
                   std::string(context.text("Rows", "行数")),
                   std::string(context.text("Share of rows read", "占读取行数"))};
  table.formats = {CellFormat::kText, CellFormat::kInteger, CellFormat::kPercent};

  // Waterfall: an invisible base under each removal so its bar floats at the rows left after it.
  nlohmann::json labels = nlohmann::json::array();
  nlohmann::json base = nlohmann::json::array();
  nlohmann::json bars = nlohmann::json::array();
  auto step = [&](std::string label, std::int64_t floor, std::int64_t rows, const char* color) {
    labels.push_back(label);
    base.push_back(floor);
    bars.push_back({{"value", rows}, {"itemStyle", {{"color", color}}}});
  };

  const std::string read_label(context.text("rows read", "读取行数"));
  step(read_label, 0, read, kTotalColor);
  table.rows.push_back({read_label, read, 1.0});
  std::int64_t left = read;
  std::int64_t removed = 0;
  std::string largest_label;
  std::int64_t largest = 0;
  auto removal = [&](const std::string& label, std::int64_t rows) {
    left -= rows;
    removed += rows;
    step(label, left, rows, kRemovedColor);
    table.rows.push_back({label, rows, share_of(rows, read)});
    if (rows > largest) {
      largest = rows;
      largest_label = label;
    }
  };
  for (const Rule& rule : kRules) {
    removal(std::string(context.text(rule.en, rule.zh)), audit->value(rule.key, std::int64_t{0}));
  }
  const std::string duplicates_label(dropped
                                         ? context.text("duplicates (dropped)", "重复行(已删除)")
                                         : context.text("duplicates (kept)", "重复行(保留)"));
  if (dropped) {
    removal(duplicates_label, duplicates);
  } else {
    table.rows.push_back({duplicates_label, duplicates, share_of(duplicates, read)});
  }
  const std::int64_t outliers_dropped = audit->value("outliers_dropped", std::int64_t{0});
  if (outliers_dropped > 0) {
    removal(std::string(context.text("outliers (dropped)", "异常值(已剔除)")), outliers_dropped);
  }
  const std::string kept_label(context.text("rows kept", "保留行数"));
  step(kept_label, 0, kept, kTotalColor);
  table.rows.push_back({kept_label, kept, share_of(kept, read)});
  if (audit->contains("customers_kept")) {
    table.rows.push_back({std::string(context.text("customers kept", "保留客户数")),
                          audit->at("customers_kept"), nullptr});
  }

  section.chart = {
      {"tooltip", {{"trigger", "axis"}, {"axisPointer", {{"type", "shadow"}}}}},
      {"grid", {{"left", 8}, {"right", 8}, {"top", 24}, {"bottom", 8}, {"containLabel", true}}},
      {"xAxis",
       {{"type", "category"},
        {"data", std::move(labels)},
        {"axisLabel", {{"interval", 0}, {"width", 90}, {"overflow", "break"}}}}},
      {"yAxis", {{"type", "value"}}},
      {"series", nlohmann::json::array({{{"name", "base"},
                                         {"type", "bar"},
                                         {"stack", "waterfall"},
                                         {"silent", true},
                                         {"tooltip", {{"show", false}}},
                                         {"itemStyle", {{"color", "transparent"}}},
                                         {"data", std::move(base)}},
                                        {{"name", std::string(context.text("rows", "行数"))},
                                         {"type", "bar"},
                                         {"stack", "waterfall"},
                                         {"label", {{"show", true}, {"position", "top"}}},
                                         {"data", std::move(bars)}}})}};

  const std::string customers = audit->contains("customers_kept")
                                    ? format_count(audit->at("customers_kept").get<std::int64_t>())
                                    : std::string("?");
  if (context.lang == Lang::kZh) {
    section.findings.push_back(fmt::format(
        "读取的 {} 行中保留了 {} 行({}),剔除了 {} 行;保留客户 {} 个。", format_count(read),
        format_count(kept), format_share(share_of(kept, read)), format_count(removed), customers));
  } else {
    section.findings.push_back(fmt::format(
        "{} of {} rows read ({}) were kept for analysis and {} removed, leaving {} customers.",
        format_count(kept), format_count(read), format_share(share_of(kept, read)),
        format_count(removed), customers));
  }
  if (largest > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("The largest removal is {}: {} rows ({} of rows read).",
                                  "剔除最多的规则是“{}”:{} 行(占读取行数的 {})。")),
        largest_label, format_count(largest), format_share(share_of(largest, read))));
  }
  if (duplicates > 0) {
    section.findings.push_back(fmt::format(
        fmt::runtime(dropped ? context.text("{} exact duplicate lines were dropped (--dedup).",
                                            "已删除 {} 行完全重复的记录(--dedup)。")
                             : context.text("{} exact duplicate lines were kept (--dedup drops "
                                            "them).",
                                            "保留了 {} 行完全重复的记录(--dedup 可删除)。")),
        format_count(duplicates)));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(audit, 10, build_audit);

}  // namespace custlens::report
