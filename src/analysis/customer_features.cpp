// CustomerFeatureAccumulator: orders and first-bought days as lines stream, features cut after.
#include "analysis/customer_features.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "common/calendar.h"
#include "custlens/error.h"

namespace custlens::analysis {
namespace {

constexpr std::uint32_t kNone = pipeline::kNoId;
constexpr std::int64_t kWindows[] = {30, 90, 180};

std::uint64_t pair_key(std::uint32_t high, std::uint32_t low) {
  return (static_cast<std::uint64_t>(high) << 32) | low;
}
std::uint64_t day_key(std::uint32_t high, std::int32_t day) {
  return pair_key(high, static_cast<std::uint32_t>(day));
}
std::int32_t day_of_key(std::uint64_t key) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(key & 0xffffffffu));
}

std::int32_t day_of(std::int64_t timestamp) {
  return static_cast<std::int32_t>(common::floor_div(timestamp, common::kSecondsPerDay));
}

// The per-customer features that do not depend on the data's countries, in column order.
enum Feature : std::size_t {
  kRecency,
  kFrequency,
  kMonetary,
  kTenure,
  kAverageOrderValue,
  kGapMean,
  kGapSd,
  kWindowFirst,  // per window: orders, spend, orders trend, spend trend
  kBasketLines = kWindowFirst + 4 * std::size(kWindows),
  kBasketQuantity,
  kDistinctProducts,
  kDistinctCategories,
  kCancellationShare,
  kFeatureCount
};

std::string feature_name(std::size_t f) {
  static constexpr const char* kNames[] = {"recency_days", "frequency",       "monetary",
                                           "tenure_days",  "avg_order_value", "gap_mean_days",
                                           "gap_sd_days"};
  if (f < kWindowFirst) return kNames[f];
  if (f < kBasketLines) {
    static constexpr const char* kWindowNames[] = {"orders_{}d", "spend_{}d", "orders_trend_{}d",
                                                   "spend_trend_{}d"};
    const std::size_t w = (f - kWindowFirst) / 4;
    return fmt::format(fmt::runtime(kWindowNames[(f - kWindowFirst) % 4]), kWindows[w]);
  }
  static constexpr const char* kLineNames[] = {"basket_lines", "basket_quantity",
                                               "distinct_products", "distinct_categories",
                                               "cancellation_share"};
  return kLineNames[f - kBasketLines];
}

// Whether the input gives feature `f`: features of lines need line-level input, and so on.
bool available(std::size_t f, const pipeline::LineNames& names) {
  const bool line_level = names.has_quantity || names.has_description || names.has_category;
  switch (f) {
    case kBasketLines:
      return line_level;
    case kBasketQuantity:
      return names.has_quantity;
    case kDistinctProducts:
      return names.has_description;
    case kDistinctCategories:
      return names.has_category;
    case kCancellationShare:
      return names.has_invoice;  // the cancellation rule needs invoice numbers
    default:
      return true;
  }
}

// One output column: a feature, or a one-hot of main countries (`countries`; other = the rest).
struct Column {
  std::size_t feature = kFeatureCount;  // kFeatureCount: a country column
  std::vector<std::uint32_t> countries;
  bool other = false;
};

constexpr std::string_view kCountryOther = "country_other";

}  // namespace

CustomerFeatureAccumulator::CustomerFeatureAccumulator(bool by_day) : by_day_(by_day) {}
CustomerFeatureAccumulator::~CustomerFeatureAccumulator() = default;

std::string CustomerFeatureAccumulator::country_column(std::string_view country) {
  std::string name = "country_";
  bool gap = false;
  for (const char ch : country) {
    const auto byte = static_cast<unsigned char>(ch);
    const bool ascii_word = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9');
    if (byte < 0x80 && !ascii_word) {
      gap = true;
      continue;
    }
    if (gap && name.size() > 8) name += '_';
    gap = false;
    name += byte >= 'A' && byte <= 'Z' ? static_cast<char>(byte - 'A' + 'a') : ch;
  }
  return name;
}

std::uint32_t CustomerFeatureAccumulator::order_of(const pipeline::KeptLine& line,
                                                   std::int32_t day) {
  const std::uint32_t c = line.customer;
  const auto next = static_cast<std::uint32_t>(orders_.size());
  auto make = [&] {
    orders_.push_back(Order{c, day, 0, line.country, 0, 0});
    return next;
  };
  if (by_day_) {
    std::uint32_t& last = customer_last_order_[c];
    // Lines of one customer-day usually follow each other: no hash lookup for them.
    if (last != kNone && orders_[last].day == day) return last;
    const auto [it, inserted] = day_orders_.try_emplace(day_key(c, day), next);
    last = inserted ? make() : it->second;
    return last;
  }
  const std::uint32_t invoice = line.invoice;
  if (invoice >= invoice_order_.size()) invoice_order_.resize(invoice + 1, kNone);
  std::uint32_t& first = invoice_order_[invoice];
  if (first == kNone) return first = make();
  if (orders_[first].customer == c && orders_[first].day == day) return first;
  const auto [it, inserted] = extra_orders_.try_emplace(InvoiceKey{invoice, c, day}, next);
  return inserted ? make() : it->second;
}

