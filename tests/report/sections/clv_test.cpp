// The lifetime-value sections from a summary they did not compute: a hand-made `clv` object of
// two purchase models and Gamma-Gamma, a three-by-three grid, three frequency bins, four tracked
// weeks (two in the holdout), three tiers and two top customers.
#include <gtest/gtest.h>

#include <string>

#include "report/html_report.h"
#include "report/sections/section.h"
#include "support/report_model.h"

namespace custlens::report {
namespace {

using nlohmann::json;
using testing::section_by_id;
using testing::section_ids;

const std::vector<std::string> kClvSections{"clv_models",       "clv_grid",  "clv_holdout",
                                            "clv_tracking",     "clv_value", "clv_tiers",
                                            "clv_top_customers"};

json fit(const char* title, json parameters, double log_likelihood, bool converged) {
  json out = {
      {"title", title},       {"log_likelihood", log_likelihood}, {"converged", converged},
      {"se", json::object()}, {"ci_lower", json::object()},       {"ci_upper", json::object()}};
  for (const auto& [name, value] : parameters.items()) {
    const double v = value.get<double>();
    out[name] = v;
    out["se"][name] = v / 10;
    out["ci_lower"][name] = v * 0.8;
    out["ci_upper"][name] = v * 1.25;
  }
  return out;
}

json score(double expected, double bias, double mape_cumulative, double msle,
           double mape_by_frequency, const json& expected_sums) {
  json bins = json::array();
  const char* labels[] = {"0", "1", "2+"};
  const int customers[] = {6, 2, 2};
  const double actual[] = {2, 4, 4};
  for (int b = 0; b < 3; ++b) {
    const double e = expected_sums[b].get<double>();
    bins.push_back({{"frequency", labels[b]},
                    {"customers", customers[b]},
                    {"actual_sum", actual[b]},
                    {"expected_sum", e},
                    {"actual_mean", actual[b] / customers[b]},
                    {"expected_mean", e / customers[b]}});
  }
  return {{"actual_purchases", 10.0},
          {"expected_purchases", expected},
          {"bias", bias},
          {"mape_cumulative", mape_cumulative},
          {"msle", msle},
          {"mae", 0.5},
          {"mape_by_frequency", mape_by_frequency},
          {"bins", bins}};
}

json week(int k, const char* first_day, const char* last_day, bool holdout, double actual,
          double cumulative, double bgnbd, double pareto) {
  return {{"week", k},
          {"first_day", first_day},
          {"last_day", last_day},
          {"holdout", holdout},
          {"actual", actual},
          {"actual_cumulative", cumulative},
          {"expected", {{"bgnbd", bgnbd}, {"pareto_nbd", pareto}}},
          {"expected_cumulative", {{"bgnbd", bgnbd * (k + 1)}, {"pareto_nbd", pareto * (k + 1)}}}};
}

json clv_summary() {
  json bgnbd = fit("BG/NBD", {{"r", 0.25}, {"alpha", 4.0}, {"a", 0.8}, {"b", 2.5}}, -100.5, true);
  bgnbd["se"]["a"] = nullptr;  // a flat likelihood: no standard error, no interval
  bgnbd["ci_lower"]["a"] = nullptr;
  bgnbd["ci_upper"]["a"] = nullptr;
  json gamma = fit("", {{"p", 6.0}, {"q", 4.0}, {"v", 15.0}}, -40, true);
  gamma.erase("title");
  gamma.update({{"customers", 4},
                {"excluded", 1},
                {"excluded_customers", {"c9"}},
                {"population_value", 30.0},
                {"population_value_basis", "gamma_gamma"}});
  json clv = {
      {"model", "bgnbd"},
      {"models", {"bgnbd", "pareto_nbd"}},
      {"unit", "week"},
      {"unit_days", 7.0},
      {"calibration_end", "2024-01-14"},
      {"holdout_end", "2024-01-28"},
      {"holdout_length", 2.0},
      {"horizon", 52.0},
      {"discount_rate", 0.1},
      {"margin", 0.5},
      {"data",
       {{"first_day", "2024-01-01"},
        {"last_day", "2024-01-28"},
        {"customers_seen", 12},
        {"later_customers", 2},
        {"calibration_transactions", 30},
        {"holdout_transactions", 10},
        {"unused_transactions", 0},
        {"zero_value_lines", 3}}},
      {"customers", 10},
      {"repeat_customers", 4},
      {"bgnbd", bgnbd},
      {"pareto_nbd", fit("Pareto/NBD", {{"r", 0.5}, {"alpha", 10.0}, {"s", 0.6}, {"beta", 12.0}},
                         -101.25, false)},
      {"gamma_gamma", gamma},
      {"holdout",
       {{"model", "bgnbd"},
        {"actual_purchases", 10.0},
        {"expected_purchases", 9.0},
        {"models",
         {{"bgnbd", score(9.0, -0.1, 0.04, 0.2, 0.15, {3.0, 3.0, 3.0})},
          {"pareto_nbd", score(10.5, 0.05, 0.02, 0.3, 0.25, {1.0, 4.5, 5.0})}}}}},
      {"tracking", json::array({week(0, "2024-01-01", "2024-01-07", false, 1, 1, 1.5, 1.0),
                                week(1, "2024-01-08", "2024-01-14", false, 3, 4, 1.5, 1.0),
                                week(2, "2024-01-15", "2024-01-21", true, 6, 10, 1.5, 1.0),
                                week(3, "2024-01-22", "2024-01-28", true, 4, 14, 1.5, 1.0)})},
      {"grid",
       {{"x", {0.0, 1.0, 2.0}},
        {"t_x", {0.0, 5.0, 10.0}},
        {"T", 10.0},
        {"horizon", 52.0},
        {"expected_purchases",
         json::array({{0.1, nullptr, nullptr}, {nullptr, 0.8, 1.2}, {nullptr, 0.3, 2.0}})},
        {"p_alive",
         json::array({{1.0, nullptr, nullptr}, {nullptr, 0.7, 0.95}, {nullptr, 0.06, 0.98}})}}},
      {"distribution",
       {{"total", 1000.0},
        {"mean", 100.0},
        {"p10", 5.0},
        {"p25", 10.0},
        {"median", 50.0},
        {"p75", 120.0},
        {"p90", 250.0},
        {"p99", 400.0},
        {"top_decile_share", 0.45},
        {"histogram", {{"edges", {0.0, 200.0, 400.0}}, {"counts", {7, 2, 1}}}}}},
      {"expected_purchases_total", 20.0},
      {"active_customers", 7.5},
      {"scheme", "five"},
      {"tiers", json::array({{{"tier", "Champions"},
                              {"customers", 2},
                              {"clv_total", 600.0},
                              {"clv_share", 0.6},
                              {"clv_mean", 300.0},
                              {"expected_purchases", 10.0},
                              {"p_alive_mean", 0.9},
                              {"calibration_revenue", 500.0}},
                             {{"tier", "Loyal"},
                              {"customers", 3},
                              {"clv_total", 300.0},
                              {"clv_share", 0.3},
                              {"clv_mean", 100.0},
                              {"expected_purchases", 6.0},
                              {"p_alive_mean", 0.5},
                              {"calibration_revenue", 300.0}},
                             {{"tier", "Lost"},
                              {"customers", 5},
                              {"clv_total", 100.0},
                              {"clv_share", 0.1},
                              {"clv_mean", 20.0},
                              {"expected_purchases", 4.0},
                              {"p_alive_mean", 0.7},
                              {"calibration_revenue", 200.0}}})},
      {"top_customers", json::array({{{"customer_id", "c1"},
                                      {"tier", "Champions"},
                                      {"x", 5.0},
                                      {"t_x", 9.0},
                                      {"T", 10.0},
                                      {"p_alive", 0.97},
                                      {"expected_purchases", 6.0},
                                      {"expected_value", 60.0},
                                      {"clv", 350.0}},
                                     {{"customer_id", "c2"},
                                      {"tier", "Loyal"},
                                      {"x", 3.0},
                                      {"t_x", 8.0},
                                      {"T", 10.0},
                                      {"p_alive", 0.9},
                                      {"expected_purchases", 4.0},
                                      {"expected_value", 50.0},
                                      {"clv", 250.0}}})}};
  return {{"clv", clv}};
}

std::vector<std::string> clv_ids(const json& model) {
  std::vector<std::string> ids;
  for (const std::string& id : section_ids(model)) {
    if (id.starts_with("clv_")) ids.push_back(id);
  }
  return ids;
}

bool clv_finding_contains(const json& section, const std::string& text) {
  for (const json& finding : section.at("findings")) {
    if (finding.get<std::string>().find(text) != std::string::npos) return true;
  }
  ADD_FAILURE() << "no finding of " << section.at("id") << " contains: " << text << "\n"
                << section.at("findings").dump(2);
  return false;
}

TEST(ClvSections, AllInOrderFromTheSummary) {
  const json model = build_report_model(clv_summary(), Lang::kEn);
  EXPECT_EQ(clv_ids(model), kClvSections);
  EXPECT_EQ(model.at("title"), "Customer lifetime value report");
  for (const std::string& id : kClvSections) {
    const json& section = section_by_id(model, id);
    EXPECT_TRUE(section.at("chart").is_object()) << id;
    EXPECT_FALSE(section.at("findings").empty()) << id;
    for (const json& row : section.at("table").at("rows")) {
      EXPECT_EQ(row.size(), section.at("table").at("columns").size()) << id;
    }
  }
}

TEST(ClvSections, ModelsTableAndFindings) {
  const json section = section_by_id(build_report_model(clv_summary(), Lang::kEn), "clv_models");
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), 11u);  // 4 BG/NBD + 4 Pareto/NBD + 3 Gamma-Gamma parameters
  EXPECT_EQ(rows[0], (json{"BG/NBD", "r", 0.25, 0.025, 0.2, 0.3125, -100.5, "yes"}));
  EXPECT_EQ(rows[1][1], "alpha");     // the papers' order: r, alpha, a, b
  EXPECT_TRUE(rows[2][3].is_null());  // a: no standard error
  EXPECT_TRUE(rows[1][6].is_null());  // the log-likelihood on the model's first row only
  EXPECT_EQ(rows[4][0], "Pareto/NBD");
  EXPECT_EQ(rows[4][7], "no");
  EXPECT_EQ(rows[8][0], "Gamma-Gamma");
  // Every estimate a point on the log axis (a without its interval).
  EXPECT_EQ(section.at("chart").at("yAxis").at("data").size(), 11u);
  EXPECT_EQ(section.at("chart").at("xAxis").at("type"), "log");
  const json& series = section.at("chart").at("series");
  ASSERT_EQ(series.size(), 4u);  // the intervals, then one series of points per model
  EXPECT_EQ(series[0].at("type"), "boxplot");
  EXPECT_EQ(series[0].at("data").size(), 11u);
  EXPECT_EQ(series[3].at("name"), "Gamma-Gamma");
  EXPECT_EQ(series[3].at("data").size(), 3u);
  clv_finding_contains(section,
                       "BG/NBD has the highest log-likelihood on the calibration data: "
                       "-100.50 (Pareto/NBD -101.25).");
  clv_finding_contains(section,
                       "On the holdout (2 weeks to 2024-01-28), Pareto/NBD tracks "
                       "cumulative repeat purchases best: mean absolute error 2.0% over "
                       "the holdout weeks; BG/NBD 4.0%.");
  clv_finding_contains(section,
                       "Pareto/NBD comes closest to the holdout total: 10.50 repeat "
                       "purchases expected against 10 actual (+5.0%).");
  clv_finding_contains(section, "BG/NBD has the lowest mean squared log error: 0.2");
  clv_finding_contains(section, "Not converged: Pareto/NBD");
  clv_finding_contains(section,
                       "Fitted on 10 customers who first bought from 2024-01-01 to the "
                       "calibration end 2024-01-14; 4 of them (40.0%)");
  clv_finding_contains(section, "2 customers whose first purchase came after");
  clv_finding_contains(section, "3 order lines worth 0 count as purchases.");
  clv_finding_contains(section, "1 repeat customers with a mean value of 0 or less");
}

