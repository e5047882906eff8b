// The last check before JSON leaves custlens: no number in it is NaN or infinite.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace custlens::report {

/// Throws custlens::Error naming the first NaN or infinite number in `json` (by JSON pointer)
/// and `what` ("summary.json", "the JSON output"). nlohmann prints such numbers as null, which
/// a reader would take for "not applicable"; values that are undefined on purpose are stored as
/// null, never as NaN, so this only fires on a defect and then stops the run with a message.
void require_finite_numbers(const nlohmann::json& json, std::string_view what);

/// `value`, or an explicit null when it is NaN: a statistic with no values to stand on (a mean
/// over no customers, a column the table does not have), documented as null. An infinity is
/// kept, so that require_finite_numbers stops it.
nlohmann::json number_or_null(double value);

}  // namespace custlens::report
