// OrderLinesBuilder: kept lines appended column by column; the names joined at the end.
#include "pipeline/order_lines_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "custlens/error.h"

namespace custlens::pipeline {
namespace {

static_assert(kNoId == OrderLines::kNone, "a null name is the same id on both sides");

// Every id of `ids` names an entry of `names` (or is null, where `nullable`).
void check_ids(const std::vector<std::uint32_t>& ids, std::size_t names, bool nullable,
               const char* column) {
  const auto bad = std::find_if(ids.begin(), ids.end(), [&](std::uint32_t id) {
    return id >= names && !(nullable && id == kNoId);
  });
  if (bad != ids.end()) {
    throw Error(fmt::format("internal: a kept line's {} id {} has no name ({} names)", column, *bad,
                            names));
  }
}

}  // namespace

OrderLinesBuilder::OrderLinesBuilder(const LineNames& columns)
    : has_invoice_(columns.has_invoice),
      has_quantity_(columns.has_quantity),
      has_country_(columns.has_country),
      has_description_(columns.has_description),
      has_category_(columns.has_category) {}

void OrderLinesBuilder::add(std::span<const KeptLine> lines) {
  for (const KeptLine& line : lines) {
    lines_.customer.push_back(line.customer);
    lines_.timestamp.push_back(line.timestamp);
    lines_.amount.push_back(line.amount);
    if (has_invoice_) lines_.invoice.push_back(line.invoice);
    if (has_quantity_) lines_.quantity.push_back(line.quantity);
    if (has_country_) lines_.country.push_back(line.country);
    if (has_description_) lines_.description.push_back(line.description);
    if (has_category_) lines_.category.push_back(line.category);
  }
}

OrderLines OrderLinesBuilder::finish(LineNames&& names) {
  lines_.customer_ids = std::move(names.customer_ids);
  if (has_invoice_) lines_.invoice_ids = std::move(names.invoice_ids);
  if (has_country_) lines_.country_names = std::move(names.country_names);
  if (has_description_) lines_.descriptions = std::move(names.descriptions);
  if (has_category_) lines_.category_names = std::move(names.category_names);
  check_ids(lines_.customer, lines_.customer_ids.size(), false, "customer");
  check_ids(lines_.invoice, lines_.invoice_ids.size(), false, "invoice");
  check_ids(lines_.country, lines_.country_names.size(), true, "country");
  check_ids(lines_.description, lines_.descriptions.size(), true, "description");
  check_ids(lines_.category, lines_.category_names.size(), true, "category");
  return std::move(lines_);
}

}  // namespace custlens::pipeline
