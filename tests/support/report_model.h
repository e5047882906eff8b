// The report model embedded in a page, and its sections by id: shared by the report tests.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace custlens::testing {

inline constexpr std::string_view kModelOpen =
    R"(<script type="application/json" id="custlens-model">)";

/// The model JSON embedded in a page; discarded JSON when it is missing or does not parse.
inline nlohmann::json embedded_model(const std::string& page) {
  const std::size_t open = page.find(kModelOpen);
  if (open == std::string::npos) return nlohmann::json(nlohmann::json::value_t::discarded);
  const std::size_t start = open + kModelOpen.size();
  const std::size_t close = page.find("</script>", start);
  if (close == std::string::npos) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(page.substr(start, close - start), nullptr, false);
}

inline const nlohmann::json& section_by_id(const nlohmann::json& model, std::string_view id) {
  for (const nlohmann::json& section : model.at("sections")) {
    if (section.at("id") == id) return section;
  }
  static const nlohmann::json kMissing;
  ADD_FAILURE() << "no section " << id;
  return kMissing;
}

/// Whether one of the section's findings holds `text`.
inline bool any_finding_contains(const nlohmann::json& section, const std::string& text) {
  for (const nlohmann::json& finding : section.at("findings")) {
    if (finding.get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

inline std::vector<std::string> section_ids(const nlohmann::json& model) {
  std::vector<std::string> ids;
  for (const nlohmann::json& section : model.at("sections")) ids.push_back(section.at("id"));
  return ids;
}

}  // namespace custlens::testing
