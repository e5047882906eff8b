// What `custlens predict` writes: the JSON of a prediction run (the `predict` object of
// summary.json and `predict --json`), its text in English and Chinese, targets.csv and the
// scores file. Keys: docs/predict.md, "Output".
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "custlens/lang.h"
#include "models/purchase_prediction.h"

namespace custlens::report {

/// A run with the names behind its customer ids (hashed under --hash-ids) and the RFM tier of
/// each current customer ("" when unknown).
struct PredictionReport {
  models::PredictionRun run;
  std::vector<std::string> customer_ids;  ///< by the scan's customer id
  std::vector<std::string> tiers;         ///< by the scan's customer id
  std::string scheme;                     ///< the tier scheme's name
};

/// The `predict` object. Never NaN or infinity.
nlohmann::json prediction_to_json(const PredictionReport& report);
/// The text output: protocol, model vs baseline, gains, the contact table, the top targets.
std::string prediction_text(const PredictionReport& report, Lang lang);
/// targets.csv: customer_id, score, decile, tier, value_per_conversion, expected_value,
/// reason_1..3 ("recency_days=212 (-0.83)"), by score, highest first.
std::string targets_csv(const PredictionReport& report);
/// The --scores file: customer_id, split, label, score (the evaluation fit), population order.
std::string scores_csv(const PredictionReport& report);
/// The --features file: customer_id, split, label, then every feature (empty for missing).
std::string features_csv(const PredictionReport& report);

}  // namespace custlens::report
