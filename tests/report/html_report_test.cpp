// The HTML report: the model against the summary.json `analyze` wrote, the page's escaping
// against hostile data, both languages, and sections skipped when their inputs are missing.
#include "report/html_report.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "custlens/error.h"
#include "report/assets.h"
#include "report/sections/section.h"
#include "support/cli_runner.h"
#include "support/report_model.h"

namespace custlens::report {
namespace {

using nlohmann::json;
using testing::embedded_model;
using testing::kModelOpen;
using testing::any_finding_contains;
using testing::section_by_id;
using testing::section_ids;

std::size_t count_ignoring_case(std::string_view text, std::string_view needle) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t count = 0;
  for (std::size_t at = lower.find(needle); at != std::string::npos;
       at = lower.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// The page without the embedded ECharts library (which has its own "<img" in a string).
std::string without_echarts(std::string page) {
  const std::string_view echarts = report_assets().echarts_js;
  const std::size_t at = page.find(echarts);
  if (at != std::string::npos) page.erase(at, echarts.size());
  return page;
}

// Independent of the report's own formatting code: 12345 -> "12,345".
std::string with_commas(std::int64_t value) {
  std::string digits = std::to_string(value);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), ",");
  }
  return digits;
}

std::string percent(double share) { return fmt::format("{:.1f}%", 100 * share); }

// Runs `analyze` on the patterns sample once for the suite: summary.json and both pages.
class ReportAnalyzeTest : public testing::CliTest {
 protected:
  static void SetUpTestSuite() {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() /
        fmt::format("custlens_report_suite_{}", static_cast<unsigned>(::getpid()));
    std::filesystem::create_directories(dir);
    suite_dir_ = new std::filesystem::path(dir);
    const std::string input = std::string(CUSTLENS_TEST_DATA) + "/patterns_orders.csv";
    for (const char* lang : {"en", "zh"}) {
      const std::string command =
          fmt::format("'{}' analyze '{}' --out '{}/{}' --lang {} >/dev/null", CUSTLENS_BIN, input,
                      dir.string(), lang, lang);
      ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*suite_dir_);
    delete suite_dir_;
    suite_dir_ = nullptr;
  }
  static std::string output(const char* lang, const char* file) {
    return slurp(*suite_dir_ / lang / file);
  }
  static json summary() { return json::parse(output("en", "summary.json")); }

  static std::filesystem::path* suite_dir_;
};

std::filesystem::path* ReportAnalyzeTest::suite_dir_ = nullptr;

