// RevenueSeriesAccumulator, the periods of a daily series, and its gaps.
#include "analysis/revenue_series.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/calendar.h"
#include "custlens/error.h"

namespace custlens::analysis {
namespace {

int days_in_month(int year, int month) {
  const int next_year = month == 12 ? year + 1 : year;
  const int next_month = month == 12 ? 1 : month + 1;
  return static_cast<int>(common::days_from_civil(next_year, next_month, 1) -
                          common::days_from_civil(year, month, 1));
}

// The first day of the period holding `day`.
std::int64_t period_start(std::int64_t day, Frequency freq) {
  switch (freq) {
    case Frequency::kDay:
      return day;
    case Frequency::kWeek:
      return day - common::weekday_from_days(day);
    case Frequency::kMonth: {
      const common::CivilDate date = common::civil_from_days(day);
      return common::days_from_civil(date.year, date.month, 1);
    }
  }
  return day;
}

int period_days(std::int64_t start_day, Frequency freq) {
  switch (freq) {
    case Frequency::kDay:
      return 1;
    case Frequency::kWeek:
      return 7;
    case Frequency::kMonth: {
      const common::CivilDate date = common::civil_from_days(start_day);
      return days_in_month(date.year, date.month);
    }
  }
  return 1;
}

}  // namespace

void RevenueSeriesAccumulator::add(std::span<const pipeline::KeptLine> lines) {
  for (const pipeline::KeptLine& line : lines) {
    const std::int64_t day = common::floor_div(line.timestamp, common::kSecondsPerDay);
    if (days_.empty()) {
      first_day_ = day;
      days_.resize(1);
    } else if (day < first_day_) {
      // Inputs are rarely sorted by time; growing at the front happens once per earlier day.
      days_.insert(days_.begin(), static_cast<std::size_t>(first_day_ - day), Day{});
      first_day_ = day;
    } else if (day - first_day_ >= static_cast<std::int64_t>(days_.size())) {
      days_.resize(static_cast<std::size_t>(day - first_day_ + 1));
    }
    Day& slot = days_[static_cast<std::size_t>(day - first_day_)];
    slot.revenue.add(line.amount);
    ++slot.lines;
  }
}

DailyRevenue RevenueSeriesAccumulator::finish() const {
  DailyRevenue daily;
  daily.first_day = first_day_;
  daily.revenue.reserve(days_.size());
  daily.lines.reserve(days_.size());
  for (const Day& day : days_) {
    daily.revenue.push_back(day.revenue.sum);
    daily.lines.push_back(day.lines);
  }
  return daily;
}

Frequency parse_frequency(std::string_view text) {
  if (text == "day") return Frequency::kDay;
  if (text == "week") return Frequency::kWeek;
  if (text == "month") return Frequency::kMonth;
  throw Error(fmt::format("--freq '{}': use day, week or month", text));
}

std::string_view frequency_name(Frequency freq) {
  switch (freq) {
    case Frequency::kDay:
      return "day";
    case Frequency::kWeek:
      return "week";
    case Frequency::kMonth:
      return "month";
  }
  return "day";
}

std::int64_t advance_period(std::int64_t start_day, Frequency freq, int steps) {
  switch (freq) {
    case Frequency::kDay:
      return start_day + steps;
    case Frequency::kWeek:
      return start_day + 7 * static_cast<std::int64_t>(steps);
    case Frequency::kMonth: {
      const common::CivilDate date = common::civil_from_days(start_day);
      const int months = date.year * 12 + (date.month - 1) + steps;
      return common::days_from_civil(months / 12, months % 12 + 1, 1);
    }
  }
  return start_day;
}

PeriodSeries to_periods(const DailyRevenue& daily, Frequency freq) {
  PeriodSeries series;
  series.freq = freq;
  if (daily.revenue.empty()) return series;
  const std::int64_t first = daily.first_day;
  const std::int64_t last = first + static_cast<std::int64_t>(daily.revenue.size()) - 1;
  std::vector<Period> all;
  for (std::int64_t start = period_start(first, freq); start <= last;
       start = advance_period(start, freq, 1)) {
    Period period;
    period.start_day = start;
    period.days = period_days(start, freq);
    const std::int64_t from = std::max(start, first);
    const std::int64_t to = std::min(start + period.days - 1, last);
    period.covered_days = static_cast<int>(to - from + 1);
    KahanSum sum;
    for (std::int64_t day = from; day <= to; ++day) {
      sum.add(daily.revenue[static_cast<std::size_t>(day - first)]);
    }
    period.revenue = sum.sum;
    all.push_back(period);
  }
  std::size_t begin = 0;
  std::size_t end = all.size();
  if (all.front().covered_days < all.front().days) {
    series.has_partial_first = true;
    series.partial_first = all.front();
    ++begin;
  }
  if (end > begin && all.back().covered_days < all.back().days) {
    series.has_partial_last = true;
    series.partial_last = all.back();
    --end;
  }
  series.periods.assign(all.begin() + static_cast<std::ptrdiff_t>(begin),
                        all.begin() + static_cast<std::ptrdiff_t>(end));
  return series;
}

SalesGaps find_gaps(const DailyRevenue& daily) {
  SalesGaps gaps;
  gaps.days = static_cast<std::int64_t>(daily.lines.size());
  std::int64_t run = 0;
  for (std::int64_t i = 0; i <= gaps.days; ++i) {
    const bool empty = i < gaps.days && daily.lines[static_cast<std::size_t>(i)] == 0;
    if (i < gaps.days) {
      const int weekday = common::weekday_from_days(daily.first_day + i);
      ++gaps.weekday_days[static_cast<std::size_t>(weekday)];
      if (!empty) ++gaps.weekday_sales_days[static_cast<std::size_t>(weekday)];
    }
    if (empty) {
      ++gaps.zero_days;
      ++run;
      continue;
    }
    if (run >= 2) ++gaps.zero_runs;
    if (run > gaps.longest_gap_days) {
      gaps.longest_gap_days = run;
      gaps.longest_gap_start = daily.first_day + i - run;
    }
    run = 0;
  }
  return gaps;
}

}  // namespace custlens::analysis
