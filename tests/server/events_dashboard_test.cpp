// The behaviour-log dashboard: every filtered view equals `custlens events` run on a file holding
// only the rows that pass the filter (the CLI is the independent side; the rows are picked here
// from the raw text, local days by the zone's fixed offset); the audit stays the whole file's;
// query validation; the filter choices; the cache; a dashboard with filters off.
#include "server/events_dashboard.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "pipeline/event_scan.h"

namespace custlens {
namespace {

namespace fs = std::filesystem;
namespace ev = analysis::events;

// The sample is Chinese data: Asia/Shanghai (UTC+8 all year since 1991) makes local days differ
// from UTC days, and a category breakdown puts the category keys into every view.
constexpr const char* kZone = "Asia/Shanghai";
constexpr std::int64_t kZoneOffset = 8 * 3600;
constexpr const char* kEventsCliOptions = "--tz Asia/Shanghai --by category --quiet --json";

// One line of the headerless Taobao layout: user, item, category, behaviour, timestamp; a
// malformed line keeps what it has (day 0 when its timestamp is not a number).
struct EventRow {
  std::string line;
  std::string category;
  std::string behavior;
  std::int64_t day = 0;  // local day in Asia/Shanghai
};

std::vector<EventRow> read_rows(const std::string& path) {
  std::vector<EventRow> rows;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos;
         start = comma + 1) {
      fields.push_back(line.substr(start, comma - start));
    }
    fields.push_back(line.substr(start));
    EventRow row{line, fields.size() > 2 ? fields[2] : "", fields.size() > 3 ? fields[3] : "", 0};
    if (fields.size() == 5 && !fields[4].empty() &&
        fields[4].find_first_not_of("0123456789") == std::string::npos) {
      row.day = common::floor_div(std::stoll(fields[4]) + kZoneOffset, 86400);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Reads the log as `custlens serve LOG` does: the events scan, each user's kept events in memory.
server::EventsFullData load_log(const std::string& path, bool dedup) {
  const ev::LocalClock clock(kZone);
  pipeline::EventScanOptions scan;
  scan.dedup = dedup;
  scan.from_local = [&clock](std::int64_t local) { return clock.from_local(local); };
  pipeline::EventLog log = pipeline::scan_events({path}, scan, {});
  server::EventsFullData full;
  full.events = pipeline::collect_user_events(log, dedup);
  full.input = report::InputInfo{log.files, log.header, log.roles, {}, log.encoding};
  full.layout = log.layout;
  full.audit = log.audit;
  full.names = std::move(log.names);
  full.tz = kZone;
  full.options.funnel.by = ev::FunnelBy::kCategory;
  full.dedup = dedup;
  return full;
}

nlohmann::json events_body(const server::Reply& reply) {
  return nlohmann::json::parse(reply.body, nullptr, false);
}

// The view's `events` equals the independent run key by key, exactly (the same integer tallies
// and the same arithmetic on them), except the audit: the whole file's in every view.
void expect_same_events(const nlohmann::json& view, const nlohmann::json& expected,
                        const nlohmann::json& whole_audit) {
  ASSERT_TRUE(expected.is_object()) << "the independent run failed";
  ASSERT_TRUE(view.is_object());
  std::set<std::string> keys;
  for (const auto& [key, value] : expected.items()) keys.insert(key);
  for (const auto& [key, value] : view.items()) keys.insert(key);
  EXPECT_EQ(keys.size(), expected.size());
  for (const std::string& key : keys) {
    if (key == "audit") {
      EXPECT_EQ(view[key], whole_audit);
    } else {
      EXPECT_EQ(view[key], expected[key]) << key;
    }
  }
}

class EventsDashboardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / fmt::format("custlens_events_dashboard_{}", ::getpid());
    fs::create_directories(dir_);
    file_ = std::string(CUSTLENS_TEST_DATA) + "/taobao_user_behavior_sample.csv";
    rows_ = read_rows(file_);
    server::EventsDashboardData data;
    data.full = load_log(file_, false);
    dashboard_ = new server::EventsDashboard(std::move(data), Lang::kEn);
    for (const auto& step : dashboard_->full_summary()["events"]["funnel"]["steps"]) {
      steps_.push_back(step["step"]);
    }
  }
  static void TearDownTestSuite() {
    delete dashboard_;
    dashboard_ = nullptr;
    fs::remove_all(dir_);
  }
  void SetUp() override { ASSERT_NE(dashboard_, nullptr) << "the suite's set-up failed"; }

