// What the profile sections share: tier labels in the report's language, axis and label helpers.
#pragma once

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "report/sections/section.h"

namespace custlens::report {

/// The display name of a profile tier id ("important" -> "Important" / "重要客户") from
/// profile.tiers.counts, or the id itself when the summary does not name it.
inline std::string profile_tier_name(const SectionContext& context, std::string_view id) {
  if (const nlohmann::json* counts = context.find("/profile/tiers/counts")) {
    for (const nlohmann::json& tier : *counts) {
      if (tier.value("id", std::string()) == id) {
        return tier.value(context.lang == Lang::kZh ? "name_zh" : "name", std::string(id));
      }
    }
  }
  return std::string(id);
}

/// The fields of a profile playbook entry (tiers and regions), with their labels.
struct PlaybookField {
  const char* key;
  const char* en;
  const char* zh;
};
inline constexpr PlaybookField kPlaybookFields[] = {{"product", "Product", "产品策略"},
                                                    {"content", "Content", "内容策略"},
                                                    {"promotion", "Promotion", "促销策略"},
                                                    {"channel", "Channel", "渠道策略"}};

/// A category axis of `labels` with every label shown.
inline nlohmann::json category_axis(const nlohmann::json& labels) {
  return {{"type", "category"}, {"data", labels}, {"axisLabel", {{"interval", 0}}}};
}

/// The grid every profile chart uses.
inline nlohmann::json profile_grid(int top = 36) {
  return {{"left", 8}, {"right", 24}, {"top", top}, {"bottom", 28}, {"containLabel", true}};
}

}  // namespace custlens::report
