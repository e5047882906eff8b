// OrderScan: per batch, in parallel, the fields of the role columns are converted and judged by
// the cleaning rules (clean_orders' rules, in its order, with its reject details and contents);
// then, one batch at a time in file order, duplicates are dropped (--dedup), ids interned, the
// line fields' statistics updated and the kept lines handed to the analyses.
#include "pipeline/order_scan.h"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "common/calendar.h"
#include "common/name_list.h"
#include "custlens/error.h"
#include "io/dates.h"
#include "io/input_stream.h"
#include "io/row_source.h"
#include "io/table_builder.h"
#include "pipeline/batch_handoff.h"
#include "pipeline/fingerprints.h"
#include "pipeline/interner.h"
#include "pipeline/line_value_stats.h"

namespace custlens::pipeline {
namespace {

constexpr std::size_t kSampleRows = 10000;
constexpr std::size_t kNoColumn = static_cast<std::size_t>(-1);

enum class Kind : std::uint8_t { kString, kDouble, kTimestamp };

// Where the role columns are in the header, and how clean_orders reads them.
struct Layout {
  std::size_t customer = kNoColumn, invoice = kNoColumn, date = kNoColumn;
  std::size_t quantity = kNoColumn, price = kNoColumn, amount = kNoColumn;
  std::size_t country = kNoColumn, description = kNoColumn, category = kNoColumn;
  bool line_values = false;  ///< quantity × unit price (else the amount column)
  /// The materialized columns in header order: the table clean_orders would see.
  std::vector<std::pair<std::size_t, Kind>> materialized;
};

Layout layout_of(const std::vector<std::string>& header, const RoleMap& roles) {
  Layout layout;
  auto at = [&](Role role) {
    return roles.has(role) ? static_cast<std::size_t>(roles.column(role)) : kNoColumn;
  };
  layout.customer = at(Role::kCustomer);
  layout.invoice = at(Role::kInvoice);
  layout.date = at(Role::kDate);
  layout.line_values = roles.has(Role::kQuantity) && roles.has(Role::kUnitPrice);
  if (layout.line_values) {
    layout.quantity = at(Role::kQuantity);
    layout.price = at(Role::kUnitPrice);
  } else {
    layout.amount = at(Role::kAmount);
  }
  layout.country = at(Role::kCountry);
  layout.description = at(Role::kDescription);
  layout.category = at(Role::kCategory);
  for (std::size_t col = 0; col < header.size(); ++col) {
    if (col == layout.date) {
      layout.materialized.emplace_back(col, Kind::kTimestamp);
    } else if (col == layout.quantity || col == layout.price || col == layout.amount) {
      layout.materialized.emplace_back(col, Kind::kDouble);
    } else if (col == layout.customer || col == layout.invoice || col == layout.country ||
               col == layout.description || col == layout.category) {
      layout.materialized.emplace_back(col, Kind::kString);
    }
  }
  return layout;
}

// One row's converted values; a double or timestamp field that is null text is `null`.
struct RowValues {
  std::int64_t timestamp = 0;
  double quantity = 0, price = 0, amount = 0;
  bool date_null = false, quantity_null = false, price_null = false, amount_null = false;
};

// A row the rules kept; its other fields are read from the batch again in the in-order step.
struct KeptRow {
  std::uint32_t row = 0;
  RowValues values;
  std::string_view customer;  ///< the normalised id, a view into the batch
  // Bit k: field k (customer, invoice, country, description, category) equals the previous
  // kept row's of the batch, so the in-order step reuses its id without a lookup.
  std::uint8_t same_as_previous = 0;
};

// A row the cancellation rule rejected, kept for the consumers that ask for it.
struct CancelledRow {
  RowValues values;
  std::string_view customer;  ///< the normalised id, a view into the batch
};

enum KeyField : std::uint8_t {
  kCustomerKey,
  kInvoiceKey,
  kCountryKey,
  kDescriptionKey,
  kCategoryKey
};

// What the parallel step of one batch hands to its in-order step. Reused from batch to batch:
// fresh buffers cost page faults (a tenth of the scan's time).
struct BatchWork {
  std::vector<KeptRow> kept;
  std::vector<Reject> rejects;  ///< the reader's and the rules', sorted by line at the end
  std::vector<CancelledRow> cancelled_rows;  ///< only when a consumer asks for them
  std::int64_t malformed = 0, missing_customer = 0, cancelled = 0;
  std::int64_t non_positive_quantity = 0, non_positive_price = 0;
  std::vector<absl::flat_hash_map<double, std::int64_t>> value_counts;  ///< per line field
  void clear() {
    kept.clear();
    rejects.clear();
    cancelled_rows.clear();
    malformed = missing_customer = cancelled = non_positive_quantity = non_positive_price = 0;
    for (auto& counts : value_counts) counts.clear();
  }
};

}  // namespace

struct OrderScan::Impl {
  std::vector<std::string> files;
  OrderScanOptions options;
  std::unique_ptr<io::RowSource> first;
  std::vector<std::string> header;
  RoleMap roles;
  ReadOptions order_options;  ///< the options clean_orders' reading would use
  Layout layout;
  LineNames columns;
  bool ran = false;
  bool want_rejects = false;
  bool want_value_counts = false;  ///< building a reject's content costs more than judging the row
  NameFields wanted;               ///< the name fields some consumer reads
  std::vector<LineConsumer*> cancelled_consumers;  ///< those that asked for cancelled lines