  // `custlens events --json` of the rows that `keep` accepts, with the whole log's funnel steps
  // (as every view has them); null when the command fails.
  template <typename Keep>
  static nlohmann::json events_of_rows(const std::string& name, Keep keep,
                                       std::size_t* kept = nullptr) {
    std::string text;
    std::size_t count = 0;
    for (const EventRow& row : rows_) {
      if (!keep(row)) continue;
      text += row.line + "\n";
      ++count;
    }
    if (kept != nullptr) *kept = count;
    const fs::path file = dir_ / (name + ".csv");
    std::ofstream(file, std::ios::binary) << text;
    const fs::path json = dir_ / (name + ".json");
    const std::string command =
        fmt::format("'{}' events '{}' {} --funnel {} >'{}' 2>/dev/null", CUSTLENS_BIN,
                    file.string(), kEventsCliOptions, fmt::join(steps_, ","), json.string());
    if (std::system(command.c_str()) != 0) return nullptr;
    std::ifstream in(json, std::ios::binary);
    return nlohmann::json::parse(in, nullptr, false);
  }

  // The distinct local days of the rows, in order.
  static std::vector<std::int64_t> days() {
    std::set<std::int64_t> days;
    for (const EventRow& row : rows_) days.insert(row.day);
    return {days.begin(), days.end()};
  }

