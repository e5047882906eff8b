// Results as JSON objects, CSV files and plain-text tables (en/zh) for the CLI.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "custlens/clean.h"
#include "custlens/patterns.h"
#include "custlens/rfm.h"

namespace custlens::report {

enum class Lang { kEn, kZh };
/// "en" or "zh"; throws custlens::Error otherwise.
Lang parse_lang(std::string_view text);

nlohmann::json audit_to_json(const CleaningAudit& audit);
/// as_of, scheme, customers, revenue, segments, pareto, rf_grid (the `rfm --json` keys besides
/// audit).
nlohmann::json rfm_to_json(const RfmResult& rfm);

/// Buckets by country, month, weekday and hour, the peaks and the categories.
nlohmann::json patterns_to_json(const SalesPatterns& patterns);
std::string patterns_text(const SalesPatterns& patterns, Lang lang);

/// The customer table (columns documented in the README).
void write_customers_csv(const RfmResult& rfm, const std::string& path);
/// file,line,rule,detail,content — one row per rejected input row.
void write_rejects_csv(std::span<const Reject> rejects, const std::string& path);

/// Human-readable tables.
std::string audit_text(const CleaningAudit& audit, Lang lang);
std::string rfm_text(const RfmResult& rfm, Lang lang);

}  // namespace custlens::report