  // Per file, set before its scan.
  std::uint32_t file_index = 0;
  std::optional<io::DateParser> date_parser;
  std::vector<io::ColumnPlan> plans;

  // The in-order state.
  Interner customers, invoices, countries, descriptions, categories;
  FingerprintCounter fingerprints;               // without --dedup
  absl::flat_hash_set<std::uint64_t> seen_rows;  // with --dedup
  std::int64_t duplicates = 0;
  std::vector<LineValueStats> value_stats;     // quantity, unit_price, amount (or amount)
  std::vector<KeptLine> kept_lines;            // one batch's, reused
  std::vector<CancelledLine> cancelled_lines;  // one batch's, reused
  // With --outlier-action drop or cap: the line fields' statistics and bounds from a first read,
  // their dropped and capped counts added by this one.
  std::vector<OutlierField> bounds;
  std::int64_t outliers_dropped = 0;

  // Drops (false, the reject made) or caps the line's fields by `bounds`, as clean_orders does:
  // each field on its own (a capped amount is not capped quantity × capped price); a dropped row
  // counts for the first field that flags it.
  bool apply_bounds(const io::RowBatch& batch, const KeptRow& kept, RowValues& values,
                    BatchWork& work, const OutlierAudit& audit) {
    double* fields[] = {&values.quantity, &values.price, &values.amount};
    const std::size_t first = layout.line_values ? 0 : 2;
    std::size_t dropped_by = bounds.size();
    for (std::size_t f = 0; f < bounds.size(); ++f) {
      double& value = *fields[first + f];
      OutlierField& field = bounds[f];
      if (!is_outlier(field, value)) continue;
      if (options.outliers.action == OutlierAction::kCap) {
        value = std::clamp(value, field.lower, field.upper);
        ++field.capped;
      } else if (dropped_by == bounds.size()) {
        dropped_by = f;
        ++field.dropped;
      }
    }
    if (dropped_by == bounds.size()) return true;
    ++outliers_dropped;
    if (want_rejects) {
      const OutlierField& field = bounds[dropped_by];
      work.rejects.push_back(
          typed_reject(batch, kept.row, kept.values, ("outlier:" + field.field).c_str(),
                       outlier_drop_detail(field, *fields[first + dropped_by], audit)));
    }
    return false;
  }

