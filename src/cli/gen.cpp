// `custlens gen orders`: writes a synthetic UCI-schema order-line CSV and reports its speed.
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "cli/command.h"
#include "io/orders_generator.h"
#include "io/output_files.h"

namespace custlens::cli {
namespace {

struct GenOrdersArgs {
  std::int64_t rows = 0;
  std::int64_t customers = 4372;
  std::uint64_t seed = 42;
  std::string date_style = "iso";
  std::string output;
  int threads = 0;
};

void run_gen_orders(const GenOrdersArgs& args) {
  io::OrdersGeneratorOptions options;
  options.rows = args.rows;
  options.customers = args.customers;
  options.seed = args.seed;
  options.date_style = io::parse_date_style(args.date_style);
  options.threads = args.threads;
  const auto start = std::chrono::steady_clock::now();
  io::OutputFiles outputs;
  const bool to_stdout = args.output == "-";
  const io::OrdersGeneratorStats stats =
      io::generate_orders(to_stdout ? args.output : outputs.stage(args.output).string(), options);
  outputs.commit();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (args.output == "-") return;  // the data went to stdout; keep it clean
  fmt::print("wrote {} order lines ({} invoices, {:.1f} MB) to {} in {:.2f} s ({:.0f} rows/s)\n",
             stats.rows, stats.invoices, static_cast<double>(stats.bytes) / 1e6, args.output,
             seconds, seconds > 0 ? static_cast<double>(stats.rows) / seconds : 0.0);
}

void setup_gen(CLI::App& app) {
  app.require_subcommand(1);
  CLI::App* orders = app.add_subcommand(
      "orders", "Synthetic order lines in the UCI Online Retail schema (deterministic per seed)");
  auto args = std::make_shared<GenOrdersArgs>();
  orders->add_option("--rows", args->rows, "Number of order lines to write")->required();
  orders->add_option("--customers", args->customers, "Size of the customer pool")
      ->capture_default_str();
  orders->add_option("--seed", args->seed, "Random seed")->capture_default_str();
  orders
      ->add_option("--date-style", args->date_style,
                   "InvoiceDate as iso (2010-12-01 08:26:00) or uci (12/1/2010 8:26)")
      ->check(CLI::IsMember({"iso", "uci"}))
      ->capture_default_str();
  orders->add_option("--threads", args->threads, "Worker threads, 0 = every core")
      ->capture_default_str();
  orders->add_option("-o,--output", args->output, "Output CSV file, - for stdout")->required();
  orders->callback([args] { run_gen_orders(*args); });
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(gen, "Generate synthetic data sets", setup_gen);

}  // namespace custlens::cli
