// filter_order_lines: one pass over the lines with a keep mask per customer and per country.
#include "custlens/order_filter.h"

#include <absl/container/flat_hash_set.h>
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <string_view>

#include "common/calendar.h"
#include "custlens/error.h"

namespace custlens {
namespace {

std::int64_t day_of(std::int64_t seconds) {
  return common::floor_div(seconds, common::kSecondsPerDay);
}

// Per country id: 1 when lines of that country pass; the last slot stands for "no country".
std::vector<std::uint8_t> country_mask(const OrderLines& lines, const std::string& country) {
  if (lines.country.empty()) {
    throw Error(
        fmt::format("cannot filter by country '{}': the input has no country column", country));
  }
  std::vector<std::uint8_t> mask(lines.country_names.size() + 1, 0);
  for (std::size_t id = 0; id < lines.country_names.size(); ++id) {
    mask[id] = lines.country_names[id] == country;
  }
  mask.back() = country == "Unknown";
  return mask;
}

std::vector<std::uint8_t> customer_mask(const OrderLines& lines,
                                        const std::vector<std::string>& customers) {
  absl::flat_hash_set<std::string_view> wanted(customers.begin(), customers.end());
  std::vector<std::uint8_t> mask(lines.customer_ids.size(), 0);
  for (std::size_t id = 0; id < lines.customer_ids.size(); ++id) {
    mask[id] = wanted.contains(lines.customer_ids[id]);
  }
  return mask;
}

}  // namespace

OrderLines filter_order_lines(const OrderLines& lines, const OrderFilter& filter) {
  const std::int64_t first_day =
      filter.from ? day_of(*filter.from) : std::numeric_limits<std::int64_t>::min();
  const std::int64_t last_day =
      filter.to ? day_of(*filter.to) : std::numeric_limits<std::int64_t>::max();
  std::vector<std::uint8_t> by_country, by_customer;
  if (filter.country) by_country = country_mask(lines, *filter.country);
  if (filter.customers) by_customer = customer_mask(lines, *filter.customers);
  const std::size_t no_country = lines.country_names.size();

  OrderLines out;
  out.invoice_ids = lines.invoice_ids;
  out.country_names = lines.country_names;
  out.descriptions = lines.descriptions;
  out.category_names = lines.category_names;
  std::vector<std::uint32_t> dense(lines.customer_ids.size(), OrderLines::kNone);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::int64_t day = day_of(lines.timestamp[i]);
    if (day < first_day || day > last_day) continue;
    const std::uint32_t customer = lines.customer[i];
    if (!by_customer.empty() && !by_customer[customer]) continue;
    if (!by_country.empty()) {
      const std::uint32_t country = lines.country[i];
      if (!by_country[country == OrderLines::kNone ? no_country : country]) continue;
    }
    if (dense[customer] == OrderLines::kNone) {
      dense[customer] = static_cast<std::uint32_t>(out.customer_ids.size());
      out.customer_ids.push_back(lines.customer_ids[customer]);
    }
    out.customer.push_back(dense[customer]);
    out.timestamp.push_back(lines.timestamp[i]);
    out.amount.push_back(lines.amount[i]);
    if (!lines.invoice.empty()) out.invoice.push_back(lines.invoice[i]);
    if (!lines.quantity.empty()) out.quantity.push_back(lines.quantity[i]);
    if (!lines.country.empty()) out.country.push_back(lines.country[i]);
    if (!lines.description.empty()) out.description.push_back(lines.description[i]);
    if (!lines.category.empty()) out.category.push_back(lines.category[i]);
  }
  return out;
}

std::int64_t filtered_as_of(std::int64_t full_as_of, const OrderFilter& filter) {
  const std::int64_t full_day = day_of(full_as_of);
  if (!filter.to) return full_day * common::kSecondsPerDay;
  return std::min(full_day, day_of(*filter.to) + 1) * common::kSecondsPerDay;
}

}  // namespace custlens