  // Typed content of a rule reject: the materialized fields as clean_orders' table holds them.
  Reject typed_reject(const io::RowBatch& batch, std::size_t row, const RowValues& v,
                      const char* rule, std::string detail) const {
    Reject reject;
    std::string& text = reject.content;
    bool first_column = true;
    for (const auto& [col, kind] : layout.materialized) {
      if (!first_column) text += ',';
      first_column = false;
      const std::string_view field = batch.field(row, col);
      if (col == layout.customer) {
        reject.id_begin = text.size();
        text += field;
        reject.id_end = text.size();
        continue;
      }
      switch (kind) {
        case Kind::kString:
          text += field;
          break;
        case Kind::kDouble: {
          const bool null = col == layout.quantity ? v.quantity_null
                            : col == layout.price  ? v.price_null
                                                   : v.amount_null;
          const double value = col == layout.quantity ? v.quantity
                               : col == layout.price  ? v.price
                                                      : v.amount;
          if (!null) text += fmt::format("{}", value);
          break;
        }
        case Kind::kTimestamp:
          if (!v.date_null) text += common::format_timestamp(v.timestamp);
          break;
      }
    }
    reject.file = files[file_index];
    reject.line = batch.lines[row];
    reject.rule = rule;
    reject.detail = std::move(detail);
    return reject;
  }

  // Converts one double field; false (and the reject detail) for text that is not a number.
  bool convert_double(const io::RowBatch& batch, std::size_t row, std::size_t col, double& value,
                      bool& null, std::string& bad) const {
    const std::string_view text = batch.field(row, col);
    // A number first: no null marker reads as a finite number, and numbers are the usual case.
    if (io::parse_double(text, value)) return true;
    if (io::is_null_text(text)) {
      value = 0;
      null = true;
      return true;
    }
    bad = io::bad_value_detail(plans[col], text);
    return false;
  }