void CustomerFeatureAccumulator::add(std::span<const pipeline::KeptLine> lines) {
  for (const pipeline::KeptLine& line : lines) {
    const std::uint32_t c = line.customer;
    if (c >= customer_count_) {
      customer_count_ = c + 1;
      if (by_day_) customer_last_order_.resize(customer_count_, kNone);
    }
    const std::int32_t day = day_of(line.timestamp);
    last_day_ = any_line_ ? std::max(last_day_, day) : day;
    any_line_ = true;
    Order& order = orders_[order_of(line, day)];
    ++order.lines;
    order.amount += line.amount;
    order.quantity += line.quantity;
    if (line.description != kNone) {
      const auto [it, inserted] =
          product_first_day_.try_emplace(pair_key(c, line.description), day);
      if (!inserted) it->second = std::min(it->second, day);
    }
    if (line.category != kNone) {
      const auto [it, inserted] = category_first_day_.try_emplace(pair_key(c, line.category), day);
      if (!inserted) it->second = std::min(it->second, day);
    }
  }
}

void CustomerFeatureAccumulator::add_cancelled(std::span<const pipeline::CancelledLine> lines) {
  for (const pipeline::CancelledLine& line : lines) {
    const std::int32_t day = day_of(line.timestamp);
    if (line.customer != kNone) {
      ++cancelled_[day_key(line.customer, day)];
      continue;
    }
    // Not (yet) a customer with a kept line: matched by its id text after the scan.
    const auto [it, inserted] = pending_ids_.try_emplace(
        std::string(line.customer_id), static_cast<std::uint32_t>(pending_ids_.size()));
    ++pending_cancelled_[day_key(it->second, day)];
  }
}

std::int64_t CustomerFeatureAccumulator::day_after_last_purchase() const {
  if (!any_line_) throw Error("no kept purchase: nothing to predict from");
  return std::int64_t{last_day_} + 1;
}

std::vector<std::uint32_t> CustomerFeatureAccumulator::cancelled_before(
    std::int64_t cut_day, const pipeline::LineNames& names) const {
  std::vector<std::uint32_t> counts(customer_count_, 0);
  for (const auto& [key, lines] : cancelled_) {
    if (day_of_key(key) < cut_day) counts[key >> 32] += lines;
  }
  if (pending_ids_.empty()) return counts;
  if (names.customer_ids.size() < customer_count_) {
    throw Error(
        "internal: features_at needs the scan's customer ids (call it before RfmAccumulator::"
        "finish takes them)");
  }
  std::vector<std::uint32_t> customer_of(pending_ids_.size(), kNone);
  for (std::uint32_t c = 0; c < customer_count_; ++c) {
    const auto it = pending_ids_.find(names.customer_ids[c]);
    if (it != pending_ids_.end()) customer_of[it->second] = c;
  }
  for (const auto& [key, lines] : pending_cancelled_) {
    const std::uint32_t c = customer_of[key >> 32];
    if (c != kNone && day_of_key(key) < cut_day) counts[c] += lines;
  }
  return counts;
}

