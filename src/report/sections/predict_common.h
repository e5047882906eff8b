// What the prediction sections share (predict_roc, predict_gains, predict_calibration,
// predict_profit): chart axes and the diagonal of a perfect or chance line.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "report/sections/section.h"

namespace custlens::report {

/// A value axis from `min` to `max` (either null for automatic) with its name.
inline nlohmann::json predict_value_axis(std::string_view name, nlohmann::json min,
                                         nlohmann::json max) {
  nlohmann::json axis = {{"type", "value"}, {"name", std::string(name)}};
  if (!min.is_null()) axis["min"] = std::move(min);
  if (!max.is_null()) axis["max"] = std::move(max);
  return axis;
}

/// An x axis as predict_value_axis, its name centred below the labels.
inline nlohmann::json predict_x_axis(std::string_view name, nlohmann::json min,
                                     nlohmann::json max) {
  nlohmann::json axis = predict_value_axis(name, std::move(min), std::move(max));
  axis["nameLocation"] = "middle";
  axis["nameGap"] = 24;
  return axis;
}

/// The dotted line from (0, 0) to (100, 100): chance (ROC) or perfect calibration.
inline nlohmann::json predict_diagonal(std::string_view name) {
  return {{"name", std::string(name)},
          {"type", "line"},
          {"showSymbol", false},
          {"lineStyle", {{"type", "dotted"}}},
          {"data", nlohmann::json::array({{0, 0}, {100, 100}})}};
}

/// The grid every prediction chart uses (legend on top, labels contained).
inline nlohmann::json predict_grid() {
  return {{"left", 8}, {"right", 24}, {"top", 36}, {"bottom", 28}, {"containLabel", true}};
}

/// A number of the summary, or nullopt when it is absent or null.
inline std::optional<double> predict_number(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || object.at(key).is_null()) {
    return std::nullopt;
  }
  return object.at(key).get<double>();
}

}  // namespace custlens::report
