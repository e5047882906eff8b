// The behaviour-log scan (see event_scan.h).
#include "pipeline/event_scan.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "common/name_list.h"
#include "custlens/error.h"
#include "io/dates.h"
#include "pipeline/batch_handoff.h"
#include "pipeline/interner.h"

namespace custlens::pipeline {
namespace {

using analysis::events::Event;
using analysis::events::kNoKey;

constexpr std::size_t kSampleRows = 10000;
constexpr std::size_t kRejectContentBytes = 300;

std::string_view trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Unix seconds from a number field: an integer of 13 or more digits is milliseconds; a fraction
// of a second is dropped (rounded down).
std::optional<std::int64_t> numeric_seconds(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const bool negative = text.front() == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  std::string_view fraction;
  if (const std::size_t point = digits.find('.'); point != std::string_view::npos) {
    fraction = digits.substr(point + 1);
    digits = digits.substr(0, point);
    if (fraction.empty()) return std::nullopt;
  }
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  bool has_fraction = false;
  for (const char c : fraction) {
    if (c < '0' || c > '9') return std::nullopt;
    has_fraction |= c != '0';
  }
  if (digits.size() >= 13 && fraction.empty()) {
    return negative ? -((value + 999) / 1000) : value / 1000;
  }
  if (negative) return has_fraction ? -value - 1 : -value;
  return value;
}

// The date-time format of a timestamp column's text values (numbers are read as numbers): the
// one that parses the most of them; "" when there are none or none parses.
std::string text_time_format(const io::RowBatch& sample, int column, const std::string& name) {
  std::vector<std::string_view> texts;
  for (std::size_t row = 0; row < sample.num_rows(); ++row) {
    const std::string_view value = trim(sample.field(row, static_cast<std::size_t>(column)));
    if (!value.empty() && !numeric_seconds(value)) texts.push_back(value);
  }
  if (texts.empty()) return {};
  return io::sniff_date_format(name, texts, 0.5);
}

bool is_taobao_behavior(std::string_view value) {
  return value == "pv" || value == "fav" || value == "cart" || value == "buy";
}

struct Columns {
  int user = -1, behavior = -1, time = -1, item = -1, category = -1;
};

// A key field parsed in the parallel step: a plain decimal number (no sign, no leading zero, at
// most 18 digits: Taobao's ids) is interned by value, which is several times cheaper than by text
// in the one-at-a-time step; anything else by its text.
struct Key {
  std::string_view text;
  std::uint64_t number = 0;
  bool numeric = false;
};

Key parse_key(std::string_view text) {
  Key key{text, 0, false};
  if (text.empty() || text.size() > 18 || (text.size() > 1 && text.front() == '0')) return key;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return key;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  key.number = value;
  key.numeric = true;
  return key;
}

// Dense ids for keys in first-seen order, numbers and texts in one id space; a number's name is
// its decimal text, the same as the field it came from.
class KeyIds {
 public:
  std::uint32_t id(const Key& key) {
    if (key.numeric) {
      if (has_last_ && key.number == last_number_) return last_id_;
      const auto [it, added] = numbers_.try_emplace(key.number, count_);
      if (added) {
        names_.push_back({true, key.number});
        ++count_;
      }
      has_last_ = true;
      last_number_ = key.number;
      return last_id_ = it->second;
    }
    const std::uint32_t text = texts_.intern(key.text);
    if (text == text_ids_.size()) {
      text_ids_.push_back(count_++);
      names_.push_back({false, text});
    }
    return text_ids_[text];
  }
  std::uint32_t size() const { return count_; }
  std::vector<std::string> take_names() {
    const std::vector<std::string> texts = texts_.take_names();
    std::vector<std::string> out;
    out.reserve(names_.size());
    for (const auto& [numeric, value] : names_) {
      out.push_back(numeric ? std::to_string(value) : texts[static_cast<std::size_t>(value)]);
    }
    names_ = {};
    numbers_ = {};
    return out;
  }

