// What the lifetime-value sections share (clv_models, clv_grid, clv_holdout, clv_tracking,
// clv_value, clv_tiers, clv_top_customers): numbers that may be null, model titles, the time
// unit in words, and the axes and grid of their charts.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/number_text.h"
#include "report/sections/section.h"

namespace custlens::report {

/// A number of an object, or nullopt when it is absent, null or not finite.
inline std::optional<double> clv_number(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number()) return std::nullopt;
  const double value = found->get<double>();
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

/// The BTYD models of the run in their order (`/clv/models`), each with a fit object.
inline std::vector<std::string> clv_model_keys(const nlohmann::json& clv) {
  std::vector<std::string> keys;
  const auto models = clv.find("models");
  if (models == clv.end() || !models->is_array()) return keys;
  for (const nlohmann::json& key : *models) {
    if (key.is_string() && clv.contains(key.get<std::string>()) &&
        clv.at(key.get<std::string>()).is_object()) {
      keys.push_back(key.get<std::string>());
    }
  }
  return keys;
}

/// A model's display name: its fit's `title` ("BG/NBD"), "Gamma-Gamma", else the key.
inline std::string clv_model_title(const nlohmann::json& clv, const std::string& key) {
  if (key == "gamma_gamma") return "Gamma-Gamma";
  const auto fit = clv.find(key);
  if (fit != clv.end() && fit->is_object() && fit->contains("title") &&
      fit->at("title").is_string()) {
    return fit->at("title").get<std::string>();
  }
  return key;
}

/// The run's time unit ("day", "week", "month"; "week" when absent).
inline std::string clv_unit(const nlohmann::json& clv) {
  const auto unit = clv.find("unit");
  return unit != clv.end() && unit->is_string() ? unit->get<std::string>() : std::string("week");
}

/// "week", "weeks" / "周": the run's unit in words.
inline std::string clv_unit_word(const SectionContext& context, const nlohmann::json& clv,
                                 bool plural) {
  const std::string unit = clv_unit(clv);
  if (context.lang == Lang::kZh) {
    return unit == "day" ? "天" : unit == "month" ? "个月" : "周";
  }
  return plural ? unit + "s" : unit;
}

/// A time in units: whole numbers as they are, others with one decimal (52, 38.9).
inline std::string clv_time(double value) {
  return std::abs(value - std::round(value)) < 1e-9 ? fmt::format("{:.0f}", value)
                                                    : fmt::format("{:.1f}", value);
}

/// "52 weeks" / "52 周": a count of the run's units.
inline std::string clv_units(const SectionContext& context, const nlohmann::json& clv,
                             double count) {
  return fmt::format("{} {}", clv_time(count), clv_unit_word(context, clv, count != 1));
}

/// "1 repeat purchase", "10 repeat purchases" / "10 次重复购买".
inline std::string clv_repeat_purchases(const SectionContext& context, const std::string& count) {
  if (context.lang == Lang::kZh) return fmt::format("{} 次重复购买", count);
  return fmt::format("{} repeat purchase{}", count, count == "1" ? "" : "s");
}

/// "week 5.1" / "第 5.1 周": a point in time in the run's units, counted from the first purchase.
inline std::string clv_at_unit(const SectionContext& context, const nlohmann::json& clv,
                               double at) {
  const std::string word = clv_unit_word(context, clv, false);
  return context.lang == Lang::kZh ? fmt::format("第 {} {}", clv_time(at), word)
                                   : fmt::format("{} {}", word, clv_time(at));
}

/// A value with `digits` decimals, for findings ("0.06", "2.93").
inline std::string clv_fixed(double value, int digits) {
  std::string text = fmt::format("{:.{}f}", value, digits);
  if (text.starts_with("-") && text.find_first_not_of("-0.") == std::string::npos) {
    text.erase(0, 1);  // "-0.00" reads as 0
  }
  return text;
}

/// Labels with as few decimals (0 to 3) as keep them apart: 0, 3.2, 6.5 … (days need none).
inline std::vector<std::string> clv_distinct_labels(const std::vector<double>& values) {
  std::vector<std::string> labels;
  for (int digits = 0; digits <= 3; ++digits) {
    labels.clear();
    for (double v : values) labels.push_back(clv_fixed(v, digits));
    if (std::set<std::string>(labels.begin(), labels.end()).size() == labels.size()) break;
  }
  return labels;
}

/// A value with `digits` decimals and its thousands grouped: 2,494.0.
inline std::string clv_grouped(double value, int digits) {
  return common::group_thousands(clv_fixed(value, digits));
}

/// A signed share for an error or bias: "+3.1%", "−12.1%".
inline std::string clv_signed_share(double share) {
  const std::string text = format_share(std::abs(share));
  return (share < 0 && text != "0.0%" ? "−" : "+") + text;
}

/// The grid of a one-grid lifetime-value chart (legend on top, labels contained).
inline nlohmann::json clv_grid_box() {
  return {{"left", 8}, {"right", 24}, {"top", 36}, {"bottom", 28}, {"containLabel", true}};
}

/// A value axis with its name (the page places it).
inline nlohmann::json clv_value_axis(std::string_view name) {
  return {{"type", "value"}, {"name", std::string(name)}};
}

}  // namespace custlens::report
