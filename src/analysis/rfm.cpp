// compute_rfm: per-customer aggregation of order lines (the hot loop), the customer table, scores,
// segments with their summaries, and the Pareto summary.
#include "custlens/rfm.h"

#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>

#include "analysis/pareto.h"
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

// Without invoices: runs of equal purchase days per customer. Runs equal distinct days as long as
// the customer's days never go back; `unsorted` marks customers that need the exact count.
struct DayRuns {
  std::int64_t last_day = kNoDay;
  std::uint32_t runs = 0;
  std::uint32_t unsorted = 0;
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
  if (lines.customer_ids.size() >= kManyOwners) {
    throw std::invalid_argument("OrderLines has too many customers");
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

// The hot loop over all lines for the customers in [first, first + width). Workers own disjoint
// customer ranges, so each customer's lines are summed in input order whatever the thread count.
template <bool kByDay>
void aggregate_customers(const OrderLines& lines, std::uint32_t first, std::uint32_t width,
                         CustomerState* state, DayRuns* days, std::uint32_t* owner) {
  const std::size_t n = lines.size();
  const std::uint32_t* customer = lines.customer.data();
  const std::int64_t* timestamp = lines.timestamp.data();
  const double* amount = lines.amount.data();
  const std::uint32_t* invoice = lines.invoice.empty() ? nullptr : lines.invoice.data();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t c = customer[i];
    if (c - first >= width) continue;
    CustomerState& s = state[c];
    const std::int64_t t = timestamp[i];
    s.first_ts = std::min(s.first_ts, t);
    s.last_ts = std::max(s.last_ts, t);
    s.monetary.add(amount[i]);
    if constexpr (kByDay) {
      DayRuns& d = days[c];
      const std::int64_t day = day_of(t);
      if (day != d.last_day) {
        d.unsorted |= static_cast<std::uint32_t>(day < d.last_day);
        ++d.runs;
        d.last_day = day;
      }
    } else {
      const std::uint32_t inv = invoice[i];
      if (inv == OrderLines::kNone) continue;
      // Invoices are shared between workers; a relaxed atomic owner mark is all they need.
      std::atomic_ref<std::uint32_t> slot(owner[inv]);
      std::uint32_t seen = slot.load(std::memory_order_relaxed);
      if (seen == c || seen == kManyOwners) continue;
      if (seen == kNoOwner && slot.compare_exchange_strong(seen, c, std::memory_order_relaxed)) {
        continue;
      }
      slot.store(kManyOwners, std::memory_order_relaxed);
    }
  }
}

template <typename Key>
void sort_keys(std::vector<Key>& keys) {
  if (keys.size() >= kParallelSortMin) {
    tbb::parallel_sort(keys.begin(), keys.end());
  } else {
    std::sort(keys.begin(), keys.end());
  }
}

// Frequency from invoice owners; invoices with several customers are counted exactly by sorting
// their distinct (customer, invoice) pairs.
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
  std::vector<std::uint64_t> pairs;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::uint32_t inv = lines.invoice[i];
    if (inv != OrderLines::kNone && owner[inv] == kManyOwners) {
      pairs.push_back(std::uint64_t{lines.customer[i]} << 32 | inv);
    }
  }
  sort_keys(pairs);
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  for (std::uint64_t pair : pairs) ++frequency[pair >> 32];
}

// Frequency without invoices: day runs, recounted exactly for customers whose days went back.
void count_days(const OrderLines& lines, const std::vector<DayRuns>& days,
                std::vector<std::int64_t>& frequency) {
  bool unsorted = false;
  for (std::size_t c = 0; c < days.size(); ++c) {
    frequency[c] = days[c].runs;
    if (days[c].unsorted) {
      frequency[c] = 0;
      unsorted = true;
    }
  }
  if (!unsorted) return;
  std::vector<std::pair<std::uint32_t, std::int64_t>> pairs;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::uint32_t c = lines.customer[i];
    if (days[c].unsorted) pairs.emplace_back(c, day_of(lines.timestamp[i]));
  }
  sort_keys(pairs);
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  for (const auto& pair : pairs) ++frequency[pair.first];
}

Aggregation aggregate(const OrderLines& lines) {
  const auto customers = static_cast<std::uint32_t>(lines.customer_ids.size());
  const bool by_day = lines.invoice.empty();
  Aggregation result;
  result.state.resize(customers);
  result.frequency.assign(customers, 0);
  std::vector<DayRuns> days(by_day ? customers : 0);
  std::vector<std::uint32_t> owner(by_day ? 0 : lines.invoice_ids.size(), kNoOwner);

  auto run = [&](std::uint32_t first, std::uint32_t width) {
    if (by_day) {
      aggregate_customers<true>(lines, first, width, result.state.data(), days.data(), nullptr);
    } else {
      aggregate_customers<false>(lines, first, width, result.state.data(), nullptr, owner.data());
    }
  };
  const int workers =
      lines.size() < kParallelLinesMin ? 1 : std::max(1, tbb::this_task_arena::max_concurrency());
  if (workers == 1) {
    run(0, customers);
  } else {
    tbb::parallel_for(tbb::blocked_range<int>(0, workers, 1),
                      [&](const tbb::blocked_range<int>& range) {
                        for (int w = range.begin(); w != range.end(); ++w) {
                          auto bound = [&](int k) {
                            return static_cast<std::uint32_t>(std::uint64_t{customers} *
                                                              static_cast<std::uint64_t>(k) /
                                                              static_cast<std::uint64_t>(workers));
                          };
                          run(bound(w), bound(w + 1) - bound(w));
                        }
                      });
  }
  if (by_day) {
    count_days(lines, days, result.frequency);
  } else {
    count_invoices(lines, owner, result.frequency);
  }
  return result;
}