TEST(ClvSections, GridHeatMapsTableAndCells) {
  const json section = section_by_id(build_report_model(clv_summary(), Lang::kEn), "clv_grid");
  const json& chart = section.at("chart");
  ASSERT_EQ(chart.at("series").size(), 2u);
  EXPECT_EQ(chart.at("series")[0].at("type"), "heatmap");
  EXPECT_EQ(chart.at("series")[0].at("data").size(), 9u);
  EXPECT_EQ(chart.at("series")[0].at("data")[1], (json{1, 0, "-"}));  // x = 0, t_x = 5: empty
  EXPECT_EQ(chart.at("series")[1].at("data")[8], (json{2, 2, 0.98}));
  EXPECT_EQ(chart.at("grid").size(), 2u);
  EXPECT_EQ(chart.at("visualMap")[1].at("max"), 1);
  // x = 0 has no cell at a later recency: only x = 1 and 2, P(alive) and expected purchases
  // midway (the second of the two later recencies: t_x = 10, also the end).
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (json{"1", 0.95, 1.2}));
  EXPECT_EQ(section.at("table").at("columns")[2], "Expected, last at week 10");
  EXPECT_EQ(section.at("table").at("columns")[1], "P(alive), last at week 10");
  clv_finding_contains(section,
                       "with 1 repeat purchase, the last at week 10, P(alive) is 0.95 "
                       "and 1.20 purchases are expected in the next 52 weeks; with as "
                       "many but the last at week 5, P(alive) is 0.70");
  clv_finding_contains(section,
                       "With the last purchase at week 5, P(alive) is 0.70 after 1 "
                       "repeat purchase but 0.06 after 2 repeat purchases");
  clv_finding_contains(section, "has P(alive) 1.00 and is expected to buy 0.10 times");
}

