// parse_toml: toml++ with its parse errors turned into custlens::Error.
#include "common/toml_file.h"

#include <fmt/format.h>

#include "custlens/error.h"

namespace custlens::common {

toml::table parse_toml(std::string_view text, std::string_view source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw Error(fmt::format("{}:{}:{}: invalid TOML: {}", source, e.source().begin.line,
                            e.source().begin.column, e.description()));
  }
}

}  // namespace custlens::common
