// Section `events_retention`: the cohort triangle (`retention.cohorts`, docs/events.md
// "Retention") as a heat map of shares, counts in the tooltips; a one-period log gets one line.
#include <fmt/format.h>

#include <algorithm>

#include "report/sections/events_common.h"

namespace custlens::report {
namespace {

using nlohmann::json;

constexpr std::size_t kTableOffsets = 7;  // table columns +1 … +7; the heat map shows every one

// "day +1" / "第 1 天": the k-th period after the cohort's own.
std::string offset_label(const SectionContext& context, const std::string& period, std::size_t k) {
  if (context.lang == Lang::kZh)
    return fmt::format("第 {} {}", k, events_period_word(context, period));
  return fmt::format("{} +{}", events_period_word(context, period), k);
}

std::int64_t active_at(const json& cohort, std::size_t k) {
  const json* active = events_array(cohort, "active");
  return active != nullptr && k < active->size() && (*active)[k].is_number()
             ? (*active)[k].get<std::int64_t>()
             : 0;
}

std::size_t offsets_of(const json& cohort) {
  const json* active = events_array(cohort, "active");
  return active == nullptr ? 0 : active->size();
}

std::optional<Section> build_events_retention(const SectionContext& context) {
  const json* events = events_root(context);
  if (events == nullptr || !events->contains("retention") || !events->at("retention").is_object()) {
    return std::nullopt;
  }
  const json& retention = events->at("retention");
  const json* cohorts = events_array(retention, "cohorts");
  if (cohorts == nullptr || cohorts->empty()) return std::nullopt;
  const std::string period = events_text(retention, "period").empty()
                                 ? std::string("day")
                                 : events_text(retention, "period");
  const bool buy = events_text(retention, "event") == "buy";
  std::size_t width = 0;
  for (const json& cohort : *cohorts) width = std::max(width, offsets_of(cohort));

  Section section;
  section.title =
      buy ? context.text("Purchase retention by first-seen cohort", "按首次出现分组的购买留存")
          : context.text("Retention by first-seen cohort", "按首次出现分组的留存");
  if (width < 2) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text(
            "The log covers a single {} ({}), so no user can come back in a later one: there is "
            "no retention to show.",
            "日志只覆盖一个{}（{}），用户无法在之后的周期回访：没有可展示的留存。")),
        events_period_word(context, period), events_text(cohorts->front(), "cohort")));
    return section;
  }

  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Cohort", "分组")),
                   std::string(context.text("Users", "用户数"))};
  table.formats = {CellFormat::kText, CellFormat::kInteger};
  const std::size_t first_offset = buy ? 0 : 1;  // with `any`, +0 is every user
  const std::size_t last_offset = std::min(width - 1, kTableOffsets);
  for (std::size_t k = first_offset; k <= last_offset; ++k) {
    table.columns.push_back(offset_label(context, period, k));
    table.formats.push_back(CellFormat::kPercent);
  }
  json y_labels = json::array();
  json cells = json::array();
  for (std::size_t c = 0; c < cohorts->size(); ++c) {
    const json& cohort = (*cohorts)[c];
    const std::string name = events_text(cohort, "cohort");
    const std::int64_t users = events_count(cohort, "users");
    const json* shares = events_array(cohort, "share");
    json row = json::array({name, users});
    for (std::size_t k = first_offset; k <= last_offset; ++k) {
      row.push_back(shares != nullptr && k < shares->size() ? (*shares)[k] : json(nullptr));
    }
    table.rows.push_back(std::move(row));
    y_labels.push_back(name);
    for (std::size_t k = 0; k < offsets_of(cohort); ++k) {
      const std::int64_t active = active_at(cohort, k);
      const double share = events_share(active, users);
      cells.push_back(
          {{"name", fmt::format("{} · {}: {} / {} ({})", name, offset_label(context, period, k),
                                format_count(active), format_count(users), format_share(share))},
           {"value", {k, c, chart_percent(share)}}});
    }
  }
  json x_labels = json::array();
  for (std::size_t k = 0; k < width; ++k) x_labels.push_back(fmt::format("+{}", k));
  section.chart = {
      {"tooltip", {{"trigger", "item"}}},
      {"grid", {{"left", 8}, {"right", 8}, {"top", 8}, {"bottom", 56}, {"containLabel", true}}},
      {"xAxis",
       {{"type", "category"},
        {"data", std::move(x_labels)},
        {"name", fmt::format(fmt::runtime(context.text("{}s since the first", "距首次的{}数")),
                             events_period_word(context, period))},
        {"splitArea", {{"show", true}}}}},
      {"yAxis",
       {{"type", "category"},
        {"inverse", true},
        {"data", std::move(y_labels)},
        {"splitArea", {{"show", true}}}}},
      {"visualMap",
       {{"min", 0},
        {"max", 100},
        {"calculable", true},
        {"orient", "horizontal"},
        {"left", "center"},
        {"bottom", 0},
        {"text", json::array({"100%", "0%"})},
        {"inRange", {{"color", json::array({"#f2f6fb", "#3b6ea5"})}}}}},
      {"series",
       json::array({{{"name", std::string(buy ? context.text("Buying (%)", "购买占比（%）")
                                              : context.text("Active (%)", "活跃占比（%）"))},
                     {"type", "heatmap"},
                     {"tooltip", {{"formatter", "{b}"}}},
                     {"data", std::move(cells)}}})}};
  if (cohorts->size() > 12)
    section.chart_height = std::min<int>(760, 160 + 24 * static_cast<int>(cohorts->size()));

  // The largest cohort with a next period (ties: the earlier), and every such cohort pooled.
  const json* largest = nullptr;
  std::int64_t pooled_users = 0;
  std::int64_t pooled_active = 0;
  std::size_t pooled_cohorts = 0;
  for (const json& cohort : *cohorts) {
    if (offsets_of(cohort) < 2) continue;
    pooled_users += events_count(cohort, "users");
    pooled_active += active_at(cohort, 1);
    ++pooled_cohorts;
    if (largest == nullptr || events_count(cohort, "users") > events_count(*largest, "users")) {
      largest = &cohort;
    }
  }
  const std::string next = offset_label(context, period, 1);
  if (largest != nullptr) {
    const std::int64_t users = events_count(*largest, "users");
    section.findings.push_back(fmt::format(
        fmt::runtime(
            buy ? context.text("Of the {} users first seen in {} ({}), {} bought in {}: {}.",
                               "{1}（{2}）首次出现的 {0} 个用户中，有 {3} 个在{4}购买：{5}。")
                : context.text("Of the {} users first seen in {} ({}), {} came back in {}: {}.",
                               "{1}（{2}）首次出现的 {0} 个用户中，有 {3} 个在{4}回访：{5}。")),
        format_count(users), events_text(*largest, "cohort"),
        context.text("the largest cohort", "最大的分组"), format_count(active_at(*largest, 1)),
        next, format_share(events_share(active_at(*largest, 1), users))));
  }
  if (pooled_cohorts >= 2) {
    section.findings.push_back(fmt::format(
        fmt::runtime(
            buy ? context.text("Over the {} cohorts that have a {}, {} of {} users ({}) buy in it.",
                               "在有{1}的 {0} 个分组中，{3} 个用户里有 {2} 个在该期购买（{4}）。")
                : context.text(
                      "Over the {} cohorts that have a {}, {} of {} users ({}) are active in it.",
                      "在有{1}的 {0} 个分组中，{3} 个用户里有 {2} 个在该期活跃（{4}）。")),
        pooled_cohorts, next, format_count(pooled_active), format_count(pooled_users),
        format_share(events_share(pooled_active, pooled_users))));
  }
  const json& first = cohorts->front();
  if (offsets_of(first) >= 2 && &first != largest) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("{} retention of the first cohort ({}, {} {}): {}.",
                                  "第一个分组（{1}，{2} 个用户）的{0}留存：{4}。")),
        next, events_text(first, "cohort"), format_count(events_count(first, "users")),
        events_count(first, "users") == 1 ? "user" : "users",
        format_share(events_share(active_at(first, 1), events_count(first, "users")))));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(events_retention, 740, build_events_retention);

}  // namespace custlens::report
