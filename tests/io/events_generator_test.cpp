#include "io/events_generator.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "custlens/error.h"
#include "support/order_csv.h"
#include "support/temp_dir.h"

namespace custlens::io {
namespace {

constexpr std::int64_t kShanghaiOffset = 8 * 3600;
constexpr std::int64_t kSessionBreakSeconds = 30 * 60;  // a longer pause starts a new session

struct EventRow {
  std::int64_t user = 0, item = 0, category = 0, timestamp = 0;
  std::string behaviour;
};

bool parse_integer(std::string_view text, std::int64_t& value) {
  if (text.empty()) return false;
  value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
}

// Splits the generated text into well-formed rows and counts the malformed ones (a wrong field
// count, a timestamp that is not a number, an empty behaviour).
struct ParsedLog {
  std::vector<EventRow> rows;
  std::int64_t lines = 0;
  std::int64_t malformed = 0;
  std::int64_t duplicates = 0;  // lines equal to an earlier line
};

ParsedLog parse_log(const std::string& text) {
  ParsedLog log;
  std::unordered_set<std::string_view> seen;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = text.find('\n', begin);
    const std::string_view line(text.data() + begin, end - begin);
    begin = end + 1;
    ++log.lines;
    if (!seen.insert(line).second) ++log.duplicates;
    std::vector<std::string_view> fields;
    std::size_t from = 0;
    while (true) {
      const std::size_t comma = line.find(',', from);
      fields.push_back(line.substr(from, comma - from));
      if (comma == std::string_view::npos) break;
      from = comma + 1;
    }
    EventRow row;
    if (fields.size() != 5 || fields[3].empty() || !parse_integer(fields[0], row.user) ||
        !parse_integer(fields[1], row.item) || !parse_integer(fields[2], row.category) ||
        !parse_integer(fields[4], row.timestamp)) {
      ++log.malformed;
      continue;
    }
    row.behaviour = std::string(fields[3]);
    log.rows.push_back(std::move(row));
  }
  return log;
}

EventsGeneratorOptions events_options_for(std::int64_t rows, std::uint64_t seed = 42) {
  EventsGeneratorOptions options;
  options.rows = rows;
  options.seed = seed;
  return options;
}

class EventsGeneratorTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }
  std::string generate(const std::string& name, const EventsGeneratorOptions& options) {
    stats_ = generate_events(path(name), options);
    return testing::read_file(path(name));
  }
  testing::TempDir dir_;
  EventsGeneratorStats stats_;
};

TEST_F(EventsGeneratorTest, WritesExactRowCountGroupedByUserInTimeOrder) {
  for (const std::int64_t rows : {1, 7, 1000, 70001}) {
    const std::string text = generate("a.csv", events_options_for(rows));
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), rows);
    EXPECT_EQ(stats_.rows, rows);
    EXPECT_EQ(stats_.users, std::max<std::int64_t>(1, rows / 100));
    EXPECT_EQ(stats_.bytes, text.size());
    const ParsedLog log = parse_log(text);
    // Malformed rows never fall in the head the reader samples.
    EXPECT_EQ(log.malformed, 0) << rows;
    const std::int64_t first = 1511539200;  // 2017-11-25 00:00 in Asia/Shanghai
    std::set<std::int64_t> users;
    for (std::size_t i = 0; i < log.rows.size(); ++i) {
      const EventRow& row = log.rows[i];
      users.insert(row.user);
      ASSERT_GE(row.timestamp, first) << i;
      ASSERT_LT(row.timestamp, first + 9 * 86400) << i;
      ASSERT_TRUE(row.behaviour == "pv" || row.behaviour == "fav" || row.behaviour == "cart" ||
                  row.behaviour == "buy")
          << row.behaviour;
      if (i == 0) continue;
      const EventRow& before = log.rows[i - 1];
      ASSERT_LE(before.user, row.user) << i;  // grouped by user, ids rising
      if (before.user == row.user) ASSERT_LE(before.timestamp, row.timestamp) << i;
    }
    // Every user of the pool has at least one row, ids 1 .. users.
    EXPECT_EQ(static_cast<std::int64_t>(users.size()), stats_.users);
    EXPECT_EQ(*users.begin(), 1);
    EXPECT_EQ(*users.rbegin(), stats_.users);
  }
}

