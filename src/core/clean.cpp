// The order-line cleaning rules, the audit counts and duplicate detection.
#include "custlens/clean.h"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include "common/calendar.h"
#include "common/magnitude.h"
#include "common/name_list.h"
#include "custlens/error.h"

namespace custlens {
namespace {

// LineRule as a byte per row.
enum Verdict : std::uint8_t {
  kKept = static_cast<std::uint8_t>(LineRule::kKept),
  kMalformed = static_cast<std::uint8_t>(LineRule::kMalformed),
  kMissingCustomer = static_cast<std::uint8_t>(LineRule::kMissingCustomer),
  kCancelled = static_cast<std::uint8_t>(LineRule::kCancelled),
  kNonPositiveQuantity = static_cast<std::uint8_t>(LineRule::kNonPositiveQuantity),
  kNonPositivePrice = static_cast<std::uint8_t>(LineRule::kNonPositivePrice),
  kDuplicateDropped = static_cast<std::uint8_t>(LineRule::kDuplicate),
  kOutlier = static_cast<std::uint8_t>(LineRule::kOutlier),
};

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

const Column* role_column(const Dataset& data, const RoleMap& roles, Role role) {
  int index = roles.column(role);
  if (index < 0 || static_cast<std::size_t>(index) >= data.columns.size()) return nullptr;
  return data.table.find(data.columns[static_cast<std::size_t>(index)].name);
}

std::string magnitude_problem(bool line_values, const Column* quantity, const Column* price,
                              const Column* amount, std::size_t row) {
  return line_values
             ? value_magnitude_problem(true, quantity->doubles()[row], price->doubles()[row], 0)
             : value_magnitude_problem(false, 0, 0, amount->doubles()[row]);
}

// The row's materialized fields joined by commas, with where the customer id lies.
Reject row_reject(const Table& table, std::size_t row, const Column* customer) {
  Reject reject;
  std::string& text = reject.content;
  for (std::size_t c = 0; c < table.num_columns(); ++c) {
    const Column& column = table.column(c);
    if (c) text += ',';
    if (&column == customer) {
      reject.id_begin = text.size();
      if (!column.is_null(row)) text += column.string_at(row);
      reject.id_end = text.size();
      continue;
    }
    if (column.is_null(row)) continue;
    switch (column.type()) {
      case ColumnType::kString:
        text += column.string_at(row);
        break;
      case ColumnType::kDouble:
        text += fmt::format("{}", column.double_at(row));
        break;
      case ColumnType::kTimestamp:
        text += common::format_timestamp(column.int_at(row));
        break;
      default:
        text += fmt::format("{}", column.int_at(row));
        break;
    }
  }
  return reject;
}

// Marks rows (among those with verdict kKept) equal to an earlier kept row. Rows are split into
// hash partitions processed in parallel; within a partition rows are visited in input order.
std::vector<std::uint8_t> find_duplicates(std::span<const std::uint64_t> hashes,
                                          std::span<const std::uint8_t> verdicts) {
  constexpr int kPartitionBits = 6;
  constexpr std::size_t kPartitions = std::size_t{1} << kPartitionBits;
  std::vector<std::vector<std::uint32_t>> partitions(kPartitions);
  for (std::size_t row = 0; row < hashes.size(); ++row) {
    if (verdicts[row] != kKept) continue;
    partitions[hashes[row] >> (64 - kPartitionBits)].push_back(static_cast<std::uint32_t>(row));
  }
  std::vector<std::uint8_t> duplicate(hashes.size(), 0);
  tbb::parallel_for(std::size_t{0}, kPartitions, [&](std::size_t p) {
    absl::flat_hash_set<std::uint64_t> seen;
    seen.reserve(partitions[p].size());
    for (std::uint32_t row : partitions[p]) {
      // A 64-bit hash of every field: a false match among 10^7 rows has odds of about 1 in 10^5.
      if (!seen.insert(hashes[row]).second) duplicate[row] = 1;
    }
  });
  return duplicate;
}

}  // namespace

const char* line_rule_name(LineRule rule) {
  switch (rule) {
    case LineRule::kKept:
      return "kept";
    case LineRule::kMalformed:
      return "malformed";
    case LineRule::kMissingCustomer:
      return "missing_customer";
    case LineRule::kCancelled:
      return "cancelled";
    case LineRule::kNonPositiveQuantity:
      return "non_positive_quantity";
    case LineRule::kNonPositivePrice:
      return "non_positive_price";
    case LineRule::kDuplicate:
      return "duplicate";
    case LineRule::kOutlier:
      return "outlier";
  }
  return "unknown";
}

std::string value_magnitude_problem(bool line_values, double quantity, double price,
                                    double amount) {
  if (!line_values) {
    if (common::within_magnitude(amount)) return {};
    return fmt::format("amount {:g} is beyond ±{:g}", amount, common::kMaxMagnitude);
  }
  const double q = quantity, p = price;
  if (!common::within_magnitude(q)) {
    return fmt::format("quantity {:g} is beyond ±{:g}", q, common::kMaxMagnitude);
  }
  if (!common::within_magnitude(p)) {
    return fmt::format("unit price {:g} is beyond ±{:g}", p, common::kMaxMagnitude);
  }
  if (!common::within_magnitude(q * p)) {
    return fmt::format("amount {:g} × {:g} = {:g} is beyond ±{:g}", q, p, q * p,
                       common::kMaxMagnitude);
  }
  return {};
}

std::string normalise_customer_id(std::string_view text) {
  return std::string(customer_id_view(text));
}

bool is_cancelled_invoice(std::string_view invoice) { return trim(invoice).starts_with('C'); }

std::string_view customer_id_view(std::string_view text) {
  text = trim(text);
  std::size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0) return text;
  std::string_view whole = text.substr(0, dot), fraction = text.substr(dot + 1);
  std::size_t digits_from = (whole.front() == '-' || whole.front() == '+') ? 1 : 0;
  bool integral = whole.size() > digits_from &&
                  std::all_of(whole.begin() + static_cast<std::ptrdiff_t>(digits_from), whole.end(),
                              [](char c) { return c >= '0' && c <= '9'; }) &&
                  !fraction.empty() &&
                  std::all_of(fraction.begin(), fraction.end(), [](char c) { return c == '0'; });
  return integral ? whole : text;
}

