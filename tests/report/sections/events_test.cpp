// The behaviour-log sections from the pandas reference's goldens (tests/reference/golden/events):
// each golden, less its `case`, is the summary's `events` object, as `custlens events --out` and
// `analyze` write it. Numbers in findings are checked against the golden's own values.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "report/html_report.h"
#include "report/sections/section.h"
#include "support/report_model.h"

namespace custlens::report {
namespace {

using nlohmann::json;
using testing::section_by_id;
using testing::section_ids;

const std::string kGoldenDir = std::string(CUSTLENS_REFERENCE_DIR) + "/golden/events";

json golden(const std::string& name) {
  std::ifstream in(kGoldenDir + "/" + name + ".json");
  EXPECT_TRUE(in.good()) << name;
  json events = json::parse(in);
  events.erase("case");
  return events;
}

json summary_of(const json& events) {
  return {{"input", {{"files", {"events.csv"}}}}, {"events", events}};
}

json model_of(const std::string& name, Lang lang = Lang::kEn) {
  return build_report_model(summary_of(golden(name)), lang);
}

std::vector<std::string> events_ids(const json& model) {
  std::vector<std::string> ids;
  for (const std::string& id : section_ids(model)) {
    if (id.starts_with("events_")) ids.push_back(id);
  }
  return ids;
}

bool events_finding_contains(const json& section, const std::string& text) {
  for (const json& finding : section.at("findings")) {
    if (finding.get<std::string>().find(text) != std::string::npos) return true;
  }
  ADD_FAILURE() << "no finding of " << section.at("id") << " contains: " << text << "\n"
                << section.at("findings").dump(2);
  return false;
}

bool no_finding_contains(const json& section, const std::string& text) {
  for (const json& finding : section.at("findings")) {
    if (finding.get<std::string>().find(text) != std::string::npos) {
      ADD_FAILURE() << section.at("id") << " should not say: " << finding;
      return false;
    }
  }
  return true;
}

const std::vector<std::string> kSections{"events_kpis",  "events_funnel",    "events_daily",
                                         "events_hours", "events_retention", "events_categories",
                                         "events_items", "events_lifecycle"};

TEST(EventsSections, AllInOrderFromTheTaobaoGolden) {
  const json model = model_of("taobao_default");
  EXPECT_EQ(events_ids(model), kSections);
  EXPECT_EQ(section_ids(model), kSections);  // nothing of orders without their keys
  EXPECT_EQ(model.at("title"), "Behaviour analytics report");
  EXPECT_EQ(model.at("subtitle"),
            "events.csv · 2017-09-11 – 2017-12-03 · 43 users · time zone UTC");
  for (const std::string& id : kSections) {
    const json& section = section_by_id(model, id);
    EXPECT_FALSE(section.at("findings").empty()) << id;
    EXPECT_EQ(section.at("table").at("formats").size(), section.at("table").at("columns").size())
        << id;
    for (const json& row : section.at("table").at("rows")) {
      EXPECT_EQ(row.size(), section.at("table").at("columns").size()) << id;
    }
  }
  for (const char* id : {"events_funnel", "events_daily", "events_hours", "events_retention",
                         "events_categories", "events_lifecycle"}) {
    EXPECT_TRUE(section_by_id(model, id).at("chart").is_object()) << id;
  }
}

TEST(EventsSections, KpisTableAndAuditLine) {
  const json events = golden("taobao_default");
  const json section = section_by_id(model_of("taobao_default"), "events_kpis");
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), 8u);
  const json& kpis = events.at("kpis");
  EXPECT_EQ(rows[0][1], kpis.at("pv"));
  EXPECT_EQ(rows[1][1], kpis.at("uv"));
  EXPECT_EQ(rows[2][1], kpis.at("pv_per_uv"));
  EXPECT_EQ(rows[3][1], kpis.at("buy_users"));
  EXPECT_EQ(rows[4][1], kpis.at("buys"));
  EXPECT_EQ(rows[5][2], kpis.at("conversion_rate"));
  EXPECT_EQ(rows[6][2], kpis.at("repurchase_rate"));
  EXPECT_EQ(rows[7][2], kpis.at("bounce_rate"));
  EXPECT_TRUE(section.at("chart").is_null());
  events_finding_contains(section,
                       "4,321 rows read: 0 malformed, 0 without a user, 0 exact duplicates; "
                       "4,321 rows kept (100.0%).");
  events_finding_contains(section, "43 users made 3,926 page views, 91.3 per user.");
  // 23 / 43 = 53.5 %; 15 / 23 = 65.2 % bought on two days or more.
  events_finding_contains(section, "23 of the 43 users bought (53.5%), 77 purchases in all.");
  events_finding_contains(section, "65.2% of buyers (15 of 23) bought on two or more days.");
  events_finding_contains(section, "0.0% of users (0) did nothing but view one page");
}

