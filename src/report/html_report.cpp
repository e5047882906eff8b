// The report model (sections from the registry) and the self-contained page that draws it.
#include "report/html_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

#include "custlens/error.h"
#include "report/assets.h"
#include "report/sections/section.h"

namespace custlens::report {
namespace {

std::string subtitle(const nlohmann::json& summary, Lang lang) {
  const bool zh = lang == Lang::kZh;
  std::vector<std::string> parts;
  const nlohmann::json* input = summary.contains("input") ? &summary["input"] : nullptr;
  if (input == nullptr && summary.contains("profile") && summary["profile"].contains("input")) {
    input = &summary["profile"]["input"];
  }
  if (input != nullptr && input->is_object() && input->contains("files") &&
      (*input)["files"].is_array()) {
    std::vector<std::string> names;
    for (const nlohmann::json& file : (*input)["files"]) {
      if (file.is_string()) {
        names.push_back(std::filesystem::path(file.get<std::string>()).filename().string());
      }
    }
    if (!names.empty()) parts.push_back(fmt::format("{}", fmt::join(names, ", ")));
  }
  if (summary.contains("rfm")) {
    const nlohmann::json& rfm = summary["rfm"];
    if (rfm.contains("as_of") && rfm["as_of"].is_string()) {
      parts.push_back(
          fmt::format(fmt::runtime(zh ? "截至 {}" : "as of {}"), rfm["as_of"].get<std::string>()));
    }
    if (rfm.contains("customers") && rfm["customers"].is_number_integer()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "{} 个客户" : "{} customers"),
                                  format_count(rfm["customers"].get<std::int64_t>())));
    }
    if (rfm.contains("scheme") && rfm["scheme"].is_string()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "分层方案 {}" : "tier scheme {}"),
                                  rfm["scheme"].get<std::string>()));
    }
  }
  if (summary.contains("profile") && summary["profile"].is_object()) {
    const nlohmann::json& profile = summary["profile"];
    // The analysed customers: a dashboard view has fewer than the file kept.
    const nlohmann::json customers = profile.value(
        nlohmann::json::json_pointer("/rfm/customers"),
        profile.value(nlohmann::json::json_pointer("/input/rows_kept"), nlohmann::json()));
    if (customers.is_number_integer()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "{} 个客户" : "{} customers"),
                                  format_count(customers.get<std::int64_t>())));
    }
    if (profile.contains("tiers") && profile["tiers"].value("source", "") == "clusters" &&
        profile.contains("clusters") && profile["clusters"].contains("k")) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "K-Means 聚类 k = {}" : "K-Means, k = {}"),
                                  profile["clusters"]["k"].dump()));
    } else if (profile.contains("tiers")) {
      parts.push_back(zh ? "规则分层" : "rule-based tiers");
    }
  }
  if (summary.contains("regression") && summary["regression"].is_object()) {
    const nlohmann::json& regression = summary["regression"];
    if (regression.contains("dependent") && regression["dependent"].is_string()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "因变量 {}" : "y = {}"),
                                  regression["dependent"].get<std::string>()));
    }
    if (regression.contains("n") && regression["n"].is_number_integer()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "{} 行" : "{} rows"),
                                  format_count(regression["n"].get<std::int64_t>())));
    }
  }
  if (summary.contains("predict") && summary["predict"].is_object()) {
    const nlohmann::json& predict = summary["predict"];
    if (predict.contains("cutoff") && predict.contains("horizon_days")) {
      parts.push_back(
          fmt::format(fmt::runtime(zh ? "截止日 {}，观察期 {} 天" : "cutoff {}, horizon {} days"),
                      predict["cutoff"].get<std::string>(), predict["horizon_days"].dump()));
    }
    if (predict.contains("model") && predict["model"].is_string()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "模型 {}" : "model {}"),
                                  predict["model"].get<std::string>()));
    }
  }
  if (summary.contains("clv") && summary["clv"].is_object()) {
    const nlohmann::json& clv = summary["clv"];
    if (clv.contains("calibration_end") && clv["calibration_end"].is_string()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "校准期至 {}" : "calibration to {}"),
                                  clv["calibration_end"].get<std::string>()));
    }
    if (clv.contains("holdout_end") && clv["holdout_end"].is_string()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "留出期至 {}" : "holdout to {}"),
                                  clv["holdout_end"].get<std::string>()));
    }
    if (clv.contains("customers") && clv["customers"].is_number_integer()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "{} 个客户" : "{} customers"),
                                  format_count(clv["customers"].get<std::int64_t>())));
    }
  }
  if (summary.contains("events") && summary["events"].is_object()) {
    const nlohmann::json& events = summary["events"];
    const nlohmann::json* days =
        events.contains("days") && events["days"].is_array() ? &events["days"] : nullptr;
    if (days != nullptr && !days->empty() && days->front().is_object() &&
        days->back().is_object() && days->front().value("day", "") != "") {
      const std::string first = days->front().value("day", "");
      const std::string last = days->back().value("day", "");
      parts.push_back(first == last ? first : fmt::format("{} – {}", first, last));
    }
    if (events.contains("kpis") && events["kpis"].is_object() &&
        events["kpis"].value("uv", nlohmann::json()).is_number_integer()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "{} 个用户" : "{} users"),
                                  format_count(events["kpis"]["uv"].get<std::int64_t>())));
    }
    if (events.contains("tz") && events["tz"].is_string()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "时区 {}" : "time zone {}"),
                                  events["tz"].get<std::string>()));
    }
  }
  if (summary.contains("history") && summary["history"].is_object()) {
    const nlohmann::json& history = summary["history"];
    parts.push_back(history.value("store", std::string()));
    if (history.contains("runs") && history["runs"].is_array()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "{} 次运行" : "{} runs"),
                                  format_count(static_cast<std::int64_t>(history["runs"].size()))));
    }
  }
  if (summary.contains("migration") && summary["migration"].is_object()) {
    const nlohmann::json& m = summary["migration"];
    for (const char* key : {"from_run", "to_run"}) {
      if (!m.contains(key) || !m[key].is_object()) continue;
      parts.push_back(fmt::format(fmt::runtime(zh ? "{}（截至 {}）" : "{} (as of {})"),
                                  m[key].value("run_id", std::string()),
                                  m[key].value("as_of", std::string())));
    }
    if (m.contains("from_run") && m["from_run"].is_object()) {
      parts.push_back(fmt::format(fmt::runtime(zh ? "数据源 {}" : "source {}"),
                                  m["from_run"].value("source_name", std::string())));
    }
  }
  if (summary.contains("campaign") && summary["campaign"].is_object()) {
    const nlohmann::json& campaign = summary["campaign"];
    if (campaign.contains("campaigns") && campaign["campaigns"].is_array() &&
        campaign.value("window_days", nlohmann::json()).is_number_integer()) {
      parts.push_back(
          fmt::format(fmt::runtime(zh ? "{} 个活动，窗口 {} 天" : "{} campaigns, window {} days"),
                      campaign["campaigns"].size(), campaign["window_days"].dump()));
    }
  }
  return fmt::format("{}", fmt::join(parts, " · "));
}

