// The synthetic behaviour-log generator: events in the headerless Taobao UserBehavior layout
// (`user_id,item_id,category_id,behavior_type,timestamp`), written as CSV.
#pragma once

#include <cstdint>
#include <string>

namespace custlens::io {

struct EventsGeneratorOptions {
  std::int64_t rows = 0;   ///< exact number of rows; must be > 0
  std::int64_t users = 0;  ///< user ids 1..users; 0 = rows / 100 (at least 1)
  std::uint64_t seed = 42;
  std::string start = "2017-11-25";  ///< first local day (Asia/Shanghai), YYYY-MM-DD
  int days = 9;                      ///< local days the log covers
  int threads = 0;                   ///< 0 = every core; the output bytes do not depend on it
};

struct EventsGeneratorStats {
  std::int64_t rows = 0;        ///< rows written (malformed and duplicate rows included)
  std::int64_t users = 0;       ///< users in the file (each has at least one row)
  std::int64_t items = 0;       ///< size of the item catalogue
  std::int64_t categories = 0;  ///< number of categories
  std::uint64_t bytes = 0;      ///< file size
};

/// The user pool `gen events` uses: options.users, or rows / 100 (at least 1) when it is 0.
std::int64_t default_event_users(std::int64_t rows);

/// Writes options.rows rows to `path` ("-" = standard output), grouped by user (ids rising),
/// each user's rows in time order. The bytes depend only on rows, users, seed, start and days.
/// Throws custlens::Error for rows <= 0, users outside 1 .. rows or below rows / 10000, days
/// outside 1 .. 3660, a start that is not a YYYY-MM-DD date, or an output that cannot be
/// written (a partial file is removed).
EventsGeneratorStats generate_events(const std::string& path,
                                     const EventsGeneratorOptions& options);

}  // namespace custlens::io