CustomerFeatureSet CustomerFeatureAccumulator::features_at(
    std::int64_t cut_day, const pipeline::LineNames& names,
    const models::FeatureMatrix* same_columns_as) const {
  CustomerFeatureSet set;
  set.cut_day = cut_day;
  // The orders before the cut, grouped by customer (counting sort), each group by day.
  std::vector<std::uint32_t> start(std::size_t{customer_count_} + 1, 0);
  for (const Order& order : orders_) {
    if (order.day < cut_day) ++start[order.customer + 1];
  }
  for (std::size_t c = 0; c < customer_count_; ++c) start[c + 1] += start[c];
  std::vector<std::uint32_t> by_customer(start.back());
  {
    std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
    for (std::uint32_t o = 0; o < orders_.size(); ++o) {
      if (orders_[o].day < cut_day) by_customer[fill[orders_[o].customer]++] = o;
    }
  }
  for (std::uint32_t c = 0; c < customer_count_; ++c) {
    if (start[c + 1] == start[c]) continue;
    set.customers.push_back(c);
    std::sort(by_customer.begin() + start[c], by_customer.begin() + start[c + 1],
              [&](std::uint32_t a, std::uint32_t b) {
                return std::pair(orders_[a].day, a) < std::pair(orders_[b].day, b);
              });
  }
  const std::size_t rows = set.customers.size();

  // Main country: the country of most of the customer's orders before the cut; ties, the name
  // first in byte order; kNone when no order names one.
  std::vector<std::uint32_t> main_country(rows, kNone);
  if (names.has_country) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> counts;  // country, orders
    for (std::size_t r = 0; r < rows; ++r) {
      const std::uint32_t c = set.customers[r];
      counts.clear();
      for (std::uint32_t i = start[c]; i < start[c + 1]; ++i) {
        const std::uint32_t country = orders_[by_customer[i]].country;
        if (country == kNone) continue;
        auto it = std::find_if(counts.begin(), counts.end(),
                               [&](const auto& entry) { return entry.first == country; });
        if (it == counts.end()) {
          counts.emplace_back(country, 1);
        } else {
          ++it->second;
        }
      }
      std::uint32_t best = kNone, best_count = 0;
      for (const auto& [country, n] : counts) {
        if (n > best_count ||
            (n == best_count && names.country_names[country] < names.country_names[best])) {
          best = country;
          best_count = n;
        }
      }
      main_country[r] = best;
    }
  }

  // The columns: every feature the input gives, then the main countries of the most customers
  // (ties: name) and country_other; or exactly the columns of `same_columns_as`.
  std::vector<Column> columns;
  std::vector<std::string> column_names;
  auto country_columns_by_name = [&] {
    absl::flat_hash_map<std::string, std::vector<std::uint32_t>> by_name;
    for (std::uint32_t k = 0; k < names.country_names.size(); ++k) {
      by_name[country_column(names.country_names[k])].push_back(k);
    }
    return by_name;
  };
  if (same_columns_as != nullptr) {
    const auto by_name =
        names.has_country ? country_columns_by_name() : decltype(country_columns_by_name()){};
    for (const std::string& name : same_columns_as->names) {
      Column column;
      std::size_t f = 0;
      while (f < kFeatureCount && feature_name(f) != name) ++f;
      if (f < kFeatureCount && available(f, names)) {
        column.feature = f;
      } else if (names.has_country && name == kCountryOther) {
        column.other = true;
      } else if (names.has_country && name.starts_with("country_")) {
        const auto it = by_name.find(name);
        if (it != by_name.end()) column.countries = it->second;  // else: nobody here, all 0
      } else {
        throw Error(fmt::format("feature '{}' cannot be computed for this input", name));
      }
      columns.push_back(std::move(column));
      column_names.push_back(name);
    }
  } else {
    for (std::size_t f = 0; f < kFeatureCount; ++f) {
      if (!available(f, names)) continue;
      columns.push_back(Column{f, {}, false});
      column_names.push_back(feature_name(f));
    }
    if (names.has_country) {
      std::vector<std::uint32_t> customers_of(names.country_names.size(), 0);
      for (const std::uint32_t country : main_country) {
        if (country != kNone) ++customers_of[country];
      }
      std::vector<std::uint32_t> ranked;
      for (std::uint32_t k = 0; k < customers_of.size(); ++k) {
        if (customers_of[k] > 0) ranked.push_back(k);
      }
      std::sort(ranked.begin(), ranked.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (customers_of[a] != customers_of[b]) return customers_of[a] > customers_of[b];
        return names.country_names[a] < names.country_names[b];
      });
      ranked.resize(std::min(ranked.size(), kTopCountries));
      const auto by_name = country_columns_by_name();
      for (const std::uint32_t k : ranked) {
        // Names equal after snake_case share one column (and so does every country so named).
        const std::string name = country_column(names.country_names[k]);
        if (std::find(column_names.begin(), column_names.end(), name) != column_names.end()) {
          continue;
        }
        columns.push_back(Column{kFeatureCount, by_name.at(name), false});
        column_names.push_back(name);
      }
      columns.push_back(Column{kFeatureCount, {}, true});
      column_names.emplace_back(kCountryOther);
    }
  }

  // Per customer counts that come from other state than its orders.
  std::vector<std::uint32_t> distinct_products, distinct_categories, cancelled;
  auto count_pairs = [&](const absl::flat_hash_map<std::uint64_t, std::int32_t>& first_day) {
    std::vector<std::uint32_t> counts(customer_count_, 0);
    for (const auto& [key, day] : first_day) {
      if (day < cut_day) ++counts[key >> 32];
    }
    return counts;
  };
  if (names.has_description) distinct_products = count_pairs(product_first_day_);
  if (names.has_category) distinct_categories = count_pairs(category_first_day_);
  if (names.has_invoice) cancelled = cancelled_before(cut_day, names);

  // Which output column each country's one-hot goes to (kNone: other).
  std::vector<std::uint32_t> country_slot(names.country_names.size(), kNone);
  std::size_t other_column = columns.size();
  for (std::size_t col = 0; col < columns.size(); ++col) {
    for (const std::uint32_t k : columns[col].countries) {
      country_slot[k] = static_cast<std::uint32_t>(col);
    }
    if (columns[col].other) other_column = col;
  }

  models::FeatureMatrix& matrix = set.features;
  matrix.names = std::move(column_names);
  matrix.rows = rows;
  matrix.values.assign(rows * columns.size(), 0.0F);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> value(kFeatureCount);
  for (std::size_t r = 0; r < rows; ++r) {
    const std::uint32_t c = set.customers[r];
    const std::uint32_t begin = start[c], end = start[c + 1];
    const Order& first = orders_[by_customer[begin]];
    const Order& last = orders_[by_customer[end - 1]];
    const double n = end - begin;
    double spend = 0, lines = 0, quantity = 0;
    double window_orders[std::size(kWindows)][2] = {}, window_spend[std::size(kWindows)][2] = {};
    for (std::uint32_t i = begin; i < end; ++i) {
      const Order& order = orders_[by_customer[i]];
      spend += order.amount;
      lines += order.lines;
      quantity += order.quantity;
      const std::int64_t age = cut_day - order.day;  // >= 1
      for (std::size_t w = 0; w < std::size(kWindows); ++w) {
        const std::size_t period = age <= kWindows[w] ? 0 : age <= 2 * kWindows[w] ? 1 : 2;
        if (period == 2) continue;
        window_orders[w][period] += 1;
        window_spend[w][period] += order.amount;
      }
    }
    value[kRecency] = static_cast<double>(cut_day - last.day);
    value[kFrequency] = n;
    value[kMonetary] = spend;
    value[kTenure] = static_cast<double>(cut_day - first.day);
    value[kAverageOrderValue] = spend / n;
    // Gaps between consecutive orders (days): mean over n - 1 gaps, sample sd over them.
    value[kGapMean] = n >= 2 ? static_cast<double>(last.day - first.day) / (n - 1) : nan;
    value[kGapSd] = nan;
    if (n >= 3) {
      double squares = 0;
      for (std::uint32_t i = begin + 1; i < end; ++i) {
        const double gap = orders_[by_customer[i]].day - orders_[by_customer[i - 1]].day;
        squares += (gap - value[kGapMean]) * (gap - value[kGapMean]);
      }
      value[kGapSd] = std::sqrt(squares / (n - 2));
    }
    for (std::size_t w = 0; w < std::size(kWindows); ++w) {
      const std::size_t at = kWindowFirst + 4 * w;
      value[at] = window_orders[w][0];
      value[at + 1] = window_spend[w][0];
      value[at + 2] = window_orders[w][0] - window_orders[w][1];
      value[at + 3] = window_spend[w][0] - window_spend[w][1];
    }
    value[kBasketLines] = lines / n;
    value[kBasketQuantity] = quantity / n;
    value[kDistinctProducts] = distinct_products.empty() ? 0 : distinct_products[c];
    value[kDistinctCategories] = distinct_categories.empty() ? 0 : distinct_categories[c];
    value[kCancellationShare] =
        cancelled.empty() ? 0 : cancelled[c] / (cancelled[c] + lines);  // lines >= 1
    float* row = matrix.values.data() + r * columns.size();
    for (std::size_t col = 0; col < columns.size(); ++col) {
      if (columns[col].feature < kFeatureCount) {
        row[col] = static_cast<float>(value[columns[col].feature]);
      }
    }
    const std::uint32_t country = main_country[r];
    if (country == kNone) continue;
    if (country_slot[country] != kNone) {
      row[country_slot[country]] = 1;
    } else if (other_column < columns.size()) {
      row[other_column] = 1;
    }
  }
  return set;
}

std::vector<float> CustomerFeatureAccumulator::labels(const CustomerFeatureSet& set,
                                                      std::int64_t end_day) const {
  std::vector<char> bought(customer_count_, 0);
  for (const Order& order : orders_) {
    if (order.day >= set.cut_day && order.day < end_day) bought[order.customer] = 1;
  }
  std::vector<float> out;
  out.reserve(set.customers.size());
  for (const std::uint32_t c : set.customers) out.push_back(bought[c] != 0 ? 1.0F : 0.0F);
  return out;
}

std::vector<double> CustomerFeatureAccumulator::average_order_values(
    const CustomerFeatureSet& set) const {
  std::vector<double> spend(customer_count_, 0);
  std::vector<std::uint32_t> orders(customer_count_, 0);
  for (const Order& order : orders_) {
    if (order.day >= set.cut_day) continue;
    spend[order.customer] += order.amount;
    ++orders[order.customer];
  }
  std::vector<double> out;
  out.reserve(set.customers.size());
  for (const std::uint32_t c : set.customers) {
    out.push_back(orders[c] > 0 ? spend[c] / orders[c] : 0.0);
  }
  return out;
}

}  // namespace custlens::analysis
