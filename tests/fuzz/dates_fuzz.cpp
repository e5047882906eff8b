// Fuzz target: the date-format sniffer and the compiled date parsers.
//
// Input: lines; the first is a column name, the rest are samples. Invariants: a format that the
// sniffer returns parses every non-empty sample; every parsed date prints as ISO text that parses
// back to the same second; a pattern (the first line used as a format) never crashes.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/error.h"
#include "fuzz/fuzz_support.h"
#include "io/dates.h"

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

void check_round_trip(std::int64_t seconds) {
  const int year = custlens::io::year_of(seconds);
  if (year < 1000 || year > 9999) return;  // %Y takes four digits
  const auto again =
      custlens::io::parse_timestamp(custlens::io::format_timestamp(seconds), "%Y-%m-%d %H:%M:%S");
  custlens::fuzz::require(again && *again == seconds, "format_timestamp does not parse back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  for (std::size_t begin = 0; begin <= text.size();) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  const std::string_view name = lines.front();
  const std::vector<std::string_view> samples(lines.begin() + 1, lines.end());
  for (const double min_fit : {1.0, 0.9}) {
    try {
      const std::string format = custlens::io::sniff_date_format(name, samples, min_fit);
      if (format.empty()) continue;
      const custlens::io::DateParser parser(format);
      for (std::string_view sample : samples) {
        const auto seconds = parser.parse(sample);
        if (min_fit == 1.0 && !trim(sample).empty()) {
          custlens::fuzz::require(seconds.has_value(), "a sniffed format rejects a sample");
        }
        if (seconds) check_round_trip(*seconds);
      }
    } catch (const custlens::Error&) {
      // Month-first and day-first both fit: the documented error.
    }
  }
  try {
    const custlens::io::DateParser parser(name);
    for (std::string_view sample : samples) {
      if (const auto seconds = parser.parse(sample)) check_round_trip(*seconds);
    }
  } catch (const custlens::Error&) {
    // Not a valid pattern.
  }
  return 0;
}