TEST_F(EventsGeneratorTest, UsersStartAndDaysAreHonoured) {
  auto options = events_options_for(5000, 3);
  options.users = 5000;  // one event each
  options.start = "2020-02-28";
  options.days = 2;
  const ParsedLog log = parse_log(generate("b.csv", options));
  ASSERT_EQ(log.rows.size() + static_cast<std::size_t>(log.malformed), 5000u);
  EXPECT_EQ(stats_.users, 5000);
  const std::int64_t first = 1582819200;  // 2020-02-28 00:00 UTC+8
  std::set<std::int64_t> local_days;
  for (const EventRow& row : log.rows) {
    ASSERT_GE(row.timestamp, first);
    ASSERT_LT(row.timestamp, first + 2 * 86400);
    local_days.insert((row.timestamp + kShanghaiOffset) / 86400);
  }
  EXPECT_EQ(local_days.size(), 2u);
}

TEST_F(EventsGeneratorTest, SameOptionsGiveSameBytesForEveryThreadCount) {
  // 200,000 rows span several parallel chunks, so chunk order and boundaries are exercised.
  auto options = events_options_for(200000, 7);
  options.threads = 1;
  const std::string one = generate("t1.csv", options);
  options.threads = 3;
  EXPECT_EQ(one, generate("t3.csv", options));
  options.seed = 8;
  EXPECT_NE(one, generate("s8.csv", options));
  options.seed = 7;
  options.users = 1500;
  EXPECT_NE(one, generate("u.csv", options));
}

TEST_F(EventsGeneratorTest, BadOptionsAreErrors) {
  const auto expect_error = [&](const EventsGeneratorOptions& options, const std::string& text) {
    try {
      generate_events(path("x.csv"), options);
      ADD_FAILURE() << "no error for " << text;
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(text), std::string::npos) << error.what();
    }
  };
  expect_error(events_options_for(0), "--rows must be a positive number");
  expect_error(events_options_for(-3), "--rows must be a positive number");
  auto options = events_options_for(100);
  options.users = 101;
  expect_error(options, "--users must be between 1 and --rows (100)");
  options.users = -1;
  expect_error(options, "--users must be between 1 and --rows");
  options = events_options_for(100000);
  options.users = 5;
  expect_error(options, "use --users >= 10");
  options = events_options_for(100);
  options.days = 0;
  expect_error(options, "--days must be between 1 and 3660");
  options.days = 9;
  for (const char* start : {"2017-13-01", "2017-02-30", "25/11/2017", "2017-1-25", "x"}) {
    options.start = start;
    expect_error(options, "--start must be a date YYYY-MM-DD");
  }
  EXPECT_THROW(generate_events(path("no/such/dir/x.csv"), events_options_for(10)), Error);
  EXPECT_THROW(generate_events(dir_.path().string(), events_options_for(10)), Error);  // a folder
  EXPECT_FALSE(std::filesystem::exists(path("x.csv")));
}

TEST_F(EventsGeneratorTest, MalformedAndDuplicateRowsComeAtTheirRates) {
  // 1,000,000 rows: ~10 malformed rows (rate 1e-5) and ~100 duplicates of the row before (1e-4).
  const std::string text = generate("dirty.csv", events_options_for(1000000, 5));
  std::int64_t lines = 0, malformed = 0, repeats = 0;
  std::string_view previous;
  std::set<std::string> kinds;
  for (std::size_t begin = 0; begin < text.size();) {
    const std::size_t end = text.find('\n', begin);
    const std::string_view line(text.data() + begin, end - begin);
    begin = end + 1;
    ++lines;
    if (line == previous) ++repeats;
    previous = line;
    const auto fields = std::count(line.begin(), line.end(), ',') + 1;
    const std::string_view timestamp = line.substr(line.rfind(',') + 1);
    if (fields != 5) {
      kinds.insert("fields");
    } else if (line.find(",,") != std::string_view::npos) {
      kinds.insert("behaviour");
    } else if (timestamp.find_first_not_of("0123456789") != std::string_view::npos) {
      kinds.insert("timestamp");
    } else {
      continue;
    }
    ++malformed;
  }
  EXPECT_EQ(lines, 1000000);
  EXPECT_GE(malformed, 2);
  EXPECT_LE(malformed, 25);
  EXPECT_EQ(kinds.size(), 3u);
  EXPECT_GE(repeats, 60);
  EXPECT_LE(repeats, 150);
}