std::string title(const nlohmann::json& summary, Lang lang) {
  const bool zh = lang == Lang::kZh;
  if (summary.contains("regression") && !summary.contains("rfm")) {
    const bool logit = summary["regression"].is_object() &&
                       summary["regression"].value("model", std::string()) == "logit";
    return logit ? (zh ? "逻辑回归报告" : "Logistic regression report")
                 : (zh ? "回归分析报告" : "Regression report");
  }
  if (summary.contains("profile") && !summary.contains("rfm")) {
    return zh ? "客户画像分析报告" : "Customer profile report";
  }
  if (summary.contains("forecast") && !summary.contains("rfm")) {
    return zh ? "收入预测报告" : "Revenue forecast report";
  }
  if (summary.contains("predict") && !summary.contains("rfm")) {
    return zh ? "购买预测与目标客户报告" : "Purchase prediction and targeting report";
  }
  if (summary.contains("clv") && !summary.contains("rfm")) {
    return zh ? "客户终身价值报告" : "Customer lifetime value report";
  }
  if (summary.contains("events") && !summary.contains("rfm")) {
    return zh ? "用户行为分析报告" : "Behaviour analytics report";
  }
  if (summary.contains("campaign") && !summary.contains("rfm")) {
    return zh ? "活动效果评估报告" : "Campaign readout";
  }
  if (summary.contains("history")) {
    return zh ? "运行历史与关键指标趋势" : "Run history and KPI trends";
  }
  if (summary.contains("migration")) return zh ? "客户层级迁移报告" : "Tier migration report";
  return zh ? "客户分析报告" : "Customer analytics report";
}

nlohmann::json section_to_json(const std::string& id, Section section) {
  nlohmann::json out = {{"id", id},
                        {"title", std::move(section.title)},
                        {"chart", std::move(section.chart)},
                        {"table",
                         {{"columns", std::move(section.table.columns)},
                          {"formats", formats_to_json(section.table.formats)},
                          {"rows", std::move(section.table.rows)}}},
                        {"findings", std::move(section.findings)}};
  if (section.chart_height > 0) out["chart_height"] = section.chart_height;
  if (!section.cards.empty()) {
    nlohmann::json cards = nlohmann::json::array();
    for (SectionCard& card : section.cards) {
      nlohmann::json fields = nlohmann::json::array();
      for (CardField& field : card.fields) {
        fields.push_back({{"label", std::move(field.label)}, {"items", std::move(field.items)}});
      }
      cards.push_back({{"title", std::move(card.title)}, {"fields", std::move(fields)}});
    }
    out["cards"] = std::move(cards);
  }
  return out;
}

