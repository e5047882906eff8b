// Test helper: a small, strict reader for the UCI-schema CSV the generator writes (RFC 4180
// quoting), and a builder of cleaned OrderLines from it. Independent of src/io on purpose.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "custlens/orders.h"

namespace custlens::testing {

struct OrderRow {
  std::string invoice, stock_code, description;
  double quantity = 0;
  std::string date;
  double price = 0;
  std::string customer, country;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Splits CSV text into records of fields; throws on a quote error.
inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    std::string field;
    if (text[i] == '"') {
      ++i;
      while (true) {
        const std::size_t quote = text.find('"', i);
        if (quote == std::string::npos) throw std::runtime_error("unterminated quote");
        field.append(text, i, quote - i);
        i = quote + 1;
        if (i < text.size() && text[i] == '"') {
          field += '"';
          ++i;
          continue;
        }
        break;
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n') {
        throw std::runtime_error("text after closing quote");
      }
    } else {
      std::size_t end = text.find_first_of(",\n\"", i);
      if (end == std::string::npos) end = text.size();
      if (end < text.size() && text[end] == '"') throw std::runtime_error("stray quote");
      field.assign(text, i, end - i);
      i = end;
    }
    fields.push_back(std::move(field));
    if (i >= text.size() || text[i] == '\n') {
      records.push_back(std::move(fields));
      fields.clear();
    }
    ++i;  // past the comma or line break
  }
  return records;
}

/// The data rows of a generator file (header checked and dropped).
inline std::vector<OrderRow> read_order_rows(const std::string& path) {
  auto records = parse_csv(read_file(path));
  if (records.empty()) throw std::runtime_error("no header");
  std::vector<OrderRow> rows;
  rows.reserve(records.size() - 1);
  for (std::size_t r = 1; r < records.size(); ++r) {
    auto& f = records[r];
    if (f.size() != 8) throw std::runtime_error("row " + std::to_string(r) + " has != 8 fields");
    rows.push_back(OrderRow{std::move(f[0]), std::move(f[1]), std::move(f[2]), std::stod(f[3]),
                            std::move(f[4]), std::stod(f[5]), std::move(f[6]), std::move(f[7])});
  }
  return rows;
}

/// Seconds since 1970 of "YYYY-MM-DD HH:MM:SS" (naive).
inline std::int64_t parse_iso_seconds(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s) != 6) {
    throw std::runtime_error("bad date " + text);
  }
  // Days from civil (Hinnant), written again here so the test does not trust src/common.
  const int yy = y - (mo <= 2);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  return days * 86400 + h * 3600 + mi * 60 + s;
}

/// Cleaned order lines as the reference script builds them: customer present, not a "C"
/// invoice, quantity > 0, price > 0. Ids are dense in first-seen order.
inline OrderLines build_order_lines(const std::vector<OrderRow>& rows) {
  OrderLines lines;
  std::unordered_map<std::string, std::uint32_t> customers, invoices, countries, descriptions;
  auto intern = [](std::unordered_map<std::string, std::uint32_t>& index,
                   std::vector<std::string>& names, const std::string& name) {
    auto [it, added] = index.emplace(name, static_cast<std::uint32_t>(names.size()));
    if (added) names.push_back(name);
    return it->second;
  };
  for (const OrderRow& row : rows) {
    if (row.customer.empty() || row.invoice.starts_with("C") || row.quantity <= 0 ||
        row.price <= 0) {
      continue;
    }
    lines.customer.push_back(intern(customers, lines.customer_ids, row.customer));
    lines.invoice.push_back(intern(invoices, lines.invoice_ids, row.invoice));
    lines.timestamp.push_back(parse_iso_seconds(row.date));
    lines.amount.push_back(row.quantity * row.price);
    lines.quantity.push_back(row.quantity);
    lines.country.push_back(intern(countries, lines.country_names, row.country));
    lines.description.push_back(row.description.empty()
                                    ? OrderLines::kNone
                                    : intern(descriptions, lines.descriptions, row.description));
  }
  return lines;
}

}  // namespace custlens::testing