  // The parallel step: conversion, then the rules in clean_orders' order. Runs on several
  // threads at once: it changes nothing shared but the fingerprint counter, which locks.
  void judge(const io::RowBatch& batch, BatchWork& work) {
    work.clear();
    if (want_rejects) work.rejects = batch.rejects;
    work.malformed = static_cast<std::int64_t>(batch.rejects.size());
    work.kept.reserve(batch.num_rows());
    const Layout& l = layout;
    // The lines of one order share its date text: the previous row's reading is reused.
    std::string_view last_date_text;
    std::int64_t last_date = 0;
    for (std::size_t row = 0; row < batch.num_rows(); ++row) {
      RowValues v;
      std::string bad;
      // Conversion in header order of the materialized columns, as the table builder does.
      for (const auto& [col, kind] : l.materialized) {
        if (kind == Kind::kString) continue;
        if (kind == Kind::kTimestamp) {
          const std::string_view text = batch.field(row, col);
          if (!last_date_text.empty() && text == last_date_text) {
            v.timestamp = last_date;
            continue;
          }
          if (io::is_null_text(text)) {
            v.date_null = true;
            continue;
          }
          const std::optional<std::int64_t> seconds = date_parser->parse(io::trim_field(text));
          if (seconds) {
            v.timestamp = last_date = *seconds;
            last_date_text = text;
            continue;
          }
          bad = io::bad_value_detail(plans[col], text);
          break;
        }
        const bool ok =
            col == l.quantity ? convert_double(batch, row, col, v.quantity, v.quantity_null, bad)
            : col == l.price  ? convert_double(batch, row, col, v.price, v.price_null, bad)
                              : convert_double(batch, row, col, v.amount, v.amount_null, bad);
        if (!ok) break;
      }
      if (!bad.empty() && !want_rejects) {
        ++work.malformed;
        continue;
      }
      if (!bad.empty()) {
        Reject reject = io::raw_row_reject(batch, row, l.customer);
        reject.file = files[file_index];
        reject.line = batch.lines[row];
        reject.rule = line_rule_name(LineRule::kMalformed);
        reject.detail = std::move(bad);
        work.rejects.push_back(std::move(reject));
        ++work.malformed;
        continue;
      }
      const std::string_view invoice =
          l.invoice != kNoColumn ? batch.field(row, l.invoice) : std::string_view();
      const char* missing = nullptr;
      if (v.date_null) {
        missing = "missing date";
      } else if (l.line_values && v.quantity_null) {
        missing = "missing quantity";
      } else if (l.line_values && v.price_null) {
        missing = "missing unit price";
      } else if (!l.line_values && v.amount_null) {
        missing = "missing amount";
      } else if (l.invoice != kNoColumn && invoice.empty()) {
        missing = "missing invoice number";
      }
      std::string too_large;
      if (!missing)
        too_large = value_magnitude_problem(l.line_values, v.quantity, v.price, v.amount);
      if ((missing || !too_large.empty()) && !want_rejects) {
        ++work.malformed;
        continue;
      }
      if (missing || !too_large.empty()) {
        work.rejects.push_back(typed_reject(batch, row, v, line_rule_name(LineRule::kMalformed),
                                            missing ? std::string(missing) : std::move(too_large)));
        ++work.malformed;
        continue;
      }
      LineRule verdict = LineRule::kKept;
      const std::string_view customer = customer_id_view(batch.field(row, l.customer));
      if (customer.empty()) {
        verdict = LineRule::kMissingCustomer;
        ++work.missing_customer;
      } else if (l.invoice != kNoColumn && is_cancelled_invoice(invoice)) {
        verdict = LineRule::kCancelled;
        ++work.cancelled;
        if (wanted.cancelled) work.cancelled_rows.push_back({v, customer});
      } else if (l.line_values) {
        if (v.quantity <= 0) {
          verdict = LineRule::kNonPositiveQuantity;
          ++work.non_positive_quantity;
        } else if (v.price < 0 || (v.price == 0 && !options.keep_zero_value)) {
          verdict = LineRule::kNonPositivePrice;
          ++work.non_positive_price;
        }
      } else if (v.amount < 0 || (v.amount == 0 && !options.keep_zero_value)) {
        verdict = LineRule::kNonPositivePrice;
        ++work.non_positive_price;
      }
      if (verdict != LineRule::kKept) {
        if (!want_rejects) continue;
        work.rejects.push_back(typed_reject(batch, row, v, line_rule_name(verdict), {}));
        continue;
      }
      if (l.line_values) v.amount = v.quantity * v.price;
      KeptRow& kept = work.kept.emplace_back();
      kept.row = static_cast<std::uint32_t>(row);
      kept.values = v;
      kept.customer = customer;
      if (work.kept.size() > 1) {
        const KeptRow& previous = work.kept[work.kept.size() - 2];
        auto same = [&](std::size_t col) {
          return col != kNoColumn && batch.field(row, col) == batch.field(previous.row, col);
        };
        kept.same_as_previous = static_cast<std::uint8_t>(
            (kept.customer == previous.customer) << kCustomerKey | same(l.invoice) << kInvoiceKey |
            same(l.country) << kCountryKey | same(l.description) << kDescriptionKey |
            same(l.category) << kCategoryKey);
      }
    }
    // The reader's rejects, then the rules': one list in line order.
    if (want_rejects) merge_by_line(work.rejects, batch.rejects.size());
    // Without --dedup, duplicates are only counted: in any order, so here (the counter locks).
    if (!options.dedup) {
      std::vector<std::uint64_t> hashes;
      hashes.reserve(work.kept.size());
      for (const KeptRow& kept : work.kept) hashes.push_back(batch.hashes[kept.row]);
      fingerprints.add(hashes);
    }
    // The line fields' value counts, per batch here and merged in order (counts commute).
    if (want_value_counts) {
      work.value_counts.resize(layout.line_values ? 3 : 1);  // cleared above when reused
      for (const KeptRow& kept : work.kept) {
        if (layout.line_values) {
          ++work.value_counts[0][kept.values.quantity];
          ++work.value_counts[1][kept.values.price];
          ++work.value_counts[2][kept.values.amount];
        } else {
          ++work.value_counts[0][kept.values.amount];
        }
      }
    }
  }

  // Rejects [0, sorted) and [sorted, end) are each in line order: all of them in line order.
  static void merge_by_line(std::vector<Reject>& rejects, std::size_t sorted) {
    if (sorted == 0 || sorted == rejects.size()) return;
    std::inplace_merge(rejects.begin(), rejects.begin() + static_cast<std::ptrdiff_t>(sorted),
                       rejects.end(),
                       [](const Reject& a, const Reject& b) { return a.line < b.line; });
  }

