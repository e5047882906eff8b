// Benchmark kernels of the CSV reader: MB/s of open + scan on a generated 100 MB UCI-style file
// (one thread and every core), on a whitespace-aligned one, and of Windows-1252 -> UTF-8
// conversion.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "io/csv.h"
#include "io/encoding.h"

namespace custlens::io {
namespace {

constexpr std::size_t kFileBytes = std::size_t{100} << 20;

/// Order lines in the UCI Online Retail schema; one in ten descriptions is quoted with a comma.
std::string generate_orders(std::size_t bytes, bool latin1) {
  static constexpr std::array<std::string_view, 8> kDescriptions{
      "WHITE HANGING HEART T-LIGHT HOLDER", "WHITE METAL LANTERN",
      "CREAM CUPID HEARTS COAT HANGER",     "KNITTED UNION FLAG HOT WATER BOTTLE",
      "RED WOOLLY HOTTIE WHITE HEART.",     "SET 7 BABUSHKA NESTING BOXES",
      "GLASS STAR FROSTED T-LIGHT HOLDER",  "HAND WARMER UNION JACK"};
  static constexpr std::array<std::string_view, 4> kCountries{"United Kingdom", "France", "Germany",
                                                              "EIRE"};
  std::mt19937_64 random(42);
  std::string text =
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,"
      "Country\n";
  text.reserve(bytes + 256);
  std::uint64_t invoice = 536365;
  while (text.size() < bytes) {
    const std::uint64_t draw = random();
    invoice += draw % 4 == 0;
    const std::string_view description = kDescriptions[(draw >> 8) % kDescriptions.size()];
    const bool quoted = (draw >> 16) % 10 == 0;
    fmt::format_to(std::back_inserter(text),
                   "{},{}{},{}{}{}{},{},12/{}/2010 {}:{:02},{}.{:02},{},{}\n", invoice,
                   10000 + (draw >> 20) % 90000, (draw >> 40) % 3 == 0 ? "A" : "",
                   quoted ? "\"" : "", description, quoted ? ", ASSORTED\"" : "",
                   latin1 && (draw >> 44) % 7 == 0 ? " \xC9T\xC9" : "", (draw >> 24) % 48 + 1,
                   (draw >> 30) % 28 + 1, (draw >> 35) % 12 + 8, (draw >> 50) % 60,
                   (draw >> 56) % 20, (draw >> 9) % 100, 12346 + (draw >> 12) % 6000,
                   kCountries[(draw >> 60) % kCountries.size()]);
  }
  return text;
}

/// Transactions in CDNOW_sample.txt's whitespace-aligned, headerless layout (CRLF).
std::string generate_aligned(std::size_t bytes) {
  std::mt19937_64 random(42);
  std::string text;
  text.reserve(bytes + 64);
  while (text.size() < bytes) {
    const std::uint64_t draw = random();
    fmt::format_to(std::back_inserter(text), " {:05} {:04} 1997{:02}{:02} {:2} {:7}.{:02}\r\n",
                   draw % 23570, draw % 2357 + 1, (draw >> 20) % 12 + 1, (draw >> 24) % 28 + 1,
                   (draw >> 30) % 12 + 1, (draw >> 36) % 500, (draw >> 46) % 100);
  }
  return text;
}

/// A generated file in the temp directory, removed at exit.
class GeneratedFile {
 public:
  GeneratedFile(const std::string& name, bool latin1)
      : GeneratedFile(name, generate_orders(kFileBytes, latin1)) {}
  GeneratedFile(const std::string& name, const std::string& text)
      : path_((std::filesystem::temp_directory_path() /
               fmt::format("custlens_bench_{}_{}", ::getpid(), name))
                  .string()) {
    std::ofstream(path_, std::ios::binary).write(text.data(), std::streamsize(text.size()));
    size_ = text.size();
  }
  ~GeneratedFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }
  std::size_t size() const { return size_; }

 private:
  std::string path_;
  std::size_t size_ = 0;
};

const GeneratedFile& utf8_orders() {
  static const GeneratedFile file("orders.csv", false);
  return file;
}

const GeneratedFile& aligned_transactions() {
  static const GeneratedFile file("aligned.txt", generate_aligned(kFileBytes));
  return file;
}

const GeneratedFile& latin1_orders() {
  static const GeneratedFile file("orders_latin1.csv", true);
  return file;
}

void scan_file(benchmark::State& state, const GeneratedFile& file) {
  ReadOptions options;
  options.threads = static_cast<int>(state.range(0));
  std::int64_t rows = 0;
  for (auto _ : state) {
    const std::unique_ptr<RowSource> source = open_csv(file.path(), options);
    std::atomic<std::int64_t> fields{0};
    source->scan([&](std::size_t, const RowBatch& batch) { fields += batch.fields.size(); },
                 nullptr);
    rows = source->rows_read();
    benchmark::DoNotOptimize(fields.load());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file.size()));
  state.counters["rows"] = static_cast<double>(rows);
}

void BM_CsvScanUtf8(benchmark::State& state) { scan_file(state, utf8_orders()); }
BENCHMARK(BM_CsvScanUtf8)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

// The whitespace delimiter (sniffed) and the cdnow layout: runs of blanks, CRLF, 5 fields.
void BM_CsvScanWhitespace(benchmark::State& state) { scan_file(state, aligned_transactions()); }
BENCHMARK(BM_CsvScanWhitespace)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CsvScanWindows1252(benchmark::State& state) { scan_file(state, latin1_orders()); }
BENCHMARK(BM_CsvScanWindows1252)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DecodeWindows1252(benchmark::State& state) {
  const GeneratedFile& file = latin1_orders();
  std::ifstream in(file.path(), std::ios::binary);
  const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (auto _ : state) {
    const Utf8Text text = decode_to_utf8(raw, "");
    benchmark::DoNotOptimize(text.view().data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * raw.size()));
}
BENCHMARK(BM_DecodeWindows1252)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace custlens::io
