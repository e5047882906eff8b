// filter_profiles: the rows of a profile table that pass a filter, as a table of their own.
#include "custlens/profile_filter.h"

#include <fmt/format.h>

#include <cstddef>
#include <span>

#include "custlens/error.h"

namespace custlens {
namespace {

// The level code of `name`, or nullopt when no customer has it.
std::optional<std::uint32_t> code_of(const ProfileLevels& levels, const std::string& name) {
  for (std::size_t i = 0; i < levels.levels.size(); ++i) {
    if (levels.levels[i] == name) return static_cast<std::uint32_t>(i);
  }
  return std::nullopt;
}

// The kept rows' values, levels in order of first appearance among them (as make_levels reads a
// file holding only those rows).
ProfileLevels select_levels(const ProfileLevels& levels, std::span<const std::size_t> rows) {
  ProfileLevels out;
  if (!levels.present()) return out;
  std::vector<std::int64_t> renumbered(levels.levels.size(), -1);
  out.code.reserve(rows.size());
  for (const std::size_t row : rows) {
    const std::uint32_t old = levels.code[row];
    if (renumbered[old] < 0) {
      renumbered[old] = static_cast<std::int64_t>(out.levels.size());
      out.levels.push_back(levels.levels[old]);
    }
    out.code.push_back(static_cast<std::uint32_t>(renumbered[old]));
  }
  return out;
}

template <typename T>
std::vector<T> select(const std::vector<T>& values, std::span<const std::size_t> rows) {
  std::vector<T> out;
  if (values.empty()) return out;  // the role has no column
  out.reserve(rows.size());
  for (const std::size_t row : rows) out.push_back(values[row]);
  return out;
}

}  // namespace

ProfileTable filter_profiles(const ProfileTable& table, const ProfileFilter& filter) {
  auto level_code = [&](const std::optional<std::string>& wanted, const ProfileLevels& levels,
                        const char* role) -> std::optional<std::int64_t> {
    if (!wanted) return std::nullopt;
    if (!levels.present()) {
      throw Error(fmt::format("this table has no {} column to filter by", role));
    }
    const auto code = code_of(levels, *wanted);
    return code ? std::optional<std::int64_t>(*code) : std::optional<std::int64_t>(-1);
  };
  const auto region = level_code(filter.region, table.region, "region");
  const auto category = level_code(filter.category, table.category, "category");
  if (filter.rows && filter.rows->size() != table.size()) {
    throw Error(fmt::format("a row filter of {} rows for a table of {}", filter.rows->size(),
                            table.size()));
  }
  std::vector<std::size_t> rows;
  for (std::size_t row = 0; row < table.size(); ++row) {
    if (region && static_cast<std::int64_t>(table.region.code[row]) != *region) continue;
    if (category && static_cast<std::int64_t>(table.category.code[row]) != *category) continue;
    if (filter.rows && (*filter.rows)[row] == 0) continue;
    rows.push_back(row);
  }
  ProfileTable out;
  out.header = table.header;
  out.roles = table.roles;
  out.customer_id = select(table.customer_id, rows);
  out.recency = select(table.recency, rows);
  out.frequency = select(table.frequency, rows);
  out.monetary = select(table.monetary, rows);
  out.aov = select(table.aov, rows);
  out.age = select(table.age, rows);
  out.income = select(table.income, rows);
  out.time_on_site = select(table.time_on_site, rows);
  out.pages = select(table.pages, rows);
  out.region = select_levels(table.region, rows);
  out.category = select_levels(table.category, rows);
  out.gender = select_levels(table.gender, rows);
  out.interest = select_levels(table.interest, rows);
  return out;
}

}  // namespace custlens
