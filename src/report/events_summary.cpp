// The events JSON object and text.
#include "report/events_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>

#include "common/calendar.h"
#include "common/number_text.h"

namespace custlens::report {
namespace {

namespace ev = analysis::events;

nlohmann::json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

nlohmann::json kpis_to_json(const ev::BehaviorKpis& k) {
  return {{"pv", k.pv},
          {"uv", k.uv},
          {"pv_per_uv", optional_number(k.pv_per_uv)},
          {"buy_users", k.buy_users},
          {"buys", k.buys},
          {"conversion_rate", optional_number(k.conversion_rate)},
          {"repurchase_rate", optional_number(k.repurchase_rate)},
          {"bounce_rate", optional_number(k.bounce_rate)}};
}

nlohmann::json steps_to_json(const std::vector<ev::FunnelStep>& steps) {
  nlohmann::json out = nlohmann::json::array();
  for (const ev::FunnelStep& s : steps) {
    out.push_back(
        {{"step", s.step},
         {"users", s.users},
         {"conversion_from_previous", optional_number(s.conversion_from_previous)},
         {"conversion_from_first", optional_number(s.conversion_from_first)},
         {"median_seconds_from_previous", optional_number(s.median_seconds_from_previous)},
         {"p90_seconds_from_previous", optional_number(s.p90_seconds_from_previous)}});
  }
  return out;
}

nlohmann::json funnel_to_json(const ev::FunnelResult& f) {
  nlohmann::json out = {{"mode", ev::funnel_mode_name(f.mode)},
                        {"window_seconds", f.window_seconds},
                        {"steps", steps_to_json(f.steps)}};
  if (f.by != ev::FunnelBy::kNone) {
    out["by"] = ev::funnel_by_name(f.by);
    nlohmann::json breakdown = nlohmann::json::array();
    for (const ev::FunnelBreakdown& b : f.breakdown) {
      breakdown.push_back({{"key", b.key}, {"steps", steps_to_json(b.steps)}});
    }
    out["breakdown"] = std::move(breakdown);
  }
  return out;
}

nlohmann::json retention_to_json(const ev::RetentionResult& r) {
  nlohmann::json cohorts = nlohmann::json::array();
  for (const ev::RetentionCohort& c : r.cohorts) {
    cohorts.push_back({{"cohort", common::format_day(c.cohort)},
                       {"users", c.users},
                       {"active", c.active},
                       {"share", c.share}});
  }
  return {
      {"period", ev::period_name(r.period)}, {"event", r.event}, {"cohorts", std::move(cohorts)}};
}

nlohmann::json lifecycle_to_json(const ev::LifecycleResult& l) {
  nlohmann::json periods = nlohmann::json::array();
  for (const ev::LifecyclePeriod& p : l.periods) {
    periods.push_back({{"period", common::format_day(p.period)},
                       {"new", p.new_},
                       {"active", p.active},
                       {"returning", p.returning},
                       {"at_risk", p.at_risk},
                       {"churned", p.churned}});
  }
  nlohmann::json transitions = nlohmann::json::array();
  for (const ev::LifecycleTransition& t : l.transitions) {
    transitions.push_back({{"from", t.from}, {"to", t.to}, {"users", t.users}});
  }
  return {{"periods", std::move(periods)}, {"transitions", std::move(transitions)}};
}

nlohmann::json keys_to_json(const std::vector<ev::KeyKpis>& keys) {
  nlohmann::json out = nlohmann::json::array();
  for (const ev::KeyKpis& k : keys) {
    out.push_back({{"key", k.key},
                   {"pv", k.pv},
                   {"users", k.users},
                   {"buys", k.buys},
                   {"buy_users", k.buy_users},
                   {"conversion", optional_number(k.conversion)}});
  }
  return out;
}

std::string percent(const std::optional<double>& value) {
  return value ? fmt::format("{:.1f}%", 100 * *value) : std::string("-");
}

std::string seconds_text(const std::optional<double>& value) {
  if (!value) return "-";
  const double s = *value;
  if (s < 60) return fmt::format("{:.0f}s", s);
  if (s < 3600) return fmt::format("{:.1f}m", s / 60);
  if (s < 86400) return fmt::format("{:.1f}h", s / 3600);
  return fmt::format("{:.1f}d", s / 86400);
}

std::string funnel_text(const ev::FunnelResult& f, bool zh) {
  std::string out =
      fmt::format(fmt::runtime(zh ? "\n漏斗（{}，窗口 {} 秒）\n" : "\nFunnel ({}, window {} s)\n"),
                  ev::funnel_mode_name(f.mode), f.window_seconds);
  out += fmt::format("  {:<14} {:>12} {:>10} {:>10} {:>9} {:>9} {:>9}\n", zh ? "步骤" : "step",
                     zh ? "用户" : "users", zh ? "上步转化" : "from prev",
                     zh ? "首步转化" : "from first", zh ? "流失" : "drop-off",
                     zh ? "中位耗时" : "median", "p90");
  for (std::size_t i = 0; i < f.steps.size(); ++i) {
    const ev::FunnelStep& s = f.steps[i];
    const std::int64_t dropped = i == 0 ? 0 : f.steps[i - 1].users - s.users;
    out += fmt::format("  {:<14} {:>12} {:>10} {:>10} {:>9} {:>9} {:>9}\n", s.step,
                       common::thousands(s.users), percent(s.conversion_from_previous),
                       percent(s.conversion_from_first), i == 0 ? "-" : common::thousands(dropped),
                       seconds_text(s.median_seconds_from_previous),
                       seconds_text(s.p90_seconds_from_previous));
  }
  for (const ev::FunnelBreakdown& b : f.breakdown) {
    std::string line = fmt::format("  {:<14}", b.key);
    for (const ev::FunnelStep& s : b.steps) {
      line += fmt::format(" {} {} ({})", s.step, common::thousands(s.users),
                          percent(s.conversion_from_first));
    }
    out += line + "\n";
  }
  return out;
}

std::string_view period_zh(ev::Period period) {
  switch (period) {
    case ev::Period::kWeek:
      return "周";
    case ev::Period::kMonth:
      return "月";
    case ev::Period::kDay:
      break;
  }
  return "日";
}

// The triangle's shares, one row per cohort; at most the first 15 offsets.
std::string retention_text(const ev::RetentionResult& r, bool zh) {
  constexpr std::size_t kColumns = 15;
  std::string out = fmt::format(
      fmt::runtime(zh ? "\n留存（按{}分组，{}）\n" : "\nRetention (cohorts by {}, {} events)\n"),
      zh ? period_zh(r.period) : ev::period_name(r.period),
      zh ? (r.event == "buy" ? "购买" : "任意行为") : r.event);
  for (const ev::RetentionCohort& c : r.cohorts) {
    std::string line =
        fmt::format("  {} {:>9}", common::format_day(c.cohort), common::thousands(c.users));
    for (std::size_t k = 0; k < c.share.size() && k < kColumns; ++k) {
      line += fmt::format(" {:>6.1f}%", 100 * c.share[k]);
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace

EventsReport make_events_report(const pipeline::EventAudit& audit, std::string tz,
                                ev::BehaviorResult result) {
  EventsReport report;
  report.rows_read = audit.rows_read;
  report.malformed = audit.malformed;
  report.missing_customer = audit.missing_customer;
  report.duplicates = audit.duplicates;
  report.rows_kept = audit.rows_kept;
  report.tz = std::move(tz);
  report.kpis = std::move(result.kpis);
  report.funnel = std::move(result.funnel);
  report.retention = std::move(result.retention);
  report.lifecycle = std::move(result.lifecycle);
  return report;
}

nlohmann::json events_summary_to_json(const EventsSummary& summary) {
  nlohmann::json input = input_to_json(summary.input);
  input["kind"] = "behavior_log";
  input["layout"] = summary.layout;
  const ev::BehaviorOptions& given = summary.options;
  nlohmann::json steps_map = nlohmann::json::array();
  for (const auto& [from, to] : summary.steps_map)
    steps_map.push_back({{"from", from}, {"to", to}});
  const nlohmann::json options = {
      {"tz", summary.report.tz},
      {"funnel",
       given.funnel.steps.empty() ? nlohmann::json() : nlohmann::json(given.funnel.steps)},
      {"window_seconds", given.funnel.window_seconds},
      {"mode", ev::funnel_mode_name(given.funnel.mode)},
      {"by", given.funnel.by == ev::FunnelBy::kNone
                 ? nlohmann::json()
                 : nlohmann::json(ev::funnel_by_name(given.funnel.by))},
      {"period", ev::period_name(given.retention.period)},
      {"retention_event", given.retention.buy_only ? "buy" : "any"},
      {"churn_periods", given.churn_periods},
      {"steps_map", std::move(steps_map)},
      {"dedup", summary.dedup}};
  nlohmann::json out = {{"input", std::move(input)},
                        {"options", options},
                        {"events", events_to_json(summary.report)}};
  if (summary.filter) {
    nlohmann::json& filter = out["filter"] = nlohmann::json::object();
    const std::pair<const char*, const std::optional<std::string>*> parts[] = {
        {"from", &summary.filter->from},
        {"to", &summary.filter->to},
        {"category", &summary.filter->category}};
    for (const auto& [name, value] : parts) {
      if (*value) filter[name] = **value;
    }
  }
  return out;
}

nlohmann::json events_to_json(const EventsReport& report) {
  nlohmann::json out;
  out["audit"] = {{"rows_read", report.rows_read},
                  {"malformed", report.malformed},
                  {"missing_customer", report.missing_customer},
                  {"duplicates", report.duplicates},
                  {"rows_kept", report.rows_kept}};
  out["kpis"] = kpis_to_json(report.kpis);
  out["funnel"] = report.funnel ? funnel_to_json(*report.funnel) : nlohmann::json();
  out["retention"] = retention_to_json(report.retention);
  nlohmann::json hours = nlohmann::json::array();
  for (const ev::HourKpis& h : report.kpis.hours) {
    hours.push_back({{"hour", h.hour}, {"pv", h.pv}, {"uv", h.uv}, {"buys", h.buys}});
  }
  out["hours"] = std::move(hours);
  nlohmann::json days = nlohmann::json::array();
  for (const ev::DayKpis& d : report.kpis.days) {
    days.push_back({{"day", common::format_day(d.day)},
                    {"pv", d.pv},
                    {"uv", d.uv},
                    {"buys", d.buys},
                    {"buy_users", d.buy_users}});
  }
  out["days"] = std::move(days);
  out["lifecycle"] = lifecycle_to_json(report.lifecycle);
  out["categories"] = keys_to_json(report.kpis.categories);
  out["items"] = keys_to_json(report.kpis.items);
  out["tz"] = report.tz;
  if (report.joined) out["joined"] = joined_to_json(*report.joined);
  return out;
}

std::string events_text(const EventsReport& report, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const ev::BehaviorKpis& k = report.kpis;
  std::string out = fmt::format(
      fmt::runtime(
          zh ? "行为日志（时区 {}）：读取 {} 行，保留 {} 行；格式错误 {}，缺少用户 {}，重复 {}\n"
             : "Behaviour log (time zone {}): {} rows read, {} kept; {} malformed, {} "
               "missing a user, {} duplicates\n"),
      report.tz, common::thousands(report.rows_read), common::thousands(report.rows_kept),
      common::thousands(report.malformed), common::thousands(report.missing_customer),
      common::thousands(report.duplicates));
  out += fmt::format(fmt::runtime(zh ? "  PV {}，UV {}，人均 PV {}；购买用户 {}，购买 {}\n"
                                     : "  PV {}, UV {}, PV per UV {}; buyers {}, buys {}\n"),
                     common::thousands(k.pv), common::thousands(k.uv),
                     k.pv_per_uv ? fmt::format("{:.2f}", *k.pv_per_uv) : std::string("-"),
                     common::thousands(k.buy_users), common::thousands(k.buys));
  out +=
      fmt::format(fmt::runtime(zh ? "  购买转化率 {}，复购率 {}，跳失率 {}\n"
                                  : "  conversion rate {}, repurchase rate {}, bounce rate {}\n"),
                  percent(k.conversion_rate), percent(k.repurchase_rate), percent(k.bounce_rate));
  if (report.funnel) {
    out += funnel_text(*report.funnel, zh);
  } else {
    out += zh ? "\n漏斗：日志中没有 pv 或 buy，请用 --funnel 指定步骤\n"
              : "\nFunnel: the log has no pv or no buy; name the steps with --funnel\n";
  }
  out += retention_text(report.retention, zh);
  if (!k.categories.empty()) {
    out += zh ? "\n热门类目（按 PV）\n" : "\nTop categories (by PV)\n";
    out += fmt::format("  {:<16} {:>10} {:>9} {:>7} {:>10}\n", zh ? "类目" : "category", "PV",
                       zh ? "用户" : "users", zh ? "购买" : "buys", zh ? "转化" : "conversion");
    for (std::size_t i = 0; i < k.categories.size() && i < 10; ++i) {
      const ev::KeyKpis& c = k.categories[i];
      out +=
          fmt::format("  {:<16} {:>10} {:>9} {:>7} {:>10}\n", c.key, common::thousands(c.pv),
                      common::thousands(c.users), common::thousands(c.buys), percent(c.conversion));
    }
  }
  if (!report.lifecycle.periods.empty()) {
    const ev::LifecyclePeriod& p = report.lifecycle.periods.back();
    out += fmt::format(
        fmt::runtime(zh ? "\n生命周期（{}）：新 {}，活跃 {}，回流 {}，风险 {}，流失 {}\n"
                        : "\nLifecycle ({}): new {}, active {}, returning {}, at risk {}, "
                          "churned {}\n"),
        common::format_day(p.period), common::thousands(p.new_), common::thousands(p.active),
        common::thousands(p.returning), common::thousands(p.at_risk), common::thousands(p.churned));
  }
  if (report.joined) out += joined_text(*report.joined, lang);
  return out;
}

}  // namespace custlens::report