TEST(EventsSections, AuditSaysWhetherDuplicatesWereDropped) {
  const json kept = section_by_id(model_of("audit_headerless"), "events_kpis");
  const json dropped = section_by_id(model_of("audit_headerless_dedup"), "events_kpis");
  const json audit = golden("audit_headerless").at("audit");
  ASSERT_GT(audit.at("duplicates").get<int>(), 0);
  events_finding_contains(kept, "exact duplicates (kept)");
  events_finding_contains(dropped, "exact duplicates (dropped)");
  events_finding_contains(kept, fmt::format("{} rows read: {} malformed",
                                         format_count(audit.at("rows_read").get<int>()),
                                         format_count(audit.at("malformed").get<int>())));
}

TEST(EventsSections, FunnelBarsConversionDropAndTimes) {
  const json steps = golden("taobao_default").at("funnel").at("steps");
  const json section = section_by_id(model_of("taobao_default"), "events_funnel");
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(rows[i][1], steps[i].at("users"));
    EXPECT_EQ(rows[i][2], steps[i].at("conversion_from_previous"));
    EXPECT_EQ(rows[i][3], steps[i].at("conversion_from_first"));
    EXPECT_EQ(rows[i][5], steps[i].at("median_seconds_from_previous"));
    EXPECT_EQ(rows[i][6], steps[i].at("p90_seconds_from_previous"));
  }
  EXPECT_EQ(rows[0][0], "1. pv");
  EXPECT_TRUE(rows[0][4].is_null());
  EXPECT_EQ(rows[1][4], 43 - 27);
  EXPECT_EQ(rows[2][4], 27 - 11);
  const json& series = section.at("chart").at("series");
  ASSERT_EQ(series.size(), 2u);  // reached, dropped: stacked
  EXPECT_EQ(series[0].at("data")[2].at("value"), 11);
  EXPECT_EQ(series[0].at("data")[2].at("label").at("formatter"), "11 (25.6%)");
  EXPECT_EQ(series[1].at("data"), (json{"-", 16, 16}));
  events_finding_contains(section,
                       "11 of the 43 users who did pv went on to buy within 1 day (in order): "
                       "25.6%.");
  // cart→buy keeps 40.7 % (pv→cart 62.8 %): the biggest drop.
  events_finding_contains(section,
                       "59.3% of the users who did cart never did buy (16 of 27); the biggest "
                       "drop is cart→buy.");
  // 212 s and 3306.8 s; 17490 s = 4.9 h.
  events_finding_contains(section, "From pv to cart: median 3 min 32 s, 90th percentile 55 min 7 s");
  events_finding_contains(section, "From cart to buy: median 4.9 h");
}

TEST(EventsSections, FunnelOfPagesAndARepeatedStep) {
  const json pages = section_by_id(model_of("pages"), "events_funnel");
  EXPECT_EQ(pages.at("table").at("rows").size(), 4u);
  events_finding_contains(pages,
                       "3 of the 8 users who did home went on to pay within 2 h (in "
                       "order): 37.5%.");
  const json repeated = section_by_id(model_of("edges_pv_pv_buy_strict_once"), "events_funnel");
  const json labels = repeated.at("chart").at("xAxis").at("data");
  EXPECT_EQ(labels, (json{"1. pv", "2. pv", "3. buy"}));  // a repeated step keeps its own bar
  events_finding_contains(repeated, "each event counted once");
  // Steps no user reached have no times: nulls in the table, no sentence.
  for (const char* name : {"edges_ordered", "edges_strict", "edges_window_30m", "steps_map"}) {
    const json events = golden(name);
    const json section = section_by_id(model_of(name), "events_funnel");
    const json& steps = events.at("funnel").at("steps");
    std::size_t timed = 0;
    for (std::size_t i = 1; i < steps.size(); ++i) {
      if (!steps[i].at("median_seconds_from_previous").is_null()) ++timed;
      EXPECT_EQ(section.at("table").at("rows")[i][5], steps[i].at("median_seconds_from_previous"));
    }
    std::size_t sentences = 0;
    for (const json& finding : section.at("findings")) {
      if (finding.get<std::string>().find("90th percentile") != std::string::npos) ++sentences;
    }
    EXPECT_EQ(sentences, timed) << name;
  }
}

