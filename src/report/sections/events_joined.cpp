// Sections `events_joined_rfm` and `events_joined_profile`: the joined view (`joined`,
// docs/events.md "Joined view"): per RFM tier or profile tier of the log's users, behaviour, funnel
// conversion and retention one period on, with how many users the table matched.
#include <fmt/format.h>

#include "report/sections/events_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

std::optional<double> retention_at(const json& group, std::size_t k) {
  const json* points = events_array(group, "retention");
  if (points == nullptr || k >= points->size()) return std::nullopt;
  return events_number((*points)[k], "share");
}

std::optional<double> funnel_conversion(const json& group) {
  const json* steps = events_array(group, "funnel");
  if (steps == nullptr || steps->empty()) return std::nullopt;
  return events_number(steps->back(), "conversion_from_first");
}

json optional_cell(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

std::optional<Section> build_joined(const SectionContext& context, const char* source_key) {
  const json* events = events_root(context);
  if (events == nullptr || !events->contains("joined") || !events->at("joined").is_object()) {
    return std::nullopt;
  }
  const json& joined = events->at("joined");
  if (!joined.contains(source_key) || !joined.at(source_key).is_object()) return std::nullopt;
  const json& source = joined.at(source_key);
  const json* groups = events_array(source, "groups");
  if (groups == nullptr || groups->empty()) return std::nullopt;
  const bool rfm = std::string_view(source_key) == "rfm_tier";
  const bool zh = context.lang == Lang::kZh;
  const std::string period = events->contains("retention") && events->at("retention").is_object()
                                 ? events_text(events->at("retention"), "period")
                                 : std::string("day");
  const json* funnel_steps = events->contains("funnel") && events->at("funnel").is_object()
                                 ? events_array(events->at("funnel"), "steps")
                                 : nullptr;
  const bool with_funnel = funnel_steps != nullptr && !funnel_steps->empty();
  const std::string funnel_label =
      with_funnel ? fmt::format("{} → {}", events_text(funnel_steps->front(), "step"),
                                events_text(funnel_steps->back(), "step"))
                  : std::string();
  const std::string retention_label =
      zh ? fmt::format("第 1 {}留存", events_period_word(context, period))
         : fmt::format("Retention {} +1", events_period_word(context, period));

  Section section;
  section.title = rfm ? context.text("Behaviour by RFM tier", "按 RFM 分层的行为")
                      : context.text("Behaviour by profile tier", "按画像分层的行为");
  SectionTable& table = section.table;
  const auto column = [&](std::string label, CellFormat format) {
    table.columns.push_back(std::move(label));
    table.formats.push_back(format);
  };
  column(std::string(context.text("Tier", "分层")), CellFormat::kText);
  column(std::string(context.text("Users", "用户")), CellFormat::kInteger);
  column(std::string(context.text("PV per user", "人均 PV")), CellFormat::kNumber);
  column(std::string(context.text("Carted", "加购用户占比")), CellFormat::kPercent);
  column(std::string(context.text("Bought", "购买用户占比")), CellFormat::kPercent);
  column(std::string(context.text("Active days", "活跃天数")), CellFormat::kNumber);
  if (with_funnel) column(funnel_label, CellFormat::kPercent);
  column(retention_label, CellFormat::kPercent);

  json labels = json::array();
  json bought = json::array();
  json retained = json::array();
  const json* best = nullptr;
  const json* worst = nullptr;
  for (const json& group : *groups) {
    const std::string label = events_text(group, zh ? "name_zh" : "name");
    json row = json::array({label, events_count(group, "users")});
    row.push_back(optional_cell(events_number(group, "pv_per_user")));
    row.push_back(optional_cell(events_number(group, "cart_rate")));
    row.push_back(optional_cell(events_number(group, "conversion_rate")));
    row.push_back(optional_cell(events_number(group, "mean_active_days")));
    if (with_funnel) row.push_back(optional_cell(funnel_conversion(group)));
    row.push_back(optional_cell(retention_at(group, 1)));
    table.rows.push_back(std::move(row));
    labels.push_back(label);
    const std::optional<double> conversion = events_number(group, "conversion_rate");
    const std::optional<double> k1 = retention_at(group, 1);
    bought.push_back(conversion ? json(chart_percent(*conversion)) : json("-"));
    retained.push_back(k1 ? json(chart_percent(*k1)) : json("-"));
    const std::string key = events_text(group, "key");
    const bool unmatched = key == "no_orders" || key == "no_profile";
    if (!unmatched && conversion) {
      if (best == nullptr || *conversion > *events_number(*best, "conversion_rate")) best = &group;
      if (worst == nullptr || *conversion < *events_number(*worst, "conversion_rate")) {
        worst = &group;
      }
    }
  }
  json series = json::array({{{"name", std::string(context.text("Bought", "购买用户占比"))},
                              {"type", "bar"},
                              {"itemStyle", {{"color", "#3b6ea5"}}},
                              {"data", std::move(bought)}},
                             {{"name", retention_label},
                              {"type", "bar"},
                              {"itemStyle", {{"color", "#d08c35"}}},
                              {"data", std::move(retained)}}});
  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid",
       {{"left", kDateAxisLeft}, {"right", 8}, {"top", 36}, {"bottom", 8}, {"containLabel", true}}},
      {"xAxis", {{"type", "category"}, {"data", std::move(labels)}}},
      {"yAxis", {{"type", "value"}, {"axisLabel", {{"formatter", "{value}%"}}}}},
      {"series", std::move(series)}};

  const std::int64_t log_users = events_count(source, "log_users");
  const std::int64_t matched = events_count(source, "matched_users");
  if (rfm) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "{} of {} log users ({}) have kept order lines (RFM scheme {}, as of {}); {} order "
            "customers never appear in the log.",
            "日志中 {}/{} 位用户（{}）有有效订单（RFM 方案 {}，截至 {}）；另有 {} 位下单客户"
            "从未出现在日志中。")),
        format_count(matched), format_count(log_users),
        format_share(events_share(matched, log_users)), events_text(source, "scheme"),
        events_text(source, "as_of"),
        format_count(events_count(source, "customers_without_events"))));
  } else {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "{} of {} log users ({}) are in the profile table ({} tiers); {} profiled customers "
            "never appear in the log.",
            "日志中 {}/{} 位用户（{}）在画像表中（{}分层）；另有 {} "
            "位有画像的客户从未出现在日志中。")),
        format_count(matched), format_count(log_users),
        format_share(events_share(matched, log_users)),
        zh ? (events_text(source, "scheme") == "clusters" ? "聚类" : "规则")
           : events_text(source, "scheme"),
        format_count(events_count(source, "customers_without_events"))));
  }
  if (best != nullptr && worst != nullptr && best != worst) {
    const auto describe = [&](const json& group) {
      return fmt::format(
          fmt::runtime(context.text("{} ({} of {} users bought)", "{}（{}/{} 位用户购买）")),
          events_text(group, zh ? "name_zh" : "name"),
          format_count(events_count(group, "buy_users")),
          format_count(events_count(group, "users")));
    };
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("In the log, {} buys most often and {} least.",
                                              "日志中购买比例最高的是{}，最低的是{}。")),
                    describe(*best), describe(*worst)));
  }
  section.findings.push_back(std::string(
      context.text("Small groups make noisy shares: read a rate together with its users.",
                   "分组较小时比例波动大：请结合用户数解读比例。")));
  return section;
}

std::optional<Section> build_events_joined_rfm(const SectionContext& context) {
  return build_joined(context, "rfm_tier");
}

std::optional<Section> build_events_joined_profile(const SectionContext& context) {
  return build_joined(context, "profile_tier");
}

}  // namespace

CUSTLENS_REGISTER_SECTION(events_joined_rfm, 762, build_events_joined_rfm);
CUSTLENS_REGISTER_SECTION(events_joined_profile, 764, build_events_joined_profile);

}  // namespace custlens::report
