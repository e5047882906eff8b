// The synthetic behaviour-log generator: a seeded model of shoppers on a Taobao-like site (users,
// categories, items, a local-time calendar) and the parallel, deterministic writer of their
// events in the headerless Taobao UserBehavior layout.
//
// Shape targets, after the public UserBehavior set (100 M events, ~1 M users, 4.2 M items, 9,439
// categories, 2017-11-25 .. 2017-12-03; checked in tests/io/events_generator_test.cpp):
//   - the file grouped by user (ids rising), each user's rows in time order;
//   - behaviour mix pv ~89 %, cart ~5.5 %, fav ~3 %, buy ~2 %;
//   - sessions: bursts of events seconds to minutes apart (median gap ~1 min), several sessions
//     per user spread over the days;
//   - category affinity: a user's events concentrate on a few categories (the top 3 hold over
//     half of a typical user's events); each item belongs to one category; item popularity is
//     heavy-tailed (the top 1 % of items draw well over 10 % of events);
//   - carts and favourites mostly (~80 %) follow a pv of the same item in the same session,
//     buys mostly follow a pv or a cart of the item, so funnels convert realistically;
//   - a local daily rhythm in Asia/Shanghai (UTC+8): quiet at 2-6 h, the evening peak at 20-22 h;
//   - users of varying activity: events per user lognormal (mean rows / users), heavy-tailed;
//   - ~1e-5 malformed rows (4 fields, a garbled timestamp, an empty behaviour) and ~1e-4 exact
//     duplicates of the row before, so the cleaning audit has something to count.
#include "io/events_generator.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <string_view>
#include <vector>

#include "common/calendar.h"
#include "custlens/error.h"
#include "io/chunked_writer.h"
#include "io/generator_random.h"