TEST_F(ReportAnalyzeTest, ModelNumbersEqualSummaryJson) {
  const json summary = ReportAnalyzeTest::summary();
  const json model = embedded_model(output("en", "report.html"));
  ASSERT_FALSE(model.is_discarded()) << "no model JSON in report.html";

  // Audit: rows read, then each rule in cleaning order, then (kept) duplicates and rows kept.
  const json& audit = summary.at("audit");
  const json& audit_rows = section_by_id(model, "audit").at("table").at("rows");
  ASSERT_GE(audit_rows.size(), 8u);
  EXPECT_EQ(audit_rows[0][1], audit.at("rows_read"));
  const char* rules[] = {
      "malformed",          "missing_customer", "cancelled", "non_positive_quantity",
      "non_positive_price", "duplicates",       "rows_kept", "customers_kept"};
  for (std::size_t i = 0; i < std::size(rules); ++i) {
    EXPECT_EQ(audit_rows[i + 1][1], audit.at(rules[i])) << rules[i];
  }
  const json& waterfall = section_by_id(model, "audit").at("chart").at("series")[1].at("data");
  EXPECT_EQ(waterfall.back().at("value"), audit.at("rows_kept"));

  // Tiers: every number of every segment, in the summary's order.
  const json& segments = summary.at("rfm").at("segments");
  const json& tier_rows = section_by_id(model, "tiers").at("table").at("rows");
  ASSERT_EQ(tier_rows.size(), segments.size());
  const char* tier_fields[] = {"customers",    "customer_share", "revenue",      "revenue_share",
                               "mean_recency", "mean_frequency", "mean_monetary"};
  for (std::size_t s = 0; s < segments.size(); ++s) {
    EXPECT_EQ(tier_rows[s][0], segments[s].at("name"));
    const bool empty = segments[s].at("customers") == 0;
    for (std::size_t f = 0; f < std::size(tier_fields); ++f) {
      // An empty tier's means are blank (null), not the summary's placeholder 0.
      const json expected = empty && f >= 4 ? json(nullptr) : segments[s].at(tier_fields[f]);
      EXPECT_EQ(tier_rows[s][f + 1], expected) << s << " " << tier_fields[f];
    }
  }

  // Pareto and the R x F grid.
  const json& pareto = summary.at("rfm").at("pareto");
  const json& pareto_rows = section_by_id(model, "pareto").at("table").at("rows");
  ASSERT_EQ(pareto_rows.size(), 3u);
  EXPECT_EQ(pareto_rows[0][1], pareto.at("customer_share_for_80pct_revenue"));
  EXPECT_EQ(pareto_rows[1][1], pareto.at("top20pct_revenue_share"));
  EXPECT_EQ(pareto_rows[2][1], pareto.at("top_two_tiers_revenue_share"));
  const json& curve = section_by_id(model, "pareto").at("chart").at("series")[0].at("data");
  EXPECT_EQ(curve.size(), pareto.at("concentration").size());
  const json& grid = summary.at("rfm").at("rf_grid");
  const json& grid_rows = section_by_id(model, "rf_grid").at("table").at("rows");
  ASSERT_EQ(grid_rows.size(), grid.size());
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const json mean = grid[i].at("customers") == 0 ? json(nullptr) : grid[i].at("mean_monetary");
    EXPECT_EQ(grid_rows[i],
              json({grid[i].at("r_score"), grid[i].at("f_score"), grid[i].at("customers"), mean}))
        << i;
  }

  // Sales buckets: revenue, orders, customers and share of every month, hour and country.
  for (const auto& [id, key] :
       std::vector<std::pair<std::string, std::string>>{{"months", "months"},
                                                        {"weekdays", "weekdays"},
                                                        {"hours", "hours"},
                                                        {"countries", "countries"}}) {
    const json& buckets = summary.at("patterns").at(key);
    const json& rows = section_by_id(model, id).at("table").at("rows");
    ASSERT_EQ(rows.size(), buckets.size()) << id;
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      EXPECT_EQ(rows[i][1], buckets[i].at("revenue")) << id << " " << i;
      EXPECT_EQ(rows[i][2], buckets[i].at("orders")) << id << " " << i;
      EXPECT_EQ(rows[i][3], buckets[i].at("customers")) << id << " " << i;
      EXPECT_EQ(rows[i][4], buckets[i].at("revenue_share")) << id << " " << i;
    }
  }
  const json& categories = summary.at("patterns").at("categories");
  const json& category_rows = section_by_id(model, "categories").at("table").at("rows");
  ASSERT_EQ(category_rows.size(), categories.size());
  for (std::size_t i = 0; i < categories.size(); ++i) {
    EXPECT_EQ(category_rows[i][1], categories[i].at("revenue")) << i;
    EXPECT_EQ(category_rows[i][2], categories[i].at("lines")) << i;
    EXPECT_EQ(category_rows[i][3], categories[i].at("revenue_share")) << i;
  }
}

TEST_F(ReportAnalyzeTest, FindingsStateTheSummaryNumbers) {
  const json summary = ReportAnalyzeTest::summary();
  const json model = embedded_model(output("en", "report.html"));
  ASSERT_FALSE(model.is_discarded());
  const json& pareto = summary.at("rfm").at("pareto");
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "pareto"),
                                   "The top " +
                                       percent(pareto.at("customer_share_for_80pct_revenue")) +
                                       " of customers make 80% of revenue"));
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "pareto"),
                                   percent(pareto.at("top20pct_revenue_share"))));
  const json& audit = summary.at("audit");
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "audit"),
                                   with_commas(audit.at("rows_kept")) + " of " +
                                       with_commas(audit.at("rows_read")) + " rows read"));
  const json& first_tier = summary.at("rfm").at("segments")[0];
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "tiers"),
                                   first_tier.at("name").get<std::string>() + " are " +
                                       percent(first_tier.at("customer_share"))));
  const json& patterns = summary.at("patterns");
  EXPECT_TRUE(
      any_finding_contains(section_by_id(model, "months"),
                           "The peak month is " + patterns.at("peak_month").get<std::string>()));
  EXPECT_TRUE(any_finding_contains(section_by_id(model, "countries"),
                                   patterns.at("countries")[0].at("key").get<std::string>() +
                                       " makes " +
                                       percent(patterns.at("countries")[0].at("revenue_share"))));

  const json zh_model = embedded_model(output("zh", "report.html"));
  ASSERT_FALSE(zh_model.is_discarded());
  EXPECT_TRUE(any_finding_contains(
      section_by_id(zh_model, "pareto"),
      "前 " + percent(pareto.at("customer_share_for_80pct_revenue")) + " 的客户贡献了 80% 的收入"));
}

