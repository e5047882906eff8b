// summary.json from the typed results (input, audit, RFM, patterns, playbook, filter) and text
// renderings of the analyses.
#include "report/summary.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "custlens/error.h"
#include "custlens/version.h"
#include "io/dates.h"
#include "report/clv_summary.h"
#include "report/predict_summary.h"

namespace custlens::report {
namespace {

const char* pick(Lang lang, const char* en, const char* zh) { return lang == Lang::kZh ? zh : en; }

// "Saturday" in the text's language.
std::string weekday_name(const std::string& day, Lang lang) {
  if (lang != Lang::kZh) return day;
  static constexpr std::pair<const char*, const char*> kNames[] = {
      {"Monday", "星期一"}, {"Tuesday", "星期二"},  {"Wednesday", "星期三"}, {"Thursday", "星期四"},
      {"Friday", "星期五"}, {"Saturday", "星期六"}, {"Sunday", "星期日"}};
  for (const auto& [en, zh] : kNames) {
    if (day == en) return zh;
  }
  return day;
}

}  // namespace

nlohmann::json input_to_json(const InputInfo& input) {
  nlohmann::json roles = nlohmann::json::object();
  for (std::size_t r = 0; r < kRoleCount; ++r) {
    int column = input.roles.column(static_cast<Role>(r));
    if (column >= 0) {
      roles[std::string(role_name(static_cast<Role>(r)))] =
          input.header[static_cast<std::size_t>(column)];
    }
  }
  nlohmann::json columns = nlohmann::json::array();
  for (const ColumnInfo& column : input.columns) {
    if (!column.materialized) continue;
    nlohmann::json entry = {{"name", column.name}, {"type", to_string(column.type)}};
    if (!column.date_format.empty()) entry["date_format"] = column.date_format;
    columns.push_back(std::move(entry));
  }
  return {{"files", input.files},
          {"kind", "order_lines"},
          {"encoding", input.encoding},
          {"roles", std::move(roles)},
          {"columns", std::move(columns)}};
}

Summary build_summary(const OrderLines& lines, const CleaningAudit& audit, const InputInfo& input,
                      const RfmOptions& rfm_options, const PatternOptions& pattern_options) {
  RfmResult rfm = compute_rfm(lines, rfm_options);
  SalesPatterns patterns = compute_patterns(lines, pattern_options);
  return assemble_summary(std::move(rfm), std::move(patterns), audit, input);
}

Summary assemble_summary(RfmResult rfm, SalesPatterns patterns, const CleaningAudit& audit,
                         InputInfo input) {
  Summary summary;
  summary.input = std::move(input);
  summary.rfm = std::move(rfm);
  summary.patterns = std::move(patterns);
  summary.audit = audit;
  // A filtered view (the dashboard) reports the full input's audit, per-customer fields
  // included: they are added only once, from the full analysis.
  const bool has_customer_fields =
      std::any_of(audit.outliers.fields.begin(), audit.outliers.fields.end(),
                  [](const OutlierField& field) { return field.scope == "customer"; });
  if (!has_customer_fields) add_customer_outliers(summary.audit.outliers, summary.rfm);
  return summary;
}

nlohmann::json summary_to_json(const Summary& summary) {
  nlohmann::json out = {{"custlens_version", std::string(version())},
                        {"input", input_to_json(summary.input)},
                        {"audit", audit_to_json(summary.audit)},
                        {"rfm", rfm_to_json(summary.rfm)},
                        {"patterns", patterns_to_json(summary.patterns)},
                        {"playbook", playbook_to_json(summary.playbook)}};
  if (summary.filter) out["filter"] = filter_to_json(*summary.filter);
  if (summary.prediction) out["predict"] = prediction_to_json(*summary.prediction);
  if (summary.clv) out["clv"] = clv_to_json(*summary.clv);
  return out;
}

nlohmann::json filter_to_json(const SummaryFilter& filter) {
  nlohmann::json out = nlohmann::json::object();
  const std::pair<const char*, const std::optional<std::string>*> parts[] = {
      {"from", &filter.from},
      {"to", &filter.to},
      {"country", &filter.country},
      {"tier", &filter.tier}};
  for (const auto& [name, value] : parts) {
    if (*value) out[name] = **value;
  }
  return out;
}

nlohmann::json rfm_output_to_json(const RfmResult& rfm, const CleaningAudit& audit) {
  nlohmann::json out = rfm_to_json(rfm);
  out["audit"] = audit_to_json(audit);
  return out;
}

nlohmann::json patterns_output_to_json(const SalesPatterns& patterns, const CleaningAudit& audit) {
  nlohmann::json out = patterns_to_json(patterns);
  out["audit"] = audit_to_json(audit);
  return out;
}

nlohmann::json audit_to_json(const CleaningAudit& audit) {
  nlohmann::json out = nlohmann::json::object();
  for (const AuditCount& count : audit_counts(audit)) out[std::string(count.name)] = count.value;
  out["duplicates_dropped"] = audit.duplicates_dropped;
  out["outliers"] = outliers_to_json(audit.outliers);
  return out;
}

nlohmann::json outliers_to_json(const OutlierAudit& outliers) {
  nlohmann::json fields = nlohmann::json::array();
  for (const OutlierField& f : outliers.fields) {
    nlohmann::json examples = nlohmann::json::array();
    for (const OutlierExample& e : f.examples) {
      nlohmann::json example = {{"customer_id", e.customer_id}, {"value", e.value}};
      if (f.scope == "line") {
        example["file"] = e.file;
        example["line"] = e.line;
      }
      examples.push_back(std::move(example));
    }
    nlohmann::json field = {
        {"field", f.field},     {"scope", f.scope},   {"action", f.action},
        {"count", f.count},     {"below", f.below},   {"above", f.above},
        {"dropped", f.dropped}, {"capped", f.capped}, {"examples", std::move(examples)}};
    // No statistic of an empty field: a number the data cannot give is left out, not null.
    if (f.count > 0) {
      const std::pair<const char*, double> stats[] = {
          {"min", f.min},     {"q1", f.q1},      {"median", f.median}, {"q3", f.q3},
          {"max", f.max},     {"iqr", f.iqr},    {"mean", f.mean},     {"sd", f.sd},
          {"lower", f.lower}, {"upper", f.upper}};
      for (const auto& [name, value] : stats) field[name] = value;
    }
    fields.push_back(std::move(field));
  }
  nlohmann::json out = {{"method", std::string(outlier_method_name(outliers.method))},
                        {"action", std::string(outlier_action_name(outliers.action))},
                        {"rows_dropped", outliers.rows_dropped},
                        {"fields", std::move(fields)}};
  if (outliers.method != OutlierMethod::kOff) {
    out["k"] = outliers.k;
    out["quantile"] = "linear";
  }
  return out;
}

void add_customer_outliers(OutlierAudit& outliers, const RfmResult& rfm) {
  if (outliers.method == OutlierMethod::kOff || rfm.customers.empty()) return;
  OutlierOptions options;
  options.method = outliers.method;
  options.k = outliers.k;
  options.action = OutlierAction::kFlag;
  std::vector<double> monetary, frequency;
  monetary.reserve(rfm.customers.size());
  frequency.reserve(rfm.customers.size());
  for (const CustomerRfm& c : rfm.customers) {
    monetary.push_back(c.monetary);
    frequency.push_back(static_cast<double>(c.frequency));
  }
  const std::pair<const char*, const std::vector<double>*> fields[] = {{"monetary", &monetary},
                                                                       {"frequency", &frequency}};
  for (const auto& [name, list] : fields) {
    const std::vector<double>& values = *list;
    OutlierField field = describe_field(name, "customer", values, options);
    for (std::size_t i = 0; i < values.size() && field.examples.size() < kOutlierExamples; ++i) {
      if (is_outlier(field, values[i])) {
        field.examples.push_back({"", 0, rfm.customers[i].customer_id, values[i]});
      }
    }
    outliers.fields.push_back(std::move(field));
  }
}

std::string outliers_text(const OutlierAudit& outliers, Lang lang) {
  if (outliers.method == OutlierMethod::kOff) return {};
  const bool z = outliers.method == OutlierMethod::kZ;
  std::string text = fmt::format(
      "  {} ({}, {})\n", pick(lang, "Outliers", "异常值"),
      z ? fmt::format("|z| > {}", outliers.k)
        : fmt::format("{} Q1 − {}·IQR … Q3 + {}·IQR", pick(lang, "outside", "超出"), outliers.k,
                      outliers.k),
      outliers.action == OutlierAction::kFlag   ? pick(lang, "flagged, kept", "仅标记,保留")
      : outliers.action == OutlierAction::kDrop ? pick(lang, "lines dropped", "整行剔除")
                                                : pick(lang, "capped to the bounds", "截尾到边界"));
  for (const OutlierField& f : outliers.fields) {
    if (f.count == 0) continue;
    std::string done;
    if (f.dropped > 0) done = fmt::format(", {} {}", f.dropped, pick(lang, "dropped", "已剔除"));
    if (f.capped > 0) done = fmt::format(", {} {}", f.capped, pick(lang, "capped", "已截尾"));
    text += fmt::format("    {:<22} [{:.6g}, {:.6g}]  {} {}, {} {}{}\n",
                        fmt::format("{} ({})", f.field,
                                    f.scope == "line" ? pick(lang, "lines", "行")
                                                      : pick(lang, "customers", "客户")),
                        f.lower, f.upper, f.below, pick(lang, "below", "低于下界"), f.above,
                        pick(lang, "above", "高于上界"), done);
  }
  return text;
}

nlohmann::json segment_to_json(const SegmentSummary& segment, std::string_view share_key) {
  nlohmann::json out = {{"name", segment.name},
                        {"name_zh", segment.name_zh},
                        {"customers", segment.customers},
                        {"revenue", segment.revenue},
                        {"revenue_share", segment.revenue_share},
                        {"mean_recency", segment.mean_recency},
                        {"mean_frequency", segment.mean_frequency},
                        {"mean_monetary", segment.mean_monetary}};
  out[std::string(share_key)] = segment.customer_share;
  return out;
}

nlohmann::json rfm_to_json(const RfmResult& rfm) {
  nlohmann::json segments = nlohmann::json::array();
  for (const SegmentSummary& s : rfm.segments)
    segments.push_back(segment_to_json(s, kOrderLineShareKey));
  auto pairs = [](const std::vector<std::pair<double, double>>& points) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [customers, revenue] : points) out.push_back({customers, revenue});
    return out;
  };
  nlohmann::json rf_grid = nlohmann::json::array();
  for (const RfCell& cell : rfm.rf_grid) {
    rf_grid.push_back({{"r_score", cell.r_score},
                       {"f_score", cell.f_score},
                       {"customers", cell.customers},
                       {"mean_monetary", cell.mean_monetary}});
  }
  return {{"as_of", io::format_date(rfm.as_of)},
          {"scheme", rfm.scheme},
          {"customers", rfm.customers.size()},
          {"revenue", rfm.revenue},
          {"segments", std::move(segments)},
          {"pareto",
           {{"customer_share_for_80pct_revenue", rfm.pareto.customer_share_for_80pct_revenue},
            {"top20pct_revenue_share", rfm.pareto.top20pct_revenue_share},
            {"top_two_tiers_revenue_share", rfm.pareto.top_two_tiers_revenue_share},
            {"curve", pairs(rfm.pareto.curve)},
            {"concentration", pairs(rfm.pareto.concentration)}}},
          {"rf_grid", std::move(rf_grid)}};
}