// Present customers, ordered by id bytes (std::string compares as unsigned char).
std::vector<std::uint32_t> customer_order(const OrderLines& lines, const Aggregation& agg) {
  std::vector<std::uint32_t> order;
  for (std::uint32_t c = 0; c < agg.state.size(); ++c) {
    if (agg.state[c].present()) order.push_back(c);
  }
  auto by_id = [&](std::uint32_t a, std::uint32_t b) {
    return lines.customer_ids[a] < lines.customer_ids[b];
  };
  if (order.size() >= kParallelSortMin) {
    tbb::parallel_sort(order.begin(), order.end(), by_id);
  } else {
    std::sort(order.begin(), order.end(), by_id);
  }
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (lines.customer_ids[order[i]] == lines.customer_ids[order[i - 1]]) {
      throw std::invalid_argument(
          fmt::format("OrderLines lists customer id '{}' twice", lines.customer_ids[order[i]]));
    }
  }
  return order;
}

std::vector<SegmentSummary> summarize_segments(const analysis::TierScheme& scheme,
                                               const std::vector<CustomerRfm>& customers,
                                               double total) {
  const std::size_t count = scheme.segments.size();
  std::vector<SegmentSummary> summaries(count);
  std::vector<KahanSum> revenue(count);
  std::vector<std::int64_t> recency_sum(count, 0), frequency_sum(count, 0);
  for (const CustomerRfm& customer : customers) {
    auto s = static_cast<std::size_t>(customer.segment);
    ++summaries[s].customers;
    revenue[s].add(customer.monetary);
    recency_sum[s] += customer.recency_days;
    frequency_sum[s] += customer.frequency;
  }
  const auto n = static_cast<double>(customers.size());
  for (std::size_t s = 0; s < count; ++s) {
    SegmentSummary& summary = summaries[s];
    summary.name = scheme.segments[s].name;
    summary.name_zh = scheme.segments[s].name_zh;
    summary.revenue = revenue[s].sum;
    summary.customer_share = static_cast<double>(summary.customers) / n;
    summary.revenue_share = total > 0 ? summary.revenue / total : 0.0;
    if (summary.customers > 0) {
      const auto members = static_cast<double>(summary.customers);
      summary.mean_recency = static_cast<double>(recency_sum[s]) / members;
      summary.mean_frequency = static_cast<double>(frequency_sum[s]) / members;
      summary.mean_monetary = summary.revenue / members;
    }
  }
  return summaries;
}

}  // namespace

RfmResult compute_rfm(const OrderLines& lines, const RfmOptions& options) {
  // Configuration errors first, so a bad option fails before any work.
  analysis::TierScheme scheme = analysis::resolve_tier_scheme(options.scheme);
  std::optional<analysis::ScoringRules> scoring;
  if (!options.scoring_file.empty()) scoring = analysis::load_scoring_file(options.scoring_file);
  check_lines(lines);

  const Aggregation agg = aggregate(lines);
  const std::vector<std::uint32_t> order = customer_order(lines, agg);

  std::int64_t last_day = kNoDay;
  for (std::uint32_t c : order) last_day = std::max(last_day, day_of(agg.state[c].last_ts));
  const std::int64_t as_of_day = options.as_of ? day_of(*options.as_of) : last_day + 1;

  RfmResult result;
  result.scheme = scheme.name;
  result.as_of = as_of_day * kSecondsPerDay;
  const std::size_t n = order.size();
  result.customers.resize(n);
  std::vector<std::int64_t> recency(n), frequency(n);
  std::vector<double> monetary(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t c = order[i];
    const CustomerState& state = agg.state[c];
    CustomerRfm& row = result.customers[i];
    row.customer_id = lines.customer_ids[c];
    row.first_purchase = state.first_ts;
    row.last_purchase = state.last_ts;
    row.recency_days = as_of_day - day_of(state.last_ts);
    row.tenure_days = as_of_day - day_of(state.first_ts);
    row.frequency = agg.frequency[c];
    row.monetary = state.monetary.sum;
    // Only lines without invoice numbers leave frequency at 0.
    row.avg_order_value =
        row.frequency > 0 ? row.monetary / static_cast<double>(row.frequency) : 0.0;
    recency[i] = row.recency_days;
    frequency[i] = row.frequency;
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
  result.segments = summarize_segments(scheme, result.customers, result.revenue);
  result.pareto = analysis::compute_pareto(monetary, result.segments, result.revenue);
  return result;
}

}  // namespace custlens
