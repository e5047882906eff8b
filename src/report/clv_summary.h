// What `custlens clv` writes: the `clv` object of --json and summary.json, its text in English
// and Chinese, and the per-customer file (customers.csv / --customers). Keys: docs/clv.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/clv_summary.h"
#include "custlens/lang.h"
#include "models/lifetime_value.h"

namespace custlens::report {

/// A run with its calibration summary and the names behind its customers (hashed under
/// --hash-ids), each with its RFM tier as of the calibration end ("" when unknown).
struct ClvReport {
  analysis::CalibrationSummary summary;
  models::ClvRun run;
  std::vector<std::string> customer_ids;  ///< per fitted customer
  std::vector<std::string> tiers;         ///< per fitted customer
  std::string scheme;                     ///< the tier scheme's name
  std::string unit;                       ///< "day", "week" or "month"
};

/// The `clv` object. Numbers that have no value (a standard error of a flat likelihood) are
/// null; never NaN or infinity.
nlohmann::json clv_to_json(const ClvReport& report);
/// The text output: the data, each model's parameters, the holdout scorecard, CLV by tier.
std::string clv_text(const ClvReport& report, Lang lang);
/// customer_id, tier, x, t_x, T, zbar, holdout_x (with a holdout), p_alive, expected_purchases,
/// expected_purchases_horizon, expected_value, value_basis, clv; by CLV, highest first.
std::string clv_customers_csv(const ClvReport& report);

}  // namespace custlens::report
