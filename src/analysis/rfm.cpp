// compute_rfm: per-customer aggregation of order lines (the hot loop), the customer table, scores,
// segments with their summaries, the Pareto summary and the R x F grid.
#include "custlens/rfm.h"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include "analysis/pareto.h"
#include "analysis/rf_grid.h"
#include "analysis/scoring.h"
#include "analysis/tiers.h"
#include "custlens/error.h"

namespace custlens {
namespace {

using analysis::KahanSum;

constexpr std::int64_t kSecondsPerDay = 86400;
constexpr std::uint32_t kNoOwner = OrderLines::kNone;
// Owner mark of an invoice seen with two or more customers.
constexpr std::uint32_t kManyOwners = OrderLines::kNone - 1;
// Below this many lines one pass on the calling thread beats splitting the customers.
constexpr std::size_t kParallelLinesMin = 1 << 17;
constexpr std::size_t kParallelSortMin = 1 << 15;
constexpr std::int64_t kNoDay = std::numeric_limits<std::int64_t>::min();

std::int64_t day_of(std::int64_t seconds) {
  std::int64_t day = seconds / kSecondsPerDay;
  return seconds % kSecondsPerDay < 0 ? day - 1 : day;
}

// Everything per customer that the line loop touches, in one 32-byte slot: one cache miss per line.
struct alignas(32) CustomerState {
  std::int64_t first_ts = std::numeric_limits<std::int64_t>::max();
  std::int64_t last_ts = std::numeric_limits<std::int64_t>::min();
  KahanSum monetary;
  bool present() const { return first_ts <= last_ts; }
};

// Without invoices: per customer, the number of distinct purchase days seen while its days never
// went back, and whether they did (then the count is redone exactly). Touched once per new day.
struct DayCounts {
  std::vector<std::uint32_t> days;
  std::vector<std::uint8_t> unsorted;
};

struct Aggregation {
  std::vector<CustomerState> state;  // per dense customer index
  std::vector<std::int64_t> frequency;
};

void check_lines(const OrderLines& lines) {
  const std::size_t n = lines.size();
  if (lines.timestamp.size() != n || lines.amount.size() != n ||
      (!lines.invoice.empty() && lines.invoice.size() != n)) {
    throw std::invalid_argument("OrderLines columns differ in length");
  }
  // Customer indices and line counts must stay below the 32-bit marks used in the hot loop.
  if (lines.customer_ids.size() >= kManyOwners || n >= kManyOwners) {
    throw std::invalid_argument("OrderLines has more than 4 G customers or lines");
  }
  if (n == 0) {
    throw Error("no order lines to analyse: the input is empty or every row was rejected");
  }
  if (*std::max_element(lines.customer.begin(), lines.customer.end()) >=
      lines.customer_ids.size()) {
    throw std::invalid_argument("OrderLines customer index out of range");
  }
  // kNone + 1 wraps to 0, so the check lets null invoices through.
  std::uint32_t invoice_end = 0;
  for (std::uint32_t invoice : lines.invoice) invoice_end = std::max(invoice_end, invoice + 1);
  if (invoice_end > lines.invoice_ids.size()) {
    throw std::invalid_argument("OrderLines invoice index out of range");
  }
}

// The hot loop: adds line i to its customer's state.
template <bool kByDay>
struct LineAggregator {
  const std::uint32_t* customer;
  const std::int64_t* timestamp;
  const double* amount;
  const std::uint32_t* invoice;  // null without invoices
  CustomerState* state;
  std::uint32_t* day_count;  // kByDay only
  std::uint8_t* unsorted;    // kByDay only
  std::uint32_t* owner;      // per invoice, !kByDay only

