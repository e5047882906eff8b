// compute_patterns on synthetic cleaned order lines (UCI-like cardinalities), 1 M and 10 M lines.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdint>

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

}  // namespace