namespace custlens::io {
namespace {

using generator::AliasTable;
using generator::Rng;

// Independent streams: the catalogue, the calendar and one per user.
enum class Stream : std::uint64_t { kCatalog = 11, kCalendar = 12, kUser = 13 };

std::uint64_t stream_seed(std::uint64_t seed, Stream stream, std::uint64_t index = 0) {
  return generator::stream_seed(seed, static_cast<std::uint64_t>(stream), index);
}

// ---------------------------------------------------------------------------------------------
// The model.

constexpr std::int64_t kEventsPerUser = 100;  // default users = rows / 100, as in the real set
// Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact.
constexpr std::int64_t kLocalOffsetSeconds = 8 * 3600;
constexpr int kMaxDays = 3660;
// Catalogue size from the real set's ratios: 4.16 M items for 0.99 M users, ~440 per category.
constexpr double kItemsPerUser = 4.2;
constexpr double kItemsPerCategory = 440;
constexpr std::int64_t kMinItems = 1000, kMaxItems = 20'000'000;
constexpr std::int64_t kMinCategories = 100, kMaxCategories = 10'000;
// Id ranges of the real set: item and category ids scattered over 1 .. ~5.16 M.
constexpr std::uint64_t kItemIdRange = 5'163'070, kCategoryIdRange = 5'162'429;

// Events per user: weight exp(sigma * Z), clipped at kMaxActivityRatio times the mean so one
// user's rows (formatted in one piece) stay bounded; with at most kMaxMeanEventsPerUser on
// average, no user exceeds ~400,000 rows.
constexpr double kUserActivitySigma = 0.8;
constexpr double kMaxActivityRatio = 40;
constexpr std::int64_t kMaxMeanEventsPerUser = 10'000;

// Behaviour mix per event (pv is the rest), scaled per user by a propensity of mean 1.
constexpr double kCartRate = 0.055, kFavRate = 0.03, kBuyRate = 0.02;
constexpr double kPropensitySigma = 0.6;
// How an action (cart, fav, buy) picks its item.
constexpr double kActionOnViewedItem = 0.92;  // an item viewed earlier in the session
constexpr double kActionOnLatestView = 0.7;   // ... the latest one (else any viewed one)
constexpr double kBuyFromCart = 0.3;          // a buy of an item carted before (any session)
constexpr double kRevisit = 0.2;              // a pv re-viewing an item of this session

// Sessions: 1 + geometric(mean kSessionExtraEvents) events, gaps lognormal (median ~50 s).
constexpr double kSessionExtraEvents = 5;
constexpr double kGapMedianSeconds = 50, kGapSigma = 1.0, kGapMaxSeconds = 1200;
// Category affinity: 2..6 favourite categories weighted 1, 1/2, 1/3, ...; a session picks one
// of them with kAffinityShare, else any category by popularity; an event switches category
// with kCategorySwitch.
constexpr std::uint32_t kMinAffinity = 2, kAffinitySpread = 5;
constexpr double kAffinityShare = 0.6;
constexpr double kCategorySwitch = 0.15;

// Local hour weights (Asia/Shanghai): quiet at night, a lunch shoulder, the evening peak.
constexpr std::array<double, 24> kHourWeights{4.5, 2.5, 1.4, 1.0, 0.8, 0.9, 1.6, 2.8,
                                              3.6, 4.1, 4.7, 4.7, 4.8, 5.0, 4.9, 5.0,
                                              5.0, 4.8, 4.8, 5.7, 6.9, 7.7, 7.5, 6.0};
constexpr double kWeekendFactor = 1.12;
constexpr double kDayNoiseSigma = 0.05;

// Dirty rows, per row; malformed ones never among the first kCleanHeadRows rows, which the
// reader samples to recognise the headerless layout.
constexpr double kMalformedRate = 1e-5;
constexpr double kDuplicateRate = 1e-4;
constexpr std::int64_t kCleanHeadRows = 1000;

constexpr std::int64_t kChunkRows = 1 << 16;  // unit of parallel work; fixed, not per thread

enum Behaviour : std::uint8_t { kPv, kFav, kCart, kBuy };
constexpr std::array<std::string_view, 4> kBehaviourNames{"pv", "fav", "cart", "buy"};

struct Model {
  std::int64_t users = 0;
  std::int64_t items = 0;
  std::vector<std::uint32_t> category_ids;
  std::vector<std::uint32_t> category_first_item;  // items of category c: [first[c], first[c+1])
  std::vector<AliasTable> item_pick;               // per category, over its items
  AliasTable category_pick;
  std::uint64_t item_multiplier = 1, item_offset = 0, item_range = 1;
  AliasTable calendar_pick;                                 // over local (day, hour) cells
  std::int64_t first_second = 0;                            // UTC of the first local midnight
  std::int64_t end_second = 0;                              // one past the last second
  std::vector<std::int64_t> user_end;                       // cumulative rows after each user
  std::vector<std::pair<std::size_t, std::size_t>> chunks;  // [first, last) users
};

std::uint64_t coprime_multiplier(std::uint64_t range, std::uint64_t start) {
  std::uint64_t m = start % range;
  while (m < 2 || std::gcd(m, range) != 1) m = (m + 1) % range;
  return m;
}

std::int64_t parse_start_day(const std::string& text) {
  const auto digits = [&](std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    const int year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
    if (year >= 1971 && month >= 1 && month <= 12 && day >= 1) {
      const std::int64_t days = common::days_from_civil(year, month, day);
      const common::CivilDate back = common::civil_from_days(days);
      if (back.month == month && back.day == day) return days;  // not 2017-02-30
    }
  }
  throw Error(fmt::format("--start must be a date YYYY-MM-DD, got '{}'", text));
}

void build_catalog(Model& model, std::uint64_t seed) {
  Rng rng(stream_seed(seed, Stream::kCatalog));
  model.items = std::clamp<std::int64_t>(
      std::llround(kItemsPerUser * static_cast<double>(model.users)), kMinItems, kMaxItems);
  const std::int64_t categories =
      std::clamp<std::int64_t>(std::llround(static_cast<double>(model.items) / kItemsPerCategory),
                               kMinCategories, kMaxCategories);

  // Category popularity Zipf-like; big categories also hold more items (~ sqrt of popularity).
  std::vector<double> popularity(static_cast<std::size_t>(categories));
  std::vector<double> size_weight(popularity.size());
  double size_total = 0;
  for (std::size_t c = 0; c < popularity.size(); ++c) {
    popularity[c] = 1.0 / std::pow(static_cast<double>(c) + 3.0, 1.0);
    size_weight[c] = std::sqrt(popularity[c]);
    size_total += size_weight[c];
  }
  model.category_pick = AliasTable(popularity);
  const auto free_items = static_cast<double>(model.items - categories);  // each gets one
  double cumulative = 0;
  model.category_first_item.push_back(0);
  for (std::size_t c = 0; c < popularity.size(); ++c) {
    cumulative += size_weight[c];
    const auto end = static_cast<std::uint32_t>(static_cast<double>(c + 1) +
                                                std::llround(free_items * cumulative / size_total));
    model.category_first_item.push_back(
        c + 1 == popularity.size() ? static_cast<std::uint32_t>(model.items) : end);
  }
  // Item popularity inside a category: Zipf over its items, so a few items draw most views.
  std::vector<double> weights;
  for (std::size_t c = 0; c < popularity.size(); ++c) {
    const std::uint32_t size = model.category_first_item[c + 1] - model.category_first_item[c];
    weights.resize(size);
    for (std::uint32_t j = 0; j < size; ++j) weights[j] = 1.0 / (static_cast<double>(j) + 2.0);
    model.item_pick.emplace_back(weights);
  }

  // Ids scattered over the real set's ranges by a bijection i -> (i * m + offset) mod range.
  const std::uint64_t category_range =
      std::max<std::uint64_t>(kCategoryIdRange, 2 * static_cast<std::uint64_t>(categories));
  const std::uint64_t category_multiplier = coprime_multiplier(category_range, rng.next());
  const std::uint64_t category_offset = rng.next() % category_range;
  for (std::uint64_t c = 0; c < static_cast<std::uint64_t>(categories); ++c) {
    model.category_ids.push_back(static_cast<std::uint32_t>(
        1 + (c * category_multiplier + category_offset) % category_range));
  }
  model.item_range =
      std::max<std::uint64_t>(kItemIdRange, static_cast<std::uint64_t>(model.items) * 5 / 4);
  model.item_multiplier = coprime_multiplier(model.item_range, rng.next());
  model.item_offset = rng.next() % model.item_range;
}

void build_calendar(Model& model, std::int64_t first_day, int days, std::uint64_t seed) {
  Rng rng(stream_seed(seed, Stream::kCalendar));
  std::vector<double> cells;
  for (std::int64_t day = first_day; day < first_day + days; ++day) {
    const int weekday = common::weekday_from_days(day);
    const double day_weight =
        (weekday >= 5 ? kWeekendFactor : 1.0) * std::exp(kDayNoiseSigma * rng.normal());
    for (const double hour_weight : kHourWeights) cells.push_back(day_weight * hour_weight);
  }
  model.calendar_pick = AliasTable(cells);
  model.first_second = first_day * common::kSecondsPerDay - kLocalOffsetSeconds;
  model.end_second = model.first_second + days * common::kSecondsPerDay;
}

double activity_weight(std::uint64_t seed, std::size_t user, Rng& rng) {
  rng = Rng(stream_seed(seed, Stream::kUser, user));
  const double clip = kMaxActivityRatio * std::exp(kUserActivitySigma * kUserActivitySigma / 2);
  return std::min(clip, std::exp(kUserActivitySigma * rng.normal()));
}

// Each user gets one row, and the rest are shared in proportion to the activity weights by
// rounding the cumulative share: the total is exactly `rows`.
void plan_layout(Model& model, std::int64_t rows, std::uint64_t seed) {
  const auto users = static_cast<std::size_t>(model.users);
  std::vector<double> cumulative(users);
  double total = 0;
  Rng rng(0);
  for (std::size_t u = 0; u < users; ++u) {
    total += activity_weight(seed, u, rng);
    cumulative[u] = total;
  }
  const auto extra = static_cast<double>(rows - model.users);
  model.user_end.resize(users);
  std::int64_t chunk_start_rows = 0;
  std::size_t chunk_first = 0;
  for (std::size_t u = 0; u < users; ++u) {
    const std::int64_t end =
        u + 1 == users ? rows
                       : static_cast<std::int64_t>(u + 1) +
                             static_cast<std::int64_t>(std::floor(extra * cumulative[u] / total));
    model.user_end[u] = end;
    if (end - chunk_start_rows >= kChunkRows || u + 1 == users) {
      model.chunks.emplace_back(chunk_first, u + 1);
      chunk_first = u + 1;
      chunk_start_rows = end;
    }
  }
}

struct Event {
  std::int64_t offset = 0;  // seconds from its session's start
  std::uint32_t item = 0;
  std::uint32_t category = 0;
  Behaviour behaviour = kPv;
};

struct Session {
  std::int64_t start = 0;
  std::uint32_t first = 0;  // index into the user's events
  std::uint32_t count = 0;
};

struct Seen {
  std::uint32_t item = 0;
  std::uint32_t category = 0;
};

// Per-chunk scratch, reused across the chunk's users so rows allocate nothing.
struct UserScratch {
  std::vector<Event> events;
  std::vector<Session> sessions;
  std::vector<Seen> viewed;  // this session's pv items
  std::vector<Seen> carted;  // the user's carted items not bought yet
  std::vector<std::uint32_t> affinity;
};

std::int64_t draw_gap(Rng& rng) {
  const double gap = kGapMedianSeconds * std::exp(kGapSigma * rng.normal());
  return std::clamp<std::int64_t>(std::llround(gap), 1, static_cast<std::int64_t>(kGapMaxSeconds));
}

std::uint32_t session_category(const Model& model, const UserScratch& scratch, Rng& rng) {
  if (rng.uniform() >= kAffinityShare) return model.category_pick.sample(rng);
  // Favourite j with weight 1 / (j + 1): draw by inverting the harmonic partial sums.
  const std::size_t k = scratch.affinity.size();
  double total = 0;
  for (std::size_t j = 0; j < k; ++j) total += 1.0 / static_cast<double>(j + 1);
  double x = rng.uniform() * total;
  for (std::size_t j = 0; j < k; ++j) {
    x -= 1.0 / static_cast<double>(j + 1);
    if (x < 0) return scratch.affinity[j];
  }
  return scratch.affinity[k - 1];
}

Seen new_item(const Model& model, std::uint32_t category, Rng& rng) {
  return {model.category_first_item[category] + model.item_pick[category].sample(rng), category};
}

// One session's events (offsets from its start), appended to scratch.events.
void make_session(const Model& model, std::uint32_t count, const std::array<double, 3>& rates,
                  UserScratch& scratch, Rng& rng) {
  scratch.viewed.clear();
  std::uint32_t category = session_category(model, scratch, rng);
  std::int64_t offset = 0;
  for (std::uint32_t e = 0; e < count; ++e) {
    if (e > 0) offset += draw_gap(rng);
    if (rng.uniform() < kCategorySwitch) category = session_category(model, scratch, rng);
    // A session opens with a view (a landing page); rates are raised to keep the mix.
    const double b = e == 0 ? 1.0 : rng.uniform();
    const Behaviour behaviour = b < rates[0]                         ? kCart
                                : b < rates[0] + rates[1]            ? kFav
                                : b < rates[0] + rates[1] + rates[2] ? kBuy
                                                                     : kPv;
    Seen seen;
    const double pick = rng.uniform();
    if (behaviour == kPv) {
      seen = !scratch.viewed.empty() && pick < kRevisit
                 ? scratch.viewed[rng.below(static_cast<std::uint32_t>(scratch.viewed.size()))]
                 : new_item(model, category, rng);
      if (scratch.viewed.size() < 64) scratch.viewed.push_back(seen);
    } else if (behaviour == kBuy && !scratch.carted.empty() && pick < kBuyFromCart) {
      const std::uint32_t i = rng.below(static_cast<std::uint32_t>(scratch.carted.size()));
      seen = scratch.carted[i];
      scratch.carted[i] = scratch.carted.back();
      scratch.carted.pop_back();
    } else if (!scratch.viewed.empty() && rng.uniform() < kActionOnViewedItem) {
      seen = rng.uniform() < kActionOnLatestView
                 ? scratch.viewed.back()
                 : scratch.viewed[rng.below(static_cast<std::uint32_t>(scratch.viewed.size()))];
    } else {
      seen = new_item(model, category, rng);  // from a list, the cart page or a link
    }
    if (behaviour == kCart && scratch.carted.size() < 32) scratch.carted.push_back(seen);
    scratch.events.push_back({offset, seen.item, seen.category, behaviour});
  }
}

// A user's events, laid out in time: sessions start at calendar draws, sorted, each after the
// previous one ends; a user too busy for the span has its gaps compressed.
void plan_user(const Model& model, std::int64_t rows, UserScratch& scratch, Rng& rng) {
  const double propensity =
      std::exp(kPropensitySigma * rng.normal() - kPropensitySigma * kPropensitySigma / 2);
  const double scale = std::min(propensity, 0.5 / (kCartRate + kFavRate + kBuyRate));
  const double later =
      scale * (1.0 + kSessionExtraEvents) / kSessionExtraEvents;  // see make_session
  const std::array<double, 3> rates{kCartRate * later, kFavRate * later, kBuyRate * later};
  scratch.affinity.clear();
  const std::uint32_t favourites = kMinAffinity + rng.below(kAffinitySpread);
  for (std::uint32_t j = 0; j < favourites; ++j) {
    scratch.affinity.push_back(model.category_pick.sample(rng));
  }

  scratch.events.clear();
  scratch.sessions.clear();
  scratch.carted.clear();
  const double stop = 1.0 / (1.0 + kSessionExtraEvents);  // geometric: P(no further event)
  while (std::ssize(scratch.events) < rows) {
    const double u = 1.0 - rng.uniform();
    const auto extra = static_cast<std::int64_t>(std::log(u) / std::log(1.0 - stop));
    const auto count = static_cast<std::uint32_t>(
        std::min<std::int64_t>(1 + extra, rows - std::ssize(scratch.events)));
    const std::int64_t cell = model.calendar_pick.sample(rng);
    const std::int64_t start = model.first_second + cell * 3600 + rng.below(3600);
    scratch.sessions.push_back({start, static_cast<std::uint32_t>(scratch.events.size()), count});
    make_session(model, count, rates, scratch, rng);
  }
  std::sort(scratch.sessions.begin(), scratch.sessions.end(),
            [](const Session& a, const Session& b) {
              return a.start != b.start ? a.start < b.start : a.first < b.first;
            });

  std::int64_t busy = 0;
  for (const Session& s : scratch.sessions) busy += scratch.events[s.first + s.count - 1].offset;
  const std::int64_t span = model.end_second - model.first_second;
  if (busy > span / 2) {
    const double squeeze = static_cast<double>(span / 2) / static_cast<double>(busy);
    for (Event& event : scratch.events) {
      event.offset = static_cast<std::int64_t>(static_cast<double>(event.offset) * squeeze);
    }
  }
  std::int64_t previous_end = model.first_second - kGapMaxSeconds;
  for (Session& s : scratch.sessions) {
    const std::int64_t duration = scratch.events[s.first + s.count - 1].offset;
    std::int64_t start = std::max(s.start, previous_end + draw_gap(rng));
    start = std::max(std::min(start, model.end_second - 1 - duration), previous_end);
    s.start = start;
    previous_end = start + duration;
  }
}

void write_user(const Model& model, std::size_t user, std::uint64_t seed, UserScratch& scratch,
                fmt::memory_buffer& out) {
  Rng rng(0);
  activity_weight(seed, user, rng);  // the planning draw, so the stream continues after it
  const std::int64_t first_row = user == 0 ? 0 : model.user_end[user - 1];
  const std::int64_t rows = model.user_end[user] - first_row;
  plan_user(model, rows, scratch, rng);

  fmt::basic_memory_buffer<char, 16> user_text;
  fmt::format_to(fmt::appender(user_text), FMT_COMPILE("{}"), user + 1);
  const std::string_view user_id(user_text.data(), user_text.size());
  std::int64_t row = first_row;
  std::size_t previous_start = out.size();
  for (const Session& s : scratch.sessions) {
    for (std::uint32_t e = s.first; e < s.first + s.count; ++e, ++row) {
      const Event& event = scratch.events[e];
      const std::int64_t timestamp = std::min(s.start + event.offset, model.end_second - 1);
      const std::uint64_t item_id =
          1 + (event.item * model.item_multiplier + model.item_offset) % model.item_range;
      const std::uint32_t category_id = model.category_ids[event.category];
      const std::string_view behaviour = kBehaviourNames[event.behaviour];
      const double dirt = rng.uniform();
      if (dirt < kMalformedRate && row >= kCleanHeadRows) {
        previous_start = out.size();
        switch (rng.below(3)) {
          case 0:  // a field lost
            fmt::format_to(fmt::appender(out), FMT_COMPILE("{},{},{},{}\n"), user_id, item_id,
                           behaviour, timestamp);
            break;
          case 1:  // a garbled timestamp
            fmt::format_to(fmt::appender(out), FMT_COMPILE("{},{},{},{},{}x{:05}\n"), user_id,
                           item_id, category_id, behaviour, timestamp / 100000, timestamp % 100000);
            break;
          default:  // an empty behaviour
            fmt::format_to(fmt::appender(out), FMT_COMPILE("{},{},{},,{}\n"), user_id, item_id,
                           category_id, timestamp);
        }
        continue;
      }
      if (row > first_row && dirt < kMalformedRate + kDuplicateRate) {  // the row before, again
        const std::size_t length = out.size() - previous_start;
        out.reserve(out.size() + length);
        const char* start = out.data() + previous_start;
        previous_start = out.size();
        out.append(start, start + length);
        continue;
      }
      previous_start = out.size();
      fmt::format_to(fmt::appender(out), FMT_COMPILE("{},{},{},{},{}\n"), user_id, item_id,
                     category_id, behaviour, timestamp);
    }
  }
}

}  // namespace

std::int64_t default_event_users(std::int64_t rows) {
  return std::max<std::int64_t>(1, rows / kEventsPerUser);
}

EventsGeneratorStats generate_events(const std::string& path,
                                     const EventsGeneratorOptions& options) {
  if (options.rows <= 0) {
    throw Error(fmt::format("--rows must be a positive number of events, got {}", options.rows));
  }
  const std::int64_t users = options.users == 0 ? default_event_users(options.rows) : options.users;
  const std::int64_t fewest_users =
      (options.rows + kMaxMeanEventsPerUser - 1) / kMaxMeanEventsPerUser;
  if (users < 1 || users > options.rows) {
    throw Error(
        fmt::format("--users must be between 1 and --rows ({}), got {}", options.rows, users));
  }
  if (users < fewest_users) {
    throw Error(fmt::format(
        "--users {} is too few for {} rows: at most {} events per user on average; use --users "
        ">= {}",
        users, options.rows, kMaxMeanEventsPerUser, fewest_users));
  }
  if (options.days < 1 || options.days > kMaxDays) {
    throw Error(fmt::format("--days must be between 1 and {}, got {}", kMaxDays, options.days));
  }
  const std::int64_t first_day = parse_start_day(options.start);

  Model model;
  model.users = users;
  build_catalog(model, options.seed);
  build_calendar(model, first_day, options.days, options.seed);
  plan_layout(model, options.rows, options.seed);

  EventsGeneratorStats stats;
  stats.rows = options.rows;
  stats.users = users;
  stats.items = model.items;
  stats.categories = std::ssize(model.category_ids);
  stats.bytes = write_chunks_in_order(path, {}, model.chunks.size(), options.threads,
                                      static_cast<std::size_t>(kChunkRows) * 40,
                                      [&](std::size_t chunk, fmt::memory_buffer& out) {
                                        UserScratch scratch;
                                        const auto [first, last] = model.chunks[chunk];
                                        for (std::size_t u = first; u < last; ++u)
                                          write_user(model, u, options.seed, scratch, out);
                                      });
  return stats;
}

}  // namespace custlens::io