TEST(EventsSections, FunnelBreakdownTables) {
  const json events = golden("taobao_by_category");
  const json& breakdown = events.at("funnel").at("breakdown");
  const json model = model_of("taobao_by_category");
  std::vector<std::string> expected = kSections;
  expected.insert(expected.begin() + 2, "events_funnel_breakdown");
  EXPECT_EQ(events_ids(model), expected);
  const json section = section_by_id(model, "events_funnel_breakdown");
  EXPECT_EQ(section.at("title"), "Funnel by category");
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), breakdown.size());
  EXPECT_EQ(section.at("table").at("columns"),
            (json{"Category", "1. pv", "2. cart", "3. buy", "pv → buy"}));
  for (std::size_t g = 0; g < breakdown.size(); ++g) {
    EXPECT_EQ(rows[g][0], breakdown[g].at("key"));
    EXPECT_EQ(rows[g][1], breakdown[g].at("steps")[0].at("users"));
    EXPECT_EQ(rows[g][4], breakdown[g].at("steps")[2].at("conversion_from_first"));
  }
  events_finding_contains(
      section, fmt::format("The {} categories with the most users at pv", breakdown.size()));
  // The sample's top categories all convert at the same rate to buy: said once, not as best/worst.
  for (const json& g : breakdown) {
    ASSERT_EQ(g.at("steps")[2].at("conversion_from_first"),
              breakdown[0].at("steps")[2].at("conversion_from_first"));
  }
  events_finding_contains(
      section, fmt::format("Every group with users at pv converts the same to buy: {}.",
                           format_share(breakdown[0].at("steps")[2].at("conversion_from_first"))));
  no_finding_contains(section, "best converting");

  const json returning =
      section_by_id(model_of("taobao_by_new_returning"), "events_funnel_breakdown");
  EXPECT_EQ(returning.at("table").at("rows")[0][0], "new (one day)");
  EXPECT_EQ(returning.at("table").at("rows")[1][0], "returning (≥ 2 days)");
  const json by_day = section_by_id(model_of("taobao_by_day_shanghai"), "events_funnel_breakdown");
  EXPECT_EQ(by_day.at("title"), "Funnel by day");
  EXPECT_EQ(by_day.at("table").at("rows").size(),
            golden("taobao_by_day_shanghai").at("funnel").at("breakdown").size());
}

TEST(EventsSections, FunnelBreakdownBestFromTheGolden) {
  for (const char* name : {"taobao_by_new_returning", "edges_new_returning_strict_once"}) {
    const json events = golden(name);
    const json& groups = events.at("funnel").at("breakdown");
    const json section = section_by_id(model_of(name), "events_funnel_breakdown");
    const json* best = nullptr;
    for (const json& g : groups) {
      if (g.at("steps")[2].at("conversion_from_first").is_null()) continue;
      if (best == nullptr || g.at("steps")[2].at("conversion_from_first").get<double>() >
                                 best->at("steps")[2].at("conversion_from_first").get<double>()) {
        best = &g;
      }
    }
    ASSERT_NE(best, nullptr) << name;
    events_finding_contains(
        section, fmt::format("{}: {} of {} users ({})",
                             best->at("key") == "new" ? "new (one day)" : "returning (≥ 2 days)",
                             format_count(best->at("steps")[2].at("users").get<int>()),
                             format_count(best->at("steps")[0].at("users").get<int>()),
                             format_share(best->at("steps")[2].at("conversion_from_first"))));
  }
  // Every user of the sample has events on two days or more: the `new` group is empty, said so.
  events_finding_contains(
      section_by_id(model_of("taobao_by_new_returning"), "events_funnel_breakdown"),
      "No user of new (one day) reached pv.");
}

