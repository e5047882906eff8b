// The dashboard's answers, independent of HTTP: the routes every dashboard serves
// (DashboardRoutes), the query rules they share, and the order-lines dashboard: the page, and the
// summary and report model of a filtered view (date range, country, tier), computed by the report
// and analysis code and cached. Read-only after construction, so safe to call from many threads.
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
#include "custlens/error.h"
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
  report::InputInfo input;
  /// Options of the full analysis; as_of set to the full data's as-of day.
  RfmOptions rfm_options;
  PatternOptions pattern_options;
  /// Tier of every customer in the full-period analysis.
  RfmResult rfm;
  /// The playbook of the full analysis (its tiers), given to every view.
  std::vector<report::PlaybookEntry> playbook;
};

struct DashboardData {
  /// The unfiltered summary.json (summary_to_json, or analyze's file), served as it is.
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

/// What the HTTP layer serves, whatever the data: the page, a view's summary.json and report
/// model, and the health check. Implementations are read-only after construction.
class DashboardRoutes {
 public:
  virtual ~DashboardRoutes() = default;
  /// GET /
  virtual Reply page() const = 0;
  /// GET /api/summary?<filters>
  virtual Reply summary(const QueryParams& params) const = 0;
  /// GET /api/report?<filters>&lang=
  virtual Reply report(const QueryParams& params) const = 0;
  /// GET /healthz
  virtual Reply health() const = 0;
};

/// A query parameter that is malformed or names nothing known: HTTP 400.
class QueryError : public Error {
 public:
  using Error::Error;
};

/// JSON as a reply body; bytes that are not UTF-8 (a query can hold any) become U+FFFD.
std::string to_body(const nlohmann::json& json);
/// {"error": message} with `status`.
Reply error_reply(int status, const std::string& message);
/// Checks the rules every filter query follows: each name at most once, only `names` (and
/// `lang` when `allow_lang`: en or zh, which sets `lang`). Returns the non-empty values by name
/// (an empty value means "all", as a form with an empty choice sends it). Throws QueryError.
std::map<std::string, std::string> check_query(const QueryParams& params,
                                               const std::vector<std::string>& names,
                                               bool allow_lang, Lang& lang);

/// A strict YYYY-MM-DD query value that names a real day, as seconds at 00:00 (naive); throws
/// QueryError naming the parameter otherwise.
std::int64_t parse_query_day(const std::string& name, const std::string& value);

/// The order-lines dashboard: filters by date range, country and tier.
class Dashboard : public DashboardRoutes {
 public:
  /// Builds the page once; `cache_entries` bounds the cached filtered views.
  Dashboard(DashboardData data, Lang lang, std::size_t cache_entries = 64);

  /// GET /: the report page in dashboard mode.
  Reply page() const override;
  /// GET /api/summary?from=&to=&country=&tier=: summary.json of the view.
  Reply summary(const QueryParams& params) const override;
  /// GET /api/report?from=&to=&country=&tier=&lang=: the report model of the view.
  Reply report(const QueryParams& params) const override;
  /// GET /healthz: status, whether filters work, cache counters.
  Reply health() const override;
  /// {"countries": [...], "tiers": [...], "from": "YYYY-MM-DD", "to": "YYYY-MM-DD",
  ///  "filters": bool, "why_no_filters": "..."} (the last only when filters are off).
  const nlohmann::json& filter_choices() const { return choices_; }

 private:
  // A validated view: the filter, its canonical cache key and its description for the summary.
  struct View {
    OrderFilter filter;
    std::string key;  // "" = unfiltered
    report::SummaryFilter description;
  };
  // A computed view: the reply and, when it succeeded, the summary object.
  struct Computed {
    Reply reply;
    nlohmann::json summary;
  };

  View parse_view(const QueryParams& params, bool allow_lang, Lang& lang) const;
  std::shared_ptr<const Computed> compute(const View& view) const;
  Computed compute_uncached(const View& view) const;
  nlohmann::json make_choices() const;

  DashboardData data_;
  Lang lang_;
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
