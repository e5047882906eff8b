// build_design: which columns, which rows, and how each column becomes numbers.
#include "models/design.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/magnitude.h"
#include "common/name_list.h"
#include "custlens/error.h"
#include "custlens/roles.h"
#include "io/table_builder.h"

namespace custlens::models {
namespace {

// More levels than this and a text column is left out of `--x all`: one dummy per level would
// swamp the model. Naming the column in --x still uses it.
constexpr std::size_t kMaxLevelsForAll = 50;

std::string lower_ascii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool name_says_id(std::string_view name) {
  const std::string lower = lower_ascii(name);
  return lower == "id" || ends_with(lower, "_id") || ends_with(lower, " id") ||
         ends_with(lower, "-id") || ends_with(name, "ID") || ends_with(name, "Id");
}

bool name_says_index(std::string_view name) {
  std::string normalized;
  for (char c : lower_ascii(name)) {
    if (c != ' ' && c != '_' && c != '-') normalized.push_back(c);
  }
  static constexpr std::string_view kIndexNames[] = {"index", "idx",       "#",    "no",
                                                     "row",   "rownumber", "rowid"};
  return std::find(std::begin(kIndexNames), std::end(kIndexNames), normalized) !=
         std::end(kIndexNames);
}

// The reader names a blank header cell column_<position>; pandas writes its index as "Unnamed: 0".
bool is_unnamed_first(std::string_view name) {
  return name == "column_1" || name.starts_with("Unnamed: ") || name.empty();
}

bool all_distinct(const Column& column) {
  const std::size_t n = column.size();
  if (column.null_count() != 0 || n < 2) return false;
  switch (column.type()) {
    case ColumnType::kString: {
      std::vector<std::uint8_t> seen(column.dictionary().size(), 0);
      for (std::uint32_t code : column.codes()) {
        if (seen[code]) return false;
        seen[code] = 1;
      }
      return true;
    }
    case ColumnType::kDouble: {
      std::vector<double> values(column.doubles().begin(), column.doubles().end());
      std::sort(values.begin(), values.end());
      return std::adjacent_find(values.begin(), values.end()) == values.end();
    }
    default: {
      std::vector<std::int64_t> values(column.ints().begin(), column.ints().end());
      std::sort(values.begin(), values.end());
      return std::adjacent_find(values.begin(), values.end()) == values.end();
    }
  }
}

bool counts_up_by_one(const Column& column) {
  if (column.type() != ColumnType::kInt64) return false;
  auto values = column.ints();
  for (std::size_t i = 1; i < values.size(); ++i) {
    if (values[i] != values[i - 1] + 1) return false;
  }
  return true;
}

std::vector<std::string> column_names(const Table& table) {
  std::vector<std::string> names;
  for (const auto& column : table.columns()) names.push_back(column.name());
  return names;
}

std::size_t require_column(const Table& table, const std::string& name, std::string_view what) {
  const int index = table.index_of(name);
  if (index < 0) {
    throw Error(fmt::format("{} column '{}' not found; the columns are: {}", what, name,
                            common::list_names(column_names(table))));
  }
  return static_cast<std::size_t>(index);
}

std::size_t distinct_codes(const Column& column) {
  std::vector<std::uint8_t> seen(column.dictionary().size(), 0);
  std::size_t count = 0;
  for (std::size_t row = 0; row < column.size(); ++row) {
    if (column.is_null(row)) continue;
    std::uint32_t code = column.codes()[row];
    if (!seen[code]) {
      seen[code] = 1;
      ++count;
    }
  }
  return count;
}

// Text that pandas reads as missing (NA, NULL, nan, ...) is missing in a text column too.
std::vector<std::uint8_t> null_codes(const Column& column) {
  std::vector<std::uint8_t> null(column.dictionary().size(), 0);
  for (std::size_t code = 0; code < null.size(); ++code) {
    null[code] = io::is_null_text(column.dictionary()[code]) ? 1 : 0;
  }
  return null;
}

// The regressors named by --x (or every usable column), in table order for `all`.
std::vector<std::size_t> select_regressors(const Table& table, const DesignOptions& options,
                                           std::size_t target, DesignReport& report) {
  std::vector<std::string> names;
  for (const auto& name : options.regressors) {
    if (!name.empty()) names.push_back(name);
  }
  const bool all = names.empty() || (names.size() == 1 && lower_ascii(names[0]) == "all");
  report.all_columns = all;
  std::vector<std::size_t> selected;
  if (!all) {
    for (const auto& name : names) {
      if (lower_ascii(name) == "all") {
        throw Error("--x all cannot be combined with column names; give either 'all' or a list");
      }
      const std::size_t index = require_column(table, name, "--x");
      if (index == target) {
        throw Error(fmt::format("column '{}' is the target (--y); leave it out of --x", name));
      }
      if (table.column(index).type() == ColumnType::kTimestamp) {
        throw Error(fmt::format(
            "--x column '{}' holds dates; a model takes numbers, booleans and categories "
            "(derive e.g. days since a reference date first)",
            name));
      }
      if (std::find(selected.begin(), selected.end(), index) == selected.end()) {
        selected.push_back(index);
      }
    }
    return selected;
  }
  for (std::size_t c = 0; c < table.num_columns(); ++c) {
    if (c == target) continue;
    const Column& column = table.column(c);
    if (column.null_count() == column.size()) {
      report.excluded.push_back({column.name(), "empty", "every value missing"});
      continue;
    }
    if (column.type() == ColumnType::kTimestamp) {
      report.excluded.push_back({column.name(), "date", "dates are not regressors"});
      continue;
    }
    std::string reason = identifier_reason(table, c);
    if (!reason.empty()) {
      report.excluded.push_back({column.name(), "identifier", std::move(reason)});
      continue;
    }
    if (column.type() == ColumnType::kString) {
      const std::size_t levels = distinct_codes(column);
      if (levels > kMaxLevelsForAll) {
        report.excluded.push_back(
            {column.name(), "too_many_levels",
             fmt::format("{} levels (more than {}); name it in --x to use it anyway", levels,
                         kMaxLevelsForAll)});
        continue;
      }
    }
    selected.push_back(c);
  }
  return selected;
}

// Marks rows with a missing value in `column`; returns how many.
std::size_t mark_missing(const Column& column, std::vector<std::uint8_t>& keep) {
  std::size_t missing = 0;
  std::vector<std::uint8_t> null_text;
  if (column.type() == ColumnType::kString) null_text = null_codes(column);
  for (std::size_t row = 0; row < column.size(); ++row) {
    bool is_missing = column.is_null(row);
    if (!is_missing && column.type() == ColumnType::kString) {
      is_missing = null_text[column.codes()[row]] != 0;
    }
    if (is_missing) {
      ++missing;
      keep[row] = 0;
    }
  }
  return missing;
}

// The values of a numeric or boolean column at the used rows.
void copy_numbers(const Column& column, std::span<const std::size_t> rows,
                  Eigen::Ref<Eigen::VectorXd> out) {
  if (column.type() == ColumnType::kDouble) {
    auto values = column.doubles();
    for (std::size_t i = 0; i < rows.size(); ++i)
      out[static_cast<Eigen::Index>(i)] = values[rows[i]];
  } else {
    auto values = column.ints();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      out[static_cast<Eigen::Index>(i)] = static_cast<double>(values[rows[i]]);
    }
  }
}

// Sorted levels of a text column among the used rows, and each dictionary code's level index.
struct Levels {
  std::vector<std::string> names;
  std::vector<std::uint32_t> level_of_code;
};

Levels levels_of(const Column& column, std::span<const std::size_t> rows) {
  const auto& dictionary = column.dictionary();
  std::vector<std::uint8_t> seen(dictionary.size(), 0);
  for (std::size_t row : rows) seen[column.codes()[row]] = 1;
  std::vector<std::uint32_t> codes;
  for (std::uint32_t code = 0; code < seen.size(); ++code) {
    if (seen[code]) codes.push_back(code);
  }
  // Byte order of UTF-8 is code point order: the order pandas sorts categories in.
  std::sort(codes.begin(), codes.end(),
            [&](std::uint32_t a, std::uint32_t b) { return dictionary[a] < dictionary[b]; });
  Levels levels;
  levels.level_of_code.assign(dictionary.size(), 0);
  for (std::uint32_t i = 0; i < codes.size(); ++i) {
    levels.names.push_back(dictionary[codes[i]]);
    levels.level_of_code[codes[i]] = i;
  }
  return levels;
}

Coefficient make_column(std::string name, std::string term, std::string column, std::string level) {
  Coefficient c;
  c.name = std::move(name);
  c.term = std::move(term);
  c.column = std::move(column);
  c.level = std::move(level);
  return c;
}

std::string describe_value(double value) { return fmt::format("{}", value); }

// y for a binary target: 0/1, with the levels that mean 1 and 0.
void encode_binary_target(const Column& column, std::span<const std::size_t> rows, Design& design) {
  const auto n = static_cast<Eigen::Index>(rows.size());
  design.y.resize(n);
  switch (column.type()) {
    case ColumnType::kBool:
      copy_numbers(column, rows, design.y);
      design.report.positive_level = "true";
      design.report.negative_level = "false";
      return;
    case ColumnType::kInt64:
    case ColumnType::kDouble:
      copy_numbers(column, rows, design.y);
      for (Eigen::Index i = 0; i < n; ++i) {
        if (design.y[i] != 0.0 && design.y[i] != 1.0) {
          throw Error(fmt::format(
              "--y column '{}' has the value {}; logit needs a binary target (0/1, true/false, "
              "or text with two values)",
              column.name(), describe_value(design.y[i])));
        }
      }
      design.report.positive_level = "1";
      design.report.negative_level = "0";
      return;
    case ColumnType::kString: {
      Levels levels = levels_of(column, rows);
      if (levels.names.size() != 2) {
        throw Error(fmt::format(
            "--y column '{}' has {} distinct values among the rows used ({}{}); logit needs "
            "exactly two",
            column.name(), levels.names.size(),
            fmt::join(levels.names.begin(),
                      levels.names.begin() + static_cast<std::ptrdiff_t>(
                                                 std::min<std::size_t>(5, levels.names.size())),
                      ", "),
            levels.names.size() > 5 ? ", ..." : ""));
      }
      for (Eigen::Index i = 0; i < n; ++i) {
        design.y[i] = levels.level_of_code[column.codes()[rows[static_cast<std::size_t>(i)]]];
      }
      // As pandas' get_dummies(drop_first=True): the later level in sorted order is 1.
      design.report.negative_level = levels.names[0];
      design.report.positive_level = levels.names[1];
      return;
    }
    case ColumnType::kTimestamp:
      break;
  }
  throw Error(fmt::format("--y column '{}' holds dates; logit needs two classes", column.name()));
}

void encode_numeric_target(const Column& column, std::span<const std::size_t> rows,
                           Design& design) {
  if (column.type() == ColumnType::kString) {
    const std::string example =
        rows.empty() ? std::string() : std::string(column.string_at(rows.front()));
    throw Error(fmt::format(
        "--y column '{}' holds text (e.g. '{}'), not numbers; ols needs a numeric target (for two "
        "classes use logit)",
        column.name(), example));
  }
  if (column.type() == ColumnType::kTimestamp) {
    throw Error(fmt::format("--y column '{}' holds dates, not numbers", column.name()));
  }
  design.y.resize(static_cast<Eigen::Index>(rows.size()));
  copy_numbers(column, rows, design.y);
}

void standardize_in_place(Eigen::Ref<Eigen::VectorXd> values, const std::string& name) {
  const double n = static_cast<double>(values.size());
  const double mean = values.mean();
  const double sd = std::sqrt((values.array() - mean).square().sum() / (n - 1));
  if (!(sd > 0)) {
    throw Error(
        fmt::format("cannot standardize column '{}': it is constant in the rows used", name));
  }
  values = (values.array() - mean) / sd;
}

}  // namespace