TEST(EventsSections, DailyLines) {
  const json days = golden("taobao_default").at("days");
  const json section = section_by_id(model_of("taobao_default"), "events_daily");
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), days.size());
  EXPECT_EQ(rows[2], (json{days[2].at("day"), days[2].at("pv"), days[2].at("uv"),
                           days[2].at("buys"), days[2].at("buy_users")}));
  const json& series = section.at("chart").at("series");
  ASSERT_EQ(series.size(), 3u);
  for (const json& s : series) {
    EXPECT_EQ(s.at("type"), "line");
    EXPECT_EQ(s.at("data").size(), days.size());
  }
  const json* busiest = nullptr;
  for (const json& d : days) {
    if (busiest == nullptr || d.at("uv").get<int>() > busiest->at("uv").get<int>()) busiest = &d;
  }
  events_finding_contains(
      section, fmt::format("The most visitors came on {}: {} users, {} page views.",
                           busiest->at("day").get<std::string>(), busiest->at("uv").get<int>(),
                           format_count(busiest->at("pv").get<int>())));
  events_finding_contains(section,
                       "The log has events on 11 local days from 2017-09-11 to "
                       "2017-12-03 (UTC).");
}

TEST(EventsSections, HoursInTheLogsTimeZone) {
  const json events = golden("taobao_shanghai");
  const json section = section_by_id(model_of("taobao_shanghai"), "events_hours");
  EXPECT_EQ(section.at("title"), "Activity by hour of day (Asia/Shanghai)");
  ASSERT_EQ(section.at("table").at("rows").size(), 24u);
  EXPECT_EQ(section.at("table").at("rows")[21][0], "21:00");
  const json* peak = nullptr;
  for (const json& h : events.at("hours")) {
    if (peak == nullptr || h.at("pv").get<int>() > peak->at("pv").get<int>()) peak = &h;
  }
  events_finding_contains(
      section, fmt::format("Peak hour {:02d}:00 local (Asia/Shanghai): {} page views, {} of all.",
                           peak->at("hour").get<int>(), format_count(peak->at("pv").get<int>()),
                           format_share(peak->at("pv").get<double>() /
                                        events.at("kpis").at("pv").get<double>())));
  // UTC and Shanghai differ by 8 hours: the profile moves with the zone.
  const json utc = section_by_id(model_of("taobao_default"), "events_hours");
  EXPECT_EQ(section.at("table").at("rows")[8][1], utc.at("table").at("rows")[0][1]);
}

TEST(EventsSections, RetentionHeatMapFromTheTianchiGoldenInChinese) {
  const json events = golden("tianchi_default");
  const json& cohorts = events.at("retention").at("cohorts");
  const json model = model_of("tianchi_default", Lang::kZh);
  EXPECT_EQ(model.at("title"), "用户行为分析报告");
  const json section = section_by_id(model, "events_retention");
  EXPECT_EQ(section.at("title"), "按首次出现分组的留存");
  std::size_t cells = 0;
  for (const json& c : cohorts) cells += c.at("active").size();
  const json& series = section.at("chart").at("series");
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].at("type"), "heatmap");
  ASSERT_EQ(series[0].at("data").size(), cells);
  // The second cell is the first cohort's day +1: its share in percent, its counts in the name.
  const json& cell = series[0].at("data")[1];
  EXPECT_EQ(cell.at("value"),
            (json{1, 0, std::round(cohorts[0].at("share")[1].get<double>() * 10000) / 100}));
  EXPECT_EQ(
      cell.at("name"),
      fmt::format("2017-11-24 · 第 1 天: {} / {} ({})", cohorts[0].at("active")[1].get<int>(),
                  cohorts[0].at("users").get<int>(), format_share(cohorts[0].at("share")[1])));
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), cohorts.size());
  EXPECT_EQ(rows[1][2], cohorts[1].at("share")[1]);  // first share column: day +1
  const json* largest = nullptr;
  for (const json& c : cohorts) {
    if (c.at("active").size() >= 2 &&
        (largest == nullptr || c.at("users").get<int>() > largest->at("users").get<int>())) {
      largest = &c;
    }
  }
  events_finding_contains(
      section, fmt::format("{}（最大的分组）首次出现的 {} 个用户中，有 {} 个在第 1 天回访：{}。",
                           largest->at("cohort").get<std::string>(),
                           format_count(largest->at("users").get<int>()),
                           format_count(largest->at("active")[1].get<int>()),
                           format_share(largest->at("share")[1])));
  events_finding_contains(
      section,
      fmt::format("第一个分组（2017-11-24，{} 个用户）的第 1 天留存：{}。",
                  cohorts[0].at("users").get<int>(), format_share(cohorts[0].at("share")[1])));
}