  static std::uint32_t id_or_none(Interner& interner, std::string_view text) {
    // An empty string field is null, as in the table.
    return text.empty() ? kNoId : interner.intern(text);
  }

  // After the batch's kept lines: its cancelled lines, to the consumers that asked. A lookup,
  // never an intern: a customer with cancellations only must not get an id.
  void hand_cancelled(const std::vector<CancelledRow>& rows) {
    cancelled_lines.clear();
    for (const CancelledRow& row : rows) {
      CancelledLine& line = cancelled_lines.emplace_back();
      line.customer_id = row.customer;
      line.customer = customers.find(row.customer);
      line.timestamp = row.values.timestamp;
      line.quantity = layout.line_values ? row.values.quantity : 0;
      line.amount = layout.line_values ? row.values.quantity * row.values.price : row.values.amount;
    }
    for (LineConsumer* consumer : cancelled_consumers) consumer->add_cancelled(cancelled_lines);
  }

  // The in-order step: duplicates, ids, statistics, the analyses, the rejects.
  void commit(const io::RowBatch& batch, BatchWork& work, std::span<LineConsumer* const> consumers,
              const RejectSink& reject_sink, CleaningAudit& audit) {
    audit.malformed += work.malformed;
    audit.missing_customer += work.missing_customer;
    audit.cancelled += work.cancelled;
    audit.non_positive_quantity += work.non_positive_quantity;
    audit.non_positive_price += work.non_positive_price;
    kept_lines.clear();
    const std::size_t judged_rejects = work.rejects.size();
    for (std::size_t f = 0; f < work.value_counts.size(); ++f) {
      value_stats[f].add_counts(work.value_counts[f]);
    }
    bool dropped_since_last = false;
    for (const KeptRow& kept : work.kept) {
      if (options.dedup) {
        if (!seen_rows.insert(batch.hashes[kept.row]).second) {
          ++duplicates;
          dropped_since_last = true;
          if (!want_rejects) continue;
          work.rejects.push_back(typed_reject(batch, kept.row, kept.values,
                                              line_rule_name(LineRule::kDuplicate),
                                              "same fields as an earlier row"));
          continue;
        }
      }
      RowValues values = kept.values;
      if (!bounds.empty() && !apply_bounds(batch, kept, values, work, audit.outliers)) {
        dropped_since_last = true;
        continue;
      }
      // A row dropped as a duplicate above breaks the chain of equal neighbours.
      const std::uint8_t same =
          kept_lines.empty() || dropped_since_last ? 0 : kept.same_as_previous;
      dropped_since_last = false;
      KeptLine& line = kept_lines.emplace_back();
      // After the emplace: it may have moved the lines.
      const KeptLine* previous = same != 0 ? &kept_lines[kept_lines.size() - 2] : nullptr;
      auto reuse = [&](KeyField field) { return (same >> field & 1) != 0; };
      line.customer = reuse(kCustomerKey) ? previous->customer : customers.intern(kept.customer);
      if (layout.invoice != kNoColumn) {
        line.invoice = reuse(kInvoiceKey) ? previous->invoice
                                          : invoices.intern(batch.field(kept.row, layout.invoice));
      }
      line.timestamp = values.timestamp;
      line.amount = values.amount;
      if (layout.line_values) line.quantity = values.quantity;
      if (wanted.country && layout.country != kNoColumn) {
        line.country = reuse(kCountryKey)
                           ? previous->country
                           : id_or_none(countries, batch.field(kept.row, layout.country));
      }
      if (wanted.description && layout.description != kNoColumn) {
        line.description =
            reuse(kDescriptionKey)
                ? previous->description
                : id_or_none(descriptions, batch.field(kept.row, layout.description));
      }
      if (wanted.category && layout.category != kNoColumn) {
        line.category = reuse(kCategoryKey)
                            ? previous->category
                            : id_or_none(categories, batch.field(kept.row, layout.category));
      }
      if (!value_stats.empty()) {
        const LineValueStats::Origin origin{file_index, batch.lines[kept.row], line.customer};
        auto add = [&](LineValueStats& stats, double value) {
          if (want_value_counts) {
            stats.add_ordered(value, origin);  // counted in the parallel step
          } else {
            stats.add(value, origin);
          }
        };
        if (layout.line_values) {
          add(value_stats[0], kept.values.quantity);
          add(value_stats[1], kept.values.price);
          add(value_stats[2], line.amount);
        } else {
          add(value_stats[0], line.amount);
        }
      }
    }
    audit.rows_kept += static_cast<std::int64_t>(kept_lines.size());
    for (LineConsumer* consumer : consumers) consumer->add(kept_lines);
    if (!work.cancelled_rows.empty()) hand_cancelled(work.cancelled_rows);
    if (reject_sink && !work.rejects.empty()) {
      merge_by_line(work.rejects, judged_rejects);  // duplicates and outliers come after
      reject_sink(work.rejects);
    }
  }
};

OrderScan::OrderScan(std::vector<std::string> files, OrderScanOptions options,
                     std::unique_ptr<io::RowSource> first)
    : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  if (files.empty()) throw Error("no input files given");
  if (!supports(files, options)) {
    throw Error(
        "--outlier-action drop and cap read the input twice: give a file, not a pipe or stdin");
  }
  s.files = std::move(files);
  s.options = std::move(options);
  s.first = first ? std::move(first) : io::open_input(s.files.front(), s.options.read);
  s.header = s.first->header();
  s.roles = detect_roles(s.header, s.options.maps);
  s.order_options = order_read_options(s.header, s.roles, s.options.read);
  s.layout = layout_of(s.header, s.roles);
  s.columns.has_invoice = s.layout.invoice != kNoColumn;
  s.columns.has_quantity = s.layout.line_values;
  s.columns.has_country = s.layout.country != kNoColumn;
  s.columns.has_description = s.layout.description != kNoColumn;
  s.columns.has_category = s.layout.category != kNoColumn;
  s.invoices = Interner(s.options.keep_invoice_ids);
  s.descriptions.mirror_to(&s.columns.descriptions);
  s.categories.mirror_to(&s.columns.category_names);
}

