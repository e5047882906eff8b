// Parsing of the project's TOML files (tier rules, scoring bins, the playbook) with one error form.
#pragma once

#include <toml++/toml.h>

#include <string_view>

namespace custlens::analysis {

/// Parses `text`; a syntax error throws custlens::Error "SOURCE:LINE:COLUMN: invalid TOML: ...".
toml::table parse_toml(std::string_view text, std::string_view source);

}  // namespace custlens::analysis