TEST(EventsSections, PurchaseRetentionAndWeeks) {
  const json buy = section_by_id(model_of("taobao_buy_retention"), "events_retention");
  EXPECT_EQ(buy.at("title"), "Purchase retention by first-seen cohort");
  EXPECT_EQ(buy.at("table").at("columns")[2], "day +0");  // buyers in the first day are news
  events_finding_contains(buy, "bought in day +1");
  const json week = section_by_id(model_of("taobao_week"), "events_retention");
  EXPECT_EQ(week.at("table").at("columns")[2], "week +1");
}

TEST(EventsSections, CategoriesAndItems) {
  const json events = golden("taobao_default");
  const json model = model_of("taobao_default");
  const json categories = section_by_id(model, "events_categories");
  const json& rows = categories.at("table").at("rows");
  ASSERT_EQ(rows.size(), events.at("categories").size());
  const json& top = events.at("categories")[0];
  EXPECT_EQ(rows[0], (json{top.at("key"), top.at("pv"), top.at("users"), top.at("buys"),
                           top.at("buy_users"), top.at("conversion")}));
  EXPECT_EQ(categories.at("chart").at("series")[0].at("data").size(), rows.size());
  events_finding_contains(categories,
                       fmt::format("Category {} draws the most page views: {}, {} of all",
                                   top.at("key").get<std::string>(), top.at("pv").get<int>(),
                                   format_share(top.at("pv").get<double>() / 3926)));
  std::size_t without = 0;
  for (const json& c : events.at("categories")) without += c.at("buys") == 0 ? 1 : 0;
  events_finding_contains(categories, fmt::format("{} of the 20 listed have no purchase.", without));
  const json items = section_by_id(model, "events_items");
  EXPECT_EQ(items.at("table").at("rows").size(), events.at("items").size());
  EXPECT_EQ(items.at("table").at("columns")[0], "Item");
  EXPECT_TRUE(items.at("chart").is_null());
}

TEST(EventsSections, CategoryConversionAboveOneIsTheData) {
  // The tianchi sample has more buys than page views in a category: conversion 638 %, as is.
  const json events = golden("tianchi_default");
  const json section = section_by_id(model_of("tianchi_default"), "events_categories");
  const json* best = nullptr;
  for (const json& c : events.at("categories")) {
    if (c.at("buys") > 0 && (best == nullptr || c.at("conversion").get<double>() >
                                                    best->at("conversion").get<double>())) {
      best = &c;
    }
  }
  events_finding_contains(
      section,
      fmt::format("Of these, {} converts best: {} purchases on {} page "
                  "views ({}).",
                  best->at("key").get<std::string>(), format_count(best->at("buys").get<int>()),
                  format_count(best->at("pv").get<int>()), format_share(best->at("conversion"))));
}

TEST(EventsSections, LifecycleStagesAndTransitions) {
  const json events = golden("tianchi_default");
  const json section = section_by_id(model_of("tianchi_default"), "events_lifecycle");
  const json& periods = events.at("lifecycle").at("periods");
  const json& series = section.at("chart").at("series");
  ASSERT_EQ(series.size(), 5u);
  for (const json& s : series) {
    EXPECT_EQ(s.at("stack"), "stages");
    EXPECT_EQ(s.at("data").size(), periods.size());
  }
  EXPECT_EQ(series[3].at("data").back(), periods.back().at("at_risk"));
  const json& transitions = events.at("lifecycle").at("transitions");
  const json& rows = section.at("table").at("rows");
  ASSERT_EQ(rows.size(), transitions.size());
  EXPECT_EQ(rows[0][0], "new");
  EXPECT_EQ(rows[3][0], "not yet seen");
  EXPECT_EQ(rows[5][2], transitions[5].at("users"));  // unseen → at_risk: 2,631
  events_finding_contains(section,
                       "In the last day (2017-12-04), of the 3,990 users seen so far: 0 new, 28 "
                       "active, 68 returning, 2,668 at risk, 1,226 churned (30.7%).");
  events_finding_contains(section, "the most common path is not yet seen → at risk: 2,631 users");
}

