// Type inference and conversion of raw fields into typed columns.
#include "io/table_builder.h"

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/name_list.h"
#include "custlens/error.h"

namespace custlens::io {
namespace {

constexpr std::size_t kRejectContentBytes = 300;
constexpr double kForcedDateMinFit = 0.9;

// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "...";
}

enum class Guess { kEmpty, kInt, kDouble, kBool, kOther };

Guess guess_value(std::string_view text) {
  if (is_null_text(text)) return Guess::kEmpty;
  std::int64_t i;
  if (parse_int(text, i)) return Guess::kInt;
  double d;
  if (parse_double(text, d)) return Guess::kDouble;
  bool b;
  if (parse_bool(text, false, b)) return Guess::kBool;
  return Guess::kOther;
}

ColumnPlan infer_plan(const std::string& name, const RowBatch& sample, std::size_t col) {
  ColumnPlan plan;
  plan.name = name;
  bool any = false, all_int = true, all_number = true, all_bool = true;
  std::vector<std::string_view> texts;
  texts.reserve(sample.num_rows());
  for (std::size_t row = 0; row < sample.num_rows(); ++row) {
    std::string_view text = sample.field(row, col);
    Guess guess = guess_value(text);
    if (guess == Guess::kEmpty) continue;
    any = true;
    texts.push_back(trim_field(text));
    all_int &= guess == Guess::kInt;
    all_number &= guess == Guess::kInt || guess == Guess::kDouble;
    all_bool &= guess == Guess::kBool;
  }
  if (!any) {
    plan.type = ColumnType::kString;
  } else if (all_number) {
    // Parsed as double and narrowed to int64 at the end if every value is whole, so that one
    // "1.5" after the sample is not a reject.
    plan.type = ColumnType::kDouble;
    plan.integral_hint = all_int;
  } else if (all_bool) {
    plan.type = ColumnType::kBool;
  } else {
    std::string format = sniff_date_format(name, texts);
    // Numbers were handled above, so only text date formats can win here.
    if (!format.empty()) {
      plan.type = ColumnType::kTimestamp;
      plan.date_format = std::move(format);
    } else {
      plan.type = ColumnType::kString;
    }
  }
  return plan;
}

}  // namespace

// The row's fields joined by commas, cut to kRejectContentBytes; records where the field of
// column `id_col` lies when the cut content holds all of it.
Reject raw_row_reject(const RowBatch& batch, std::size_t row, std::size_t id_col) {
  Reject reject;
  std::string text;
  for (std::size_t col = 0; col < batch.num_columns; ++col) {
    if (col) text += ',';
    if (col == id_col) reject.id_begin = text.size();
    text += batch.field(row, col);
    if (col == id_col) reject.id_end = text.size();
    if (text.size() > kRejectContentBytes) break;
  }
  reject.content = cut_utf8(text, kRejectContentBytes);
  const bool cut = text.size() > kRejectContentBytes;
  const std::size_t kept = cut ? reject.content.size() - 3 : text.size();  // before the "..."
  if (reject.id_end != Reject::kNotLocated && reject.id_end > kept) {
    reject.id_begin = reject.id_end = Reject::kNotLocated;
  }
  return reject;
}

std::string bad_value_detail(const ColumnPlan& plan, std::string_view text) {
  const char* what = plan.type == ColumnType::kTimestamp ? "bad date"
                     : plan.type == ColumnType::kBool    ? "bad boolean"
                                                         : "bad number";
  std::string bad = fmt::format("{} '{}' in column '{}'", what, cut_utf8(text, 60), plan.name);
  if (plan.type == ColumnType::kTimestamp) bad += fmt::format(" (format {})", plan.date_format);
  return bad;
}

