// The lifetime-value options and ClvFeed (cli/clv_feed.h).
#include "cli/clv_feed.h"

#include <fmt/format.h>

#include <limits>

#include "common/calendar.h"
#include "common/progress.h"
#include "custlens/error.h"

namespace custlens::cli {
namespace {

std::optional<std::int64_t> parse_day(const std::string& text, std::string_view option) {
  const std::optional<std::int64_t> seconds = parse_date_option(text, option);
  if (!seconds) return std::nullopt;
  return common::floor_div(*seconds, common::kSecondsPerDay);
}

}  // namespace

void add_clv_options(CLI::App& app, ClvCliOptions& options, const std::string& prefix) {
  app.add_option("--calibration-end", options.calibration_end,
                 "Last day (YYYY-MM-DD) of the period the models are fitted on (default: the last "
                 "purchase day)");
  app.add_option("--holdout-end", options.holdout_end,
                 "Last day of the holdout period: the models are scored on the purchases after "
                 "the calibration end up to this day");
  app.add_option("--unit", options.unit,
                 "Time unit of t_x, T and the horizon: day, week (default) or month (365.25/12 "
                 "days)");
  app.add_option("--" + prefix + "model", options.model,
                 "Model behind the per-customer figures: bgnbd (default), mbgnbd or pareto_nbd "
                 "(all are fitted and compared)");
  app.add_option("--" + prefix + "horizon", options.horizon,
                 "Units ahead for expected purchases and CLV (default: a year: 365 days, 52 "
                 "weeks, 12 months)");
  app.add_option("--discount-rate", options.discount_rate,
                 "Yearly discount rate of future value (default 0.1)");
  app.add_option("--" + prefix + "margin", options.margin,
                 "Share of revenue that is profit, 0..1 (default 1: CLV in revenue)");
}

ClvSettings to_clv_settings(const ClvCliOptions& options) {
  ClvSettings settings;
  settings.unit = options.unit;
  double year = 0;
  if (options.unit == "day") {
    settings.periods.unit_days = 1;
    year = 365;
  } else if (options.unit == "week") {
    settings.periods.unit_days = 7;
    year = 52;
  } else if (options.unit == "month") {
    settings.periods.unit_days = 365.25 / 12;
    year = 12;
  } else {
    throw Error(fmt::format("--unit '{}': choose day, week or month", options.unit));
  }
  settings.periods.calibration_end = parse_day(options.calibration_end, "--calibration-end");
  settings.periods.holdout_end = parse_day(options.holdout_end, "--holdout-end");
  if (settings.periods.holdout_end) {
    if (!settings.periods.calibration_end) {
      throw Error("--holdout-end needs --calibration-end (the holdout starts the day after it)");
    }
    if (*settings.periods.holdout_end <= *settings.periods.calibration_end) {
      throw Error("--holdout-end must be after --calibration-end");
    }
    settings.model.holdout_length =
        static_cast<double>(*settings.periods.holdout_end - *settings.periods.calibration_end) /
        settings.periods.unit_days;
  }
  settings.model.model = options.model;
  settings.model.unit_days = settings.periods.unit_days;
  settings.model.horizon = options.horizon.value_or(year);
  settings.model.discount_rate = options.discount_rate;
  settings.model.margin = options.margin;
  models::check_clv_options(settings.model);
  return settings;
}

ClvFeed::ClvFeed(ClvSettings settings, RfmOptions rfm, bool quiet)
    : settings_(std::move(settings)), rfm_options_(std::move(rfm)), quiet_(quiet) {
  extra_.make = [this](const pipeline::LineNames& columns) {
    summary_ = std::make_unique<analysis::ClvSummaryAccumulator>(settings_.periods);
    rfm_ = std::make_unique<analysis::RfmAccumulator>(!columns.has_invoice);
    filter_ = std::make_unique<analysis::DayFilter>(*rfm_, settings_.periods.calibration_end);
    return std::vector<pipeline::LineConsumer*>{summary_.get(), filter_.get()};
  };
  extra_.finish = [this](const pipeline::OrderScanResult& scan) {
    if (scan.audit.rows_kept == 0) return;  // the command reports the empty audit
    report::ClvReport report;
    report.summary = summary_->finish();
    report.unit = settings_.unit;
    const analysis::CalibrationSummary& s = report.summary;
    for (const std::uint32_t c : s.customer)
      report.customer_ids.push_back(scan.names.customer_ids[c]);

    // RFM tiers as of the calibration end, on the calibration lines.
    pipeline::LineNames names;
    names.customer_ids = scan.names.customer_ids;
    CustomerTotals all = rfm_->finish(names);
    CustomerTotals totals;
    for (std::size_t c = 0; c < all.size(); ++c) {
      if (all.frequency[c] == 0) continue;
      totals.ids.push_back(std::move(all.ids[c]));
      totals.first_ts.push_back(all.first_ts[c]);
      totals.last_ts.push_back(all.last_ts[c]);
      totals.monetary.push_back(all.monetary[c]);
      totals.frequency.push_back(all.frequency[c]);
    }
    RfmOptions rfm_options = rfm_options_;
    rfm_options.as_of = (s.calibration_end + 1) * common::kSecondsPerDay;
    tiers_ = rfm_from_totals(std::move(totals), rfm_options);
    rfm_.reset();
    filter_.reset();

    models::ClvData data;
    data.rf.x = s.x;
    data.rf.t_x = s.t_x;
    data.rf.T = s.T;
    data.zbar = s.zbar;
    if (s.holdout_end) data.holdout_x = s.holdout_x;
    data.first_day = s.first_day;
    data.tracking_start = s.tracking_start;
    data.last_day = s.holdout_end.value_or(s.calibration_end);
    data.calibration_end = s.calibration_end;
    data.weekly_repeats = s.weekly_repeats;
    if (s.holdout_end && *s.holdout_end > s.last_day_seen && !quiet_) {
      fmt::print(stderr,
                 "custlens: warning: --holdout-end {} is {} days after the last purchase day {}: "
                 "the expected purchases cover days the data do not\n",
                 common::format_date(*s.holdout_end * common::kSecondsPerDay),
                 *s.holdout_end - s.last_day_seen,
                 common::format_date(s.last_day_seen * common::kSecondsPerDay));
    }
    common::ProgressBar stage("fitting models", common::ProgressBar::terminal_wanted(quiet_));
    stage.update(0, 1);
    report.run = models::run_clv(data, settings_.model);
    stage.finish();
    report_ = std::move(report);
    summary_.reset();
  };
}

report::ClvReport ClvFeed::take_report(Lang lang, report::IdHasher* hasher) {
  report::ClvReport report = std::move(*report_);
  report_.reset();
  report.tiers = tier_names(report.customer_ids, *tiers_, lang);
  report.scheme = tiers_->scheme;
  if (hasher) {
    for (std::string& id : report.customer_ids) id = hasher->hash(id);
  }
  return report;
}

}  // namespace custlens::cli
