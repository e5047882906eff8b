// Known headerless layouts: public data sets shipped without a header row, recognised by the
// content of their first rows so that their columns get their documented names instead of
// column_1..column_N.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace custlens::io {

/// One column of a layout: its name and the test every one of its sampled fields must pass.
struct LayoutColumn {
  std::string_view name;
  bool (*matches)(std::string_view field);
};

/// A headerless layout: a name for messages and `custlens schema`, and its columns in order.
struct Layout {
  std::string_view name;
  std::span<const LayoutColumn> columns;
};

/// Every known layout, in the order recognise_layout tries them.
std::span<const Layout> known_layouts();

/// The first known layout with `num_columns` columns whose tests pass on every field of the first
/// row and of at least nine in ten of `rows` (row-major, `num_columns` fields per row, at least
/// one row; fields are compared with blanks around them trimmed), or null.
const Layout* recognise_layout(std::span<const std::string_view> rows, std::size_t num_columns);

}  // namespace custlens::io