// The realism targets stated in events_generator.cpp, on 200,000 rows from 2,000 users.
class EventsGeneratorShapeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::TempDir dir;
    const std::string file = (dir.path() / "shape.csv").string();
    generate_events(file, events_options_for(200000, 42));
    log_ = new ParsedLog(parse_log(testing::read_file(file)));
  }
  static void TearDownTestSuite() {
    delete log_;
    log_ = nullptr;
  }
  static const std::vector<EventRow>& rows() { return log_->rows; }
  // Rows of each user, in file order (time order), as [first, last) ranges.
  static std::vector<std::pair<std::size_t, std::size_t>> user_ranges() {
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    for (std::size_t i = 0; i < rows().size(); ++i) {
      if (i == 0 || rows()[i].user != rows()[i - 1].user) ranges.emplace_back(i, i);
      ranges.back().second = i + 1;
    }
    return ranges;
  }
  static ParsedLog* log_;
};
ParsedLog* EventsGeneratorShapeTest::log_ = nullptr;

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

TEST_F(EventsGeneratorShapeTest, BehaviourMixIsNearTheRealSet) {
  ASSERT_GE(rows().size(), 199900u);
  EXPECT_EQ(log_->lines, 200000);
  EXPECT_LE(log_->duplicates, 60);  // ~20 expected at 1e-4
  std::map<std::string, double> share;
  for (const EventRow& row : rows())
    share[row.behaviour] += 1.0 / static_cast<double>(rows().size());
  EXPECT_EQ(share.size(), 4u);
  EXPECT_NEAR(share["pv"], 0.89, 0.015);
  EXPECT_NEAR(share["cart"], 0.055, 0.008);
  EXPECT_NEAR(share["fav"], 0.03, 0.006);
  EXPECT_NEAR(share["buy"], 0.02, 0.005);
}

TEST_F(EventsGeneratorShapeTest, UsersHaveSessionsOverSeveralDaysAndVaryInActivity) {
  std::vector<double> gaps, sessions, days, events;
  for (const auto& [first, last] : user_ranges()) {
    events.push_back(static_cast<double>(last - first));
    std::set<std::int64_t> local_days;
    int user_sessions = 1;
    for (std::size_t i = first; i < last; ++i) {
      local_days.insert((rows()[i].timestamp + kShanghaiOffset) / 86400);
      if (i == first) continue;
      const std::int64_t gap = rows()[i].timestamp - rows()[i - 1].timestamp;
      if (gap > kSessionBreakSeconds) {
        ++user_sessions;
      } else {
        gaps.push_back(static_cast<double>(gap));
      }
    }
    sessions.push_back(user_sessions);
    days.push_back(static_cast<double>(local_days.size()));
  }
  // Bursts: events inside a session are seconds to minutes apart.
  EXPECT_GT(median(gaps), 20);
  EXPECT_LT(median(gaps), 180);
  // Several sessions per user, on several of the nine days.
  EXPECT_GE(median(sessions), 5);
  EXPECT_GE(median(days), 4);
  // Activity: 100 events per user on average, heavy-tailed.
  EXPECT_EQ(events.size(), 2000u);
  std::sort(events.rbegin(), events.rend());
  double top = 0, all = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    all += events[i];
    if (i < events.size() / 10) top += events[i];
  }
  EXPECT_NEAR(all / static_cast<double>(events.size()), 100, 0.01);
  EXPECT_GT(top / all, 0.22);  // equal activity would give 0.10
  EXPECT_GT(events.front(), 5 * median(events));
  EXPECT_LT(events.back(), 0.3 * median(events));
}