TEST(EventsSections, OneDayLog) {
  const json model = model_of("one_day");
  EXPECT_EQ(model.at("subtitle"), "events.csv · 2017-11-25 · 5 users · time zone UTC");
  const json retention = section_by_id(model, "events_retention");
  EXPECT_TRUE(retention.at("chart").is_null());
  EXPECT_TRUE(retention.at("table").at("rows").empty());
  ASSERT_EQ(retention.at("findings").size(), 1u);
  events_finding_contains(retention, "The log covers a single day (2017-11-25)");
  no_finding_contains(retention, "%");
  const json daily = section_by_id(model, "events_daily");
  ASSERT_EQ(daily.at("findings").size(), 1u);
  events_finding_contains(daily,
                       "Every event falls on one local day, 2017-11-25: 5 visitors, 7 "
                       "page views, 2 purchases.");
  const json hours = section_by_id(model, "events_hours");
  events_finding_contains(hours, "Peak hour 21:00 local (UTC): 3 page views, 42.9% of all.");
  events_finding_contains(hours, "Most purchases are made at 10:00 local: 1 of 2 (50.0%).");
  const json lifecycle = section_by_id(model, "events_lifecycle");
  ASSERT_EQ(lifecycle.at("findings").size(), 1u);  // no path between a first and a last period
  events_finding_contains(lifecycle, "5 new, 0 active");
  const json funnel = section_by_id(model, "events_funnel");
  events_finding_contains(funnel, "From pv to cart: median 2 min 0 s, 90th percentile 2 min 24 s");

  const json zh = build_report_model(summary_of(golden("one_day")), Lang::kZh);
  events_finding_contains(section_by_id(zh, "events_retention"), "日志只覆盖一个天（2017-11-25）");
}

TEST(EventsSections, DateOnlyLogHasNoHoursOrStepTimes) {
  const json model = model_of("date_only_shanghai");
  const json hours = section_by_id(model, "events_hours");
  EXPECT_TRUE(hours.at("chart").is_null());
  ASSERT_EQ(hours.at("findings").size(), 1u);
  events_finding_contains(hours, "as date-only timestamps do, so there is no hour-of-day pattern");
  const json funnel = section_by_id(model, "events_funnel");
  no_finding_contains(funnel, "median");
  events_finding_contains(funnel, "carry no time of day");
  // Retention over days is still there: 1 of the 2 users first seen on 11-25 came back.
  events_finding_contains(section_by_id(model, "events_retention"),
                       "Of the 2 users first seen in 2017-11-25 (the largest cohort), 1 came back "
                       "in day +1: 50.0%.");
}

TEST(EventsSections, LogWithoutPageViewsOrRepurchases) {
  // A page-type log: no `pv` behaviour, no buyer: the KPIs that need them say nothing.
  const json model = model_of("pages");
  const json kpis = section_by_id(model, "events_kpis");
  EXPECT_TRUE(kpis.at("table").at("rows")[6][2].is_null());  // repurchase: no buyer
  no_finding_contains(kpis, "page views");
  no_finding_contains(kpis, "bought on two or more days");
  events_finding_contains(kpis, "0 of the 8 users bought (0.0%)");
  const json hours = section_by_id(model, "events_hours");
  no_finding_contains(hours, "Peak hour");
  events_finding_contains(hours, "Most visitors are active at");
  no_finding_contains(section_by_id(model, "events_categories"), "draws the most");
}

TEST(EventsSections, EveryGoldenInBothLanguages) {
  std::size_t goldens = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kGoldenDir)) {
    if (entry.path().extension() != ".json") continue;  // the joined cases' customer tables
    const std::string name = entry.path().stem().string();
    const json en = model_of(name, Lang::kEn);
    const json zh = model_of(name, Lang::kZh);
    ++goldens;
    EXPECT_EQ(section_ids(en), section_ids(zh)) << name;
    EXPECT_GE(events_ids(en).size(), 7u) << name;
    for (const std::string& id : section_ids(en)) {
      const json& a = section_by_id(en, id);
      const json& b = section_by_id(zh, id);
      EXPECT_NE(a.at("title"), b.at("title")) << name << " " << id;
      ASSERT_EQ(a.at("findings").size(), b.at("findings").size()) << name << " " << id;
      for (std::size_t f = 0; f < a.at("findings").size(); ++f) {
        EXPECT_NE(a.at("findings")[f], b.at("findings")[f]) << name << " " << id;
      }
      EXPECT_EQ(a.at("table").at("rows").size(), b.at("table").at("rows").size()) << name;
      for (const json& row : a.at("table").at("rows")) {
        EXPECT_EQ(row.size(), a.at("table").at("columns").size()) << name << " " << id;
      }
    }
    const std::string page = render_report_html(en, ReportOptions{});
    EXPECT_EQ(testing::embedded_model(page), en) << name;
  }
  EXPECT_GE(goldens, 38u);
}

