// The joined view's JSON, text and per-customer table.
#include "report/events_joined.h"

#include <fmt/format.h>

#include "common/calendar.h"
#include "common/number_text.h"

namespace custlens::report {
namespace {

namespace ev = analysis::events;

nlohmann::json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json();
}

std::optional<double> ratio(std::int64_t a, std::int64_t b) {
  if (b == 0) return std::nullopt;
  return static_cast<double>(a) / static_cast<double>(b);
}

const JoinedGroupName* name_of(const JoinedSource& source, const std::string& key) {
  for (const JoinedGroupName& name : source.names) {
    if (name.key == key) return &name;
  }
  return nullptr;
}

nlohmann::json source_to_json(const JoinedSource& s) {
  nlohmann::json groups = nlohmann::json::array();
  for (const ev::GroupBehavior& g : s.groups) {
    const JoinedGroupName* name = name_of(s, g.key);
    nlohmann::json funnel = nlohmann::json::array();
    for (const ev::FunnelStep& step : g.funnel) {
      funnel.push_back(
          {{"step", step.step},
           {"users", step.users},
           {"conversion_from_previous", optional_number(step.conversion_from_previous)},
           {"conversion_from_first", optional_number(step.conversion_from_first)},
           {"median_seconds_from_previous", optional_number(step.median_seconds_from_previous)},
           {"p90_seconds_from_previous", optional_number(step.p90_seconds_from_previous)}});
    }
    nlohmann::json retention = nlohmann::json::array();
    for (const ev::RetentionPoint& p : g.retention) {
      retention.push_back(
          {{"k", p.k}, {"users", p.users}, {"active", p.active}, {"share", p.share}});
    }
    groups.push_back({{"key", g.key},
                      {"name", name ? name->name : g.key},
                      {"name_zh", name ? name->name_zh : g.key},
                      {"users", g.users},
                      {"events", g.events},
                      {"pv", g.pv},
                      {"pv_per_user", optional_number(g.pv_per_user)},
                      {"cart_users", g.cart_users},
                      {"cart_rate", optional_number(g.cart_rate)},
                      {"buy_users", g.buy_users},
                      {"buys", g.buys},
                      {"conversion_rate", optional_number(g.conversion_rate)},
                      {"mean_active_days", optional_number(g.mean_active_days)},
                      {"funnel", std::move(funnel)},
                      {"retention", std::move(retention)}});
  }
  nlohmann::json out = {{"files", s.files},
                        {"rows_read", s.rows_read},
                        {"rows_kept", s.rows_kept},
                        {"customers", s.customers},
                        {"scheme", s.scheme},
                        {"log_users", s.log_users},
                        {"matched_users", s.matched_users},
                        {"match_rate", optional_number(ratio(s.matched_users, s.log_users))},
                        {"customers_without_events", s.customers_without_events},
                        {"groups", std::move(groups)}};
  out["as_of"] = s.as_of_day ? nlohmann::json(common::format_day(*s.as_of_day)) : nlohmann::json();
  return out;
}

std::string percent(const std::optional<double>& value) {
  return value ? fmt::format("{:.1f}%", 100 * *value) : std::string("-");
}

std::string source_text(const JoinedSource& s, bool rfm, bool zh) {
  std::string out;
  if (rfm) {
    out += fmt::format(
        fmt::runtime(
            zh ? "\n按 RFM 分层（订单 {} 位客户，{} 方案，截至 {}）：日志用户 {} 位中 {} 位有订单"
               : "\nBy RFM tier (orders of {} customers, scheme {}, as of {}): {} log "
                 "users, {} with orders"),
        common::thousands(s.customers), s.scheme,
        s.as_of_day ? common::format_day(*s.as_of_day) : std::string("-"),
        common::thousands(s.log_users), common::thousands(s.matched_users));
  } else {
    out += fmt::format(
        fmt::runtime(zh ? "\n按画像分层（画像表 {} 位客户，{} 分层）：日志用户 {} 位中 {} 位有画像"
                        : "\nBy profile tier (profiles of {} customers, {} tiers): {} log users, "
                          "{} with a profile"),
        common::thousands(s.customers), s.scheme, common::thousands(s.log_users),
        common::thousands(s.matched_users));
  }
  out += fmt::format(fmt::runtime(zh ? "（{}），另有 {} 位客户不在日志中\n"
                                     : " ({}); {} customers are not in the log\n"),
                     percent(ratio(s.matched_users, s.log_users)),
                     common::thousands(s.customers_without_events));
  out += fmt::format("  {:<22} {:>9} {:>8} {:>8} {:>8} {:>8} {:>10} {:>8}\n", zh ? "分层" : "tier",
                     zh ? "用户" : "users", zh ? "人均PV" : "pv/user", zh ? "加购率" : "cart",
                     zh ? "购买率" : "buy", zh ? "活跃天" : "days", zh ? "漏斗转化" : "funnel",
                     zh ? "次期留存" : "k=1");
  for (const ev::GroupBehavior& g : s.groups) {
    const JoinedGroupName* name = name_of(s, g.key);
    const std::string label = name ? (zh ? name->name_zh : name->name) : g.key;
    const std::optional<double> funnel =
        g.funnel.empty() ? std::nullopt : g.funnel.back().conversion_from_first;
    const std::optional<double> k1 =
        g.retention.size() > 1 ? std::optional<double>(g.retention[1].share) : std::nullopt;
    out += fmt::format("  {:<22} {:>9} {:>8} {:>8} {:>8} {:>8} {:>10} {:>8}\n", label,
                       common::thousands(g.users),
                       g.pv_per_user ? fmt::format("{:.1f}", *g.pv_per_user) : "-",
                       percent(g.cart_rate), percent(g.conversion_rate),
                       g.mean_active_days ? fmt::format("{:.2f}", *g.mean_active_days) : "-",
                       percent(funnel), percent(k1));
  }
  return out;
}

}  // namespace

