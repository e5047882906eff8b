// What the behaviour-log sections share (events_kpis, events_funnel, events_funnel_breakdown,
// events_daily, events_hours, events_retention, events_categories, events_items,
// events_lifecycle): the `events` object of summary.json (docs/events.md "JSON"), numbers that
// may be null, counts, durations and period words in both languages.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "report/sections/section.h"

namespace custlens::report {

/// grid.left of a chart whose x axis holds dates: the first date, slanted by the page, hangs left
/// of the plot by more than containLabel keeps.
inline constexpr int kDateAxisLeft = 48;

/// The summary's `events` object, or nullptr when there is none.
inline const nlohmann::json* events_root(const SectionContext& context) {
  const nlohmann::json* events = context.find("/events");
  return events != nullptr && events->is_object() ? events : nullptr;
}

/// The array `key` of the events object, or nullptr when it is absent, null or not an array.
inline const nlohmann::json* events_array(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(key);
  return found != object.end() && found->is_array() ? &*found : nullptr;
}

/// A number of an object, or nullopt when it is absent, null or not finite.
inline std::optional<double> events_number(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number()) return std::nullopt;
  const double value = found->get<double>();
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

/// A count of an object (0 when absent or not a number).
inline std::int64_t events_count(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return 0;
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number()) return 0;
  return found->is_number_integer() ? found->get<std::int64_t>()
                                    : std::llround(found->get<double>());
}

/// A string of an object ("" when absent or not a string).
inline std::string events_text(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return {};
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

/// The log's time zone (`tz`; "UTC" when absent).
inline std::string events_tz(const nlohmann::json& events) {
  const std::string tz = events_text(events, "tz");
  return tz.empty() ? std::string("UTC") : tz;
}

/// True when every event falls in local hour 0 (`hours`): date-only timestamps read as midnight,
/// so the log has no time of day (hours and times between steps would be artefacts).
inline bool events_date_only(const nlohmann::json& events) {
  const nlohmann::json* hours = events_array(events, "hours");
  if (hours == nullptr) return false;
  bool any = false;
  for (const nlohmann::json& hour : *hours) {
    if (events_count(hour, "uv") == 0) continue;
    if (events_count(hour, "hour") != 0) return false;
    any = true;
  }
  return any;
}

/// part / whole, or 0 when whole is 0.
inline double events_share(std::int64_t part, std::int64_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

/// A duration in words: "45 s", "3 min 32 s", "4.9 h", "2.3 days" / "45 秒", "3 分 32 秒", …
inline std::string events_duration(const SectionContext& context, double seconds) {
  const bool zh = context.lang == Lang::kZh;
  if (seconds < 60) return fmt::format("{:.0f}{}", seconds, zh ? " 秒" : " s");
  if (seconds < 3600) {
    const auto whole = static_cast<std::int64_t>(std::llround(seconds));
    return zh ? fmt::format("{} 分 {} 秒", whole / 60, whole % 60)
              : fmt::format("{} min {} s", whole / 60, whole % 60);
  }
  if (seconds < 86400) return fmt::format("{:.1f}{}", seconds / 3600, zh ? " 小时" : " h");
  return fmt::format("{:.1f}{}", seconds / 86400, zh ? " 天" : " days");
}

/// A funnel window in words: "1 day", "2 h", "30 min", "90000 s" / "1 天", …
inline std::string events_window(const SectionContext& context, std::int64_t seconds) {
  const bool zh = context.lang == Lang::kZh;
  if (seconds > 0 && seconds % 86400 == 0) {
    const std::int64_t days = seconds / 86400;
    return zh ? fmt::format("{} 天", days) : fmt::format("{} day{}", days, days == 1 ? "" : "s");
  }
  if (seconds > 0 && seconds % 3600 == 0)
    return fmt::format("{}{}", seconds / 3600, zh ? " 小时" : " h");
  if (seconds > 0 && seconds % 60 == 0)
    return fmt::format("{}{}", seconds / 60, zh ? " 分钟" : " min");
  return fmt::format("{}{}", seconds, zh ? " 秒" : " s");
}

/// The retention and lifecycle period ("day", "week", "month") as a word: "day" / "天".
inline std::string events_period_word(const SectionContext& context, const std::string& period) {
  if (context.lang == Lang::kZh) return period == "week" ? "周" : period == "month" ? "月" : "天";
  return period == "week" || period == "month" ? period : std::string("day");
}

/// "1. pv": a funnel step with its place, so a repeated step name stays its own bar.
inline std::string events_step_label(const nlohmann::json& steps, std::size_t index) {
  return fmt::format("{}. {}", index + 1, events_text(steps[index], "step"));
}

/// The table (and, for categories, the chart) of the top categories or items:
/// events_categories.cpp.
std::optional<Section> build_events_key_table(const SectionContext& context, bool items);

}  // namespace custlens::report
