// The calibration summary of the lifetime-value models (see clv_summary.h).
#include "analysis/clv_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/calendar.h"
#include "custlens/error.h"

namespace custlens::analysis {
namespace {

// Days are stored biased into 32 bits beside the customer id.
constexpr std::int64_t kDayBias = std::int64_t{1} << 31;

std::int64_t day_of(std::int64_t timestamp) {
  return common::floor_div(timestamp, common::kSecondsPerDay);
}

}  // namespace

void ClvSummaryAccumulator::add(std::span<const pipeline::KeptLine> lines) {
  const std::int64_t calibration_end =
      periods_.calibration_end.value_or(std::numeric_limits<std::int64_t>::max());
  for (const pipeline::KeptLine& line : lines) {
    const std::int64_t day = day_of(line.timestamp);
    if (line.customer >= state_.size()) {
      state_.resize(line.customer + 1, State{std::numeric_limits<std::int64_t>::max(),
                                             {},
                                             {},
                                             std::numeric_limits<std::int64_t>::min()});
    }
    State& state = state_[line.customer];
    if (day < state.first_day) {
      state.first_day = day;
      state.first_value = KahanSum{};
    }
    if (day == state.first_day) state.first_value.add(line.amount);
    if (day <= calibration_end) state.calibration_value.add(line.amount);
    if (line.amount == 0) ++zero_value_lines_;
    first_day_seen_ = std::min(first_day_seen_, day);
    last_day_seen_ = std::max(last_day_seen_, day);
    // Lines of one customer and day usually follow each other: one set insert per new day.
    if (day == state.last_inserted_day) continue;
    state.last_inserted_day = day;
    customer_days_.insert(std::uint64_t{line.customer} << 32 |
                          static_cast<std::uint32_t>(day + kDayBias));
  }
}

CalibrationSummary ClvSummaryAccumulator::finish() {
  CalibrationSummary out;
  out.unit_days = periods_.unit_days;
  out.zero_value_lines = zero_value_lines_;
  out.customers_seen = static_cast<std::int64_t>(state_.size());
  if (state_.empty()) throw Error("no kept order line: nothing to fit");
  out.first_day_seen = first_day_seen_;
  out.last_day_seen = last_day_seen_;
  out.calibration_end = periods_.calibration_end.value_or(last_day_seen_);
  out.holdout_end = periods_.holdout_end;
  const std::int64_t last_used = out.holdout_end.value_or(out.calibration_end);

  // Dense index of the fitted customers, in scan order.
  constexpr std::uint32_t kNotFitted = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> index(state_.size(), kNotFitted);
  out.tracking_start = std::numeric_limits<std::int64_t>::max();
  for (std::size_t c = 0; c < state_.size(); ++c) {
    if (state_[c].first_day > out.calibration_end) {
      ++out.later_customers;
      continue;
    }
    index[c] = static_cast<std::uint32_t>(out.customer.size());
    out.customer.push_back(static_cast<std::uint32_t>(c));
    out.first_day.push_back(state_[c].first_day);
    out.tracking_start = std::min(out.tracking_start, state_[c].first_day);
  }
  if (out.customer.empty()) {
    throw Error(
        fmt::format("no customer bought on or before the calibration end {} (the data "
                    "run from {} to {})",
                    common::format_day(out.calibration_end), common::format_day(first_day_seen_),
                    common::format_day(last_day_seen_)));
  }
  const std::size_t n = out.customer.size();
  std::vector<std::int64_t> days(n, 0), last_day(n, std::numeric_limits<std::int64_t>::min());
  std::vector<std::int64_t> holdout(n, 0);
  out.weekly_repeats.assign(static_cast<std::size_t>((last_used - out.tracking_start) / 7 + 1), 0);
  for (const std::uint64_t key : customer_days_) {
    const std::uint32_t i = index[key >> 32];
    if (i == kNotFitted) continue;
    const std::int64_t day = static_cast<std::int64_t>(key & 0xffffffffu) - kDayBias;
    if (day <= out.calibration_end) {
      ++days[i];
      last_day[i] = std::max(last_day[i], day);
      ++out.calibration_transactions;
    } else if (day <= last_used) {
      ++holdout[i];
      ++out.holdout_transactions;
    } else {
      ++out.unused_transactions;
      continue;
    }
    if (day != out.first_day[i]) {
      ++out.weekly_repeats[static_cast<std::size_t>((day - out.tracking_start) / 7)];
    }
  }
  customer_days_ = {};
  const double unit = periods_.unit_days;
  out.x.resize(n);
  out.t_x.resize(n);
  out.T.resize(n);
  out.zbar.resize(n);
  out.holdout_x.resize(n);
  out.calibration_value.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const State& state = state_[out.customer[i]];
    out.x[i] = static_cast<double>(days[i] - 1);
    out.t_x[i] = static_cast<double>(last_day[i] - state.first_day) / unit;
    out.T[i] = static_cast<double>(out.calibration_end - state.first_day) / unit;
    out.calibration_value[i] = state.calibration_value.sum;
    out.zbar[i] = days[i] > 1 ? (state.calibration_value.sum - state.first_value.sum) / out.x[i]
                              : std::nan("");
    out.holdout_x[i] = static_cast<double>(holdout[i]);
  }
  state_ = {};
  return out;
}

void DayFilter::add(std::span<const pipeline::KeptLine> lines) {
  if (!last_day_) {
    inner_.add(lines);
    return;
  }
  kept_.clear();
  for (const pipeline::KeptLine& line : lines) {
    if (day_of(line.timestamp) <= *last_day_) kept_.push_back(line);
  }
  if (!kept_.empty()) inner_.add(kept_);
}

}  // namespace custlens::analysis