TEST_F(ReportAnalyzeTest, EveryRegisteredSectionForAFullSummary) {
  const json model = embedded_model(output("en", "report.html"));
  ASSERT_FALSE(model.is_discarded());
  // Every order-line section; the regression and profile ones have their own tests.
  std::vector<std::string> registered;
  for (const SectionSpec& spec : registered_sections()) {
    if (spec.order < 200) registered.push_back(spec.id);
  }
  EXPECT_EQ(section_ids(model), registered);
  for (const json& section : model.at("sections")) {
    EXPECT_FALSE(section.at("title").get<std::string>().empty()) << section.at("id");
    EXPECT_TRUE(section.at("chart").is_object()) << section.at("id");
    const json& table = section.at("table");
    EXPECT_EQ(table.at("columns").size(), table.at("formats").size()) << section.at("id");
    for (const json& row : table.at("rows")) {
      EXPECT_EQ(row.size(), table.at("columns").size()) << section.at("id");
    }
    EXPECT_GE(section.at("findings").size(), 2u) << section.at("id");
  }
}

TEST_F(ReportAnalyzeTest, ChineseAndEnglishDiffer) {
  const json en = embedded_model(output("en", "report.html"));
  const json zh = embedded_model(output("zh", "report.html"));
  ASSERT_FALSE(en.is_discarded());
  ASSERT_FALSE(zh.is_discarded());
  EXPECT_EQ(en.at("lang"), "en");
  EXPECT_EQ(zh.at("lang"), "zh");
  EXPECT_NE(en.at("title"), zh.at("title"));
  ASSERT_EQ(section_ids(en), section_ids(zh));
  for (std::size_t s = 0; s < en.at("sections").size(); ++s) {
    const json& a = en.at("sections")[s];
    const json& b = zh.at("sections")[s];
    EXPECT_NE(a.at("title"), b.at("title")) << a.at("id");
    EXPECT_NE(a.at("table").at("columns"), b.at("table").at("columns")) << a.at("id");
    ASSERT_EQ(a.at("findings").size(), b.at("findings").size()) << a.at("id");
    for (std::size_t f = 0; f < a.at("findings").size(); ++f) {
      EXPECT_NE(a.at("findings")[f], b.at("findings")[f]) << a.at("id");
    }
  }
  const json summary = ReportAnalyzeTest::summary();
  EXPECT_EQ(section_by_id(zh, "tiers").at("table").at("rows")[0][0],
            summary.at("rfm").at("segments")[0].at("name_zh"));
  EXPECT_NE(output("en", "report.html").find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(output("zh", "report.html").find("<html lang=\"zh\">"), std::string::npos);
}

TEST_F(ReportAnalyzeTest, SkipsSectionsWhoseInputsAreMissing) {
  const json full = ReportAnalyzeTest::summary();
  auto ids_without = [&](const std::vector<std::string>& pointers) {
    json summary = full;
    for (const std::string& pointer : pointers) {
      const json::json_pointer path(pointer);
      summary[path.parent_pointer()].erase(path.back());
    }
    return section_ids(build_report_model(summary, Lang::kEn));
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(ids_without({"/patterns"}), (Ids{"audit", "outliers", "tiers", "pareto", "rf_grid"}));
  EXPECT_EQ(ids_without({"/rfm/rf_grid", "/audit"}),
            (Ids{"tiers", "pareto", "months", "weekdays", "hours", "countries", "categories"}));
  EXPECT_EQ(ids_without({"/rfm"}),
            (Ids{"audit", "outliers", "months", "weekdays", "hours", "countries", "categories"}));
  json no_countries = full;
  no_countries["patterns"]["countries"] = json::array();
  no_countries["patterns"]["categories"] = json::array();
  EXPECT_EQ(
      section_ids(build_report_model(no_countries, Lang::kZh)),
      (Ids{"audit", "outliers", "tiers", "pareto", "rf_grid", "months", "weekdays", "hours"}));
  EXPECT_TRUE(build_report_model(json::object(), Lang::kEn).at("sections").empty());
}

// The outlier section draws what summary.json's audit.outliers says: one box per field, the
// whiskers inside the bounds, the table's bounds and counts equal to the summary's.
TEST_F(ReportAnalyzeTest, OutlierSectionEqualsTheAudit) {
  const json summary = ReportAnalyzeTest::summary();
  const json& fields = summary.at("audit").at("outliers").at("fields");
  ASSERT_EQ(fields.size(), 5u);  // quantity, unit_price, amount; monetary, frequency
  const json model = embedded_model(output("en", "report.html"));
  const json& section = section_by_id(model, "outliers");
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), fields.size());
  const json& series = section.at("chart").at("series");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    SCOPED_TRACE(fields[i].at("field").get<std::string>());
    EXPECT_EQ(rows[i][1], fields[i].at("count"));
    EXPECT_EQ(rows[i][2], fields[i].at("lower"));
    EXPECT_EQ(rows[i][3], fields[i].at("upper"));
    EXPECT_EQ(rows[i][4], fields[i].at("below"));
    EXPECT_EQ(rows[i][5], fields[i].at("above"));
    EXPECT_EQ(rows[i][6], fields[i].at("q1"));
    const json& box = series[2 * i].at("data")[0];
    EXPECT_EQ(series[2 * i].at("type"), "boxplot");
    EXPECT_LE(box[0].get<double>(), box[1].get<double>() + 0.01);
    EXPECT_GE(box[0].get<double>(), fields[i].at("lower").get<double>() - 0.01);
    EXPECT_LE(box[4].get<double>(), fields[i].at("upper").get<double>() + 0.01);
  }
  EXPECT_EQ(section.at("chart").at("grid").size(), fields.size());
  // 84 px a field plus room above the first row for its extremes' labels; more than 380 px.
  EXPECT_EQ(section.value("chart_height", 0), 32 + 84 * static_cast<int>(fields.size()));
}