TEST_F(EventsGeneratorShapeTest, UsersConcentrateOnFewCategoriesAndItemsAreHeavyTailed) {
  std::unordered_map<std::int64_t, std::int64_t> item_category;
  std::unordered_map<std::int64_t, double> item_events;
  std::set<std::int64_t> categories;
  for (const EventRow& row : rows()) {
    const auto [it, inserted] = item_category.emplace(row.item, row.category);
    ASSERT_EQ(it->second, row.category) << "item " << row.item << " in two categories";
    item_events[row.item] += 1;
    categories.insert(row.category);
  }
  EXPECT_GE(categories.size(), 80u);

  std::vector<double> top3_share;
  for (const auto& [first, last] : user_ranges()) {
    if (last - first < 30) continue;
    std::unordered_map<std::int64_t, double> counts;
    for (std::size_t i = first; i < last; ++i) counts[rows()[i].category] += 1;
    std::vector<double> sorted;
    for (const auto& [category, count] : counts) sorted.push_back(count);
    std::sort(sorted.rbegin(), sorted.rend());
    double top = 0;
    for (std::size_t j = 0; j < std::min<std::size_t>(3, sorted.size()); ++j) top += sorted[j];
    top3_share.push_back(top / static_cast<double>(last - first));
  }
  EXPECT_GT(top3_share.size(), 1000u);
  EXPECT_GT(median(top3_share), 0.5);

  std::vector<double> counts;
  for (const auto& [item, count] : item_events) counts.push_back(count);
  std::sort(counts.rbegin(), counts.rend());
  double top = 0, all = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    all += counts[i];
    if (i < counts.size() / 100) top += counts[i];
  }
  EXPECT_GT(top / all, 0.10);
  EXPECT_GT(counts.front(), 50 * median(counts));
}

TEST_F(EventsGeneratorShapeTest, ActionsFollowViewsOfTheSameItem) {
  // Per behaviour: how many events had a pv (or, for buys, a pv or cart) of the same item by
  // the same user earlier in the same session.
  std::map<std::string, std::pair<double, double>> preceded;  // behaviour -> (preceded, all)
  for (const auto& [first, last] : user_ranges()) {
    std::size_t session_first = first;
    for (std::size_t i = first; i < last; ++i) {
      const EventRow& row = rows()[i];
      if (i > first && row.timestamp - rows()[i - 1].timestamp > kSessionBreakSeconds) {
        session_first = i;
      }
      if (row.behaviour == "pv") continue;
      bool found = false;
      for (std::size_t j = session_first; j < i && !found; ++j) {
        found = rows()[j].item == row.item &&
                (rows()[j].behaviour == "pv" ||
                 (row.behaviour == "buy" && rows()[j].behaviour == "cart"));
      }
      preceded[row.behaviour].first += found ? 1 : 0;
      preceded[row.behaviour].second += 1;
    }
  }
  EXPECT_GT(preceded["cart"].first / preceded["cart"].second, 0.75);
  EXPECT_GT(preceded["fav"].first / preceded["fav"].second, 0.75);
  EXPECT_GT(preceded["buy"].first / preceded["buy"].second, 0.6);
}

TEST_F(EventsGeneratorShapeTest, LocalDailyRhythmIsQuietAtNightAndPeaksInTheEvening) {
  std::array<double, 24> hours{};
  for (const EventRow& row : rows()) {
    hours[static_cast<std::size_t>((row.timestamp + kShanghaiOffset) % 86400 / 3600)] += 1;
  }
  const auto peak = std::max_element(hours.begin(), hours.end()) - hours.begin();
  const auto low = std::min_element(hours.begin(), hours.end()) - hours.begin();
  EXPECT_GE(peak, 20);
  EXPECT_LE(peak, 22);
  EXPECT_GE(low, 2);
  EXPECT_LE(low, 6);
  const double all = static_cast<double>(rows().size());
  EXPECT_LT((hours[2] + hours[3] + hours[4] + hours[5]) / all, 0.06);
  EXPECT_GT((hours[19] + hours[20] + hours[21] + hours[22]) / all, 0.25);
}

}  // namespace
}  // namespace custlens::io
