// The scan of behaviour logs (docs/events.md): every input read once, each row judged in the
// parallel read (field count, timestamp, behaviour, user), kept events interned into compact
// records in file order, rejects handed on in line order; then the events grouped by user,
// exact duplicates counted (dropped with --dedup) and each user's events handed to the analyses.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "analysis/events/event.h"
#include "custlens/ingest.h"
#include "custlens/roles.h"
#include "io/row_source.h"
#include "pipeline/order_scan.h"

namespace custlens::pipeline {

struct EventScanOptions {
  ReadOptions read;                                       ///< encoding, delimiter, threads, ...
  std::vector<std::pair<std::string, std::string>> maps;  ///< --map role=column
  /// --steps-map: raw behaviour → step name, applied before anything else.
  std::vector<std::pair<std::string, std::string>> steps_map;
  bool dedup = false;  ///< drop exact duplicates
  /// Text timestamps are naive local times: this gives their Unix seconds (none: they are UTC).
  std::function<std::int64_t(std::int64_t local_seconds)> from_local;
};

/// Parses `view=pv,addcart=cart`; throws custlens::Error naming --steps-map for a bad pair.
std::vector<std::pair<std::string, std::string>> parse_steps_map(std::string_view text);

struct EventAudit {
  std::int64_t rows_read = 0;
  std::int64_t malformed = 0;
  std::int64_t missing_customer = 0;
  std::int64_t duplicates = 0;  ///< exact duplicates of an earlier kept row
  bool duplicates_dropped = false;
  std::int64_t rows_kept = 0;
};

/// The kept events of one group of users (user id % partitions), in file order: in memory, or
/// partly in a spill file when the log is larger than the memory budget.
class EventPartition {
 public:
  struct Stored {
    analysis::events::Event event;
    std::uint64_t hash = 0;  ///< of every field of its row, for exact duplicates
  };
  void add(const Stored& stored) { memory_.push_back(stored); }
  void reserve(std::size_t events) { memory_.reserve(events); }
  std::size_t bytes() const { return memory_.size() * sizeof(Stored); }
  /// Appends the in-memory events to the spill file (created in `dir` on first use); `release`
  /// also frees the buffer (else its capacity is kept for the next events).
  void spill(const std::filesystem::path& dir, std::size_t index, bool release = false);
  /// Every event of the partition, spilled ones first (file order), and frees the partition.
  std::vector<Stored> take();
  ~EventPartition();

 private:
  std::vector<Stored> memory_;
  std::filesystem::path file_;
  std::size_t spilled_ = 0;
};

/// The kept events of every input with their names, split by user into partitions.
struct EventLog {
  std::vector<std::string> files;
  std::vector<std::string> header;
  std::string encoding;
  std::string layout;  ///< "taobao_user_behavior" for the headerless Taobao layout, else ""
  RoleMap roles;
  EventAudit audit;  ///< duplicates and rows_kept are final after for_each_user()
  analysis::events::EventNames names;
  std::vector<EventPartition> partitions;
  std::int64_t events = 0;  ///< kept events, duplicates included
  std::int64_t min_ts = 0;  ///< of the kept events
  std::int64_t max_ts = 0;
  bool spilled = false;  ///< some partition went to disk
};

/// Reads every input once. Throws custlens::Error for input that cannot be read, files whose
/// headers differ, or a missing user, behaviour or timestamp role (naming --map). `first`: the
/// first input if the caller opened it already. Events beyond `memory_budget` bytes go to spill
/// files in `spill_dir` (the system's temporary folder when empty), removed with the log.
EventLog scan_events(const std::vector<std::string>& files, const EventScanOptions& options,
                     const RejectSink& rejects, std::unique_ptr<io::RowSource> first = nullptr,
                     std::size_t memory_budget = std::size_t{768} << 20,
                     const std::filesystem::path& spill_dir = {});

/// One partition at a time, hands every user's events, sorted by (timestamp, file order), to
/// `visit(slot, user, events)`, in parallel; `slot` is the calling thread's index in the task
/// arena, 0 … slots − 1, where `start(slots)` was called first (one accumulator per slot).
/// Exact duplicates (same user, timestamp, behaviour, item, category and row hash as an earlier
/// event) are counted into log.audit.duplicates and, with `dedup`, not handed on (rows_kept then
/// drops them). The partitions are emptied.
void for_each_user(
    EventLog& log, bool dedup,
    const std::function<void(std::size_t slot, std::uint32_t user,
                             std::span<const analysis::events::Event> events)>& visit,
    const std::function<void(std::size_t slots)>& start);

/// The kept events of a log held in memory, grouped by user (the dashboard's views run on them):
/// user u's events are events[begin[u] .. begin[u] + count[u]), in the order for_each_user
/// hands them (timestamp, file order). 24 bytes an event and 12 a user.
struct UserEvents {
  std::vector<analysis::events::Event> events;
  std::vector<std::uint64_t> begin;  ///< per dense user id
  std::vector<std::uint32_t> count;  ///< per dense user id
  std::size_t users() const { return begin.size(); }
  std::span<const analysis::events::Event> of(std::size_t user) const {
    return {events.data() + begin[user], count[user]};
  }
};

/// Drains `log` through for_each_user (duplicates counted into its audit, dropped with `dedup`)
/// into memory. The users' ranges lie in the order the threads filled them; each range is the
/// user's events as for_each_user handed them.
UserEvents collect_user_events(EventLog& log, bool dedup);

}  // namespace custlens::pipeline
