// compute_patterns on synthetic cleaned order lines (UCI-like cardinalities), 1 M and 10 M lines,
// and the streaming PatternAccumulator's add() alone on the same lines (with invoices, and
// without: then orders are customer-days), and on lines of 10 M distinct customers.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdint>
#include <memory>

#include "analysis/pattern_accumulator.h"
#include "custlens/patterns.h"

namespace {

custlens::OrderLines make_lines(std::size_t n) {
  custlens::OrderLines lines;
  const std::uint32_t customers = 4372, invoices = static_cast<std::uint32_t>(n / 20 + 1);
  for (std::uint32_t c = 0; c < customers; ++c) lines.customer_ids.push_back(std::to_string(c));
  for (std::uint32_t i = 0; i < invoices; ++i) lines.invoice_ids.push_back(std::to_string(i));
  for (int c = 0; c < 38; ++c) lines.country_names.push_back(fmt::format("Country {}", c));
  const char* words[] = {"BAG", "LANTERN", "MUG", "NECKLACE", "CANDLE", "CARD", "DOOR STOP"};
  for (int d = 0; d < 3600; ++d) {
    lines.descriptions.push_back(fmt::format("STYLE {} {}", d, words[d % 7]));
  }
  std::uint64_t state = 42;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  const std::int64_t start = 14944LL * 86400;  // 2010-12-01
  for (std::size_t i = 0; i < n; ++i) {
    const auto invoice = static_cast<std::uint32_t>(i / 20);
    lines.invoice.push_back(invoice);
    lines.customer.push_back(static_cast<std::uint32_t>((invoice * 2654435761u) % customers));
    lines.timestamp.push_back(start + static_cast<std::int64_t>(invoice) * 374 * 86400 / invoices);
    lines.amount.push_back(static_cast<double>(next() % 5000) / 100.0);
    lines.country.push_back(next() % 10 == 0 ? static_cast<std::uint32_t>(next() % 38) : 0);
    lines.description.push_back(static_cast<std::uint32_t>(next() % 3600));
  }
  return lines;
}

void BM_ComputePatterns(benchmark::State& state) {
  const auto lines = make_lines(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(custlens::compute_patterns(lines, {}));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ComputePatterns)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// add() for every line (the scan's per-line cost); the accumulator is made outside the timing.
void add_all(benchmark::State& state, const custlens::OrderLines& lines) {
  for (auto _ : state) {
    state.PauseTiming();
    auto accumulator =
        std::make_unique<custlens::PatternAccumulator>(custlens::PatternOptions{}, lines);
    state.ResumeTiming();
    accumulator->add_lines(lines);
    benchmark::DoNotOptimize(accumulator.get());
    state.PauseTiming();
    accumulator.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(lines.size()));
}

void BM_PatternAccumulatorAdd(benchmark::State& state) {
  add_all(state, make_lines(static_cast<std::size_t>(state.range(0))));
}
BENCHMARK(BM_PatternAccumulatorAdd)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_PatternAccumulatorAddNoInvoice(benchmark::State& state) {
  custlens::OrderLines lines = make_lines(static_cast<std::size_t>(state.range(0)));
  lines.invoice.clear();
  lines.invoice_ids.clear();
  add_all(state, lines);
}
BENCHMARK(BM_PatternAccumulatorAddNoInvoice)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

// Every line a new customer and invoice (the 10 M customers with one order each).
void BM_PatternAccumulatorAddDistinctCustomers(benchmark::State& state) {
  custlens::OrderLines lines = make_lines(static_cast<std::size_t>(state.range(0)));
  lines.customer_ids.resize(lines.size());
  lines.invoice_ids.resize(lines.size());
  for (std::uint32_t i = 0; i < lines.size(); ++i) lines.customer[i] = lines.invoice[i] = i;
  add_all(state, lines);
}
BENCHMARK(BM_PatternAccumulatorAddDistinctCustomers)
    ->Arg(10'000'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