nlohmann::json patterns_to_json(const SalesPatterns& patterns) {
  // Months and weekdays also say how many of their days the data's range covers.
  auto buckets = [](const std::vector<PatternBucket>& list, bool with_days, bool with_partial) {
    nlohmann::json out = nlohmann::json::array();
    for (const PatternBucket& b : list) {
      nlohmann::json bucket = {{"key", b.key},
                               {"revenue", b.revenue},
                               {"orders", b.orders},
                               {"customers", b.customers},
                               {"revenue_share", b.revenue_share}};
      if (with_days) bucket["days"] = b.days;
      if (with_partial) bucket["partial"] = b.partial;
      out.push_back(std::move(bucket));
    }
    return out;
  };
  nlohmann::json categories = nlohmann::json::array();
  for (const CategoryBucket& c : patterns.categories) {
    categories.push_back({{"category", c.category},
                          {"revenue", c.revenue},
                          {"lines", c.lines},
                          {"revenue_share", c.revenue_share}});
  }
  return {{"revenue", patterns.revenue},
          {"lines", patterns.lines},
          {"countries", buckets(patterns.countries, false, false)},
          {"months", buckets(patterns.months, true, true)},
          {"weekdays", buckets(patterns.weekdays, true, false)},
          {"hours", buckets(patterns.hours, false, false)},
          {"has_time_of_day", patterns.has_time_of_day},
          {"peak_month", patterns.peak_month},
          {"peak_weekday", patterns.peak_weekday},
          {"peak_hour",
           patterns.peak_hour ? nlohmann::json(*patterns.peak_hour) : nlohmann::json(nullptr)},
          {"closed_weekdays", patterns.closed_weekdays},
          {"partial_months", patterns.partial_months},
          {"categories", std::move(categories)},
          {"category_source", patterns.category_source}};
}