std::string identifier_reason(const Table& table, std::size_t column_index) {
  const Column& column = table.column(column_index);
  if (column.null_count() != 0 || column.size() < 2) return "";
  const std::string& name = column.name();
  // Not order lines: roles as far as they go, a tie between two id columns being no error here.
  const RoleReport roles = explain_roles(column_names(table));
  const bool customer =
      std::any_of(roles.roles.begin(), roles.roles.end(), [&](const RoleReason& r) {
        return r.role == role_name(Role::kCustomer) && r.column == static_cast<int>(column_index);
      });
  const bool named_id = name_says_id(name) || customer;
  const bool first = column_index == 0;
  // The distinct test sorts a copy of the column: only for columns the name or place could make
  // an identifier (and text, whose test is a pass over the codes).
  if (!named_id && !first && column.type() != ColumnType::kString) return "";
  const bool counts_up = first && counts_up_by_one(column);  // distinct, and cheaper to tell
  if (!counts_up && !all_distinct(column)) return "";
  if (named_id) return "named like an id, every value distinct";
  if (first && is_unnamed_first(name)) return "first column, unnamed, every value distinct";
  if (first && name_says_index(name)) {
    return "first column, named like an index, every value distinct";
  }
  if (counts_up) return "first column, counts up by one from row to row";
  if (column.type() == ColumnType::kString) return "text, every value distinct";
  return "";
}