// The joined view: one section per table beside the log, a row per group with a user; the
// funnel by tier names the tiers in the report's language; findings quote the golden's counts.
TEST(EventsSections, JoinedViewByRfmAndProfileTier) {
  const json events = golden("joined_orders_profiles_by_tier");
  const json model = model_of("joined_orders_profiles_by_tier");
  const std::vector<std::string> ids = events_ids(model);
  ASSERT_NE(std::find(ids.begin(), ids.end(), "events_joined_rfm"), ids.end());
  ASSERT_NE(std::find(ids.begin(), ids.end(), "events_joined_profile"), ids.end());
  for (const auto& [id, key] : {std::pair{"events_joined_rfm", "rfm_tier"},
                                std::pair{"events_joined_profile", "profile_tier"}}) {
    const json& section = section_by_id(model, id);
    const json& source = events.at("joined").at(key);
    const json& groups = source.at("groups");
    ASSERT_EQ(section.at("table").at("rows").size(), groups.size()) << id;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const json& row = section.at("table").at("rows")[g];
      EXPECT_EQ(row[0], groups[g].at("name")) << id;
      EXPECT_EQ(row[1], groups[g].at("users")) << id;
      EXPECT_EQ(row[4], groups[g].at("conversion_rate")) << id;
      EXPECT_EQ(row.back(), groups[g].at("retention")[1].at("share")) << id;
    }
    events_finding_contains(section,
                         fmt::format("{} of {} log users", source.at("matched_users").get<int>(),
                                     source.at("log_users").get<int>()));
    EXPECT_EQ(section.at("chart").at("series").size(), 2u);
  }
  const json& breakdown = section_by_id(model, "events_funnel_breakdown");
  EXPECT_EQ(breakdown.at("title"), "Funnel by tier");
  EXPECT_EQ(breakdown.at("table").at("rows")[0][0], "Champions");
  const json zh = model_of("joined_orders_profiles_by_tier", Lang::kZh);
  EXPECT_EQ(section_by_id(zh, "events_funnel_breakdown").at("table").at("rows")[0][0], "冠军客户");
  EXPECT_EQ(section_by_id(zh, "events_joined_profile").at("table").at("rows")[0][0], "重要客户");
  // Without the tables there are no joined sections.
  const std::vector<std::string> plain = events_ids(model_of("taobao_default"));
  EXPECT_EQ(std::count(plain.begin(), plain.end(), "events_joined_rfm"), 0);
}

// Category, item and step names are data: they reach the page only inside the escaped model.
TEST(EventsSections, HostileNamesStayData) {
  const std::string hostile = "</script><img src=x onerror=alert(1)>{a|b}";
  json events = golden("taobao_by_category");
  events["categories"][0]["key"] = hostile;
  events["items"][0]["key"] = hostile;
  events["funnel"]["steps"][1]["step"] = hostile;
  events["funnel"]["breakdown"][0]["key"] = hostile;
  events["tz"] = hostile;
  const json model = build_report_model(summary_of(events), Lang::kEn);
  EXPECT_EQ(section_by_id(model, "events_categories").at("table").at("rows")[0][0], hostile);
  EXPECT_EQ(section_by_id(model, "events_items").at("table").at("rows")[0][0], hostile);
  EXPECT_EQ(section_by_id(model, "events_funnel").at("table").at("rows")[1][0], "2. " + hostile);
  const std::string page = render_report_html(model, ReportOptions{});
  EXPECT_EQ(page.find("<img src=x"), std::string::npos);
  EXPECT_EQ(testing::embedded_model(page), model);
}

TEST(EventsSections, AbsentWithoutEvents) {
  EXPECT_TRUE(events_ids(build_report_model(json{{"clv", json::object()}}, Lang::kEn)).empty());
  EXPECT_TRUE(events_ids(build_report_model(json{{"events", json::object()}}, Lang::kEn)).empty());
  EXPECT_TRUE(events_ids(build_report_model(json{{"events", nullptr}}, Lang::kEn)).empty());
  // No funnel (a log without pv or buy): the funnel sections are left out, the others stay.
  json events = golden("taobao_default");
  events["funnel"] = nullptr;
  std::vector<std::string> expected = kSections;
  expected.erase(expected.begin() + 1);
  EXPECT_EQ(events_ids(build_report_model(summary_of(events), Lang::kEn)), expected);
}

}  // namespace
}  // namespace custlens::report
