// Lists of names (header columns, sheets, levels) inside one-line messages, kept short.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace custlens::common {

/// How many names a message lists before "… and N more".
inline constexpr std::size_t kListedNames = 20;
/// Longest name, in bytes, that a message shows whole; longer ones are cut and end in "…".
inline constexpr std::size_t kListedNameBytes = 80;

/// The first `shown` names joined by `separator`, each cut to kListedNameBytes at a UTF-8
/// character boundary, then "… and 999,980 more" when there are more: an error about a
/// million-column header stays one readable line.
std::string list_names(std::span<const std::string> names, std::string_view separator = ", ",
                       std::size_t shown = kListedNames);

}  // namespace custlens::common