  [[gnu::always_inline]] void add(std::size_t i) const {
    const std::uint32_t c = customer[i];
    CustomerState& s = state[c];
    const std::int64_t t = timestamp[i];
    if constexpr (kByDay) {
      // While a customer's days only move forward, the latest day so far is the previous line's.
      const std::int64_t day = day_of(t);
      const std::int64_t latest = day_of(s.last_ts);
      if (day > latest) {
        ++day_count[c];
      } else if (day < latest) {
        unsorted[c] = 1;
      }
    }
    s.first_ts = std::min(s.first_ts, t);
    s.last_ts = std::max(s.last_ts, t);
    s.monetary.add(amount[i]);
    if constexpr (!kByDay) {
      const std::uint32_t inv = invoice[i];
      if (inv == OrderLines::kNone) return;
      // Invoices are shared between workers; a relaxed atomic owner mark is all they need.
      std::atomic_ref<std::uint32_t> slot(owner[inv]);
      std::uint32_t seen = slot.load(std::memory_order_relaxed);
      if (seen == c || seen == kManyOwners) return;
      if (seen == kNoOwner && slot.compare_exchange_strong(seen, c, std::memory_order_relaxed)) {
        return;
      }
      slot.store(kManyOwners, std::memory_order_relaxed);
    }
  }
};

// Aggregates the lines of the customers in [first, first + width). Workers own disjoint customer
// ranges, so each customer's lines are summed in input order whatever the thread count.
template <bool kByDay>
void aggregate_customers(const OrderLines& lines, std::uint32_t first, std::uint32_t width,
                         const LineAggregator<kByDay> aggregator) {
  const std::size_t n = lines.size();
  if (first == 0 && width == lines.customer_ids.size()) {
    for (std::size_t i = 0; i < n; ++i) aggregator.add(i);
    return;
  }
  // Pick this worker's lines block by block without branches: a per-line "is it mine" branch
  // would be mispredicted on every other line with two workers.
  constexpr std::size_t kBlock = 2048;
  std::uint32_t mine[kBlock];
  const std::uint32_t* customer = lines.customer.data();
  for (std::size_t base = 0; base < n; base += kBlock) {
    const std::size_t end = std::min(n, base + kBlock);
    std::size_t count = 0;
    for (std::size_t i = base; i < end; ++i) {
      mine[count] = static_cast<std::uint32_t>(i - base);
      count += customer[i] - first < width;
    }
    for (std::size_t k = 0; k < count; ++k) aggregator.add(base + mine[k]);
  }
}

// Adds to frequency[c] the number of distinct buckets among c's lines, for the lines whose
// bucket_of(i) is not kSkipLine: a counting sort by bucket (O(lines + buckets)), then each
// bucket counts each of its customers once via a "last bucket seen" stamp per customer.
constexpr std::uint32_t kSkipLine = std::numeric_limits<std::uint32_t>::max();

template <typename BucketOf>
void add_distinct_buckets(const OrderLines& lines, std::size_t buckets, BucketOf bucket_of,
                          std::vector<std::int64_t>& frequency) {
  const std::size_t n = lines.size();
  std::vector<std::uint32_t> start(buckets + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t bucket = bucket_of(i);
    if (bucket != kSkipLine) ++start[bucket + 1];
  }
  for (std::size_t b = 0; b < buckets; ++b) start[b + 1] += start[b];
  // Every slot is written below; zeroing tens of megabytes first would be wasted.
  auto members = std::make_unique_for_overwrite<std::uint32_t[]>(start[buckets]);
  std::vector<std::uint32_t> cursor(start.begin(), start.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t bucket = bucket_of(i);
    if (bucket != kSkipLine) members[cursor[bucket]++] = lines.customer[i];
  }
  std::vector<std::uint32_t> stamp(frequency.size(), kSkipLine);
  for (std::uint32_t b = 0; b < buckets; ++b) {
    for (std::uint32_t k = start[b]; k < start[b + 1]; ++k) {
      const std::uint32_t c = members[k];
      if (stamp[c] != b) {
        stamp[c] = b;
        ++frequency[c];
      }
    }
  }
}

// Frequency from invoice owners; invoices seen with several customers are recounted exactly.
void count_invoices(const OrderLines& lines, const std::vector<std::uint32_t>& owner,
                    std::vector<std::int64_t>& frequency) {
  bool shared = false;
  for (std::uint32_t o : owner) {
    if (o < frequency.size()) {
      ++frequency[o];
    } else {
      shared |= o == kManyOwners;
    }
  }
  if (!shared) return;
  add_distinct_buckets(
      lines, owner.size(),
      [&](std::size_t i) {
        const std::uint32_t inv = lines.invoice[i];
        return inv != OrderLines::kNone && owner[inv] == kManyOwners ? inv : kSkipLine;
      },
      frequency);
}

// Frequency without invoices: the forward day counts, redone exactly for customers whose days
// went back.
void count_days(const OrderLines& lines, const std::vector<CustomerState>& state,
                const DayCounts& days, std::vector<std::int64_t>& frequency) {
  std::int64_t first_day = std::numeric_limits<std::int64_t>::max();
  std::int64_t last_day = std::numeric_limits<std::int64_t>::min();
  for (std::size_t c = 0; c < frequency.size(); ++c) {
    frequency[c] = days.days[c];
    if (days.unsorted[c]) {
      frequency[c] = 0;
      first_day = std::min(first_day, day_of(state[c].first_ts));
      last_day = std::max(last_day, day_of(state[c].last_ts));
    }
  }
  if (first_day > last_day) return;
  const auto span = static_cast<std::uint64_t>(last_day - first_day) + 1;
  const std::uint64_t words = (span + 63) / 64;
  std::vector<std::uint32_t> row(frequency.size(), kSkipLine);
  std::uint64_t rows = 0;
  for (std::size_t c = 0; c < row.size(); ++c) {
    if (days.unsorted[c]) row[c] = static_cast<std::uint32_t>(rows++);
  }
  // A day bitmap per recounted customer when it fits: one pass, no scatter.
  constexpr std::uint64_t kMaxBitmapWords = std::uint64_t{1} << 23;  // 64 MiB
  if (words <= kMaxBitmapWords / rows) {
    std::vector<std::uint64_t> seen(rows * words, 0);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::uint32_t c = lines.customer[i];
      if (row[c] == kSkipLine) continue;
      const auto day = static_cast<std::uint64_t>(day_of(lines.timestamp[i]) - first_day);
      std::uint64_t& word = seen[row[c] * words + day / 64];
      const std::uint64_t bit = std::uint64_t{1} << (day % 64);
      frequency[c] += (word & bit) == 0;
      word |= bit;
    }
    return;
  }
  // Day span of the recounted customers; beyond this, sorting (customer, day) pairs is cheaper.
  constexpr std::int64_t kMaxDayBuckets = std::int64_t{1} << 24;
  if (last_day - first_day < kMaxDayBuckets) {
    add_distinct_buckets(
        lines, static_cast<std::size_t>(last_day - first_day + 1),
        [&](std::size_t i) {
          return days.unsorted[lines.customer[i]]
                     ? static_cast<std::uint32_t>(day_of(lines.timestamp[i]) - first_day)
                     : kSkipLine;
        },
        frequency);
    return;
  }
  std::vector<std::pair<std::uint32_t, std::int64_t>> pairs;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::uint32_t c = lines.customer[i];
    if (days.unsorted[c]) pairs.emplace_back(c, day_of(lines.timestamp[i]));
  }
  tbb::parallel_sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  for (const auto& pair : pairs) ++frequency[pair.first];
}

