// Parsing of the project's TOML files (tier rules, scoring bins, playbooks, the category map,
// cluster names) with one error form.
#pragma once

#include <toml++/toml.h>

#include <string_view>

namespace custlens::common {

/// Parses `text`; a syntax error throws custlens::Error "SOURCE:LINE:COLUMN: invalid TOML: ...".
toml::table parse_toml(std::string_view text, std::string_view source);

}  // namespace custlens::common