nlohmann::json joined_to_json(const JoinedView& view) {
  return {
      {"rfm_tier", view.rfm_tier ? source_to_json(*view.rfm_tier) : nlohmann::json()},
      {"profile_tier", view.profile_tier ? source_to_json(*view.profile_tier) : nlohmann::json()},
      {"customer_rows", view.customer_rows}};
}

std::string joined_text(const JoinedView& view, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::string out;
  if (view.rfm_tier) out += source_text(*view.rfm_tier, true, zh);
  if (view.profile_tier) out += source_text(*view.profile_tier, false, zh);
  return out;
}

void write_joined_customers(io::CsvWriter& out, std::span<const CustomerJoinRow> rows,
                            bool with_orders, bool with_profiles,
                            const analysis::events::LocalClock& clock, IdHasher* hasher) {
  for (const char* column : {"customer_id", "events", "pv", "favs", "carts", "buys", "active_days",
                             "first_seen", "last_seen"}) {
    out.field(column);
  }
  if (with_orders) {
    for (const char* column :
         {"rfm_tier", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score"}) {
      out.field(column);
    }
  }
  if (with_profiles) out.field("profile_tier");
  out.end_row();
  for (const CustomerJoinRow& row : rows) {
    if (hasher) {
      out.field(hasher->hash(row.id));
    } else {
      out.field(row.id);
    }
    const ev::UserActivity none;
    const ev::UserActivity& a = row.activity ? *row.activity : none;
    for (std::int64_t value : {a.events, a.pv, a.favs, a.carts, a.buys, a.active_days}) {
      out.field(value);
    }
    out.field(row.activity ? common::format_timestamp(clock.local_seconds(a.first_ts)) : "");
    out.field(row.activity ? common::format_timestamp(clock.local_seconds(a.last_ts)) : "");
    if (with_orders) {
      out.field(row.rfm_tier);
      if (row.rfm) {
        out.field(row.rfm->recency_days);
        out.field(row.rfm->frequency);
        out.field(row.rfm->monetary, 2);
        out.field(std::int64_t{row.rfm->r_score});
        out.field(std::int64_t{row.rfm->f_score});
        out.field(std::int64_t{row.rfm->m_score});
      } else {
        for (int i = 0; i < 6; ++i) out.field(std::string_view());
      }
    }
    if (with_profiles) out.field(row.profile_tier.value_or(""));
    out.end_row();
  }
}

}  // namespace custlens::report
