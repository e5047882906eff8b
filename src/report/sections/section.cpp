// The section registry and the number formats the sections' sentences share.
#include "report/sections/section.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <tuple>

#include "common/number_text.h"

namespace custlens::report {
namespace {

std::vector<SectionSpec>& registry() {
  static std::vector<SectionSpec> sections;
  return sections;
}

using common::group_thousands;

double round_hundredths(double value) { return std::round(value * 100) / 100; }

}  // namespace

const nlohmann::json* SectionContext::find(std::string_view pointer) const {
  const nlohmann::json::json_pointer path{std::string(pointer)};
  return summary.contains(path) ? &summary.at(path) : nullptr;
}

SectionRegistrar::SectionRegistrar(SectionSpec spec) {
  for (const SectionSpec& existing : registry()) {
    if (existing.id == spec.id) {
      throw std::logic_error(fmt::format("report section '{}' registered twice", spec.id));
    }
  }
  registry().push_back(std::move(spec));
}

std::vector<SectionSpec> registered_sections() {
  std::vector<SectionSpec> sections = registry();
  std::sort(sections.begin(), sections.end(), [](const SectionSpec& a, const SectionSpec& b) {
    return std::tie(a.order, a.id) < std::tie(b.order, b.id);
  });
  return sections;
}

std::string format_count(std::int64_t value) { return common::thousands(value); }

std::string format_money(double value) {
  std::string text = fmt::format("{:.2f}", value);
  if (text == "-0.00") text = "0.00";
  return group_thousands(std::move(text));
}

std::string format_share(double share) { return fmt::format("{:.1f}%", 100 * share); }

std::string format_stat(double value) { return fmt::format("{:.4g}", value); }

std::string format_p(double p) {
  return p < 0.001 ? std::string("p < 0.001") : fmt::format("p = {:.3g}", p);
}

double chart_percent(double share) { return round_hundredths(100 * share); }

double chart_money(double value) { return round_hundredths(value); }

nlohmann::json formats_to_json(const std::vector<CellFormat>& formats) {
  nlohmann::json out = nlohmann::json::array();
  for (CellFormat format : formats) {
    switch (format) {
      case CellFormat::kText:
        out.push_back("text");
        break;
      case CellFormat::kInteger:
        out.push_back("integer");
        break;
      case CellFormat::kMoney:
        out.push_back("money");
        break;
      case CellFormat::kNumber:
        out.push_back("number");
        break;
      case CellFormat::kPercent:
        out.push_back("percent");
        break;
      case CellFormat::kList:
        out.push_back("list");
        break;
      case CellFormat::kStatistic:
        out.push_back("stat");
        break;
    }
  }
  return out;
}

}  // namespace custlens::report