std::string patterns_text(const SalesPatterns& patterns, Lang lang) {
  std::string text = fmt::format("{}\n", pick(lang, "Sales patterns", "销售规律"));
  const bool peak_partial =
      std::find(patterns.partial_months.begin(), patterns.partial_months.end(),
                patterns.peak_month) != patterns.partial_months.end();
  text += fmt::format("  {}: {}{}   {}: {}   {}: {}\n", pick(lang, "peak month", "高峰月份"),
                      patterns.peak_month,
                      peak_partial ? pick(lang, " (partial month)", "(不完整月份)") : "",
                      pick(lang, "peak weekday", "高峰星期"), patterns.peak_weekday,
                      pick(lang, "peak hour", "高峰时段"),
                      patterns.peak_hour ? fmt::format("{}:00", *patterns.peak_hour)
                                         : std::string(pick(lang, "none", "无")));
  if (!patterns.has_time_of_day) {
    text +=
        fmt::format("  {}\n", pick(lang, "no hour-of-day pattern: the dates carry no time of day",
                                   "没有时段规律:日期不含具体时间"));
  }
  if (!patterns.partial_months.empty()) {
    text += fmt::format("  {}: {}\n",
                        pick(lang, "partial months (the data cover part of them)",
                             "不完整月份(数据只覆盖其中一部分)"),
                        fmt::join(patterns.partial_months, ", "));
  }
  if (!patterns.closed_weekdays.empty()) {
    std::vector<std::string> names;
    for (const std::string& day : patterns.closed_weekdays)
      names.push_back(weekday_name(day, lang));
    text += fmt::format("  {}\n", fmt::format(fmt::runtime(pick(lang, "no sales on {}: closed?",
                                                                "{}没有任何销售:是否休息日?")),
                                              fmt::join(names, pick(lang, ", ", "、"))));
  }
  auto top = [&](const char* en, const char* zh, const auto& rows, auto key) {
    if (rows.empty()) return;
    text += fmt::format("  {}\n", pick(lang, en, zh));
    std::size_t shown = 0;
    for (const auto& row : rows) {
      if (shown++ == 5) break;
      text += fmt::format("    {:<28} {:>16.2f} {:>7.1f}%\n", key(row), row.revenue,
                          100 * row.revenue_share);
    }
  };
  top("top countries by revenue", "收入最高的国家/地区", patterns.countries,
      [](const PatternBucket& b) { return b.key; });
  top("top categories by revenue", "收入最高的品类", patterns.categories,
      [](const CategoryBucket& c) { return c.category; });
  return text;
}