OrderScan::~OrderScan() = default;

bool OrderScan::supports(const std::vector<std::string>& files, const OrderScanOptions& options) {
  if (options.outliers.method == OutlierMethod::kOff) return true;
  if (options.outliers.action == OutlierAction::kFlag) return true;
  return std::none_of(files.begin(), files.end(), io::is_stream_path);
}

const std::vector<std::string>& OrderScan::header() const { return impl_->header; }
const RoleMap& OrderScan::roles() const { return impl_->roles; }
const LineNames& OrderScan::columns() const { return impl_->columns; }

OrderScanResult OrderScan::run(std::span<LineConsumer* const> consumers,
                               const RejectSink& rejects) {
  Impl& s = *impl_;
  if (s.ran) throw Error("internal: an OrderScan runs once");
  s.ran = true;
  const OutlierOptions& outlier_options = s.options.outliers;
  if (outlier_options.method != OutlierMethod::kOff &&
      outlier_options.action != OutlierAction::kFlag) {
    // A first read for the statistics and bounds of every kept line (as flag reports them).
    OrderScanOptions measure = s.options;
    measure.outliers.action = OutlierAction::kFlag;
    s.bounds = OrderScan(s.files, measure, std::move(s.first)).run({}, {}).audit.outliers.fields;
    for (OutlierField& field : s.bounds) {
      field.action = std::string(outlier_action_name(outlier_options.action));
    }
    s.first = io::open_input(s.files.front(), s.options.read);
    if (s.first->header() != s.header) {
      throw Error(fmt::format("{}: changed while it was read", s.files.front()));
    }
  }
  s.want_rejects = static_cast<bool>(rejects);
  s.wanted = NameFields{false, false, false};
  for (LineConsumer* consumer : consumers) {
    s.wanted |= consumer->needs();
    if (consumer->needs().cancelled) s.cancelled_consumers.push_back(consumer);
  }
  // With --dedup the counts wait for the in-order step, which knows the duplicates.
  s.want_value_counts =
      outlier_options.method != OutlierMethod::kOff && !s.options.dedup && s.bounds.empty();
  OrderScanResult result;
  result.files = s.files;
  result.header = s.header;
  result.roles = s.roles;
  CleaningAudit& audit = result.audit;
  audit.outliers.method = outlier_options.method;
  audit.outliers.k = outlier_options.multiplier();
  audit.outliers.action = outlier_options.action;
  audit.duplicates_dropped = s.options.dedup;
  if (outlier_options.method != OutlierMethod::kOff && s.bounds.empty()) {
    s.value_stats.resize(s.layout.line_values ? 3 : 1);
  }

  BatchHandoff<BatchWork> handoff;
  for (std::size_t f = 0; f < s.files.size(); ++f) {
    std::unique_ptr<io::RowSource> source =
        f == 0 ? std::move(s.first) : io::open_input(s.files[f], s.options.read);
    if (f == 0) {
      result.encoding = source->encoding();
    } else if (source->header() != s.header) {
      throw Error(fmt::format("{}: header differs from {} ({} vs {})", s.files[f], s.files.front(),
                              common::list_names(source->header(), ","),
                              common::list_names(s.header, ",")));
    }
    s.file_index = static_cast<std::uint32_t>(f);
    io::check_declared_types(*source, s.files[f], s.order_options);
    // Date formats are sniffed per file, as read_dataset does.
    s.plans = io::plan_columns(s.header, source->sample(kSampleRows), s.order_options);
    s.date_parser.emplace(s.plans[s.layout.date].date_format);
    if (f == 0) {
      for (const io::ColumnPlan& plan : s.plans) {
        result.columns.push_back(
            ColumnInfo{plan.name, plan.type, plan.date_format, plan.materialize});
      }
    }
    source->scan_ordered(
        [&](std::size_t index, const io::RowBatch& batch) {
          std::unique_ptr<BatchWork> work = handoff.acquire();
          s.judge(batch, *work);
          handoff.put(index, std::move(work));
        },
        [&](std::size_t index, const io::RowBatch& batch) {
          std::unique_ptr<BatchWork> work = handoff.take(index);
          s.commit(batch, *work, consumers, rejects, audit);
          handoff.release(std::move(work));
        },
        s.options.read.progress);
    audit.rows_read += source->rows_read();
  }
  if (audit.rows_read == 0) {
    throw Error(fmt::format("{}: no data rows (only a header?)", s.files.front()));
  }
  audit.duplicates = s.options.dedup ? s.duplicates : s.fingerprints.duplicates();
  audit.customers_kept = static_cast<std::int64_t>(s.customers.size());

  LineNames& names = result.names;
  names.has_invoice = s.columns.has_invoice;
  names.has_quantity = s.columns.has_quantity;
  names.has_country = s.columns.has_country;
  names.has_description = s.columns.has_description;
  names.has_category = s.columns.has_category;
  // Invoices first: their dictionary is freed before the customer names are made.
  names.invoice_count = s.invoices.size();
  names.invoice_ids = s.invoices.take_names();
  names.customer_ids = s.customers.take_names();
  names.country_names = s.countries.take_names();
  // Copies: analyses made with columns() may still hold on to its vectors.
  names.descriptions = s.columns.descriptions;
  names.category_names = s.columns.category_names;
  if (!s.bounds.empty()) {
    audit.outliers.fields = std::move(s.bounds);
    audit.outliers.rows_dropped = s.outliers_dropped;
  }
  if (!s.value_stats.empty() && audit.rows_kept > 0) {
    static constexpr const char* kLineFields[] = {"quantity", "unit_price", "amount"};
    for (std::size_t f = 0; f < s.value_stats.size(); ++f) {
      const char* name = s.value_stats.size() == 1 ? "amount" : kLineFields[f];
      audit.outliers.fields.push_back(
          s.value_stats[f].finish(name, outlier_options, s.files, names.customer_ids));
    }
  }
  return result;
}

}  // namespace custlens::pipeline
