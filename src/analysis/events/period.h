// The periods of retention and lifecycle: local days, ISO weeks (Monday first) or calendar
// months, numbered so that consecutive periods differ by one.
#pragma once

#include <cstdint>
#include <string_view>

namespace custlens::analysis::events {

enum class Period { kDay, kWeek, kMonth };

/// "day", "week" or "month".
std::string_view period_name(Period period);
/// The inverse of period_name; throws custlens::Error naming --period otherwise.
Period parse_period(std::string_view text);
/// The number of the period holding a local day (days since 1970-01-01).
std::int64_t period_index(Period period, std::int64_t day);
/// The first day of a numbered period: the day, the week's Monday, the month's first day.
std::int64_t period_start_day(Period period, std::int64_t index);

}  // namespace custlens::analysis::events
