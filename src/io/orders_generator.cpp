// The synthetic order generator: a seeded model of a UK gift-ware wholesaler (products, customers,
// calendar) and the parallel, deterministic writer of its order lines as UCI-schema CSV.
//
// Shape targets, after the UCI Online Retail set (checked in tests/io/orders_generator_test.cpp):
//   - dates 2010-12-01 .. 2011-12-09, file in time order, invoice numbers rising from 536365;
//     November the peak month, no Saturday orders, Thursday the busiest day, hours 7-20 peaking
//     at 12, no trade 2010-12-24 .. 2011-01-03;
//   - ~20 lines per sales invoice (median ~11);
//   - ~25 % of lines on guest invoices (empty CustomerID);
//   - ~2 % of lines on cancellation invoices ("C" + number, negative Quantity);
//   - ~0.4 % zero prices, a rare negative "Adjust bad debt" line, ~1 % exact duplicate lines;
//   - customer weights lognormal so that ~20 % of customers make ~70-80 % of revenue;
//   - 38 countries, United Kingdom ~90 % of lines;
//   - descriptions from a gift-ware vocabulary hitting share/categories.toml, some with commas.
#include "io/orders_generator.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/calendar.h"
#include "custlens/error.h"
#include "io/chunked_writer.h"
#include "io/generator_random.h"
#include "io/orders_vocabulary.h"