 private:
  Interner texts_;
  std::vector<std::uint32_t> text_ids_;
  absl::flat_hash_map<std::uint64_t, std::uint32_t> numbers_;
  std::vector<std::pair<bool, std::uint64_t>> names_;  // (numeric, number or text id) per id
  std::uint32_t count_ = 0;
  bool has_last_ = false;
  std::uint64_t last_number_ = 0;
  std::uint32_t last_id_ = 0;
};

// One judged row of a batch: the kept event's fields (views into the batch) or its reject.
struct Judged {
  Key user, item, category;
  std::string_view behavior;
  std::int64_t ts = 0;
  std::uint64_t hash = 0;
};

struct BatchWork {
  std::vector<Judged> kept;
  std::vector<Reject> rejects;  // in line order
  std::int64_t malformed = 0;
  std::int64_t missing_customer = 0;
};

std::string row_text(const io::RowBatch& batch, std::size_t row, int user_column, Reject& reject) {
  std::string text;
  for (std::size_t c = 0; c < batch.num_columns; ++c) {
    if (c > 0) text += ',';
    if (static_cast<int>(c) == user_column) reject.id_begin = text.size();
    text += batch.field(row, c);
    if (static_cast<int>(c) == user_column) reject.id_end = text.size();
  }
  if (text.size() > kRejectContentBytes) {
    text.resize(kRejectContentBytes);
    if (reject.id_end > text.size()) reject.id_begin = reject.id_end = Reject::kNotLocated;
  }
  return text;
}

class Judge {
 public:
  Judge(const Columns& columns, const EventScanOptions& options, bool taobao,
        std::optional<io::DateParser> dates, std::string file)
      : columns_(columns),
        from_local_(options.from_local),
        taobao_(taobao),
        dates_(std::move(dates)),
        file_(std::move(file)) {
    for (const auto& [from, to] : options.steps_map) steps_.emplace(from, to);
  }

  void operator()(const io::RowBatch& batch, BatchWork& work) const {
    work.kept.clear();
    work.rejects.clear();
    work.malformed = static_cast<std::int64_t>(batch.rejects.size());
    work.missing_customer = 0;
    for (const Reject& reject : batch.rejects) work.rejects.push_back(reject);
    for (std::size_t row = 0; row < batch.num_rows(); ++row) judge_row(batch, row, work);
    std::sort(work.rejects.begin(), work.rejects.end(),
              [](const Reject& a, const Reject& b) { return a.line < b.line; });
  }

 private:
  void judge_row(const io::RowBatch& batch, std::size_t row, BatchWork& work) const {
    Judged event;
    const std::string_view time = trim(batch.field(row, columns_.time));
    std::optional<std::int64_t> ts = numeric_seconds(time);
    if (!ts && dates_ && !time.empty()) {
      ts = dates_->parse(time);
      if (ts && from_local_) ts = from_local_(*ts);
    }
    if (!ts) {
      reject(batch, row, work, "malformed",
             time.empty() ? "empty timestamp"
                          : fmt::format("timestamp '{}' is not a number or a date-time", time));
      ++work.malformed;
      return;
    }
    std::string_view behavior = trim(batch.field(row, columns_.behavior));
    if (behavior.empty()) {
      reject(batch, row, work, "malformed", "empty behaviour");
      ++work.malformed;
      return;
    }
    if (taobao_ && !is_taobao_behavior(behavior)) {
      reject(batch, row, work, "malformed",
             fmt::format("behaviour '{}' is not pv, fav, cart or buy", behavior));
      ++work.malformed;
      return;
    }
    if (const auto mapped = steps_.find(behavior); mapped != steps_.end()) {
      behavior = mapped->second;
    }
    event.user = parse_key(trim(batch.field(row, columns_.user)));
    if (event.user.text.empty()) {
      reject(batch, row, work, "missing_customer", "empty user");
      ++work.missing_customer;
      return;
    }
    event.behavior = behavior;
    if (columns_.item >= 0) event.item = parse_key(trim(batch.field(row, columns_.item)));
    if (columns_.category >= 0) {
      event.category = parse_key(trim(batch.field(row, columns_.category)));
    }
    event.ts = *ts;
    event.hash = batch.hashes[row];
    work.kept.push_back(event);
  }

  void reject(const io::RowBatch& batch, std::size_t row, BatchWork& work, const char* rule,
              std::string detail) const {
    Reject r;
    r.content = row_text(batch, row, columns_.user, r);
    r.file = file_;
    r.line = batch.lines[row];
    r.rule = rule;
    r.detail = std::move(detail);
    work.rejects.push_back(std::move(r));
  }