std::string_view trim_field(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

bool is_null_text(std::string_view text) {
  text = trim_field(text);
  if (text.empty()) return true;
  if (text.size() > 4) return false;
  static constexpr std::string_view kMarkers[] = {"NA",  "N/A", "NULL", "null",
                                                  "NaN", "nan", "None", "-"};
  return std::find(std::begin(kMarkers), std::end(kMarkers), text) != std::end(kMarkers);
}

bool parse_double(std::string_view text, double& value) {
  text = trim_field(text);
  if (text.empty()) return false;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = fast_float::from_chars(begin, text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size() && std::isfinite(value);
}

bool parse_int(std::string_view text, std::int64_t& value) {
  text = trim_field(text);
  if (text.empty()) return false;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool parse_bool(std::string_view text, bool allow_digits, bool& value) {
  text = trim_field(text);
  static constexpr std::string_view kTrue[] = {"TRUE", "True", "true", "yes", "Yes", "YES", "是"};
  static constexpr std::string_view kFalse[] = {"FALSE", "False", "false", "no", "No", "NO", "否"};
  if (std::find(std::begin(kTrue), std::end(kTrue), text) != std::end(kTrue) ||
      (allow_digits && text == "1")) {
    value = true;
    return true;
  }
  if (std::find(std::begin(kFalse), std::end(kFalse), text) != std::end(kFalse) ||
      (allow_digits && text == "0")) {
    value = false;
    return true;
  }
  return false;
}

std::vector<ColumnPlan> plan_columns(const std::vector<std::string>& header, const RowBatch& sample,
                                     const ReadOptions& options) {
  for (const auto& wanted : options.columns) {
    if (std::find(header.begin(), header.end(), wanted) == header.end()) {
      throw Error(fmt::format("column '{}' not found; the header has: {}", wanted,
                              common::list_names(header)));
    }
  }
  std::vector<ColumnPlan> plans;
  plans.reserve(header.size());
  for (std::size_t col = 0; col < header.size(); ++col) {
    const std::string& name = header[col];
    bool materialize =
        options.columns.empty() ||
        std::find(options.columns.begin(), options.columns.end(), name) != options.columns.end();
    auto forced = std::find_if(options.column_types.begin(), options.column_types.end(),
                               [&](const auto& entry) { return entry.first == name; });
    ColumnPlan plan;
    if (forced != options.column_types.end()) {
      plan.name = name;
      plan.type = forced->second;
      plan.forced = true;
      if (plan.type == ColumnType::kTimestamp) {
        if (!options.date_format.empty()) {
          plan.date_format = options.date_format;
        } else {
          std::vector<std::string_view> texts;
          for (std::size_t row = 0; row < sample.num_rows(); ++row) {
            std::string_view text = trim_field(sample.field(row, col));
            if (!is_null_text(text)) texts.push_back(text);
          }
          // A column the caller knows to be a date tolerates a few bad values (they become
          // rejects).
          plan.date_format = sniff_date_format(name, texts, kForcedDateMinFit);
          if (plan.date_format.empty() && !texts.empty()) {
            throw Error(
                fmt::format("column '{}': no known date format fits values such as '{}'; give "
                            "--date-format (strptime-style, e.g. '%d.%m.%Y %H:%M')",
                            name, texts.front()));
          }
          if (plan.date_format.empty()) plan.date_format = "%Y-%m-%d %H:%M:%S";
        }
      }
    } else if (materialize) {
      plan = infer_plan(name, sample, col);
      if (plan.type == ColumnType::kTimestamp && !options.date_format.empty()) {
        plan.date_format = options.date_format;
      }
    } else {
      plan.name = name;
    }
    plan.materialize = materialize;
    plan.id = !options.id_column.empty() && name == options.id_column;
    plans.push_back(std::move(plan));
  }
  return plans;
}

BatchConverter::BatchConverter(std::vector<ColumnPlan> plans, std::string file)
    : plans_(std::move(plans)), file_(std::move(file)) {
  date_parsers_.reserve(plans_.size());
  for (const auto& plan : plans_) {
    if (plan.type == ColumnType::kTimestamp && plan.materialize) {
      date_parsers_.emplace_back(DateParser(plan.date_format));
    } else {
      date_parsers_.emplace_back(std::nullopt);
    }
  }
}

TypedBatch BatchConverter::convert(const RowBatch& batch) const {
  TypedBatch out;
  std::vector<std::size_t> materialized;
  for (std::size_t col = 0; col < plans_.size(); ++col) {
    if (!plans_[col].materialize) continue;
    materialized.push_back(col);
    out.columns.emplace_back(plans_[col].name, plans_[col].type);
    out.columns.back().reserve(batch.num_rows());
  }
  out.rejects = batch.rejects;
  const auto id_plan =
      std::find_if(plans_.begin(), plans_.end(), [](const ColumnPlan& plan) { return plan.id; });
  const std::size_t id_col = id_plan == plans_.end()
                                 ? Reject::kNotLocated
                                 : static_cast<std::size_t>(id_plan - plans_.begin());
  out.lines.reserve(batch.num_rows());
  out.hashes.reserve(batch.num_rows());

  // Values of one row are parsed first and appended only when the whole row is good.
  struct Parsed {
    bool null;
    std::int64_t i;
    double d;
  };
  std::vector<Parsed> parsed(materialized.size());
  for (std::size_t row = 0; row < batch.num_rows(); ++row) {
    std::string bad;
    for (std::size_t k = 0; k < materialized.size() && bad.empty(); ++k) {
      std::size_t col = materialized[k];
      const ColumnPlan& plan = plans_[col];
      std::string_view text = batch.field(row, col);
      Parsed& value = parsed[k];
      value.null = false;
      if (plan.type == ColumnType::kString) continue;
      if (is_null_text(text)) {
        value.null = true;
        continue;
      }
      bool ok = true;
      switch (plan.type) {
        case ColumnType::kInt64:
          ok = parse_int(text, value.i);
          break;
        case ColumnType::kDouble:
          ok = parse_double(text, value.d);
          break;
        case ColumnType::kBool: {
          bool b = false;
          ok = parse_bool(text, plan.forced, b);
          value.i = b ? 1 : 0;
          break;
        }
        case ColumnType::kTimestamp: {
          std::optional<std::int64_t> seconds = date_parsers_[col]->parse(trim_field(text));
          ok = seconds.has_value();
          value.i = seconds.value_or(0);
          break;
        }
        case ColumnType::kString:
          break;
      }
      if (!ok) bad = bad_value_detail(plan, text);
    }
    if (!bad.empty()) {
      Reject reject = raw_row_reject(batch, row, id_col);
      reject.file = file_;
      reject.line = batch.lines[row];
      reject.rule = "malformed";
      reject.detail = std::move(bad);
      out.rejects.push_back(std::move(reject));
      continue;
    }
    for (std::size_t k = 0; k < materialized.size(); ++k) {
      Column& column = out.columns[k];
      const Parsed& value = parsed[k];
      if (column.type() == ColumnType::kString) {
        std::string_view text = batch.field(row, materialized[k]);
        if (text.empty()) {
          column.append_null();
        } else {
          column.append_string(text);
        }
      } else if (value.null) {
        column.append_null();
      } else if (column.type() == ColumnType::kDouble) {
        column.append_double(value.d);
      } else {
        column.append_int(value.i);
      }
    }
    out.lines.push_back(batch.lines[row]);
    out.hashes.push_back(batch.hashes[row]);
  }
  return out;
}

}  // namespace custlens::io
