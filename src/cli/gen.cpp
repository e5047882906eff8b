// `custlens gen orders` and `custlens gen events`: write synthetic UCI-schema order lines or a
// Taobao-layout behaviour log and report the speed.
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "cli/command.h"
#include "custlens/error.h"
#include "io/events_generator.h"
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

struct GenEventsArgs {
  std::int64_t rows = 0;
  std::int64_t users = 0;
  std::uint64_t seed = 42;
  std::string start = "2017-11-25";
  int days = 9;
  std::string output;
  int threads = 0;
};

void run_gen_events(const GenEventsArgs& args) {
  io::EventsGeneratorOptions options;
  options.rows = args.rows;
  options.users = args.users;
  options.seed = args.seed;
  options.start = args.start;
  options.days = args.days;
  options.threads = args.threads;
  const auto start = std::chrono::steady_clock::now();
  io::OutputFiles outputs;
  const bool to_stdout = args.output == "-";
  const io::EventsGeneratorStats stats =
      io::generate_events(to_stdout ? args.output : outputs.stage(args.output).string(), options);
  outputs.commit();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (to_stdout) return;  // the data went to stdout; keep it clean
  fmt::print(
      "wrote {} events ({} users, {} items, {} categories, {:.1f} MB) to {} in {:.2f} s "
      "({:.0f} rows/s)\n",
      stats.rows, stats.users, stats.items, stats.categories,
      static_cast<double>(stats.bytes) / 1e6, args.output, seconds,
      seconds > 0 ? static_cast<double>(stats.rows) / seconds : 0.0);
}

void setup_gen_events(CLI::App& app) {
  CLI::App* events = app.add_subcommand(
      "events",
      "Synthetic behaviour log in the headerless Taobao UserBehavior layout (deterministic per "
      "seed)");
  auto args = std::make_shared<GenEventsArgs>();
  events->add_option("--rows", args->rows, "Number of event rows to write")->required();
  events->add_option("--users", args->users, "Size of the user pool (default rows / 100)");
  events->add_option("--seed", args->seed, "Random seed")->capture_default_str();
  events->add_option("--start", args->start, "First local day (Asia/Shanghai), YYYY-MM-DD")
      ->capture_default_str();
  events->add_option("--days", args->days, "Number of days the log covers")->capture_default_str();
  events->add_option("--threads", args->threads, "Worker threads, 0 = every core")
      ->capture_default_str();
  events->add_option("-o,--output", args->output, "Output CSV file, - for stdout")->required();
  CLI::Option* users_option = events->get_option("--users");
  events->callback([args, users_option] {
    if (users_option->count() > 0 && args->users <= 0) {  // 0 means the default only when absent
      throw Error(fmt::format("--users must be between 1 and --rows ({}), got {}", args->rows,
                              args->users));
    }
    run_gen_events(*args);
  });
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
  setup_gen_events(app);
}

}  // namespace

CUSTLENS_REGISTER_COMMAND(gen, "Generate synthetic data sets", setup_gen);

}  // namespace custlens::cli
