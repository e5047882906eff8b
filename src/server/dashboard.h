// The dashboard's answers, independent of HTTP: the page, and the summary and report model of
// a filtered view (date range, country, tier), computed by the report and analysis code and
// cached. Read-only after construction, so safe to call from many threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "custlens/clean.h"
#include "custlens/order_filter.h"
#include "custlens/orders.h"
#include "custlens/patterns.h"
#include "custlens/rfm.h"
#include "report/summary.h"
#include "server/lru_cache.h"

namespace custlens::server {

/// The cleaned lines behind a summary, for filtered views.
struct FullData {
  OrderLines lines;
  CleaningAudit audit;
  nlohmann::json input;  ///< summary.json's `input`
  /// Options of the full analysis; as_of set to the full data's as-of day.
  RfmOptions rfm_options;
  PatternOptions pattern_options;
  /// Tier of every customer in the full-period analysis.
  RfmResult rfm;
  /// summary.json's `playbook` (the tiers are the full analysis's), given to every view.
  nlohmann::json playbook = nlohmann::json::array();
};

struct DashboardData {
  /// The unfiltered summary.json, served as it is.
  nlohmann::json summary;
  /// Without it, filtered views answer 409 with `why_no_filters`.
  std::optional<FullData> full;
  std::string why_no_filters;
};

/// Query parameters by name (repeated names kept), as the HTTP layer parsed them.
using QueryParams = std::multimap<std::string, std::string>;

/// A response: HTTP status, content type and body.
struct Reply {
  int status = 200;
  std::string content_type;
  std::string body;
};

class Dashboard {
 public:
  /// Builds the page once; `cache_entries` bounds the cached filtered views.
  Dashboard(DashboardData data, report::Lang lang, std::size_t cache_entries = 64);

  /// GET /: the report page in dashboard mode.
  Reply page() const;
  /// GET /api/summary?from=&to=&country=&tier=: summary.json of the view.
  Reply summary(const QueryParams& params) const;
  /// GET /api/report?from=&to=&country=&tier=&lang=: the report model of the view.
  Reply report(const QueryParams& params) const;
  /// GET /healthz: status, whether filters work, cache counters.
  Reply health() const;
  /// {"countries": [...], "tiers": [...], "from": "YYYY-MM-DD", "to": "YYYY-MM-DD",
  ///  "filters": bool, "why_no_filters": "..."} (the last only when filters are off).
  const nlohmann::json& filter_choices() const { return choices_; }

 private:
  // A validated view: the filter, its canonical cache key and its description for the summary.
  struct View {
    OrderFilter filter;
    std::string key;  // "" = unfiltered
    nlohmann::json description;
  };
  // A computed view: the reply and, when it succeeded, the summary object.
  struct Computed {
    Reply reply;
    nlohmann::json summary;
  };

  View parse_view(const QueryParams& params, bool allow_lang, report::Lang& lang) const;
  std::shared_ptr<const Computed> compute(const View& view) const;
  Computed compute_uncached(const View& view) const;
  nlohmann::json make_choices() const;

  DashboardData data_;
  report::Lang lang_;
  nlohmann::json choices_;
  std::string page_;
  std::string full_summary_body_;
  std::map<std::string, std::vector<std::string>> tier_members_;  // English name -> ids
  std::vector<std::string> tier_names_;                           // English, in the scheme's order
  std::map<std::string, std::string> tier_by_name_;  // English or Chinese name -> English
  std::vector<std::string> countries_;
  mutable LruCache<Computed> views_;
  mutable LruCache<std::string> reports_;
};

}  // namespace custlens::server