namespace custlens::io {
namespace {

using vocabulary::CountryShare;
using vocabulary::kCountries;
using vocabulary::kHourWeights;
using vocabulary::kMonthWeights;
using vocabulary::kNouns;
using vocabulary::kQuantities;
using vocabulary::kQuantityWeights;
using vocabulary::kSetPrefixes;
using vocabulary::kSizePrefixes;
using vocabulary::kStyles;
using vocabulary::kWeekdayWeights;
using vocabulary::Noun;
using vocabulary::Prefix;

using generator::AliasTable;
using generator::Rng;

// Independent streams: the catalog, the customers, the calendar and one per invoice.
enum class Stream : std::uint64_t { kCatalog = 1, kCustomers = 2, kCalendar = 3, kInvoice = 4 };

std::uint64_t stream_seed(std::uint64_t seed, Stream stream, std::uint64_t index = 0) {
  return generator::stream_seed(seed, static_cast<std::uint64_t>(stream), index);
}

// ---------------------------------------------------------------------------------------------
// The model. Rates are per line unless stated.

constexpr std::int64_t kFirstInvoiceNumber = 536365;
constexpr double kCancelledInvoiceRate = 0.15;  // UCI: 15 % of invoices, ~2 lines each -> ~2 %
constexpr double kGuestInvoiceRate = 0.255;     // of sales invoices -> ~25 % of lines
constexpr double kDuplicateRate = 0.007;        // plus chance repeats -> ~1 %
constexpr double kZeroPriceRate = 0.004;
constexpr double kBadDebtRate = 0.00001;
// A customer's scale s = exp(sigma * Z) drives both how often they order (s^0.6) and how many
// lines their invoices have (s^0.4): spend ~ s is lognormal(1.5), so the top 20 % of customers
// make ~75 % of revenue, while most of the pool still orders now and then.
constexpr double kCustomerScaleSigma = 1.5;
constexpr double kFrequencyExponent = 0.6;
constexpr double kBasketExponent = 0.4;
constexpr int kProducts = 3600;
constexpr std::int64_t kChunkRows = 1 << 16;  // unit of parallel work; fixed, not per thread

constexpr double kDayNoiseSigma = 0.15;  // day-to-day wobble of the calendar weights

constexpr std::int64_t kFirstDay = common::days_from_civil(2010, 12, 1);
constexpr std::int64_t kLastDay = common::days_from_civil(2011, 12, 9);
constexpr std::int64_t kHolidayFirst = common::days_from_civil(2010, 12, 24);
constexpr std::int64_t kHolidayLast = common::days_from_civil(2011, 1, 3);

// A CSV field: quoted when it holds a comma, quote or line break, quotes doubled.
std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string format_pence(std::int64_t pence) {
  const std::int64_t magnitude = pence < 0 ? -pence : pence;
  return fmt::format("{}{}.{:02}", pence < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

std::int64_t round_to_5p(double pence) {
  return std::max<std::int64_t>(5, std::llround(pence / 5.0) * 5);
}

struct Product {
  std::string stock_code;
  std::string description;  // CSV-ready
  std::string price;        // CSV-ready, e.g. "2.55"
  std::string bulk_price;   // for 24 or more
};

struct Model {
  std::vector<Product> products;
  AliasTable product_pick;
  std::vector<std::string> countries;  // CSV-ready
  AliasTable guest_country_pick;
  std::vector<std::string> customer_ids;
  std::vector<std::uint32_t> customer_country;
  std::vector<double> customer_basket;  // lines multiplier, 1 on average over invoices
  AliasTable customer_pick;
  AliasTable quantity_pick;
  std::vector<double> time_cumulative;  // per hour cell from kFirstDay 00:00
  std::size_t last_open_cell = 0;
  DateStyle date_style = DateStyle::kIso;
};

std::string make_description(Rng& rng) {
  const Noun& noun = kNouns[rng.below(std::size(kNouns))];
  const char* style = kStyles[rng.below(std::size(kStyles))];
  const std::uint32_t form = rng.below(100);
  if (form < 55) return fmt::format("{} {}", style, noun.text);
  if (form < 75) return fmt::format("{} {}", noun.text, style);
  if (form < 87) {
    return fmt::format("{} {} {}", kSizePrefixes[rng.below(std::size(kSizePrefixes))].text, style,
                       noun.text);
  }
  if (form < 95) {
    return fmt::format("{} {} {}", kSetPrefixes[rng.below(std::size(kSetPrefixes))].text, style,
                       noun.text);
  }
  return fmt::format("{}, {}", noun.text, style);  // the comma form UCI also has
}

// Price of a description from its noun and prefix, with a per-product design factor.
std::int64_t price_of(std::string_view description, Rng& rng) {
  double pence = 150;
  std::size_t best = 0;
  for (const Noun& noun : kNouns) {  // the longest noun in the text is the product's noun
    const std::string_view text = noun.text;
    if (text.size() > best && description.find(text) != std::string_view::npos) {
      best = text.size();
      pence = noun.pence;
    }
  }
  for (const Prefix& prefix : kSizePrefixes) {
    if (description.starts_with(prefix.text)) pence *= prefix.price_factor;
  }
  for (const Prefix& prefix : kSetPrefixes) {
    if (description.starts_with(prefix.text)) pence *= prefix.price_factor;
  }
  return round_to_5p(pence * (0.75 + 0.6 * rng.uniform()));
}

void build_catalog(Model& model, std::uint64_t seed) {
  Rng rng(stream_seed(seed, Stream::kCatalog));
  std::unordered_set<std::string> seen;
  const std::uint32_t code_offset = rng.below(80000);
  std::vector<double> popularity;
  for (int i = 0; i < kProducts; ++i) {
    Product product;
    // 7919 is prime to 80000, so the five-digit codes are distinct.
    const std::uint32_t number =
        10000 + (static_cast<std::uint32_t>(i) * 7919u + code_offset) % 80000u;
    product.stock_code = std::to_string(number);
    if (rng.uniform() < 0.12) product.stock_code += static_cast<char>('A' + rng.below(7));
    std::string description;
    if (i == 40) {
      description = "POSTAGE";  // UCI's postage line for overseas orders
      product.stock_code = "POST";
    } else {
      do {
        description = make_description(rng);
      } while (!seen.insert(description).second);
    }
    const std::int64_t pence = i == 40 ? 1800 : price_of(description, rng);
    product.description = csv_field(description);
    product.price = format_pence(pence);
    product.bulk_price = format_pence(round_to_5p(static_cast<double>(pence) * 0.85));
    model.products.push_back(std::move(product));
    popularity.push_back(1.0 / std::pow(i + 20.0, 0.9));  // Zipf-like: a few best sellers
  }
  model.product_pick = AliasTable(popularity);
}

void build_customers(Model& model, std::int64_t customers, std::uint64_t seed) {
  Rng rng(stream_seed(seed, Stream::kCustomers));
  std::vector<double> guest_weights;
  for (const CountryShare& country : kCountries) {
    model.countries.push_back(csv_field(country.name));
    guest_weights.push_back(country.lines);
  }
  model.guest_country_pick = AliasTable(guest_weights);

  // Customers per country in UCI proportion; with enough customers every country gets one.
  double total_customers = 0;
  for (const CountryShare& country : kCountries) total_customers += country.customers;
  std::vector<std::uint32_t> home;
  home.reserve(static_cast<std::size_t>(customers));
  for (std::uint32_t c = 1; c < std::size(kCountries); ++c) {
    std::int64_t count =
        std::llround(static_cast<double>(customers) * kCountries[c].customers / total_customers);
    if (customers >= 100) count = std::max<std::int64_t>(count, 1);
    for (std::int64_t k = 0; k < count && std::ssize(home) < customers; ++k) home.push_back(c);
  }
  home.resize(static_cast<std::size_t>(customers), 0);  // the rest are United Kingdom
  for (std::size_t i = home.size(); i > 1; --i) {  // Fisher-Yates, so ids do not follow country
    std::swap(home[i - 1], home[rng.below(static_cast<std::uint32_t>(i))]);
  }
  model.customer_country = std::move(home);

  std::vector<double> weights;
  weights.reserve(static_cast<std::size_t>(customers));
  model.customer_ids.reserve(static_cast<std::size_t>(customers));
  double total_weight = 0, weighted_basket = 0;
  for (std::int64_t i = 0; i < customers; ++i) {
    model.customer_ids.push_back(std::to_string(12346 + i));
    const double log_scale = kCustomerScaleSigma * rng.normal();
    weights.push_back(std::exp(kFrequencyExponent * log_scale));
    model.customer_basket.push_back(std::exp(kBasketExponent * log_scale));
    total_weight += weights.back();
    weighted_basket += weights.back() * model.customer_basket.back();
  }
  // Normalised so registered invoices keep the guest invoices' mean size (and line shares hold).
  for (double& basket : model.customer_basket) basket *= total_weight / weighted_basket;
  model.customer_pick = AliasTable(weights);
}

void build_calendar(Model& model, std::uint64_t seed) {
  Rng rng(stream_seed(seed, Stream::kCalendar));
  double total = 0;
  for (std::int64_t day = kFirstDay; day <= kLastDay; ++day) {
    const common::CivilDate date = common::civil_from_days(day);
    const int month_index = (date.year - 2010) * 12 + date.month - 12;
    double day_weight = kMonthWeights[month_index] *
                        kWeekdayWeights[common::weekday_from_days(day)] *
                        std::exp(kDayNoiseSigma * rng.normal());
    if (day >= kHolidayFirst && day <= kHolidayLast) day_weight = 0;
    for (int hour = 0; hour < 24; ++hour) {
      const double weight = day_weight * kHourWeights[hour];
      if (weight > 0) model.last_open_cell = model.time_cumulative.size();
      total += weight;
      model.time_cumulative.push_back(total);
    }
  }
}

// Maps q in [0, 1) to a minute of the calendar, monotonically: invoice g gets q = (g + u) / n,
// so the file is in time order and every hour receives its share of invoices.
std::int64_t time_at(const Model& model, double q) {
  const std::vector<double>& cumulative = model.time_cumulative;
  const double x = q * cumulative.back();
  std::size_t cell = static_cast<std::size_t>(
      std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
  cell = std::min(cell, model.last_open_cell);
  const double before = cell == 0 ? 0.0 : cumulative[cell - 1];
  const double fraction = (x - before) / (cumulative[cell] - before);
  const int minute = std::clamp(static_cast<int>(fraction * 60.0), 0, 59);
  return kFirstDay * common::kSecondsPerDay + static_cast<std::int64_t>(cell) * 3600 + minute * 60;
}

struct InvoicePlan {
  bool cancelled = false;
  std::uint32_t customer = 0;  // valid when !guest
  bool guest = false;
  std::uint32_t country = 0;
  std::int64_t lines = 0;
};

// The first draws of an invoice's stream; the counting pass and the writing pass both make them.
InvoicePlan plan_invoice(const Model& model, Rng& rng) {
  InvoicePlan plan;
  plan.cancelled = rng.uniform() < kCancelledInvoiceRate;
  plan.guest = !plan.cancelled && rng.uniform() < kGuestInvoiceRate;
  if (plan.guest) {
    plan.country = model.guest_country_pick.sample(rng);
  } else {
    plan.customer = model.customer_pick.sample(rng);
    plan.country = model.customer_country[plan.customer];
  }
  if (plan.cancelled) {  // mostly one or two returned items
    plan.lines = 1 + static_cast<std::int64_t>(-std::log(1.0 - rng.uniform()) * 1.5);
  } else {  // lognormal (median 13, mean ~21 lines), scaled by the customer's basket size
    const double basket = plan.guest ? 1.0 : model.customer_basket[plan.customer];
    plan.lines = static_cast<std::int64_t>(std::ceil(basket * std::exp(2.5 + 1.0 * rng.normal())));
  }
  plan.lines = std::clamp<std::int64_t>(plan.lines, 1, 600);
  return plan;
}

struct Layout {
  std::vector<std::int64_t> invoice_end;                    // cumulative rows after each invoice
  std::vector<std::pair<std::size_t, std::size_t>> chunks;  // [first, last) invoices
};

Layout plan_layout(const Model& model, std::int64_t rows, std::uint64_t seed) {
  Layout layout;
  std::int64_t total = 0;
  std::int64_t chunk_start_rows = 0;
  std::size_t chunk_first = 0;
  for (std::size_t g = 0; total < rows; ++g) {
    Rng rng(stream_seed(seed, Stream::kInvoice, g));
    total = std::min(rows, total + plan_invoice(model, rng).lines);
    layout.invoice_end.push_back(total);
    if (total - chunk_start_rows >= kChunkRows || total == rows) {
      layout.chunks.emplace_back(chunk_first, g + 1);
      chunk_first = g + 1;
      chunk_start_rows = total;
    }
  }
  return layout;
}

void write_invoice(const Model& model, const Layout& layout, std::size_t g, std::uint64_t seed,
                   fmt::memory_buffer& out) {
  Rng rng(stream_seed(seed, Stream::kInvoice, g));
  const InvoicePlan plan = plan_invoice(model, rng);
  const std::int64_t rows = layout.invoice_end[g] - (g == 0 ? 0 : layout.invoice_end[g - 1]);
  const double q =
      (static_cast<double>(g) + rng.uniform()) / static_cast<double>(layout.invoice_end.size());
  const std::int64_t timestamp = time_at(model, q);
  const std::int64_t seconds_of_day = timestamp % common::kSecondsPerDay;
  const common::CivilDate date = common::civil_from_days(timestamp / common::kSecondsPerDay);
  const int hour = static_cast<int>(seconds_of_day / 3600);
  const int minute = static_cast<int>(seconds_of_day % 3600 / 60);

  fmt::basic_memory_buffer<char, 32> date_text;
  if (model.date_style == DateStyle::kIso) {
    fmt::format_to(fmt::appender(date_text), FMT_COMPILE("{:04}-{:02}-{:02} {:02}:{:02}:00"),
                   date.year, date.month, date.day, hour, minute);
  } else {
    fmt::format_to(fmt::appender(date_text), FMT_COMPILE("{}/{}/{} {}:{:02}"), date.month, date.day,
                   date.year, hour, minute);
  }
  fmt::basic_memory_buffer<char, 16> invoice_text;
  fmt::format_to(fmt::appender(invoice_text), FMT_COMPILE("{}{}"), plan.cancelled ? "C" : "",
                 kFirstInvoiceNumber + static_cast<std::int64_t>(g));
  const std::string_view invoice(invoice_text.data(), invoice_text.size());
  const std::string_view when(date_text.data(), date_text.size());
  const std::string_view customer =
      plan.guest ? std::string_view() : std::string_view(model.customer_ids[plan.customer]);
  const std::string_view country = model.countries[plan.country];

  std::size_t previous_start = out.size();
  for (std::int64_t r = 0; r < rows; ++r) {
    if (r > 0 && rng.uniform() < kDuplicateRate) {  // an exact copy of the line before
      const std::size_t length = out.size() - previous_start;
      out.reserve(out.size() + length);
      const char* start = out.data() + previous_start;
      previous_start = out.size();
      out.append(start, start + length);
      continue;
    }
    previous_start = out.size();
    if (rng.uniform() < kBadDebtRate) {
      const std::int64_t pence = -static_cast<std::int64_t>(10000 + rng.below(2000000));
      fmt::format_to(fmt::appender(out), FMT_COMPILE("{},B,Adjust bad debt,1,{},{},,{}\n"), invoice,
                     when, format_pence(pence), country);
      continue;
    }
    const Product& product = model.products[model.product_pick.sample(rng)];
    int quantity = kQuantities[model.quantity_pick.sample(rng)];
    std::string_view price = quantity >= 24 ? product.bulk_price : product.price;
    std::string_view description = product.description;
    if (rng.uniform() < kZeroPriceRate) {
      price = "0.00";
      if (plan.guest) description = {};  // UCI's unpriced guest lines mostly lack descriptions
    }
    if (plan.cancelled) quantity = -quantity;
    fmt::format_to(fmt::appender(out), FMT_COMPILE("{},{},{},{},{},{},{},{}\n"), invoice,
                   product.stock_code, description, quantity, when, price, customer, country);
  }
}

}  // namespace

DateStyle parse_date_style(std::string_view name) {
  if (name == "iso") return DateStyle::kIso;
  if (name == "uci") return DateStyle::kUci;
  throw Error(fmt::format("unknown date style '{}'; use iso or uci", name));
}

OrdersGeneratorStats generate_orders(const std::string& path,
                                     const OrdersGeneratorOptions& options) {
  if (options.rows <= 0) {
    throw Error(
        fmt::format("--rows must be a positive number of order lines, got {}", options.rows));
  }
  if (options.customers <= 0 || options.customers > 100'000'000) {
    throw Error(
        fmt::format("--customers must be between 1 and 100000000, got {}", options.customers));
  }
  Model model;
  model.date_style = options.date_style;
  build_catalog(model, options.seed);
  build_customers(model, options.customers, options.seed);
  build_calendar(model, options.seed);
  model.quantity_pick = AliasTable(kQuantityWeights);
  const Layout layout = plan_layout(model, options.rows, options.seed);

  OrdersGeneratorStats stats;
  stats.rows = options.rows;
  stats.invoices = static_cast<std::int64_t>(layout.invoice_end.size());
  stats.bytes = write_chunks_in_order(
      path, "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n",
      layout.chunks.size(), options.threads, static_cast<std::size_t>(kChunkRows) * 110,
      [&](std::size_t chunk, fmt::memory_buffer& out) {
        const auto [first, last] = layout.chunks[chunk];
        for (std::size_t g = first; g < last; ++g) {
          write_invoice(model, layout, g, options.seed, out);
        }
      });
  return stats;
}

}  // namespace custlens::io