  Columns columns_;
  std::function<std::int64_t(std::int64_t)> from_local_;
  bool taobao_;
  std::optional<io::DateParser> dates_;
  std::string file_;
  std::map<std::string, std::string, std::less<>> steps_;  // a handful of names
};

// Lower case without blanks, '_' and '-': "Category_ID" → "categoryid".
std::string folded(std::string_view name) {
  std::string out;
  for (const char c : name) {
    if (c == ' ' || c == '_' || c == '-') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

Columns find_columns(const RoleMap& roles, const std::vector<std::string>& header,
                     bool category_mapped) {
  Columns c;
  c.user = roles.column(Role::kCustomer);
  c.behavior = roles.column(Role::kBehavior);
  c.time = roles.column(Role::kDate);
  c.item = roles.column(Role::kStockCode);
  c.category = roles.column(Role::kCategory);
  // Order lines never take a category id as their category (core/roles.cpp); a behaviour log
  // often has nothing else (Taobao: category_id): without a named category, the id is it.
  if (c.category < 0 && !category_mapped) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      const std::string name = folded(header[i]);
      if (name == "categoryid" || name == "catid" || name == "商品类目id" || name == "类目id") {
        c.category = static_cast<int>(i);
        break;
      }
    }
  }
  const auto missing = [&](const char* what, const char* role) {
    return Error(fmt::format(
        "no {} column found: name it with --map {}=COLUMN (a behaviour log needs a user, a "
        "behaviour and a timestamp)",
        what, role));
  };
  if (c.user < 0) throw missing("user", "customer");
  if (c.behavior < 0) throw missing("behaviour", "behavior");
  if (c.time < 0) throw missing("timestamp", "date");
  return c;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> parse_steps_map(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view pair = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    const std::string_view from =
        equals == std::string_view::npos ? "" : trim(pair.substr(0, equals));
    const std::string_view to =
        equals == std::string_view::npos ? "" : trim(pair.substr(equals + 1));
    if (from.empty() || to.empty()) {
      throw Error(
          fmt::format("--steps-map '{}': write raw=step pairs, e.g. view=pv,addcart=cart", pair));
    }
    out.emplace_back(from, to);
  }
  return out;
}

EventPartition::~EventPartition() {
  if (!file_.empty()) {
    std::error_code ignored;
    std::filesystem::remove(file_, ignored);
  }
}

void EventPartition::spill(const std::filesystem::path& dir, std::size_t index, bool release) {
  if (memory_.empty()) {
    if (release) memory_ = {};
    return;
  }
  if (file_.empty()) {
    file_ = dir / fmt::format("custlens-events-{}-{}-{}.bin", static_cast<unsigned>(::getpid()),
                              reinterpret_cast<std::uintptr_t>(this), index);
  }
  std::ofstream out(file_, std::ios::binary | std::ios::app);
  out.write(reinterpret_cast<const char*>(memory_.data()),
            static_cast<std::streamsize>(memory_.size() * sizeof(Stored)));
  if (!out.flush()) {
    throw Error(fmt::format("{}: cannot write the spilled events (disk full?)", file_.string()));
  }
  spilled_ += memory_.size();
  memory_.clear();
  if (release) memory_ = {};
}

std::vector<EventPartition::Stored> EventPartition::take() {
  if (spilled_ == 0) return std::move(memory_);
  std::vector<Stored> all;
  all.reserve(spilled_ + memory_.size());
  all.resize(spilled_);
  {
    std::ifstream in(file_, std::ios::binary);
    in.read(reinterpret_cast<char*>(all.data()),
            static_cast<std::streamsize>(spilled_ * sizeof(Stored)));
    if (!in) throw Error(fmt::format("{}: cannot read the spilled events back", file_.string()));
    in.close();
    std::error_code ignored;
    std::filesystem::remove(file_, ignored);
    file_.clear();
    spilled_ = 0;
  }
  all.insert(all.end(), memory_.begin(), memory_.end());
  memory_ = {};
  return all;
}

EventLog scan_events(const std::vector<std::string>& files, const EventScanOptions& options,
                     const RejectSink& rejects, std::unique_ptr<io::RowSource> first,
                     std::size_t memory_budget, const std::filesystem::path& spill_dir) {
  EventLog log;
  log.files = files;
  if (!first) first = io::open_input(files.front(), options.read);
  // Partitions of about a quarter of the budget each once the whole log is in them (estimated
  // from the first file's size, known after a sample), so that one partition at a time fits when
  // it is processed; an input of unknown size (a pipe) gets kUnknownSizePartitions.
  constexpr double kUnknownSizePartitions = 16;
  first->sample(kSampleRows);
  const double estimate = static_cast<double>(first->estimated_rows()) *
                          static_cast<double>(files.size()) * sizeof(EventPartition::Stored);
  const std::size_t partitions = static_cast<std::size_t>(std::clamp(
      estimate > 0
          ? std::ceil(4 * estimate / static_cast<double>(std::max<std::size_t>(memory_budget, 1)))
          : kUnknownSizePartitions,
      1.0, 256.0));
  log.partitions = std::vector<EventPartition>(partitions);
  // Grown by doubling, every partition would touch fresh memory twice over (page faults are a
  // large part of the scan): each gets its expected share up front, within the budget.
  const std::size_t share = static_cast<std::size_t>(
      std::min(estimate, static_cast<double>(memory_budget)) / static_cast<double>(partitions) *
      1.05 / sizeof(EventPartition::Stored));
  for (EventPartition& partition : log.partitions) partition.reserve(share);
  const std::filesystem::path dir =
      spill_dir.empty() ? std::filesystem::temp_directory_path() : spill_dir;
  std::size_t buffered = 0;
  log.header = first->header();
  log.encoding = first->encoding();
  log.layout = std::string(first->layout());
  log.roles = detect_roles(log.header, options.maps);
  const bool category_mapped = std::any_of(options.maps.begin(), options.maps.end(),
                                           [](const auto& map) { return map.first == "category"; });
  const Columns columns = find_columns(log.roles, log.header, category_mapped);
  if (columns.category >= 0) log.roles.set(Role::kCategory, columns.category);
  const bool taobao = log.layout == "taobao_user_behavior";

  KeyIds users, items, categories;
  Interner behaviors;
  BatchHandoff<BatchWork> handoff;
  bool any = false;
  for (std::size_t f = 0; f < files.size(); ++f) {
    std::unique_ptr<io::RowSource> source =
        f == 0 ? std::move(first) : io::open_input(files[f], options.read);
    if (f > 0 && source->header() != log.header) {
      throw Error(fmt::format("{}: header differs from {} ({} vs {})", files[f], files.front(),
                              common::list_names(source->header(), ","),
                              common::list_names(log.header, ",")));
    }
    // The text format is sniffed per file, as the order scan does (--date-format wins).
    std::string format = options.read.date_format;
    if (format.empty()) {
      format = text_time_format(source->sample(kSampleRows), columns.time,
                                log.header[static_cast<std::size_t>(columns.time)]);
    }
    std::optional<io::DateParser> dates;
    if (!format.empty()) dates.emplace(format);
    const Judge judge(columns, options, taobao, std::move(dates), files[f]);
    source->scan_ordered(
        [&](std::size_t index, const io::RowBatch& batch) {
          std::unique_ptr<BatchWork> work = handoff.acquire();
          judge(batch, *work);
          handoff.put(index, std::move(work));
        },
        [&](std::size_t index, const io::RowBatch&) {
          std::unique_ptr<BatchWork> work = handoff.take(index);
          log.audit.malformed += work->malformed;
          log.audit.missing_customer += work->missing_customer;
          if (rejects && !work->rejects.empty()) rejects(work->rejects);
          for (const Judged& j : work->kept) {
            Event e;
            e.ts = j.ts;
            e.user = users.id(j.user);
            e.item = j.item.text.empty() ? kNoKey : items.id(j.item);
            e.category = j.category.text.empty() ? kNoKey : categories.id(j.category);
            const std::uint32_t behavior = behaviors.intern(j.behavior);
            if (behavior > 0xFFFE) throw Error("more than 65,535 distinct behaviours");
            e.behavior = static_cast<std::uint16_t>(behavior);
            log.min_ts = any ? std::min(log.min_ts, e.ts) : e.ts;
            log.max_ts = any ? std::max(log.max_ts, e.ts) : e.ts;
            any = true;
            log.partitions[e.user % partitions].add({e, j.hash});
            ++log.events;
          }
          buffered += work->kept.size() * sizeof(EventPartition::Stored);
          if (buffered > memory_budget) {
            for (std::size_t p = 0; p < partitions; ++p) log.partitions[p].spill(dir, p);
            log.spilled = true;
            buffered = 0;
          }
          handoff.release(std::move(work));
        },
        options.read.progress);
    log.audit.rows_read += source->rows_read();
  }
  if (log.spilled) {
    // What is still buffered goes to disk too: the partitions are then read back one at a time,
    // and the buffers (the whole budget) are not held beside the one being processed.
    for (std::size_t p = 0; p < partitions; ++p) log.partitions[p].spill(dir, p, true);
  }
  log.names.users = users.take_names();
  log.names.items = items.take_names();
  log.names.categories = categories.take_names();
  log.names.behaviors = behaviors.take_names();
  log.audit.rows_kept = log.events;
  return log;
}

namespace {

// One partition's events grouped by user, each user's in (timestamp, file order); exact
// duplicates counted and, with dedup, left out. Returns the order and each user's start.
std::pair<std::vector<std::uint32_t>, std::vector<std::size_t>> group_users(
    const std::vector<EventPartition::Stored>& stored, bool dedup, std::int64_t& duplicates) {
  const std::size_t n = stored.size();
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  // The index breaks ties: file order within a user's equal timestamps.
  tbb::parallel_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const Event& x = stored[a].event;
    const Event& y = stored[b].event;
    return std::tie(x.user, x.ts, a) < std::tie(y.user, y.ts, b);
  });
  const auto same = [&](std::uint32_t a, std::uint32_t b) {
    const Event& x = stored[a].event;
    const Event& y = stored[b].event;
    return x.behavior == y.behavior && x.item == y.item && x.category == y.category &&
           stored[a].hash == stored[b].hash;
  };
  // Exact duplicates share user and timestamp: compared within each (user, timestamp) run.
  std::vector<std::uint32_t> kept;
  kept.reserve(n);
  for (std::size_t i = 0; i < n;) {
    const Event& head = stored[order[i]].event;
    std::size_t end = i + 1;
    while (end < n && stored[order[end]].event.user == head.user &&
           stored[order[end]].event.ts == head.ts) {
      ++end;
    }
    for (std::size_t k = i; k < end; ++k) {
      bool duplicate = false;
      for (std::size_t j = i; j < k && !duplicate; ++j) duplicate = same(order[j], order[k]);
      duplicates += duplicate ? 1 : 0;
      if (!duplicate || !dedup) kept.push_back(order[k]);
    }
    i = end;
  }
  std::vector<std::size_t> begin;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (i == 0 || stored[kept[i]].event.user != stored[kept[i - 1]].event.user) begin.push_back(i);
  }
  begin.push_back(kept.size());
  return {std::move(kept), std::move(begin)};
}

}  // namespace

