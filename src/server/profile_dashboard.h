// The dashboard of a profile table (one row per customer): the page, and the summary and report
// model of a view filtered by region, preferred category and profile tier. A view is the profile
// analysis run again on the filtered customers (filter_profiles, analyze_profiles), so that it
// equals `custlens profile` of a file holding only their rows; the tier filter picks customers by
// their tier in the full analysis. Read-only after construction, so safe from many threads.
#pragma once

#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "custlens/profile.h"
#include "custlens/profile_filter.h"
#include "report/playbook.h"
#include "report/profile_summary.h"
#include "report/summary.h"
#include "server/dashboard.h"
#include "server/lru_cache.h"

namespace custlens::server {

/// The checked profile table and what `custlens profile` would analyse it with.
struct ProfileDashboardData {
  std::vector<std::string> files;
  std::string encoding;
  ProfileClean clean;
  ProfileOptions options;
  report::ProfilePlaybook playbook;
};

class ProfileDashboard : public DashboardRoutes {
 public:
  /// Runs the full analysis once (throws custlens::Error as `custlens profile` would) and builds
  /// the page; `cache_entries` bounds the cached views.
  ProfileDashboard(ProfileDashboardData data, Lang lang, std::size_t cache_entries = 64);

  /// GET /: the profile report page in dashboard mode.
  Reply page() const override;
  /// GET /api/summary?region=&category=&tier=: summary.json of the view.
  Reply summary(const QueryParams& params) const override;
  /// GET /api/report?region=&category=&tier=&lang=: the report model of the view.
  Reply report(const QueryParams& params) const override;
  /// GET /healthz: status, customers, cache counters.
  Reply health() const override;
  /// {"kind": "profiles", "regions": [...], "categories": [...],
  ///  "tiers": [{"value": id, "label": name}, ...], "filters": true}; regions and categories
  /// only when the table has those columns.
  const nlohmann::json& filter_choices() const { return choices_; }
  /// summary.json of the whole table.
  const nlohmann::json& full_summary() const { return full_->summary; }

 private:
  struct View {
    ProfileFilter filter;
    std::string key;  // "" = unfiltered
    report::ProfileSummaryFilter description;
  };
  struct Computed {
    Reply reply;
    nlohmann::json summary;
  };

  View parse_view(const QueryParams& params, bool allow_lang, Lang& lang) const;
  std::shared_ptr<const Computed> compute(const View& view) const;
  Computed compute_uncached(const View& view) const;
  Computed analyse(const ProfileTable& table) const;

  ProfileDashboardData data_;
  Lang lang_;
  std::shared_ptr<const Computed> full_;
  std::vector<ProfileTier> tier_of_;  // per customer, in the full analysis
  std::vector<std::string> regions_, categories_;
  nlohmann::json choices_;
  std::string page_;
  mutable LruCache<Computed> views_;
  mutable LruCache<std::string> reports_;
};

}  // namespace custlens::server