TEST(ClvSections, HoldoutBinsSideBySide) {
  const json section = section_by_id(build_report_model(clv_summary(), Lang::kEn), "clv_holdout");
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), 4u);  // three bins and all customers
  EXPECT_EQ(rows[1], (json{"1", 2, 2.0, 1.5, 2.25}));
  EXPECT_EQ(rows[3][0], "All");
  EXPECT_DOUBLE_EQ(rows[3][4].get<double>(), 1.05);
  EXPECT_EQ(section.at("chart").at("series").size(), 3u);  // actual and two models
  clv_finding_contains(section, "Over the frequency bins, BG/NBD is closest");
  // BG/NBD: bins 0 (+50%), 1 and 2+ (−25%): the largest gap is bin 0, over-predicted.
  clv_finding_contains(section,
                       "BG/NBD expects 9.00 repeat purchases over the 2 weeks of the holdout "
                       "against 10 actual (−10.0%); it over-predicts most at 0 "
                       "calibration repeat purchases (6 customers): 0.50 per customer "
                       "against 0.33 actual (+50.0%).");
  clv_finding_contains(section, "Pareto/NBD expects 10.50");
}

TEST(ClvSections, TrackingHoldoutWeeks) {
  const json section = section_by_id(build_report_model(clv_summary(), Lang::kEn), "clv_tracking");
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (json{"2024-01-15", 6.0, 10.0, 4.5, 3.0}));
  const json& series = section.at("chart").at("series");
  EXPECT_EQ(series.size(), 6u);  // actual and two models, cumulative and weekly
  EXPECT_EQ(series[0].at("markLine").at("data")[0].at("xAxis"), "2024-01-08");
  clv_finding_contains(section,
                       "By the week of the calibration end (2024-01-14), customers made "
                       "4 repeat purchases; the models fitted BG/NBD 3.0 (−25.0%), "
                       "Pareto/NBD 2.0 (−50.0%).");
  clv_finding_contains(section, "By the end of the holdout (2024-01-28), they reach 14");
  clv_finding_contains(section,
                       "Over the 2 holdout weeks, actual repeat purchases run from 4 to "
                       "6 a week (mean 5.0); BG/NBD expects 1.5 to 1.5 a week.");
}