void for_each_user(
    EventLog& log, bool dedup,
    const std::function<void(std::size_t, std::uint32_t, std::span<const Event>)>& visit,
    const std::function<void(std::size_t)>& start) {
  start(static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()));
  std::int64_t duplicates = 0;
  std::int64_t dropped = 0;
  for (EventPartition& partition : log.partitions) {
    const std::vector<EventPartition::Stored> stored = partition.take();
    std::int64_t found = 0;
    const auto grouped = group_users(stored, dedup, found);
    const std::vector<std::uint32_t>& order = grouped.first;
    const std::vector<std::size_t>& begin = grouped.second;
    duplicates += found;
    dropped += static_cast<std::int64_t>(stored.size() - order.size());
    const std::size_t users = begin.size() - 1;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, users, 256),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        const auto slot =
                            static_cast<std::size_t>(tbb::this_task_arena::current_thread_index());
                        std::vector<Event> events;
                        for (std::size_t u = range.begin(); u < range.end(); ++u) {
                          events.clear();
                          for (std::size_t i = begin[u]; i < begin[u + 1]; ++i) {
                            events.push_back(stored[order[i]].event);
                          }
                          visit(slot, events.front().user, events);
                        }
                      });
  }
  log.audit.duplicates = duplicates;
  log.audit.duplicates_dropped = dedup;
  log.audit.rows_kept = log.events - dropped;
}

UserEvents collect_user_events(EventLog& log, bool dedup) {
  UserEvents store;
  // Duplicates are dropped only here, so the kept events never outnumber log.events.
  store.events.resize(static_cast<std::size_t>(log.events));
  store.begin.assign(log.names.users.size(), 0);
  store.count.assign(log.names.users.size(), 0);
  std::atomic<std::uint64_t> next{0};
  for_each_user(
      log, dedup,
      [&](std::size_t, std::uint32_t user, std::span<const Event> events) {
        const std::uint64_t at = next.fetch_add(events.size(), std::memory_order_relaxed);
        std::copy(events.begin(), events.end(),
                  store.events.begin() + static_cast<std::ptrdiff_t>(at));
        store.begin[user] = at;
        store.count[user] = static_cast<std::uint32_t>(events.size());
      },
      [](std::size_t) {});
  store.events.resize(next.load());
  return store;
}

}  // namespace custlens::pipeline
