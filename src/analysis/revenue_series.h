// Revenue per period from the kept order lines, summed as the scan streams (one sum per local
// day, none per line), and the days without sales said in numbers (docs/forecast.md).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "analysis/scoring.h"
#include "pipeline/kept_line.h"

namespace custlens::analysis {

/// Revenue of every day from the first to the last day with a kept line; days without one are 0.
struct DailyRevenue {
  std::int64_t first_day = 0;        ///< days since 1970-01-01 (naive local time)
  std::vector<double> revenue;       ///< one per day from first_day; empty when no line was kept
  std::vector<std::uint32_t> lines;  ///< kept lines per day (a day of refunds only has lines)
};

class RevenueSeriesAccumulator final : public pipeline::LineConsumer {
 public:
  void add(std::span<const pipeline::KeptLine> lines) override;
  /// Time and amount only.
  pipeline::NameFields needs() const override { return {false, false, false}; }
  DailyRevenue finish() const;

 private:
  struct Day {
    KahanSum revenue;
    std::uint32_t lines = 0;
  };
  std::int64_t first_day_ = 0;
  std::vector<Day> days_;  ///< from first_day_; grows both ways as earlier or later days come
};

enum class Frequency { kDay, kWeek, kMonth };

/// "day", "week" or "month"; throws custlens::Error naming them otherwise.
Frequency parse_frequency(std::string_view text);
std::string_view frequency_name(Frequency freq);

/// One period: a day, an ISO week (Monday to Sunday) or a calendar month.
struct Period {
  std::int64_t start_day = 0;  ///< first calendar day of the period
  int days = 1;                ///< calendar days in the period
  int covered_days = 1;        ///< of those, days inside the data's first..last day
  double revenue = 0;
};

/// The revenue per period. A period that the data's range cuts (a week whose Monday is before
/// the first day, a month whose last day is after the last day) is partial: it stays out of
/// `periods`, the series the models see, and is reported in `partial_first`/`partial_last`.
struct PeriodSeries {
  Frequency freq = Frequency::kDay;
  std::vector<Period> periods;  ///< complete periods, consecutive
  bool has_partial_first = false;
  bool has_partial_last = false;
  Period partial_first;
  Period partial_last;
};

PeriodSeries to_periods(const DailyRevenue& daily, Frequency freq);
/// The first day of the period `steps` periods after the one that starts on `start_day`.
std::int64_t advance_period(std::int64_t start_day, Frequency freq, int steps);

/// Days without sales, in numbers (a day "without sales" has no kept line; its revenue is 0).
struct SalesGaps {
  std::int64_t days = 0;       ///< days from the first to the last day with a kept line
  std::int64_t zero_days = 0;  ///< of those, days without a kept line
  std::array<std::int64_t, 7> weekday_days{};        ///< days per weekday, Monday = 0
  std::array<std::int64_t, 7> weekday_sales_days{};  ///< of those, days with a kept line
  /// Runs of two or more consecutive zero days.
  std::int64_t zero_runs = 0;
  std::int64_t longest_gap_days = 0;   ///< the longest run of zero days (0 when none)
  std::int64_t longest_gap_start = 0;  ///< its first day (days since 1970-01-01)
};

SalesGaps find_gaps(const DailyRevenue& daily);

}  // namespace custlens::analysis