// Date-only data: the hour section is one line saying why, with no chart and no table; the
// weekday section says a closed day once and does not call it the quietest.
TEST_F(ReportAnalyzeTest, NoHourPatternAndClosedDaysAreSaidOnce) {
  json summary = ReportAnalyzeTest::summary();
  summary["patterns"]["hours"] = json::array();
  summary["patterns"]["has_time_of_day"] = false;
  summary["patterns"]["peak_hour"] = nullptr;
  const json model = build_report_model(summary, Lang::kEn);
  const json& hours = section_by_id(model, "hours");
  EXPECT_TRUE(hours.at("chart").is_null());
  EXPECT_TRUE(hours.at("table").at("columns").empty());
  ASSERT_EQ(hours.at("findings").size(), 1u);
  EXPECT_NE(hours.at("findings")[0].get<std::string>().find("no time of day"), std::string::npos);

  ASSERT_EQ(summary.at("patterns").at("closed_weekdays"), json::array({"Saturday"}));
  const json& weekdays = section_by_id(model, "weekdays");
  std::string findings;
  for (const json& sentence : weekdays.at("findings"))
    findings += sentence.get<std::string>() + "\n";
  EXPECT_NE(findings.find("No sales on Saturday on any date of the range: closed?"),
            std::string::npos)
      << findings;
  EXPECT_EQ(findings.find("quietest day is Saturday"), std::string::npos) << findings;
}

TEST_F(ReportAnalyzeTest, MalformedSummaryIsAnError) {
  json summary = ReportAnalyzeTest::summary();
  summary["rfm"]["segments"][0].erase("customers");
  EXPECT_THROW(build_report_model(summary, Lang::kEn), Error);
}