std::array<AuditCount, kAuditCounts> audit_counts(const CleaningAudit& audit) {
  return {{{"rows_read", audit.rows_read},
           {"malformed", audit.malformed},
           {"missing_customer", audit.missing_customer},
           {"cancelled", audit.cancelled},
           {"non_positive_quantity", audit.non_positive_quantity},
           {"non_positive_price", audit.non_positive_price},
           {"duplicates", audit.duplicates},
           {"outliers_dropped", audit.outliers.rows_dropped},
           {"rows_kept", audit.rows_kept},
           {"customers_kept", audit.customers_kept}}};
}

ReadOptions order_read_options(const std::vector<std::string>& header, const RoleMap& roles,
                               ReadOptions base) {
  static constexpr Role kLineValueRoles[] = {Role::kQuantity, Role::kUnitPrice, Role::kAmount};
  auto need = [&](Role role, std::string_view what) {
    if (!roles.has(role)) {
      throw Error(
          fmt::format("no {} column found among: {}; use --map {}=<column>{}", what,
                      common::list_names(header), role_name(role),
                      weak_candidates_note(roles, std::span<const Role>(&role, 1), role_name)));
    }
  };
  need(Role::kCustomer, "customer id");
  need(Role::kDate, "order date");
  bool line_values = roles.has(Role::kQuantity) && roles.has(Role::kUnitPrice);
  if (!line_values && !roles.has(Role::kAmount)) {
    throw Error(fmt::format(
        "no quantity and unit price columns, and no amount column, found among: {}; use --map "
        "quantity=<column> --map price=<column>, or --map amount=<column>{}",
        common::list_names(header),
        weak_candidates_note(roles, std::span<const Role>(kLineValueRoles), role_name)));
  }
  base.columns.clear();
  base.column_types.clear();
  base.id_column = header[static_cast<std::size_t>(roles.column(Role::kCustomer))];
  auto want = [&](Role role, ColumnType type) {
    if (!roles.has(role)) return;
    const std::string& name = header[static_cast<std::size_t>(roles.column(role))];
    base.columns.push_back(name);
    base.column_types.emplace_back(name, type);
  };
  want(Role::kInvoice, ColumnType::kString);
  want(Role::kCustomer, ColumnType::kString);
  want(Role::kDate, ColumnType::kTimestamp);
  if (line_values) {
    want(Role::kQuantity, ColumnType::kDouble);
    want(Role::kUnitPrice, ColumnType::kDouble);
  } else {
    want(Role::kAmount, ColumnType::kDouble);
  }
  want(Role::kCountry, ColumnType::kString);
  want(Role::kDescription, ColumnType::kString);
  want(Role::kCategory, ColumnType::kString);
  return base;
}

