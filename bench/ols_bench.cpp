// Benchmark kernel: fit_ols and fit_logit on a 1 M-row table built in memory (16 numbers, 2
// booleans, one three-level category: 20 regressors), the model alone without reading a file,
// at several thread counts (the second argument; 0 = every core).
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCUSTLENS_BENCH=ON
//   cmake --build build-bench --target custlens_bench && build-bench/custlens_bench
//   --benchmark_filter=Fit
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>

#include <cmath>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "custlens/regression.h"

namespace {

using custlens::Column;
using custlens::ColumnType;
using custlens::Table;

// y is linear in the regressors plus noise; `bought` is a logistic draw from the same index.
Table make_table(std::size_t rows) {
  std::mt19937_64 random(7);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  std::vector<Column> numbers;
  for (int j = 1; j <= 16; ++j) numbers.emplace_back(fmt::format("x{}", j), ColumnType::kDouble);
  Column f1("f1", ColumnType::kBool), f2("f2", ColumnType::kBool);
  Column region("region", ColumnType::kString);
  Column y("y", ColumnType::kDouble), bought("bought", ColumnType::kBool);
  const char* regions[] = {"East", "North", "South"};
  for (std::size_t i = 0; i < rows; ++i) {
    double index = 0;
    for (int j = 0; j < 16; ++j) {
      const double scale = std::pow(10.0, (j + 1) % 6);
      const double value = normal(random) * scale;
      numbers[static_cast<std::size_t>(j)].append_double(value);
      index += ((j + 1) % 5 - 2) * 0.05 * value / scale;
    }
    const bool a = uniform(random) < 0.3, b = uniform(random) < 0.6;
    const int r = static_cast<int>(uniform(random) * 3);
    f1.append_int(a);
    f2.append_int(b);
    region.append_string(regions[r]);
    index += 0.5 * a - 0.3 * b + (r == 1 ? 0.4 : r == 2 ? -0.2 : 0.0);
    y.append_double(5 + 10 * index + 3 * normal(random));
    bought.append_int(uniform(random) < 1 / (1 + std::exp(-index)));
  }
  Table table;
  table.add_column(std::move(y));
  table.add_column(std::move(bought));
  for (auto& column : numbers) table.add_column(std::move(column));
  table.add_column(std::move(f1));
  table.add_column(std::move(f2));
  table.add_column(std::move(region));
  return table;
}

const Table& table_of(std::size_t rows) {
  static std::map<std::size_t, std::unique_ptr<Table>> tables;
  auto& table = tables[rows];
  if (!table) table = std::make_unique<Table>(make_table(rows));
  return *table;
}

std::vector<std::string> regressors() {
  std::vector<std::string> names;
  for (int j = 1; j <= 16; ++j) names.push_back(fmt::format("x{}", j));
  for (const char* name : {"f1", "f2", "region"}) names.emplace_back(name);
  return names;
}

void limit_threads(benchmark::State& state, std::unique_ptr<tbb::global_control>& control) {
  const auto threads = static_cast<std::size_t>(state.range(1));
  if (threads > 0) {
    control = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                    threads);
  }
}

void BM_OlsFit(benchmark::State& state) {
  std::unique_ptr<tbb::global_control> control;
  limit_threads(state, control);
  const Table& table = table_of(static_cast<std::size_t>(state.range(0)));
  custlens::OlsOptions options;
  options.design.target = "y";
  options.design.regressors = regressors();
  for (auto _ : state) benchmark::DoNotOptimize(custlens::fit_ols(table, options));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_LogitFit(benchmark::State& state) {
  std::unique_ptr<tbb::global_control> control;
  limit_threads(state, control);
  const Table& table = table_of(static_cast<std::size_t>(state.range(0)));
  custlens::LogitOptions options;
  options.design.target = "bought";
  options.design.regressors = regressors();
  for (auto _ : state) benchmark::DoNotOptimize(custlens::fit_logit(table, options));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

BENCHMARK(BM_OlsFit)->Args({1'000'000, 1})->Args({1'000'000, 0})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LogitFit)->Args({1'000'000, 0})->Unit(benchmark::kMillisecond);

}  // namespace