// Vectors a mode does not use are empty; their pointers are never read.
template <bool kByDay>
LineAggregator<kByDay> make_aggregator(const OrderLines& lines, Aggregation& result,
                                       DayCounts& days, std::vector<std::uint32_t>& owner) {
  return {.customer = lines.customer.data(),
          .timestamp = lines.timestamp.data(),
          .amount = lines.amount.data(),
          .invoice = lines.invoice.data(),
          .state = result.state.data(),
          .day_count = days.days.data(),
          .unsorted = days.unsorted.data(),
          .owner = owner.data()};
}

Aggregation aggregate(const OrderLines& lines) {
  const auto customers = static_cast<std::uint32_t>(lines.customer_ids.size());
  const bool by_day = lines.invoice.empty();
  Aggregation result;
  result.state.resize(customers);
  result.frequency.assign(customers, 0);
  DayCounts days;
  if (by_day) {
    days.days.assign(customers, 0);
    days.unsorted.assign(customers, 0);
  }
  std::vector<std::uint32_t> owner(by_day ? 0 : lines.invoice_ids.size(), kNoOwner);

  auto run = [&](std::uint32_t first, std::uint32_t width) {
    if (by_day) {
      aggregate_customers(lines, first, width, make_aggregator<true>(lines, result, days, owner));
    } else {
      aggregate_customers(lines, first, width, make_aggregator<false>(lines, result, days, owner));
    }
  };
  const int workers =
      lines.size() < kParallelLinesMin ? 1 : std::max(1, tbb::this_task_arena::max_concurrency());
  if (workers == 1) {
    run(0, customers);
  } else {
    // Worker w owns customers [bound[w], bound[w + 1]).
    std::vector<std::uint32_t> bound(static_cast<std::size_t>(workers) + 1);
    for (std::size_t w = 0; w < bound.size(); ++w) {
      bound[w] = static_cast<std::uint32_t>(std::uint64_t{customers} * w /
                                            static_cast<std::uint64_t>(workers));
    }
    tbb::parallel_for(std::size_t{0}, static_cast<std::size_t>(workers),
                      [&](std::size_t w) { run(bound[w], bound[w + 1] - bound[w]); });
  }
  if (by_day) {
    count_days(lines, result.state, days, result.frequency);
  } else {
    count_invoices(lines, owner, result.frequency);
  }
  return result;
}

}  // namespace