CleanResult clean_orders(Dataset data, const RoleMap& roles, const CleanOptions& options) {
  CleanResult result;
  CleaningAudit& audit = result.audit;
  const Table& table = data.table;
  const std::size_t n = table.num_rows();

  const Column* customer = role_column(data, roles, Role::kCustomer);
  const Column* invoice = role_column(data, roles, Role::kInvoice);
  const Column* date = role_column(data, roles, Role::kDate);
  const Column* quantity = role_column(data, roles, Role::kQuantity);
  const Column* price = role_column(data, roles, Role::kUnitPrice);
  const Column* amount = role_column(data, roles, Role::kAmount);
  bool line_values = quantity && price;
  if (!customer || !date || (!line_values && !amount)) {
    throw Error("internal: order columns were not read (call order_read_options first)");
  }

  // Per dictionary entry, once: the normalised customer (dense id or kNone) and the cancellation
  // flag of an invoice number.
  std::vector<std::uint32_t> customer_of_code(customer->dictionary().size(), OrderLines::kNone);
  std::vector<std::string> normalised_ids;
  {
    absl::flat_hash_map<std::string, std::uint32_t> ids;
    for (std::size_t code = 0; code < customer->dictionary().size(); ++code) {
      std::string id = normalise_customer_id(customer->dictionary()[code]);
      if (id.empty()) continue;
      auto [it, inserted] = ids.try_emplace(id, static_cast<std::uint32_t>(normalised_ids.size()));
      if (inserted) normalised_ids.push_back(std::move(id));
      customer_of_code[code] = it->second;
    }
  }
  std::vector<std::uint8_t> cancelled_code;
  if (invoice) {
    cancelled_code.resize(invoice->dictionary().size());
    for (std::size_t code = 0; code < cancelled_code.size(); ++code) {
      cancelled_code[code] = is_cancelled_invoice(invoice->dictionary()[code]);
    }
  }

  std::vector<std::uint8_t> verdict(n, kKept);
  std::vector<std::string> malformed_detail;  // only for rows judged malformed here
  std::vector<std::size_t> malformed_rows;
  for (std::size_t row = 0; row < n; ++row) {
    const char* missing = nullptr;
    if (date->is_null(row)) {
      missing = "missing date";
    } else if (line_values && quantity->is_null(row)) {
      missing = "missing quantity";
    } else if (line_values && price->is_null(row)) {
      missing = "missing unit price";
    } else if (!line_values && amount->is_null(row)) {
      missing = "missing amount";
    } else if (invoice && invoice->is_null(row)) {
      missing = "missing invoice number";
    }
    std::string too_large;
    if (!missing) too_large = magnitude_problem(line_values, quantity, price, amount, row);
    if (missing || !too_large.empty()) {
      verdict[row] = kMalformed;
      if (options.collect_rejects) {
        malformed_rows.push_back(row);
        malformed_detail.push_back(missing ? std::string(missing) : std::move(too_large));
      }
      continue;
    }
    if (customer->is_null(row) || customer_of_code[customer->codes()[row]] == OrderLines::kNone) {
      verdict[row] = kMissingCustomer;
    } else if (invoice && cancelled_code[invoice->codes()[row]]) {
      verdict[row] = kCancelled;
    } else if (line_values) {
      if (quantity->doubles()[row] <= 0) {
        verdict[row] = kNonPositiveQuantity;
      } else if (price->doubles()[row] < 0 ||
                 (price->doubles()[row] == 0 && !options.keep_zero_value)) {
        verdict[row] = kNonPositivePrice;
      }
    } else if (amount->doubles()[row] < 0 ||
               (amount->doubles()[row] == 0 && !options.keep_zero_value)) {
      verdict[row] = kNonPositivePrice;
    }
  }

  std::vector<std::uint8_t> duplicate = find_duplicates(data.row_hash, verdict);
  for (std::size_t row = 0; row < n; ++row) {
    if (!duplicate[row]) continue;
    ++audit.duplicates;
    if (options.dedup) verdict[row] = kDuplicateDropped;
  }
  audit.duplicates_dropped = options.dedup;

  // The outlier step, last: on the rows every other rule kept, so that cancelled lines, zero
  // prices and dropped duplicates do not move the quartiles.
  OutlierAudit& outliers = audit.outliers;
  const OutlierOptions& outlier_options = options.outliers;
  outliers.method = outlier_options.method;
  outliers.k = outlier_options.multiplier();
  outliers.action = outlier_options.action;
  std::vector<std::uint32_t> kept_rows;
  for (std::size_t row = 0; row < n; ++row) {
    if (verdict[row] == kKept) kept_rows.push_back(static_cast<std::uint32_t>(row));
  }
  // Per field, per kept row: quantity, unit_price and amount (or the amount column alone).
  std::vector<std::pair<std::string, std::vector<double>>> fields;
  if (line_values) {
    fields.emplace_back("quantity", std::vector<double>());
    fields.emplace_back("unit_price", std::vector<double>());
  }
  fields.emplace_back("amount", std::vector<double>());
  for (auto& [name, values] : fields) values.reserve(kept_rows.size());
  for (std::uint32_t row : kept_rows) {
    if (line_values) {
      const double q = quantity->doubles()[row], p = price->doubles()[row];
      fields[0].second.push_back(q);
      fields[1].second.push_back(p);
      fields[2].second.push_back(q * p);
    } else {
      fields[0].second.push_back(amount->doubles()[row]);
    }
  }
  std::vector<std::uint8_t> outlier_field(kept_rows.size(), 0);  // field index + 1, or 0
  if (outlier_options.method != OutlierMethod::kOff && !kept_rows.empty()) {
    for (std::size_t f = 0; f < fields.size(); ++f) {
      auto& values = fields[f].second;
      OutlierField field = describe_field(fields[f].first, "line", values, outlier_options);
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (!is_outlier(field, values[i])) continue;
        const std::uint32_t row = kept_rows[i];
        if (field.examples.size() < kOutlierExamples) {
          field.examples.push_back({data.files[data.row_file[row]], data.row_line[row],
                                    normalised_ids[customer_of_code[customer->codes()[row]]],
                                    values[i]});
        }
        if (outlier_options.action == OutlierAction::kCap) {
          values[i] = std::clamp(values[i], field.lower, field.upper);
          ++field.capped;
        } else if (outlier_options.action == OutlierAction::kDrop && outlier_field[i] == 0) {
          outlier_field[i] = static_cast<std::uint8_t>(f + 1);
          verdict[row] = kOutlier;
          ++field.dropped;
          ++outliers.rows_dropped;
        }
      }
      outliers.fields.push_back(std::move(field));
    }
  }

  audit.rows_read = data.rows_read;
  audit.malformed = static_cast<std::int64_t>(data.rejects.size());
  for (std::uint8_t v : verdict) {
    switch (v) {
      case kKept:
        ++audit.rows_kept;
        break;
      case kMalformed:
        ++audit.malformed;
        break;
      case kMissingCustomer:
        ++audit.missing_customer;
        break;
      case kCancelled:
        ++audit.cancelled;
        break;
      case kNonPositiveQuantity:
        ++audit.non_positive_quantity;
        break;
      case kNonPositivePrice:
        ++audit.non_positive_price;
        break;
      default:
        break;
    }
  }

  if (options.collect_rejects) {
    // Reader rejects and rule rejects are each in (file, line) order already: merge them.
    std::vector<Reject> rule_rejects;
    std::vector<std::uint32_t> rule_files;
    std::size_t next_malformed = 0;
    for (std::size_t row = 0; row < n; ++row) {
      if (verdict[row] == kKept) continue;
      std::string detail;
      std::string rule = line_rule_name(static_cast<LineRule>(verdict[row]));
      if (verdict[row] == kMalformed) {
        detail = malformed_detail[next_malformed++];
      } else if (verdict[row] == kDuplicateDropped) {
        detail = "same fields as an earlier row";
      } else if (verdict[row] == kOutlier) {
        const std::size_t i = static_cast<std::size_t>(
            std::lower_bound(kept_rows.begin(), kept_rows.end(), row) - kept_rows.begin());
        const std::size_t f = outlier_field[i] - 1u;
        rule = "outlier:" + fields[f].first;
        detail = outlier_drop_detail(outliers.fields[f], fields[f].second[i], outliers);
      }
      rule_files.push_back(data.row_file[row]);
      Reject reject = row_reject(table, row, customer);
      reject.file = data.files[data.row_file[row]];
      reject.line = data.row_line[row];
      reject.rule = std::move(rule);
      reject.detail = std::move(detail);
      rule_rejects.push_back(std::move(reject));
    }
    absl::flat_hash_map<std::string, std::uint32_t> file_index;
    for (std::uint32_t i = 0; i < data.files.size(); ++i) file_index.emplace(data.files[i], i);
    auto& merged = result.rejects;
    merged.reserve(data.rejects.size() + rule_rejects.size());
    std::size_t a = 0, b = 0;
    while (a < data.rejects.size() || b < rule_rejects.size()) {
      bool take_reader = b == rule_rejects.size();
      if (!take_reader && a < data.rejects.size()) {
        std::uint32_t fa = file_index[data.rejects[a].file];
        take_reader = fa < rule_files[b] ||
                      (fa == rule_files[b] && data.rejects[a].line < rule_rejects[b].line);
      }
      merged.push_back(take_reader ? std::move(data.rejects[a++]) : std::move(rule_rejects[b++]));
    }
  }

  // The cleaned lines, with customers renumbered densely over kept rows.
  OrderLines& lines = result.lines;
  std::size_t kept = static_cast<std::size_t>(audit.rows_kept);
  std::vector<std::uint32_t> dense(normalised_ids.size(), OrderLines::kNone);
  lines.customer.reserve(kept);
  lines.timestamp.reserve(kept);
  lines.amount.reserve(kept);
  if (line_values) lines.quantity.reserve(kept);
  if (invoice) {
    lines.invoice.reserve(kept);
    lines.invoice_ids = invoice->dictionary();
  }
  auto optional_codes = [&](Role role, std::vector<std::uint32_t>& codes,
                            std::vector<std::string>& names) -> const Column* {
    const Column* column = role_column(data, roles, role);
    if (!column) return nullptr;
    names = column->dictionary();
    codes.reserve(kept);
    return column;
  };
  const Column* country = optional_codes(Role::kCountry, lines.country, lines.country_names);
  const Column* description =
      optional_codes(Role::kDescription, lines.description, lines.descriptions);
  const Column* category = optional_codes(Role::kCategory, lines.category, lines.category_names);
  auto code_or_none = [](const Column* column, std::size_t row) {
    return column->is_null(row) ? OrderLines::kNone : column->codes()[row];
  };

  for (std::size_t i = 0; i < kept_rows.size(); ++i) {
    const std::size_t row = kept_rows[i];
    if (verdict[row] != kKept) continue;
    std::uint32_t id = customer_of_code[customer->codes()[row]];
    if (dense[id] == OrderLines::kNone) {
      dense[id] = static_cast<std::uint32_t>(lines.customer_ids.size());
      lines.customer_ids.push_back(normalised_ids[id]);
    }
    lines.customer.push_back(dense[id]);
    lines.timestamp.push_back(date->ints()[row]);
    // The field values, capped when --outlier-action cap (each field on its own: a capped
    // amount is not capped quantity × capped price).
    if (line_values) lines.quantity.push_back(fields[0].second[i]);
    lines.amount.push_back(fields.back().second[i]);
    if (invoice) lines.invoice.push_back(invoice->codes()[row]);
    if (country) lines.country.push_back(code_or_none(country, row));
    if (description) lines.description.push_back(code_or_none(description, row));
    if (category) lines.category.push_back(code_or_none(category, row));
  }
  audit.customers_kept = static_cast<std::int64_t>(lines.customer_ids.size());
  return result;
}

}  // namespace custlens
