// Benchmark kernel: compute_rfm on 1 M and 10 M synthetic order lines built in memory, with and
// without invoices, at several thread counts (the second argument; 0 = every core).
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCUSTLENS_BENCH=ON
//   cmake --build build-bench --target custlens_bench && build-bench/custlens_bench
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <tuple>
#include <vector>

#include "custlens/rfm.h"

namespace {

using custlens::OrderLines;

enum class Order { kByTime, kShuffled };

// One customer per 100 lines (the UCI set has ~90) unless `per_customer` says otherwise, invoices
// of 1-8 lines over a year. kByTime lists invoices by time as exports do; kShuffled lists them in
// random time order, the worst case for counting purchase days.
OrderLines make_lines(std::size_t count, bool with_invoice, Order order,
                      std::size_t per_customer = 100) {
  std::mt19937_64 random(42);
  const auto customers = static_cast<std::uint32_t>(std::max<std::size_t>(1, count / per_customer));
  std::uniform_int_distribution<std::uint32_t> pick_customer(0, customers - 1);
  std::uniform_int_distribution<int> pick_lines(1, 8), pick_second(0, 365 * 86400 - 1),
      pick_cents(50, 20000);
  struct Invoice {
    std::int64_t when;
    std::uint32_t customer;
    int lines;
  };
  const std::int64_t start = 1291161600;  // 2010-12-01
  std::vector<Invoice> invoices;
  for (std::size_t planned = 0; planned < count;) {
    Invoice invoice{start + pick_second(random), pick_customer(random), pick_lines(random)};
    planned += static_cast<std::size_t>(invoice.lines);
    invoices.push_back(invoice);
  }
  if (order == Order::kByTime) {
    std::sort(invoices.begin(), invoices.end(),
              [](const Invoice& a, const Invoice& b) { return a.when < b.when; });
  }
  OrderLines lines;
  lines.customer_ids.reserve(customers);
  for (std::uint32_t c = 0; c < customers; ++c) {
    lines.customer_ids.push_back(fmt::format("{}", 12346 + c));
  }
  lines.customer.reserve(count);
  lines.timestamp.reserve(count);
  lines.amount.reserve(count);
  if (with_invoice) lines.invoice.reserve(count);
  for (const Invoice& invoice : invoices) {
    const auto id = static_cast<std::uint32_t>(lines.invoice_ids.size());
    if (with_invoice) lines.invoice_ids.push_back(fmt::format("{}", 536365 + id));
    for (int k = 0; k < invoice.lines && lines.customer.size() < count; ++k) {
      lines.customer.push_back(invoice.customer);
      lines.timestamp.push_back(invoice.when);
      lines.amount.push_back(pick_cents(random) / 100.0);
      if (with_invoice) lines.invoice.push_back(id);
    }
  }
  return lines;
}

const OrderLines& cached_lines(std::size_t count, bool with_invoice, Order order) {
  static std::map<std::tuple<std::size_t, bool, Order>, std::unique_ptr<OrderLines>> cache;
  auto& slot = cache[{count, with_invoice, order}];
  if (!slot) slot = std::make_unique<OrderLines>(make_lines(count, with_invoice, order));
  return *slot;
}

void run(benchmark::State& state, bool with_invoice, Order order) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const int threads =
      state.range(1) > 0 ? static_cast<int>(state.range(1)) : tbb::info::default_concurrency();
  const OrderLines& lines = cached_lines(count, with_invoice, order);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  for (auto _ : state) {
    custlens::RfmResult result = custlens::compute_rfm(lines, {});
    benchmark::DoNotOptimize(result.revenue);
  }
  state.counters["threads"] = threads;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * count));
}

void BM_ComputeRfm(benchmark::State& state) { run(state, true, Order::kByTime); }
void BM_ComputeRfmShuffled(benchmark::State& state) { run(state, true, Order::kShuffled); }
void BM_ComputeRfmNoInvoice(benchmark::State& state) { run(state, false, Order::kByTime); }
void BM_ComputeRfmNoInvoiceShuffled(benchmark::State& state) {
  run(state, false, Order::kShuffled);
}

void sizes_and_threads(benchmark::internal::Benchmark* bench) {
  for (std::int64_t lines : {1'000'000, 10'000'000}) {
    for (std::int64_t threads : {1, 2, 4, 8, 0}) {
      if (threads > tbb::info::default_concurrency()) continue;
      bench->Args({lines, threads});
    }
  }
  bench->ArgNames({"lines", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK(BM_ComputeRfm)->Apply(sizes_and_threads);
BENCHMARK(BM_ComputeRfmShuffled)->Apply(sizes_and_threads);
BENCHMARK(BM_ComputeRfmNoInvoice)->Apply(sizes_and_threads);
BENCHMARK(BM_ComputeRfmNoInvoiceShuffled)->Apply(sizes_and_threads);

}  // namespace