RfmResult compute_rfm(const OrderLines& lines, const RfmOptions& options) {
  // Configuration errors first, so a bad option fails before any work.
  analysis::resolve_tier_scheme(options.scheme);
  if (!options.scoring_file.empty()) analysis::load_scoring_file(options.scoring_file);
  check_lines(lines);

  Aggregation agg = aggregate(lines);
  CustomerTotals totals;
  for (std::uint32_t c = 0; c < agg.state.size(); ++c) {
    const CustomerState& state = agg.state[c];
    if (!state.present()) continue;
    totals.ids.push_back(lines.customer_ids[c]);
    totals.first_ts.push_back(state.first_ts);
    totals.last_ts.push_back(state.last_ts);
    totals.monetary.push_back(state.monetary.sum);
    totals.frequency.push_back(agg.frequency[c]);
  }
  return rfm_from_totals(std::move(totals), options);
}

RfmResult rfm_from_totals(CustomerTotals totals, const RfmOptions& options) {
  analysis::TierScheme scheme = analysis::resolve_tier_scheme(options.scheme);
  std::optional<analysis::ScoringRules> scoring;
  if (!options.scoring_file.empty()) scoring = analysis::load_scoring_file(options.scoring_file);
  if (totals.size() == 0) {
    throw Error("no order lines to analyse: the input is empty or every row was rejected");
  }
  // Customers ordered by id bytes (std::string compares as unsigned char).
  std::vector<std::uint32_t> order(totals.size());
  for (std::uint32_t c = 0; c < order.size(); ++c) order[c] = c;
  auto by_id = [&](std::uint32_t a, std::uint32_t b) { return totals.ids[a] < totals.ids[b]; };
  if (order.size() >= kParallelSortMin) {
    tbb::parallel_sort(order.begin(), order.end(), by_id);
  } else {
    std::sort(order.begin(), order.end(), by_id);
  }
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (totals.ids[order[i]] == totals.ids[order[i - 1]]) {
      throw std::invalid_argument(
          fmt::format("customer id '{}' is listed twice", totals.ids[order[i]]));
    }
  }

  std::int64_t last_day = kNoDay;
  for (std::uint32_t c : order) last_day = std::max(last_day, day_of(totals.last_ts[c]));
  const std::int64_t as_of_day = options.as_of ? day_of(*options.as_of) : last_day + 1;

  RfmResult result;
  result.scheme = scheme.name;
  result.as_of = as_of_day * kSecondsPerDay;
  const std::size_t n = order.size();
  result.customers.resize(n);
  // As doubles for scoring and tier rules (exact: day and invoice counts are far below 2^53).
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t c = order[i];
    CustomerRfm& row = result.customers[i];
    row.customer_id = std::move(totals.ids[c]);
    row.first_purchase = totals.first_ts[c];
    row.last_purchase = totals.last_ts[c];
    row.recency_days = as_of_day - day_of(row.last_purchase);
    row.tenure_days = as_of_day - day_of(row.first_purchase);
    row.frequency = totals.frequency[c];
    row.monetary = totals.monetary[c];
    // Only lines without invoice numbers leave frequency at 0.
    row.avg_order_value =
        row.frequency > 0 ? row.monetary / static_cast<double>(row.frequency) : 0.0;
  }
  // Every value is in the rows now: the totals go before the score inputs are made (memory
  // with ten million customers).
  totals = CustomerTotals();
  std::vector<std::uint32_t>().swap(order);
  std::vector<double> recency(n), frequency(n), monetary(n);
  for (std::size_t i = 0; i < n; ++i) {
    const CustomerRfm& row = result.customers[i];
    recency[i] = static_cast<double>(row.recency_days);
    frequency[i] = static_cast<double>(row.frequency);
    monetary[i] = row.monetary;
  }

  const analysis::RfmScores scores =
      analysis::score_customers(recency, frequency, monetary, scoring ? &*scoring : nullptr);
  const analysis::TierInputs inputs{scores.r, scores.f, scores.m, recency, frequency, monetary};
  const std::vector<int> segment_of = analysis::assign_segments(scheme, inputs);
  for (std::size_t i = 0; i < n; ++i) {
    CustomerRfm& row = result.customers[i];
    row.r_score = scores.r[i];
    row.f_score = scores.f[i];
    row.m_score = scores.m[i];
    row.segment = segment_of[i];
    if (row.segment < 0) {
      throw Error(fmt::format(
          "tier scheme '{}': customer '{}' (R{} F{} M{}) matches no segment; add a segment with "
          "fallback = true",
          scheme.name, row.customer_id, row.r_score, row.f_score, row.m_score));
    }
  }

  result.revenue = analysis::numpy_sum(monetary);
  result.segments = analysis::summarize_segments(scheme, segment_of, inputs, result.revenue);
  result.pareto = analysis::compute_pareto(monetary, result.segments, result.revenue);
  result.rf_grid = analysis::compute_rf_grid(result.customers);
  return result;
}

}  // namespace custlens
