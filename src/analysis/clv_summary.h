// The per-customer calibration summary behind the lifetime-value models, built one kept line at
// a time as the scan streams (docs/clv.md): purchases on one day are one transaction; x, t_x and
// T from the calibration period, the mean value of the repeat transactions, and the transactions
// of the holdout period. Memory per customer and per distinct (customer, day), none per line.
#pragma once

#include <absl/container/flat_hash_set.h>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "analysis/scoring.h"
#include "pipeline/kept_line.h"

namespace custlens::analysis {

/// Days are days since 1970-01-01 of the lines' (naive, local) timestamps.
struct ClvPeriods {
  std::optional<std::int64_t> calibration_end;  ///< inclusive; none = the last purchase day
  std::optional<std::int64_t> holdout_end;      ///< inclusive; none = no holdout
  double unit_days = 7;                         ///< the model's time unit in days
};

/// The fitted customers (first purchase on or before the calibration end), in the scan's order
/// of first appearance, and what the scan saw around them.
struct CalibrationSummary {
  std::vector<std::uint32_t> customer;  ///< the scan's customer ids
  std::vector<std::int64_t> first_day;
  std::vector<double> x;          ///< distinct calibration purchase days − 1
  std::vector<double> t_x;        ///< (last − first calibration purchase day) / unit
  std::vector<double> T;          ///< (calibration end − first purchase day) / unit
  std::vector<double> zbar;       ///< mean value of the x repeat transactions; NaN when x = 0
  std::vector<double> holdout_x;  ///< distinct purchase days in (calibration end, holdout end]
  std::vector<double> calibration_value;  ///< value of all calibration transactions

  std::int64_t calibration_end = 0;
  std::optional<std::int64_t> holdout_end;
  double unit_days = 7;
  std::int64_t first_day_seen = 0;  ///< of any kept line
  std::int64_t last_day_seen = 0;
  std::int64_t customers_seen = 0;
  std::int64_t later_customers = 0;  ///< first purchase after the calibration end: not fitted
  std::int64_t calibration_transactions = 0;  ///< of the fitted customers
  std::int64_t holdout_transactions = 0;      ///< of the fitted customers
  std::int64_t unused_transactions = 0;       ///< of fitted customers after the last day used
  std::int64_t zero_value_lines = 0;          ///< kept lines worth 0, counted as purchases

  /// Weekly tracking: week k covers days tracking_start + 7k … + 6 up to the last day used (the
  /// holdout end, else the calibration end); repeat transactions of fitted customers per week.
  std::int64_t tracking_start = 0;
  std::vector<std::int64_t> weekly_repeats;

  std::size_t size() const { return customer.size(); }
};

class ClvSummaryAccumulator final : public pipeline::LineConsumer {
 public:
  explicit ClvSummaryAccumulator(ClvPeriods periods) : periods_(periods) {}

  /// Lines in file order, from one thread; ids dense in order of first appearance.
  void add(std::span<const pipeline::KeptLine> lines) override;
  /// Customer, time and amount only.
  pipeline::NameFields needs() const override { return {false, false, false}; }
  /// The summary; throws custlens::Error when no customer bought on or before the calibration
  /// end. Call once.
  CalibrationSummary finish();

 private:
  struct State {
    std::int64_t first_day;
    KahanSum first_value;        ///< value of the first purchase day
    KahanSum calibration_value;  ///< value of the calibration days
    std::int64_t last_inserted_day;
  };
  ClvPeriods periods_;
  std::vector<State> state_;
  absl::flat_hash_set<std::uint64_t> customer_days_;  ///< customer << 32 | biased day
  std::int64_t first_day_seen_ = INT64_MAX;
  std::int64_t last_day_seen_ = INT64_MIN;
  std::int64_t zero_value_lines_ = 0;
};

/// Passes on the kept lines of days up to `last_day` only (the RFM tiers as of the calibration
/// end); every other call goes to `inner` unchanged.
class DayFilter final : public pipeline::LineConsumer {
 public:
  DayFilter(pipeline::LineConsumer& inner, std::optional<std::int64_t> last_day)
      : inner_(inner), last_day_(last_day) {}
  void add(std::span<const pipeline::KeptLine> lines) override;
  pipeline::NameFields needs() const override { return inner_.needs(); }

 private:
  pipeline::LineConsumer& inner_;
  std::optional<std::int64_t> last_day_;
  std::vector<pipeline::KeptLine> kept_;
};

}  // namespace custlens::analysis
