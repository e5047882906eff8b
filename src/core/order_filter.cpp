// filter_order_lines: one pass over the lines with a keep mask per customer and per country,
// renumbering the ids of every name column.
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

// New dense ids for one name column over the kept lines, in order of first appearance; only the
// names in use are copied, so that a small view does not pay for the whole data's dictionaries.
class Renumbering {
 public:
  Renumbering(const std::vector<std::string>& names, std::vector<std::string>& kept)
      : names_(names), kept_(kept), dense_(names.size(), OrderLines::kNone) {}
  std::uint32_t id(std::uint32_t old_id) {
    if (old_id == OrderLines::kNone) return old_id;
    std::uint32_t& slot = dense_[old_id];
    if (slot == OrderLines::kNone) {
      slot = static_cast<std::uint32_t>(kept_.size());
      kept_.push_back(names_[old_id]);
    }
    return slot;
  }

 private:
  const std::vector<std::string>& names_;
  std::vector<std::string>& kept_;
  std::vector<std::uint32_t> dense_;
};

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
  Renumbering customers(lines.customer_ids, out.customer_ids);
  Renumbering invoices(lines.invoice_ids, out.invoice_ids);
  Renumbering countries(lines.country_names, out.country_names);
  Renumbering descriptions(lines.descriptions, out.descriptions);
  Renumbering categories(lines.category_names, out.category_names);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::int64_t day = day_of(lines.timestamp[i]);
    if (day < first_day || day > last_day) continue;
    const std::uint32_t customer = lines.customer[i];
    if (!by_customer.empty() && !by_customer[customer]) continue;
    if (!by_country.empty()) {
      const std::uint32_t country = lines.country[i];
      if (!by_country[country == OrderLines::kNone ? no_country : country]) continue;
    }
    out.customer.push_back(customers.id(customer));
    out.timestamp.push_back(lines.timestamp[i]);
    out.amount.push_back(lines.amount[i]);
    if (!lines.invoice.empty()) out.invoice.push_back(invoices.id(lines.invoice[i]));
    if (!lines.quantity.empty()) out.quantity.push_back(lines.quantity[i]);
    if (!lines.country.empty()) out.country.push_back(countries.id(lines.country[i]));
    if (!lines.description.empty()) {
      out.description.push_back(descriptions.id(lines.description[i]));
    }
    if (!lines.category.empty()) out.category.push_back(categories.id(lines.category[i]));
  }
  return out;
}

std::int64_t filtered_as_of(std::int64_t full_as_of, const OrderFilter& filter) {
  const std::int64_t full_day = day_of(full_as_of);
  if (!filter.to) return full_day * common::kSecondsPerDay;
  return std::min(full_day, day_of(*filter.to) + 1) * common::kSecondsPerDay;
}

}  // namespace custlens