Design build_design(const Table& table, const DesignOptions& options, TargetKind kind) {
  if (options.target.empty()) throw Error("--y is required: the column to explain");
  Design design;
  design.target = options.target;
  design.intercept = options.intercept;
  DesignReport& report = design.report;
  report.rows_in_table = table.num_rows();

  const std::size_t target = require_column(table, options.target, "--y");
  const std::vector<std::size_t> regressors = select_regressors(table, options, target, report);
  if (regressors.empty()) {
    throw Error(fmt::format("no regressors: --x {} leaves no column to explain '{}' with",
                            report.all_columns ? "all" : "", options.target));
  }

  // Rows with a missing value in any used column are dropped.
  std::vector<std::uint8_t> keep(table.num_rows(), 1);
  std::vector<std::size_t> used_columns{target};
  used_columns.insert(used_columns.end(), regressors.begin(), regressors.end());
  for (std::size_t c : used_columns) {
    const std::size_t missing = mark_missing(table.column(c), keep);
    if (missing > 0) report.missing_by_column.emplace_back(table.column(c).name(), missing);
  }
  std::vector<std::size_t> rows;
  rows.reserve(table.num_rows());
  for (std::size_t row = 0; row < keep.size(); ++row) {
    if (keep[row]) rows.push_back(row);
  }
  // Squares of larger values overflow in the Gram matrix: an error, never a NaN estimate.
  for (std::size_t c : used_columns) {
    const Column& column = table.column(c);
    if (column.type() != ColumnType::kDouble && column.type() != ColumnType::kInt64) continue;
    for (std::size_t row : rows) {
      const double value = column.number_at(row);
      if (!common::within_magnitude(value)) {
        throw Error(fmt::format(
            "column '{}' holds {:g} (data row {}): the models take values within ±{:g}; "
            "rescale the column (e.g. to thousands)",
            column.name(), value, row + 1, common::kMaxMagnitude));
      }
    }
  }
  report.rows_used = rows.size();
  report.rows_dropped = table.num_rows() - rows.size();
  if (rows.empty()) {
    throw Error(
        fmt::format("no rows left: each of the {} rows has a missing value in '{}' or a "
                    "regressor",
                    table.num_rows(), options.target));
  }

  const Column& target_column = table.column(target);
  if (kind == TargetKind::kBinary) {
    encode_binary_target(target_column, rows, design);
    if (design.y.minCoeff() == design.y.maxCoeff()) {
      throw Error(fmt::format(
          "--y column '{}' has one class only ('{}') in the {} rows used; "
          "logit needs both",
          options.target, design.y[0] == 1.0 ? report.positive_level : report.negative_level,
          rows.size()));
    }
  } else {
    encode_numeric_target(target_column, rows, design);
    if (design.y.minCoeff() == design.y.maxCoeff()) {
      throw Error(
          fmt::format("--y column '{}' is constant ({}) in the {} rows used; there is "
                      "nothing to explain",
                      options.target, describe_value(design.y[0]), rows.size()));
    }
  }

  // Columns: intercept, numbers and booleans in selection order, then each category's dummies
  // (the order of pandas' get_dummies).
  std::vector<std::size_t> plain, categorical;
  for (std::size_t c : regressors) {
    (table.column(c).type() == ColumnType::kString ? categorical : plain).push_back(c);
  }
  std::vector<Levels> levels;
  std::size_t num_columns = (options.intercept ? 1 : 0) + plain.size();
  for (std::size_t c : categorical) {
    levels.push_back(levels_of(table.column(c), rows));
    report.categorical.push_back({table.column(c).name(), levels.back().names});
    num_columns += levels.back().names.size() - 1;
  }
  const auto n = static_cast<Eigen::Index>(rows.size());
  design.x.resize(n, static_cast<Eigen::Index>(num_columns));
  Eigen::Index next = 0;
  if (options.intercept) {
    design.x.col(next++).setOnes();
    design.columns.push_back(make_column("const", "intercept", "", ""));
  }
  for (std::size_t c : plain) {
    const Column& column = table.column(c);
    copy_numbers(column, rows, design.x.col(next++));
    const bool is_bool = column.type() == ColumnType::kBool;
    design.columns.push_back(
        make_column(column.name(), is_bool ? "bool" : "numeric", column.name(), ""));
  }
  for (std::size_t k = 0; k < categorical.size(); ++k) {
    const Column& column = table.column(categorical[k]);
    const Levels& column_levels = levels[k];
    const Eigen::Index first = next;
    const std::size_t dummies = column_levels.names.size() - 1;
    design.x.middleCols(first, static_cast<Eigen::Index>(dummies)).setZero();
    for (Eigen::Index i = 0; i < n; ++i) {
      const std::uint32_t level =
          column_levels.level_of_code[column.codes()[rows[static_cast<std::size_t>(i)]]];
      if (level > 0) design.x(i, first + level - 1) = 1.0;
    }
    for (std::size_t level = 1; level <= dummies; ++level) {
      design.columns.push_back(make_column(column.name() + "_" + column_levels.names[level],
                                           "dummy", column.name(), column_levels.names[level]));
    }
    next += static_cast<Eigen::Index>(dummies);
  }

  if (design.columns.size() == (options.intercept ? 1u : 0u)) {
    throw Error(
        fmt::format("no regressors left: every --x column has a single value in the {} "
                    "rows used",
                    rows.size()));
  }

  if (options.standardize) {
    standardize_in_place(design.y, options.target);
    report.standardized.push_back(options.target);
    for (std::size_t j = 0; j < design.columns.size(); ++j) {
      if (design.columns[j].term != "numeric") continue;
      standardize_in_place(design.x.col(static_cast<Eigen::Index>(j)), design.columns[j].name);
      report.standardized.push_back(design.columns[j].name);
    }
  }
  // Each regressor's sample sd over the rows used: the report scales numeric effects by it.
  for (std::size_t j = 0; j < design.columns.size(); ++j) {
    Coefficient& c = design.columns[j];
    const auto column = design.x.col(static_cast<Eigen::Index>(j));
    const auto rows = static_cast<double>(column.size());
    c.sd = c.term == "intercept" || rows < 2
               ? std::numeric_limits<double>::quiet_NaN()
               : std::sqrt((column.array() - column.mean()).square().sum() / (rows - 1));
  }
  return design;
}

}  // namespace custlens::models
