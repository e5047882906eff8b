// What the regressions print: statsmodels-style summary tables, a plain-language reading in
// English or Chinese, a description of the design, and JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/lang.h"
#include "custlens/regression.h"

namespace custlens::models {

/// The text of statsmodels' OLS.fit().summary(): the two top tables, the coefficient table, the
/// residual diagnostics and the notes, then a table of variance inflation factors. `date` and
/// `time` fill the Date:/Time: rows ("Mon, 23 Nov 2026", "12:54:03").
std::string ols_summary_text(const OlsResult& result, std::string_view date, std::string_view time);
/// The text of statsmodels' Logit.fit().summary(), then a table of odds ratios.
std::string logit_summary_text(const LogitResult& result, std::string_view date,
                               std::string_view time);

/// Which columns were left out of `--x all`, how categories were coded, how many rows were
/// dropped, which values of a logit target are 1 and 0: one line each.
std::string design_text(const DesignReport& design, std::string_view target, bool binary,
                        Lang lang);

/// A written reading of the fit: drivers by sign at 5 %, the fit, warnings; a heading and one
/// "- " line per point.
std::string ols_reading(const OlsResult& result, Lang lang);
std::string logit_reading(const LogitResult& result, Lang lang);
/// The reading's points, one sentence each, without heading or bullet.
std::vector<std::string> ols_reading_lines(const OlsResult& result, Lang lang);
std::vector<std::string> logit_reading_lines(const LogitResult& result, Lang lang);

/// The most points a residual plot in the JSON carries (rows are thinned evenly above it).
inline constexpr std::size_t kMaxPlotPoints = 2000;

/// `ols --json` / `logit --json` (keys listed in README, "Models").
nlohmann::json ols_to_json(const OlsResult& result);
nlohmann::json logit_to_json(const LogitResult& result);

/// statsmodels' forg(): `%9.3f` (prec 3) or `%10.4f` (prec 4), switching to `%g` below 1e-4
/// or from 1e4.
std::string forg(double value, int precision);
/// A printf-style conversion of one double, as Python's `%` operator writes it.
std::string printf_double(const char* spec, double value);

}  // namespace custlens::models