TEST(ClvSections, ValueTiersAndTopCustomers) {
  const json model = build_report_model(clv_summary(), Lang::kEn);
  const json& value = section_by_id(model, "clv_value");
  EXPECT_EQ(value.at("table").at("rows").size(), 8u);
  EXPECT_EQ(value.at("chart").at("xAxis").at("data"), (json{"0–200", "200–400", "≥ 400"}));
  clv_finding_contains(value,
                       "Over the next 52 weeks, the 10 customers are worth 1,000.00 in "
                       "total: 100.00 on average, 50.00 at the median.");
  clv_finding_contains(value, "The top 10% of customers by CLV hold 45.0% of it");
  clv_finding_contains(value, "at a margin of 50.0%, discounted at 10.0% a year.");

  const json& tiers = section_by_id(model, "clv_tiers");
  EXPECT_EQ(tiers.at("table").at("rows").size(), 3u);
  EXPECT_EQ(tiers.at("table").at("rows")[0][0], "Champions");
  clv_finding_contains(tiers,
                       "Champions hold 60.0% of the CLV over the next 52 weeks with 20.0% "
                       "of customers (mean CLV 300.00, mean P(alive) 0.90).");
  // Revenue shares 50 / 30 / 20 %, CLV shares 60 / 30 / 10 %.
  clv_finding_contains(tiers,
                       "Champions gain most: from 50.0% of revenue to 60.0% of CLV; Lost "
                       "lose most: from 20.0% to 10.0%.");
  clv_finding_contains(tiers, "Loyal have the lowest mean P(alive): 0.50, against 0.75");

  const json& top = section_by_id(model, "clv_top_customers");
  EXPECT_EQ(top.at("table").at("rows").size(), 2u);
  EXPECT_EQ(top.at("table").at("rows")[0][0], "c1");
  clv_finding_contains(top,
                       "The 2 customers of highest CLV are worth 600.00 over the next 52 "
                       "weeks: 60.0% of all CLV.");
  clv_finding_contains(top, "The first, c1 (Champions), is worth 350.00");
}