  static inline fs::path dir_;
  static inline std::string file_;
  static inline std::vector<EventRow> rows_;
  static inline std::vector<std::string> steps_;
  static inline server::EventsDashboard* dashboard_ = nullptr;
};

TEST_F(EventsDashboardTest, UnfilteredIsTheEventsAnalysisOfTheFile) {
  const server::Reply reply = dashboard_->summary({});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json view = events_body(reply);
  EXPECT_EQ(view, dashboard_->full_summary());
  EXPECT_FALSE(view.contains("filter"));
  EXPECT_EQ(view["input"]["kind"], "behavior_log");
  EXPECT_EQ(view["input"]["layout"], "taobao_user_behavior");
  EXPECT_EQ(view["options"]["tz"], kZone);
  EXPECT_EQ(view["options"]["by"], "category");
  // The whole file through the CLI, its audit included.
  const nlohmann::json expected = events_of_rows("all", [](const EventRow&) { return true; });
  ASSERT_TRUE(expected.is_object());
  expect_same_events(view["events"], expected, expected["audit"]);
  EXPECT_EQ(view["events"]["audit"]["rows_kept"], rows_.size());
  ASSERT_EQ(steps_, (std::vector<std::string>{"pv", "cart", "buy"}));
}

TEST_F(EventsDashboardTest, DayRangeViewEqualsEventsOnThoseRows) {
  const std::vector<std::int64_t> all_days = days();
  ASSERT_GE(all_days.size(), 6u);
  const std::int64_t from = all_days[2];
  const std::int64_t to = all_days[4];
  const server::Reply reply =
      dashboard_->summary({{"from", common::format_day(from)}, {"to", common::format_day(to)}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json view = events_body(reply);
  std::size_t kept = 0;
  const nlohmann::json expected = events_of_rows(
      "days", [&](const EventRow& row) { return from <= row.day && row.day <= to; }, &kept);
  ASSERT_GT(kept, 0u);
  ASSERT_LT(kept, rows_.size());
  expect_same_events(view["events"], expected, dashboard_->full_summary()["events"]["audit"]);
  EXPECT_EQ(expected["audit"]["rows_kept"], kept);
  EXPECT_EQ(view["filter"],
            (nlohmann::json{{"from", common::format_day(from)}, {"to", common::format_day(to)}}));
  // Retention and lifecycle run over the view's own days.
  EXPECT_EQ(view["events"]["retention"]["cohorts"].front()["cohort"], common::format_day(from));
  EXPECT_EQ(view["events"]["lifecycle"]["periods"].back()["period"], common::format_day(to));
  EXPECT_EQ(view["input"], dashboard_->full_summary()["input"]);
}

TEST_F(EventsDashboardTest, OpenEndedRangesKeepTheirSideOnly) {
  const std::vector<std::int64_t> all_days = days();
  const std::int64_t cut = all_days[all_days.size() / 2];
  const nlohmann::json later = events_body(dashboard_->summary({{"from", common::format_day(cut)}}));
  expect_same_events(later["events"],
                     events_of_rows("later", [&](const EventRow& row) { return row.day >= cut; }),
                     dashboard_->full_summary()["events"]["audit"]);
  const nlohmann::json earlier = events_body(dashboard_->summary({{"to", common::format_day(cut)}}));
  expect_same_events(earlier["events"],
                     events_of_rows("earlier", [&](const EventRow& row) { return row.day <= cut; }),
                     dashboard_->full_summary()["events"]["audit"]);
  EXPECT_EQ(earlier["filter"], (nlohmann::json{{"to", common::format_day(cut)}}));
}

TEST_F(EventsDashboardTest, CategoryViewEqualsEventsOnThatCategorysRows) {
  // The second most viewed category: with carts, so the funnel has more than one level.
  const nlohmann::json& categories = dashboard_->filter_choices()["categories"];
  ASSERT_GE(categories.size(), 3u);
  for (std::size_t pick : {std::size_t{0}, std::size_t{2}}) {
    const std::string category = categories[pick];
    const server::Reply reply = dashboard_->summary({{"category", category}});
    ASSERT_EQ(reply.status, 200) << reply.body;
    const nlohmann::json view = events_body(reply);
    const nlohmann::json expected =
        events_of_rows("category", [&](const EventRow& row) { return row.category == category; });
    expect_same_events(view["events"], expected, dashboard_->full_summary()["events"]["audit"]);
    EXPECT_EQ(view["filter"], (nlohmann::json{{"category", category}}));
    ASSERT_EQ(view["events"]["categories"].size(), 1u);
    EXPECT_EQ(view["events"]["categories"][0]["key"], category);
  }
}

TEST_F(EventsDashboardTest, DaysAndCategoryTogetherEqualEventsOnTheirIntersection) {
  const std::vector<std::int64_t> all_days = days();
  const std::string category = dashboard_->filter_choices()["categories"][1];
  const std::int64_t from = all_days[1];
  const std::int64_t to = all_days[all_days.size() - 2];
  const server::Reply reply = dashboard_->summary(
      {{"from", common::format_day(from)}, {"to", common::format_day(to)}, {"category", category}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const nlohmann::json expected = events_of_rows("both", [&](const EventRow& row) {
    return row.category == category && from <= row.day && row.day <= to;
  });
  expect_same_events(events_body(reply)["events"], expected,
                     dashboard_->full_summary()["events"]["audit"]);
}

TEST_F(EventsDashboardTest, FilterChoicesAreTheLogsDaysAndItsMostViewedCategories) {
  const nlohmann::json& choices = dashboard_->filter_choices();
  EXPECT_EQ(choices["kind"], "behavior_log");
  EXPECT_EQ(choices["filters"], true);
  const std::vector<std::int64_t> all_days = days();
  EXPECT_EQ(choices["from"], common::format_day(all_days.front()));
  EXPECT_EQ(choices["to"], common::format_day(all_days.back()));
  // pv per category from the raw rows; the list: most pv first, ties by name.
  std::map<std::string, std::int64_t> pv;
  for (const EventRow& row : rows_) pv[row.category] += row.behavior == "pv" ? 1 : 0;
  std::vector<std::pair<std::int64_t, std::string>> ranked;
  for (const auto& [category, views] : pv) ranked.push_back({-views, category});
  std::sort(ranked.begin(), ranked.end());
  EXPECT_EQ(choices["categories_total"], pv.size());
  const std::size_t listed = std::min(pv.size(), server::EventsDashboard::kListedCategories);
  ASSERT_EQ(choices["categories"].size(), listed);
  ASSERT_LT(listed, pv.size()) << "the sample should have more categories than are listed";
  for (std::size_t i = 0; i < listed; ++i) EXPECT_EQ(choices["categories"][i], ranked[i].second);
  // A category beyond the list is still a category of the log.
  const std::string unlisted = ranked.back().second;
  EXPECT_EQ(dashboard_->summary({{"category", unlisted}}).status, 200);
}

TEST_F(EventsDashboardTest, BadQueriesAre400AndEmptyViews422) {
  const server::Reply unknown = dashboard_->summary({{"category", "no-such-category"}});
  EXPECT_EQ(unknown.status, 400);
  const std::string message = events_body(unknown)["error"];
  EXPECT_NE(message.find("unknown category 'no-such-category'"), std::string::npos) << message;
  // It lists the most viewed ones.
  EXPECT_NE(message.find(dashboard_->filter_choices()["categories"][0].get<std::string>()),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("more)"), std::string::npos) << message;
  EXPECT_EQ(dashboard_->summary({{"from", "2017-13-01"}}).status, 400);
  EXPECT_EQ(dashboard_->summary({{"to", "yesterday"}}).status, 400);
  const server::Reply reversed =
      dashboard_->summary({{"from", "2017-12-01"}, {"to", "2017-11-30"}});
  EXPECT_EQ(reversed.status, 400);
  EXPECT_NE(reversed.body.find("after"), std::string::npos) << reversed.body;
  EXPECT_EQ(dashboard_->summary({{"country", "China"}}).status, 400);
  EXPECT_EQ(dashboard_->summary({{"from", "2017-11-26"}, {"from", "2017-11-27"}}).status, 400);
  EXPECT_EQ(dashboard_->report({{"lang", "fr"}}).status, 400);
  // Days without an event: nothing to analyse.
  const server::Reply empty = dashboard_->summary({{"from", "2020-01-01"}});
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(events_body(empty)["error"], "no event matches the filter");
  EXPECT_EQ(dashboard_->report({{"to", "2001-01-01"}}).status, 422);
  // An empty value means "all".
  EXPECT_EQ(events_body(dashboard_->summary({{"category", ""}, {"from", ""}})),
            dashboard_->full_summary());
}

TEST_F(EventsDashboardTest, ViewsAreCachedAndTheReportShowsTheFilter) {
  const server::QueryParams query = {{"from", "2017-11-27"}, {"category", "4145813"}};
  const nlohmann::json before = events_body(dashboard_->health());
  EXPECT_EQ(before["kind"], "behavior_log");
  EXPECT_EQ(before["events"], rows_.size());
  const server::Reply first = dashboard_->summary(query);
  ASSERT_EQ(first.status, 200) << first.body;
  const server::Reply again = dashboard_->summary(query);
  EXPECT_EQ(again.body, first.body);
  const server::Reply model = dashboard_->report(query);
  ASSERT_EQ(model.status, 200) << model.body;
  const nlohmann::json after = events_body(dashboard_->health());
  EXPECT_EQ(after["cache"]["misses"].get<int>(), before["cache"]["misses"].get<int>() + 1);
  EXPECT_EQ(after["cache"]["hits"].get<int>(), before["cache"]["hits"].get<int>() + 2);
  // The KPI section says which view it is, in the page's language and in Chinese.
  const auto findings = [](const nlohmann::json& report) {
    for (const auto& section : report["sections"]) {
      if (section["id"] == "events_kpis") return section["findings"].dump();
    }
    return std::string();
  };
  const std::string en = findings(events_body(model));
  EXPECT_NE(en.find("Filtered view: local days from 2017-11-27, category 4145813"),
            std::string::npos)
      << en;
  server::QueryParams zh_query = query;
  zh_query.insert({"lang", "zh"});
  const std::string zh = findings(events_body(dashboard_->report(zh_query)));
  EXPECT_NE(zh.find("筛选视图"), std::string::npos) << zh;
  EXPECT_EQ(findings(events_body(dashboard_->report({}))).find("Filtered view"), std::string::npos);
}

// Dropped duplicates stay dropped in every view, and the audit still counts the whole file.
TEST(EventsDashboardDedupTest, ViewsOfADeduplicatedLogEqualEventsDedupOnTheirRows) {
  const std::string file = std::string(CUSTLENS_TEST_DATA) + "/events_audit_headerless.csv";
  server::EventsDashboardData data;
  data.full = load_log(file, true);
  const server::EventsDashboard dashboard(std::move(data), Lang::kEn);
  const nlohmann::json& audit = dashboard.full_summary()["events"]["audit"];
  ASSERT_GT(audit["duplicates"].get<int>(), 0);
  ASSERT_GT(audit["malformed"].get<int>(), 0);
  // The lines the scan keeps (duplicates included): five fields, a user, a numeric timestamp,
  // one of the four behaviours (trimmed).
  const std::set<std::string> behaviors = {"pv", "fav", "cart", "buy"};
  const auto kept = [&](const EventRow& row) {
    const std::size_t first = row.behavior.find_first_not_of(' ');
    const std::string behavior =
        first == std::string::npos
            ? ""
            : row.behavior.substr(first, row.behavior.find_last_not_of(' ') - first + 1);
    return row.day != 0 && row.line.front() != ',' && behaviors.contains(behavior);
  };
  // The category of a repeated kept line: its view holds duplicates to drop.
  std::string category;
  std::set<std::string> seen;
  for (const EventRow& row : read_rows(file)) {
    if (kept(row) && !seen.insert(row.line).second) category = row.category;
  }
  ASSERT_FALSE(category.empty());
  const server::Reply reply = dashboard.summary({{"category", category}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const fs::path dir =
      fs::temp_directory_path() / fmt::format("custlens_events_dedup_{}", ::getpid());
  fs::create_directories(dir);
  // Only the kept lines: a file of rejects alone would not read as the Taobao layout, and they
  // change only the audit, the whole file's in the view.
  std::string text;
  for (const EventRow& row : read_rows(file)) {
    if (row.category == category && kept(row)) text += row.line + "\n";
  }
  std::ofstream(dir / "rows.csv", std::ios::binary) << text;
  std::vector<std::string> steps;
  for (const auto& step : dashboard.full_summary()["events"]["funnel"]["steps"]) {
    steps.push_back(step["step"]);
  }
  const std::string command =
      fmt::format("'{}' events '{}' {} --dedup --funnel {} >'{}' 2>/dev/null", CUSTLENS_BIN,
                  (dir / "rows.csv").string(), kEventsCliOptions, fmt::join(steps, ","),
                  (dir / "rows.json").string());
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(dir / "rows.json", std::ios::binary);
  const nlohmann::json expected = nlohmann::json::parse(in, nullptr, false);
  expect_same_events(events_body(reply)["events"], expected, audit);
  EXPECT_GT(expected["audit"]["duplicates"].get<int>(), 0);
  fs::remove_all(dir);
}

TEST(EventsDashboardFiltersOffTest, ServesTheStoredSummaryAndRefusesViews) {
  server::EventsDashboardData data;
  data.summary = {{"input", {{"kind", "behavior_log"}, {"files", {"gone.csv"}}}},
                  {"events",
                   {{"days", {{{"day", "2017-11-25"}}, {{"day", "2017-11-30"}}}},
                    {"categories", {{{"key", "7"}}, {{"key", "9"}}}}}}};
  data.why_no_filters = "gone.csv is not there";
  const server::EventsDashboard dashboard(std::move(data), Lang::kEn);
  const nlohmann::json& choices = dashboard.filter_choices();
  EXPECT_EQ(choices["filters"], false);
  EXPECT_EQ(choices["why_no_filters"], "gone.csv is not there");
  EXPECT_EQ(choices["from"], "2017-11-25");
  EXPECT_EQ(choices["to"], "2017-11-30");
  EXPECT_EQ(choices["categories"], (nlohmann::json{"7", "9"}));
  EXPECT_EQ(dashboard.summary({}).status, 200);
  EXPECT_EQ(dashboard.summary({{"category", "7"}}).status, 409);
  EXPECT_EQ(dashboard.report({{"from", "2017-11-26"}}).status, 409);
  EXPECT_EQ(dashboard.summary({{"from", "bad"}}).status, 400);
  EXPECT_EQ(events_body(dashboard.health())["filters"], false);
}

}  // namespace
}  // namespace custlens
