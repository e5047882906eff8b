// What `clv` and `analyze --clv` share: the lifetime-value options, and the feed that puts the
// calibration summary (and the RFM totals as of the calibration end) on the scan and runs the
// models when it ends (docs/clv.md).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "analysis/clv_summary.h"
#include "analysis/rfm_accumulator.h"
#include "cli/common.h"
#include "custlens/rfm.h"
#include "models/lifetime_value.h"
#include "report/clv_summary.h"
#include "report/hashed_ids.h"

namespace custlens::cli {

struct ClvCliOptions {
  std::string calibration_end;  ///< "" = the last purchase day
  std::string holdout_end;      ///< "" = no holdout
  std::string unit = "week";
  std::string model = "bgnbd";
  std::optional<double> horizon;  ///< none = a year in the unit
  double discount_rate = 0.1;
  double margin = 1;
};

/// --calibration-end, --holdout-end, --unit, --discount-rate, and `prefix` + model, horizon,
/// margin (analyze has its own --horizon and --margin: it passes "clv-").
void add_clv_options(CLI::App& app, ClvCliOptions& options, const std::string& prefix = "");

struct ClvSettings {
  analysis::ClvPeriods periods;
  models::ClvOptions model;
  std::string unit;
};
/// Checks the options (one-line errors) before any input is read.
ClvSettings to_clv_settings(const ClvCliOptions& options);

/// The calibration summary and the calibration-period RFM totals fed by the scan of
/// stream_orders (extra()), the models run when the scan ends.
class ClvFeed {
 public:
  ClvFeed(ClvSettings settings, RfmOptions rfm, bool quiet);
  /// For stream_orders; refers to this feed, which must outlive the scan.
  const ExtraConsumers& extra() const { return extra_; }
  /// The run with its names and tiers (as of the calibration end, in `lang`), ids hashed with
  /// `hasher` when given. Call once, after the scan kept lines.
  report::ClvReport take_report(Lang lang, report::IdHasher* hasher);

 private:
  ClvSettings settings_;
  RfmOptions rfm_options_;
  bool quiet_;
  ExtraConsumers extra_;
  std::unique_ptr<analysis::ClvSummaryAccumulator> summary_;
  std::unique_ptr<analysis::RfmAccumulator> rfm_;
  std::unique_ptr<analysis::DayFilter> filter_;
  std::optional<report::ClvReport> report_;
  std::optional<RfmResult> tiers_;
};

}  // namespace custlens::cli