std::string audit_text(const CleaningAudit& audit, Lang lang) {
  std::string text = fmt::format("{}\n", pick(lang, "Cleaning audit", "数据清洗审计"));
  auto line = [&](const char* en, const char* zh, std::int64_t value) {
    double share = audit.rows_read
                       ? 100.0 * static_cast<double>(value) / static_cast<double>(audit.rows_read)
                       : 0.0;
    text += fmt::format("  {:<28} {:>12}  {:6.2f}%\n", pick(lang, en, zh), value, share);
  };
  line("rows read", "读取行数", audit.rows_read);
  line("malformed", "格式错误", audit.malformed);
  line("missing customer id", "缺少客户ID", audit.missing_customer);
  line("cancelled (C invoices)", "取消订单(C开头)", audit.cancelled);
  line("quantity <= 0", "数量<=0", audit.non_positive_quantity);
  line("unit price <= 0", "单价<=0", audit.non_positive_price);
  line(audit.duplicates_dropped ? "duplicates (dropped)" : "duplicates (kept)",
       audit.duplicates_dropped ? "重复行(已删除)" : "重复行(保留)", audit.duplicates);
  if (audit.outliers.action == OutlierAction::kDrop) {
    line("outliers (dropped)", "异常值(已剔除)", audit.outliers.rows_dropped);
  }
  line("rows kept", "保留行数", audit.rows_kept);
  text += fmt::format("  {:<28} {:>12}\n", pick(lang, "customers kept", "保留客户数"),
                      audit.customers_kept);
  text += outliers_text(audit.outliers, lang);
  return text;
}

