// A view of a profile table: the customers of one region, one preferred category and/or a given
// set of rows, as a table of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "custlens/profile_table.h"

namespace custlens {

/// Which customers to keep; every condition that is set must hold.
struct ProfileFilter {
  std::optional<std::string> region;    ///< a level of the region column, e.g. "(missing)"
  std::optional<std::string> category;  ///< a level of the category column
  /// Per customer in table order, nonzero = may be kept (e.g. the members of one tier).
  std::optional<std::vector<std::uint8_t>> rows;
};

/// The customers that pass `filter`, in table order, as the table a file holding only their rows
/// would give: every text column's levels renumbered in order of first appearance, header and
/// roles unchanged. Throws custlens::Error for a region or category filter on a table without
/// that column, or a `rows` mask of the wrong size.
ProfileTable filter_profiles(const ProfileTable& table, const ProfileFilter& filter);

}  // namespace custlens
