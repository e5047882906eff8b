// The language of reports, tables and readings: one enum for every layer (English or Chinese).
#pragma once

#include <string_view>

namespace custlens {

enum class Lang { kEn, kZh };

/// "en" or "zh"; throws custlens::Error otherwise.
Lang parse_lang(std::string_view text);

/// "en" or "zh".
inline constexpr std::string_view lang_code(Lang lang) { return lang == Lang::kZh ? "zh" : "en"; }

}  // namespace custlens