TEST(ClvSections, ChineseText) {
  const json model = build_report_model(clv_summary(), Lang::kZh);
  EXPECT_EQ(clv_ids(model), kClvSections);
  EXPECT_EQ(section_by_id(model, "clv_tiers").at("title"), "未来价值在哪里：各层级 CLV");
  clv_finding_contains(section_by_id(model, "clv_tiers"),
                       "Champions以 20.0% 的客户占未来 52 周 CLV 的 60.0%");
  clv_finding_contains(section_by_id(model, "clv_grid"), "最后一次在第 10 周时");
}

TEST(ClvSections, EveryFindingInBothLanguages) {
  const json en = build_report_model(clv_summary(), Lang::kEn);
  const json zh = build_report_model(clv_summary(), Lang::kZh);
  for (const std::string& id : kClvSections) {
    const json& a = section_by_id(en, id);
    const json& b = section_by_id(zh, id);
    EXPECT_NE(a.at("title"), b.at("title")) << id;
    EXPECT_NE(a.at("table").at("columns"), b.at("table").at("columns")) << id;
    ASSERT_EQ(a.at("findings").size(), b.at("findings").size()) << id;
    for (std::size_t f = 0; f < a.at("findings").size(); ++f) {
      EXPECT_NE(a.at("findings")[f], b.at("findings")[f]) << id;
    }
  }
}

// Customer ids and tier names are data: they reach the page only inside the escaped model.
TEST(ClvSections, HostileNamesStayData) {
  const std::string hostile = "</script><img src=x onerror=alert(1)>{a|b}";
  json summary = clv_summary();
  summary["clv"]["top_customers"][0]["customer_id"] = hostile;
  summary["clv"]["tiers"][0]["tier"] = hostile;
  const json model = build_report_model(summary, Lang::kEn);
  EXPECT_EQ(section_by_id(model, "clv_top_customers").at("table").at("rows")[0][0], hostile);
  EXPECT_EQ(section_by_id(model, "clv_tiers").at("chart").at("xAxis").at("data")[0], hostile);
  const std::string page = render_report_html(model, ReportOptions{});
  EXPECT_EQ(page.find("<img src=x"), std::string::npos);
  EXPECT_EQ(testing::embedded_model(page), model);
}

TEST(ClvSections, WithoutAHoldoutNoHoldoutSection) {
  json summary = clv_summary();
  summary["clv"]["holdout"] = nullptr;
  summary["clv"]["holdout_end"] = nullptr;
  for (json& w : summary["clv"]["tracking"]) w["holdout"] = false;
  const json model = build_report_model(summary, Lang::kEn);
  std::vector<std::string> expected = kClvSections;
  expected.erase(expected.begin() + 2);
  EXPECT_EQ(clv_ids(model), expected);
  // Every week in the table; no calibration-end line when nothing follows it.
  const json& tracking = section_by_id(model, "clv_tracking");
  EXPECT_EQ(tracking.at("table").at("rows").size(), 4u);
  EXPECT_FALSE(tracking.at("chart").at("series")[0].contains("markLine"));
}

TEST(ClvSections, AbsentWithoutClv) {
  const json model = build_report_model(json{{"regression", json::object()}}, Lang::kEn);
  EXPECT_TRUE(clv_ids(model).empty());
  const json empty = build_report_model(json{{"clv", json::object()}}, Lang::kEn);
  EXPECT_TRUE(clv_ids(empty).empty());
}

}  // namespace
}  // namespace custlens::report