TEST_F(ReportAnalyzeTest, PlaybookIsOneCardPerTierBelowACompactTable) {
  json summary = ReportAnalyzeTest::summary();
  summary.erase("playbook");  // analyze writes the shipped one; this test brings its own
  const std::string tier = summary.at("rfm").at("segments")[0].at("name");
  const json plain = section_by_id(build_report_model(summary, Lang::kEn), "tiers");
  EXPECT_FALSE(plain.contains("cards"));

  summary["playbook"] =
      json::array({{{"segment", tier},
                    {"positioning", {{"en", "Best customers"}, {"zh", "最佳客户"}}},
                    {"actions", json::array({{{"en", "Early access"}, {"zh", "抢先体验"}},
                                             {{"en", "Referral bonus"}, {"zh", "推荐奖励"}}})}}});
  for (Lang lang : {Lang::kEn, Lang::kZh}) {
    const bool zh = lang == Lang::kZh;
    const json tiers = section_by_id(build_report_model(summary, lang), "tiers");
    // The table keeps its numbers only: the prose would make each row a screen tall.
    EXPECT_EQ(tiers.at("table").at("columns").size(), plain.at("table").at("columns").size());
    EXPECT_EQ(std::count(tiers.at("table").at("formats").begin(),
                         tiers.at("table").at("formats").end(), "list"),
              0);
    // One card, for the one tier the playbook names, titled as its table row.
    ASSERT_EQ(tiers.at("cards").size(), 1u);
    const json& card = tiers.at("cards")[0];
    EXPECT_EQ(card.at("title"), tiers.at("table").at("rows")[0][0]);
    ASSERT_EQ(card.at("fields").size(), 2u);
    EXPECT_EQ(card.at("fields")[0].at("label"), zh ? "定位" : "Positioning");
    EXPECT_EQ(card.at("fields")[0].at("items"), json::array({zh ? "最佳客户" : "Best customers"}));
    EXPECT_EQ(card.at("fields")[1].at("label"), zh ? "运营动作" : "Actions");
    EXPECT_EQ(card.at("fields")[1].at("items"),
              zh ? json({"抢先体验", "推荐奖励"}) : json({"Early access", "Referral bonus"}));
  }
}

// (b) End to end: hostile Description, Country, Category, CustomerID and file name.
TEST_F(ReportAnalyzeTest, HostileDataCannotInjectIntoThePage) {
  const std::string script = "</script><script>alert(1)</script>";
  const std::string img = "\"'><img src=x onerror=alert(1)>";
  const std::string img_csv = "\"\"\"'><img src=x onerror=alert(1)>\"";  // quoted, "" for "
  std::string csv =
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,"
      "Country,Category\n";
  for (int i = 0; i < 6; ++i) {
    const std::string& hostile = i % 2 == 0 ? script : img_csv;
    const std::string customer =
        i % 2 == 0 ? fmt::format("{}{}", script, i) : fmt::format("\"\"\"'><img src=x {}>\"", i);
    csv += fmt::format("{},S{},{},{},2011-0{}-0{} 1{}:00:00,2.5,{},{},{}\n", 1000 + i, i, hostile,
                       i + 1, 1 + i % 3, 1 + i, i, customer, hostile, hostile);
  }
  const std::string file = "<img src=x onerror=alert(1)>.csv";
  write(file, csv);
  ASSERT_EQ(run("analyze '" + path(file) + "' --out '" + path("out") + "' --lang en"), 0) << err();
  const std::string page = slurp(path("out/report.html"));
  ASSERT_FALSE(page.empty());

  // The page's own tags, counted on a page drawn from a harmless model.
  ReportOptions options;
  const std::string plain =
      render_report_html(build_report_model(json::object(), Lang::kEn), options);
  EXPECT_EQ(count_ignoring_case(page, "<script"), count_ignoring_case(plain, "<script"));
  EXPECT_EQ(count_ignoring_case(page, "</script"), count_ignoring_case(plain, "</script"));
  EXPECT_EQ(count_ignoring_case(without_echarts(page), "<img"), 0u);
  EXPECT_EQ(page.find(script), std::string::npos);
  EXPECT_EQ(page.find("onerror=alert(1)>"), std::string::npos);
  EXPECT_EQ(page.find("'><img"), std::string::npos);

  // The data is there, escaped: in the model's JSON and in the HTML-escaped subtitle.
  EXPECT_NE(page.find(R"(\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e)"),
            std::string::npos);
  EXPECT_NE(page.find(R"(\"'\u003e\u003cimg src=x onerror=alert(1)\u003e)"), std::string::npos);
  EXPECT_NE(page.find("&lt;img src=x onerror=alert(1)&gt;.csv"), std::string::npos);
  const json model = embedded_model(page);
  ASSERT_FALSE(model.is_discarded());
  std::set<std::string> countries;
  for (const json& row : section_by_id(model, "countries").at("table").at("rows")) {
    countries.insert(row[0].get<std::string>());
  }
  EXPECT_EQ(countries, (std::set<std::string>{script, img}));
  std::set<std::string> categories;
  for (const json& row : section_by_id(model, "categories").at("table").at("rows")) {
    categories.insert(row[0].get<std::string>());
  }
  EXPECT_EQ(categories, (std::set<std::string>{script, img}));
}

