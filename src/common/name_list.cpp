// list_names: short lists of names for messages.
#include "common/name_list.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/number_text.h"

namespace custlens::common {

std::string list_names(std::span<const std::string> names, std::string_view separator,
                       std::size_t shown) {
  std::string out;
  const std::size_t listed = std::min(names.size(), shown);
  for (std::size_t i = 0; i < listed; ++i) {
    if (i > 0) out += separator;
    const std::string& name = names[i];
    if (name.size() <= kListedNameBytes) {
      out += name;
      continue;
    }
    std::size_t end = kListedNameBytes;
    // Back off UTF-8 continuation bytes so the cut falls between characters.
    while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
    out.append(name, 0, end);
    out += "\u2026";
  }
  if (names.size() > listed) {
    out += fmt::format("{}\u2026 and {} more", listed > 0 ? separator : "",
                       thousands(static_cast<std::int64_t>(names.size() - listed)));
  }
  return out;
}

}  // namespace custlens::common
