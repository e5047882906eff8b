// Section `tiers`: customer and revenue share per RFM tier, and the playbook as one card per tier.
#include <fmt/format.h>

#include "report/sections/section.h"

namespace custlens::report {
namespace {

std::string tier_name(const SectionContext& context, const nlohmann::json& segment) {
  const std::string& name = segment.at("name").get_ref<const std::string&>();
  if (context.lang == Lang::kZh) return segment.value("name_zh", name);
  return name;
}

std::string localized(const SectionContext& context, const nlohmann::json& text) {
  if (text.is_string()) return text.get<std::string>();
  if (!text.is_object()) return {};
  const char* key = context.lang == Lang::kZh ? "zh" : "en";
  if (text.contains(key) && text[key].is_string()) return text[key].get<std::string>();
  return text.value("en", std::string());
}

// The summary's playbook entry for a tier (matched by its English or Chinese name), or nullptr.
const nlohmann::json* playbook_entry(const nlohmann::json* playbook,
                                     const nlohmann::json& segment) {
  if (playbook == nullptr || !playbook->is_array()) return nullptr;
  for (const nlohmann::json& entry : *playbook) {
    if (!entry.is_object() || !entry.contains("segment")) continue;
    const nlohmann::json& name = entry["segment"];
    if (name == segment.at("name") || (segment.contains("name_zh") && name == segment["name_zh"])) {
      return &entry;
    }
  }
  return nullptr;
}

std::optional<Section> build_tiers(const SectionContext& context) {
  const nlohmann::json* segments = context.find("/rfm/segments");
  if (segments == nullptr || !segments->is_array() || segments->empty()) return std::nullopt;
  const nlohmann::json* playbook = context.find("/playbook");
  const bool with_playbook = playbook != nullptr && playbook->is_array() && !playbook->empty();

  Section section;
  section.title = context.text("Customer tiers (RFM)", "RFM 客户分层");
  SectionTable& table = section.table;
  table.columns = {std::string(context.text("Tier", "层级")),
                   std::string(context.text("Customers", "客户数")),
                   std::string(context.text("Customer share", "客户占比")),
                   std::string(context.text("Revenue", "收入")),
                   std::string(context.text("Revenue share", "收入占比")),
                   std::string(context.text("Mean recency (days)", "平均最近天数")),
                   std::string(context.text("Mean orders", "平均频次")),
                   std::string(context.text("Mean monetary", "平均消费额"))};
  table.formats = {CellFormat::kText,   CellFormat::kInteger, CellFormat::kPercent,
                   CellFormat::kMoney,  CellFormat::kPercent, CellFormat::kNumber,
                   CellFormat::kNumber, CellFormat::kMoney};

  nlohmann::json names = nlohmann::json::array();
  nlohmann::json customer_share = nlohmann::json::array();
  nlohmann::json revenue_share = nlohmann::json::array();
  const nlohmann::json* largest = nullptr;
  for (const nlohmann::json& s : *segments) {
    const std::string name = tier_name(context, s);
    names.push_back(name);
    customer_share.push_back(chart_percent(s.at("customer_share").get<double>()));
    revenue_share.push_back(chart_percent(s.at("revenue_share").get<double>()));
    if (largest == nullptr ||
        s.at("customers").get<std::int64_t>() > largest->at("customers").get<std::int64_t>()) {
      largest = &s;
    }
    // An empty tier has no means: the summary's 0 would read as a measured value, so blank.
    const bool empty = s.at("customers").get<std::int64_t>() == 0;
    auto mean = [&](const char* key) { return empty ? nlohmann::json(nullptr) : s.at(key); };
    nlohmann::json row = {name,
                          s.at("customers"),
                          s.at("customer_share"),
                          s.at("revenue"),
                          s.at("revenue_share"),
                          mean("mean_recency"),
                          mean("mean_frequency"),
                          mean("mean_monetary")};
    table.rows.push_back(std::move(row));
    // The playbook is prose: a card per tier below the table keeps the table's rows one line.
    const nlohmann::json* entry = with_playbook ? playbook_entry(playbook, s) : nullptr;
    if (entry != nullptr) {
      SectionCard card{name, {}};
      const std::string positioning =
          localized(context, entry->value("positioning", nlohmann::json()));
      if (!positioning.empty()) {
        card.fields.push_back({std::string(context.text("Positioning", "定位")), {positioning}});
      }
      CardField actions{std::string(context.text("Actions", "运营动作")), {}};
      if (entry->contains("actions") && (*entry)["actions"].is_array()) {
        for (const nlohmann::json& action : (*entry)["actions"]) {
          actions.items.push_back(localized(context, action));
        }
      }
      if (!actions.items.empty()) card.fields.push_back(std::move(actions));
      const std::string last_test = localized(context, entry->value("last_test", nlohmann::json()));
      if (!last_test.empty()) {
        card.fields.push_back(
            {std::string(context.text("Last measured", "上次实测")), {last_test}});
      }
      section.cards.push_back(std::move(card));
    }
  }

  section.chart = {
      {"tooltip", {{"trigger", "axis"}}},
      {"legend", {{"top", 0}}},
      {"grid", {{"left", 8}, {"right", 8}, {"top", 36}, {"bottom", 8}, {"containLabel", true}}},
      {"xAxis",
       {{"type", "category"}, {"data", std::move(names)}, {"axisLabel", {{"interval", 0}}}}},
      {"yAxis", {{"type", "value"}, {"axisLabel", {{"formatter", "{value}%"}}}}},
      {"series",
       nlohmann::json::array({{{"name", std::string(context.text("Customer share", "客户占比"))},
                               {"type", "bar"},
                               {"data", std::move(customer_share)}},
                              {{"name", std::string(context.text("Revenue share", "收入占比"))},
                               {"type", "bar"},
                               {"data", std::move(revenue_share)}}})}};

  const nlohmann::json& first = segments->front();
  section.findings.push_back(
      fmt::format(fmt::runtime(context.text("{} are {} of customers ({}) and make {} of revenue.",
                                            "{}占客户的 {}({} 人),贡献了 {} 的收入。")),
                  tier_name(context, first), format_share(first.at("customer_share").get<double>()),
                  format_count(first.at("customers").get<std::int64_t>()),
                  format_share(first.at("revenue_share").get<double>())));
  if (largest != &first) {
    section.findings.push_back(fmt::format(
        fmt::runtime(context.text("The largest tier is {}: {} of customers, {} of revenue.",
                                  "人数最多的层级是{}:占客户的 {},收入占比 {}。")),
        tier_name(context, *largest), format_share(largest->at("customer_share").get<double>()),
        format_share(largest->at("revenue_share").get<double>())));
  }
  if (segments->size() > 1 && &segments->back() != largest) {
    const nlohmann::json& last = segments->back();
    section.findings.push_back(
        fmt::format(fmt::runtime(context.text("{} are {} of customers and make {} of revenue.",
                                              "{}占客户的 {},贡献了 {} 的收入。")),
                    tier_name(context, last), format_share(last.at("customer_share").get<double>()),
                    format_share(last.at("revenue_share").get<double>())));
  }
  return section;
}

}  // namespace

CUSTLENS_REGISTER_SECTION(tiers, 20, build_tiers);

}  // namespace custlens::report