std::string rfm_text(const RfmResult& rfm, Lang lang) {
  std::string text = fmt::format("{} ({} {}, {} {})\n", pick(lang, "RFM tiers", "RFM 客户分层"),
                                 pick(lang, "scheme", "方案"), rfm.scheme,
                                 pick(lang, "as of", "截至"), io::format_date(rfm.as_of));
  text += fmt::format("  {:<22} {:>10} {:>8} {:>16} {:>8} {:>9} {:>8} {:>12}\n",
                      pick(lang, "tier", "层级"), pick(lang, "customers", "客户数"),
                      pick(lang, "share", "占比"), pick(lang, "revenue", "收入"),
                      pick(lang, "share", "占比"), pick(lang, "recency", "最近天数"),
                      pick(lang, "orders", "频次"), pick(lang, "monetary", "消费额"));
  for (const SegmentSummary& s : rfm.segments) {
    // An empty tier has no means: "-" instead of a 0 that would read as measured.
    const bool empty = s.customers == 0;
    text += fmt::format("  {:<22} {:>10} {:>7.1f}% {:>16.2f} {:>7.1f}% {:>9} {:>8} {:>12}\n",
                        lang == Lang::kZh ? s.name_zh : s.name, s.customers, 100 * s.customer_share,
                        s.revenue, 100 * s.revenue_share,
                        empty ? "-" : fmt::format("{:.1f}", s.mean_recency),
                        empty ? "-" : fmt::format("{:.2f}", s.mean_frequency),
                        empty ? "-" : fmt::format("{:.2f}", s.mean_monetary));
  }
  const ParetoSummary& p = rfm.pareto;
  if (lang == Lang::kZh) {
    text += fmt::format(
        "  帕累托: 前 {:.1f}% 的客户贡献了 80% 的收入; 前 20% 的客户贡献了 {:.1f}% 的收入; "
        "前两个层级贡献了 {:.1f}% 的收入\n",
        100 * p.customer_share_for_80pct_revenue, 100 * p.top20pct_revenue_share,
        100 * p.top_two_tiers_revenue_share);
  } else {
    text += fmt::format(
        "  Pareto: the top {:.1f}% of customers make 80% of revenue; the top 20% make {:.1f}%; "
        "the top two tiers make {:.1f}%\n",
        100 * p.customer_share_for_80pct_revenue, 100 * p.top20pct_revenue_share,
        100 * p.top_two_tiers_revenue_share);
  }
  return text;
}

}  // namespace custlens::report