TEST(ReportPageTest, EscapesEveryBreakoutCharacterInTheModel) {
  json model = {{"lang", "en"},
                {"title", "<b>&amp;</b>"},
                {"subtitle", "a\u2028b\u2029c <!-- d --> ]]>"},
                {"sections", json::array()}};
  const std::string page = render_report_html(model, ReportOptions{});
  EXPECT_NE(page.find("<title>&lt;b&gt;&amp;amp;&lt;/b&gt;</title>"), std::string::npos);
  // Raw U+2028/2029 are harmless in the HTML text of the subtitle, but not inside the script.
  const std::size_t script = page.find(kModelOpen);
  ASSERT_NE(script, std::string::npos);
  const std::string json_text = page.substr(script, page.find("</script>", script) - script);
  EXPECT_EQ(json_text.find("\u2028"), std::string::npos);
  EXPECT_EQ(json_text.find("\u2029"), std::string::npos);
  EXPECT_NE(page.find(R"(a\u2028b\u2029c \u003c!-- d --\u003e ]]\u003e)"), std::string::npos);
  EXPECT_EQ(without_echarts(page).find("<b>"), std::string::npos);
  const json parsed = embedded_model(page);
  ASSERT_FALSE(parsed.is_discarded());
  EXPECT_EQ(parsed, model);  // escaping is lossless
}

TEST(ReportPageTest, EmbedsEchartsAndTheRendererOffline) {
  const ReportAssets& assets = report_assets();
  EXPECT_GT(assets.echarts_js.size(), 500'000u);  // the full minified library, not a stub
  EXPECT_NE(assets.echarts_js.find("echarts"), std::string_view::npos);
  EXPECT_FALSE(assets.report_js.empty());
  EXPECT_FALSE(assets.report_css.empty());
  const std::string page = render_report_html(build_report_model(json::object(), Lang::kEn), {});
  EXPECT_NE(page.find(assets.echarts_js), std::string::npos);
  EXPECT_NE(page.find(assets.report_js), std::string::npos);
  EXPECT_EQ(page.find("{{"), std::string::npos) << "a placeholder was left unfilled";
  EXPECT_EQ(count_ignoring_case(page, "src=\"http"), 0u);  // nothing loaded from a network
  EXPECT_EQ(count_ignoring_case(page, "<link"), 0u);
}

TEST(ReportPageTest, DashboardCarriesTheFilterChoices) {
  ReportOptions options;
  options.lang = Lang::kZh;
  options.dashboard = true;
  options.filter_choices = {{"countries", {"France", "<i>x</i>"}},
                            {"tiers", {"Champions"}},
                            {"from", "2010-12-01"},
                            {"to", "2011-12-09"}};
  const std::string page =
      render_report_html(build_report_model(json::object(), Lang::kZh), options);
  const std::string open = R"(<script type="application/json" id="custlens-options">)";
  const std::size_t start = page.find(open);
  ASSERT_NE(start, std::string::npos);
  const std::size_t close = page.find("</script>", start);
  const json parsed = json::parse(page.substr(start + open.size(), close - start - open.size()));
  EXPECT_EQ(parsed.at("dashboard"), true);
  EXPECT_EQ(parsed.at("filter_choices"), options.filter_choices);
  EXPECT_EQ(parsed.at("labels").at("country"), "国家/地区");
  EXPECT_EQ(without_echarts(page).find("<i>"), std::string::npos);

  const std::string file = render_report_html(build_report_model(json::object(), Lang::kEn), {});
  const std::size_t file_start = file.find(open);
  ASSERT_NE(file_start, std::string::npos);
  EXPECT_NE(file.find(R"("dashboard":false)", file_start), std::string::npos);
}

}  // namespace
}  // namespace custlens::report