// The strings report.js shows around the data (filters, messages), in the page's language.
nlohmann::json page_labels(Lang lang) {
  const bool zh = lang == Lang::kZh;
  return {{"contents", zh ? "目录" : "Contents"},
          {"findings", zh ? "发现" : "Findings"},
          {"from", zh ? "开始日期" : "From"},
          {"to", zh ? "结束日期" : "To"},
          {"country", zh ? "国家/地区" : "Country"},
          {"tier", zh ? "层级" : "Tier"},
          {"region", zh ? "地区" : "Region"},
          {"category", zh ? "偏好品类" : "Category"},
          {"event_category", zh ? "商品类目" : "Category"},
          {"filters_off", zh ? "筛选不可用" : "Filters are off"},
          {"all", zh ? "全部" : "All"},
          {"apply", zh ? "应用" : "Apply"},
          {"loading", zh ? "加载中…" : "Loading…"},
          {"failed", zh ? "加载失败" : "Could not load the report"},
          {"empty", zh ? "所选范围内没有数据。" : "No data in this selection."},
          {"no_charts", zh ? "图表库未能加载,仅显示表格。" : "Charts unavailable; tables only."}};
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// JSON that no data can break out of: inside <script> the HTML parser looks for "</script" (and
// "<!--"), so <, > and & become \u escapes (valid only inside JSON strings, where they can be);
// U+2028/2029 too, for readers that treat the text as JavaScript.
std::string script_json(const nlohmann::json& value) {
  const std::string dumped = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(dumped.size() + dumped.size() / 16);
  for (std::size_t i = 0; i < dumped.size(); ++i) {
    const char c = dumped[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < dumped.size() && dumped[i + 1] == '\x80' &&
               (dumped[i + 2] == '\xA8' || dumped[i + 2] == '\xA9')) {
      out += dumped[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

bool starts_with_ignoring_case(std::string_view text, std::size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != prefix[i]) return false;
  }
  return true;
}

// Our own code and CSS inlined: "</script" / "</style" would end the element early, so their '/'
// gets a backslash (the same character in JS strings, regexes and CSS); "<!--" likewise.
std::string inline_code(std::string_view code, std::string_view closing_tag) {
  std::string out;
  out.reserve(code.size());
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '<' && (starts_with_ignoring_case(code, i, closing_tag) ||
                           starts_with_ignoring_case(code, i, "<!--"))) {
      out += code[i + 1] == '/' ? "<\\/" : "<\\!";
      ++i;
      continue;
    }
    out += code[i];
  }
  return out;
}

// Fills {{name}} placeholders in one pass, so that no substituted text is scanned again.
std::string fill_template(std::string_view page,
                          const std::vector<std::pair<std::string_view, std::string>>& values) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    const std::size_t open = page.find("{{", at);
    if (open == std::string_view::npos) break;
    const std::size_t close = page.find("}}", open);
    if (close == std::string_view::npos) break;
    const std::string_view name = page.substr(open + 2, close - open - 2);
    auto value = std::find_if(values.begin(), values.end(),
                              [&](const auto& entry) { return entry.first == name; });
    if (value == values.end()) {
      throw std::logic_error(fmt::format("web/report.html: unknown placeholder {{{{{}}}}}", name));
    }
    out.append(page.substr(at, open - at));
    out += value->second;
    at = close + 2;
  }
  out.append(page.substr(at));
  return out;
}

}  // namespace

nlohmann::json build_report_model(const nlohmann::json& summary, Lang lang) {
  const SectionContext context{summary, lang};
  nlohmann::json sections = nlohmann::json::array();
  for (const SectionSpec& spec : registered_sections()) {
    std::optional<Section> section;
    try {
      section = spec.build(context);
    } catch (const nlohmann::json::exception& e) {
      throw Error(fmt::format("report section '{}': summary.json is not as expected: {}", spec.id,
                              e.what()));
    }
    if (section) sections.push_back(section_to_json(spec.id, std::move(*section)));
  }
  return {{"lang", lang_code(lang)},
          {"title", title(summary, lang)},
          {"subtitle", subtitle(summary, lang)},
          {"sections", std::move(sections)}};
}

std::string render_report_html(const nlohmann::json& model, const ReportOptions& options) {
  const ReportAssets& assets = report_assets();
  nlohmann::json page_options = {{"dashboard", options.dashboard},
                                 {"labels", page_labels(options.lang)}};
  if (options.dashboard) {
    page_options["filter_choices"] =
        options.filter_choices.is_object() ? options.filter_choices : nlohmann::json::object();
  }
  const std::string title = model.value("title", std::string());
  return fill_template(assets.page,
                       {{"lang", std::string(lang_code(options.lang))},
                        {"title", html_escape(title)},
                        {"subtitle", html_escape(model.value("subtitle", std::string()))},
                        {"css", inline_code(assets.report_css, "</style")},
                        {"model", script_json(model)},
                        {"options", script_json(page_options)},
                        {"echarts", inline_code(assets.echarts_js, "</script")},
                        {"report_js", inline_code(assets.report_js, "</script")}});
}

}  // namespace custlens::report
