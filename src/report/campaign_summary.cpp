// The campaign readout as JSON, verdict sentences and text (docs/campaign.md).
#include "report/campaign_summary.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io/dates.h"

namespace custlens::report {
namespace {

using analysis::Comparison;
using analysis::GroupOutcome;
using analysis::LevelComparison;

constexpr std::int64_t kSecondsPerDay = 86400;

nlohmann::json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string day_text(std::int64_t day) { return io::format_date(day * kSecondsPerDay); }

nlohmann::json group_json(const GroupOutcome& g) {
  return {{"customers", g.customers},
          {"converters", g.converters},
          {"conversion_rate", g.conversion_rate},
          {"revenue", g.revenue},
          {"revenue_per_customer", g.revenue_per_customer},
          {"pre_revenue_per_customer", g.pre_revenue_per_customer},
          {"cost", g.cost},
          {"without_orders", g.without_orders}};
}

nlohmann::json mean_json(const analysis::MeanUplift& u) {
  return {{"absolute", u.difference},
          {"ci_lower", optional_number(u.ci_lower)},
          {"ci_upper", optional_number(u.ci_upper)},
          {"p_value", optional_number(u.p_value)},
          {"df", optional_number(u.df)}};
}

nlohmann::json comparison_json(const Comparison& c) {
  const analysis::Profit& p = c.profit;
  return {
      {"groups", {{"treatment", group_json(c.treatment)}, {"control", group_json(c.control)}}},
      {"weak", c.weak},
      {"uplift",
       {{"absolute", c.uplift.absolute},
        {"relative", optional_number(c.uplift.relative)},
        {"ci_lower", optional_number(c.uplift.ci_lower)},
        {"ci_upper", optional_number(c.uplift.ci_upper)},
        {"p_value", optional_number(c.uplift.p_value)}}},
      {"revenue_uplift", mean_json(c.revenue_uplift)},
      {"profit",
       {{"margin", p.margin},
        {"incremental_conversions", p.incremental_conversions},
        {"incremental_revenue", p.incremental_revenue},
        {"treatment_cost", p.treatment_cost},
        {"incremental_profit", p.incremental_profit},
        {"cost_per_incremental_conversion", optional_number(p.cost_per_incremental_conversion)}}}};
}

nlohmann::json levels_json(const std::vector<LevelComparison>& levels) {
  nlohmann::json out = nlohmann::json::array();
  for (const LevelComparison& l : levels) {
    nlohmann::json row = comparison_json(l.comparison);
    row["level"] = l.level;
    row["level_zh"] = l.level_zh;
    out.push_back(std::move(row));
  }
  return out;
}

std::string percent(double share) { return fmt::format("{:.1f}%", 100 * share); }
std::string points(double share) { return fmt::format("{:+.1f}", 100 * share); }
std::string p_text(double p) {
  return p < 0.001 ? std::string("p < 0.001") : fmt::format("p = {:.3f}", p);
}

// "+12.30, 95 % CI 1.00 to 23.60, p = 0.031" for a difference of means, or the estimate alone.
std::string mean_text(const analysis::MeanUplift& u, Lang lang) {
  std::string text = fmt::format("{:+.2f}", u.difference);
  if (u.ci_lower && u.p_value) {
    text += fmt::format(fmt::runtime(lang == Lang::kZh ? ", 95% 置信区间 {:.2f} 至 {:.2f}, {}"
                                                       : ", 95 % CI {:.2f} to {:.2f}, {}"),
                        *u.ci_lower, *u.ci_upper, p_text(*u.p_value));
  } else {
    text += lang == Lang::kZh ? "(样本不足,不给出区间)" : " (no interval: too few converters)";
  }
  return text;
}

std::string group_line(std::string_view label, const GroupOutcome& g, Lang lang) {
  return fmt::format(
      fmt::runtime(
          lang == Lang::kZh
              ? "  {:<6} {:>8} 人, 转化 {:>6} ({:>6}), 收入 {:.2f}, 人均 {:.2f}, 成本 {:.2f}\n"
              : "  {:<9} {:>8} customers, {:>6} converters ({:>6}), revenue {:.2f}, "
                "per customer {:.2f}, cost {:.2f}\n"),
      label, g.customers, g.converters, percent(g.conversion_rate), g.revenue,
      g.revenue_per_customer, g.cost);
}

void levels_text(std::string& out, const std::vector<LevelComparison>& levels, Lang lang) {
  for (const LevelComparison& l : levels) {
    const Comparison& c = l.comparison;
    out += fmt::format(
        fmt::runtime(lang == Lang::kZh
                         ? "  {:<16} 实验组 {}/{} ({}), 对照组 {}/{} ({}): {} 个百分点"
                         : "  {:<16} T {}/{} ({}), C {}/{} ({}): {} pp"),
        lang == Lang::kZh ? l.level_zh : l.level, c.treatment.converters, c.treatment.customers,
        percent(c.treatment.conversion_rate), c.control.converters, c.control.customers,
        percent(c.control.conversion_rate), points(c.uplift.absolute));
    if (c.uplift.ci_lower && c.uplift.p_value) {
      out += fmt::format(
          fmt::runtime(lang == Lang::kZh ? ", 区间 {} 至 {}, {}\n" : ", CI {} to {}, {}\n"),
          points(*c.uplift.ci_lower), points(*c.uplift.ci_upper), p_text(*c.uplift.p_value));
    } else {
      out += lang == Lang::kZh ? "(样本不足)\n" : " (too few to judge)\n";
    }
  }
}

}  // namespace

std::string campaign_verdict(const Comparison& c, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string text = fmt::format(fmt::runtime(zh ? "实验组转化率 {},对照组 {}:{} 个百分点"
                                                 : "Treatment converted {} vs {} in "
                                                   "control: {} pp"),
                                 percent(c.treatment.conversion_rate),
                                 percent(c.control.conversion_rate), points(c.uplift.absolute));
  if (c.weak || !c.uplift.ci_lower || !c.uplift.p_value) {
    text += fmt::format(
        fmt::runtime(
            zh ? "。但有一组的转化人数或未转化人数少于 {}(实验组 {}/{},对照组 {}/{}),"
                 "正态近似不可靠,不给出区间和 p 值,无法判断效果是否来自随机波动。"
               : ", but a group has fewer than {} converters or non-converters (treatment {} of "
                 "{}, control {} of {}): the normal approximation is weak, so no interval or "
                 "p-value is given and the effect cannot be told from chance."),
        analysis::kMinGroupOutcomes, c.treatment.converters, c.treatment.customers,
        c.control.converters, c.control.customers);
    return text;
  }
  const bool significant = *c.uplift.p_value < 0.05;
  text += fmt::format(fmt::runtime(zh ? ",95% 置信区间 {} 至 {},{}。" : ", 95 % CI {} to {}, {}. "),
                      points(*c.uplift.ci_lower), points(*c.uplift.ci_upper),
                      p_text(*c.uplift.p_value));
  if (zh) {
    text += significant ? "在 5% 显著性水平上,效果可以与随机波动区分。"
                        : "在 5% 显著性水平上,效果不能与随机波动区分。";
  } else {
    text += significant ? "The effect is distinguishable from chance at the 5 % level."
                        : "The effect is not distinguishable from chance at the 5 % level.";
  }
  return text;
}

nlohmann::json campaign_to_json(const CampaignRun& run, Lang lang) {
  const core::ContactList& list = run.contacts;
  nlohmann::json rejected = nlohmann::json::object();
  for (const auto& [rule, count] : list.audit.rejected) rejected[rule] = count;
  nlohmann::json columns = nlohmann::json::object();
  for (std::size_t r = 0; r < core::kContactRoleCount; ++r) {
    const auto role = static_cast<core::ContactRole>(r);
    if (list.roles.has(role)) {
      columns[std::string(core::contact_role_name(role))] =
          list.header[static_cast<std::size_t>(list.roles.column(role))];
    }
  }
  nlohmann::json campaigns = nlohmann::json::array();
  for (const analysis::CampaignReadout& r : run.readouts) {
    nlohmann::json c = comparison_json(r.overall);
    nlohmann::json out = {{"name", r.name},
                          {"first_sent", day_text(r.first_send_day)},
                          {"last_sent", day_text(r.last_send_day)},
                          {"window_days", r.window_days},
                          {"channels", r.channels},
                          {"contacts_without_orders", r.contacts_without_orders}};
    for (auto& [key, value] : c.items()) out[key] = value;
    out["revenue_uplift"]["relative"] = optional_number(r.relative_revenue_uplift);
    out["cuped"] = mean_json(r.cuped.uplift);
    out["cuped"]["theta"] = r.cuped.theta;
    out["cuped"]["mean_pre_revenue"] = r.cuped.mean_pre_revenue;
    out["cuped"]["variance_reduction"] = r.cuped.variance_reduction;
    out["srm"] = nullptr;
    if (r.srm) {
      out["srm"] = {{"planned_treatment_share", r.srm->planned_treatment_share},
                    {"observed_treatment_share", r.srm->observed_treatment_share},
                    {"chi_square", r.srm->chi_square},
                    {"p_value", r.srm->p_value},
                    {"mismatch", r.srm->mismatch}};
    }
    out["scheme"] = r.scheme;
    out["tier_as_of"] = day_text(r.first_send_day);
    out["tiered_customers"] = r.tiered_customers;
    out["by_tier"] = levels_json(r.by_tier);
    out["by_decile"] = levels_json(r.by_decile);
    out["qini"] = nullptr;
    if (r.qini) {
      nlohmann::json points = nlohmann::json::array();
      for (const analysis::QiniPoint& p : r.qini->points) {
        points.push_back({{"customers", p.customers},
                          {"population_share", p.population_share},
                          {"incremental_conversions", p.incremental_conversions}});
      }
      out["qini"] = {{"ranked_by", r.qini->ranked_by},
                     {"points", std::move(points)},
                     {"coefficient", r.qini->coefficient}};
    }
    out["verdict"] = campaign_verdict(r.overall, lang);
    campaigns.push_back(std::move(out));
  }
  return {{"contacts",
           {{"file", list.file},
            {"rows_read", list.audit.rows_read},
            {"rows_kept", list.audit.rows_kept},
            {"rows_rejected", list.audit.rows_rejected()},
            {"rejected", std::move(rejected)},
            {"columns", std::move(columns)}}},
          {"window_days", run.options.window_days},
          {"margin", run.options.margin},
          {"planned_split", optional_number(run.options.planned_split)},
          {"campaigns", std::move(campaigns)}};
}

std::string campaign_text(const CampaignRun& run, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const core::ContactList& list = run.contacts;
  std::string out = fmt::format(fmt::runtime(zh ? "联系名单 {}: 读取 {} 行, 保留 {}, 拒绝 {}"
                                                : "contacts {}: {} rows read, "
                                                  "{} kept, {} rejected"),
                                list.file, list.audit.rows_read, list.audit.rows_kept,
                                list.audit.rows_rejected());
  if (!list.audit.rejected.empty()) {
    std::vector<std::string> parts;
    for (const auto& [rule, count] : list.audit.rejected) {
      parts.push_back(fmt::format("{} {}", rule, count));
    }
    out += fmt::format(" ({})", fmt::join(parts, ", "));
  }
  out += '\n';
  for (const analysis::CampaignReadout& r : run.readouts) {
    const Comparison& c = r.overall;
    out += fmt::format(fmt::runtime(zh ? "\n活动 {}: 发送 {} 至 {}, 窗口 {} 天{}\n"
                                       : "\ncampaign {}: sent {} to {}, window {} days{}\n"),
                       r.name, day_text(r.first_send_day), day_text(r.last_send_day), r.window_days,
                       r.channels.empty()
                           ? std::string()
                           : fmt::format(fmt::runtime(zh ? ", 渠道 {}" : ", channels {}"),
                                         fmt::join(r.channels, ", ")));
    out += group_line(zh ? "实验组" : "treatment", c.treatment, lang);
    out += group_line(zh ? "对照组" : "control", c.control, lang);
    out += fmt::format(
        fmt::runtime(zh ? "  无任何订单的联系人: {} (按零消费计入)\n"
                        : "  contacts with no order at all: {} (counted with zero spend)\n"),
        r.contacts_without_orders);
    out += "  " + campaign_verdict(c, lang) + '\n';
    if (c.uplift.relative) {
      out +=
          fmt::format(fmt::runtime(zh ? "  相对提升: {:+.1f}%\n" : "  relative uplift: {:+.1f}%\n"),
                      100 * *c.uplift.relative);
    }
    out += fmt::format(fmt::runtime(zh ? "  人均收入提升 (Welch): {}\n"
                                       : "  revenue per customer uplift (Welch): {}\n"),
                       mean_text(c.revenue_uplift, lang));
    out += fmt::format(
        fmt::runtime(zh ? "  CUPED 调整后: {} (theta {:.4f}, 方差减少 {})\n"
                        : "  CUPED-adjusted: {} (theta {:.4f}, variance reduced by {})\n"),
        mean_text(r.cuped.uplift, lang), r.cuped.theta, percent(r.cuped.variance_reduction));
    if (r.srm) {
      out += fmt::format(
          fmt::runtime(zh ? "  样本比例检验: 计划实验组占比 {}, 实际 {}, 卡方 {:.3f}, {}{}\n"
                          : "  sample ratio: planned treatment share {}, observed {}, chi-square "
                            "{:.3f}, {}{}\n"),
          percent(r.srm->planned_treatment_share), percent(r.srm->observed_treatment_share),
          r.srm->chi_square, p_text(r.srm->p_value),
          r.srm->mismatch ? (zh ? " — 样本比例不符,分组可能有问题,结果不可信"
                                : " — MISMATCH: the assignment is suspect; do not trust the "
                                  "readout")
                          : "");
    }
    const analysis::Profit& p = c.profit;
    out += fmt::format(
        fmt::runtime(zh ? "  增量转化 {:.1f}, 增量收入 {:.2f}, 毛利率 {}, 实验组成本 {:.2f}, "
                          "增量利润 {:.2f}{}\n"
                        : "  incremental conversions {:.1f}, incremental revenue {:.2f}, margin "
                          "{}, treatment cost {:.2f}, incremental profit {:.2f}{}\n"),
        p.incremental_conversions, p.incremental_revenue, percent(p.margin), p.treatment_cost,
        p.incremental_profit,
        p.cost_per_incremental_conversion
            ? fmt::format(fmt::runtime(zh ? ", 每个增量转化成本 {:.2f}"
                                          : ", cost per incremental conversion {:.2f}"),
                          *p.cost_per_incremental_conversion)
            : std::string());
    if (!r.by_tier.empty()) {
      out += fmt::format(fmt::runtime(zh ? "  按发送时的 RFM 层级 ({}, 截至 {}):\n"
                                         : "  by RFM tier at sending ({}, as of {}):\n"),
                         r.scheme, day_text(r.first_send_day));
      levels_text(out, r.by_tier, lang);
    }
    if (!r.by_decile.empty()) {
      out += zh ? "  按预测十分位:\n" : "  by predict decile:\n";
      levels_text(out, r.by_decile, lang);
    }
    if (r.qini) {
      out +=
          fmt::format(fmt::runtime(zh ? "  Qini 系数 {:.4f} (按{}排序)\n"
                                      : "  Qini coefficient {:.4f} (ranked by {})\n"),
                      r.qini->coefficient,
                      zh ? (r.qini->ranked_by == "score" ? "得分" : "十分位") : r.qini->ranked_by);
    }
  }
  return out;
}

}  // namespace custlens::report
