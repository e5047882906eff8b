// The analysis of customer-profile tables: RFM and profile tiers, K-Means clusters,
// tier × category, regions and chi-square tests. The contract: docs/profile.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/lang.h"
#include "custlens/profile_table.h"
#include "custlens/rfm.h"

namespace custlens {

/// The five profile tiers the analysis groups by, in this order.
enum class ProfileTier : int { kImportant, kCore, kLost, kPotential, kGeneral };
inline constexpr std::size_t kProfileTierCount = 5;
/// important, core, lost, potential, general.
std::string_view profile_tier_id(ProfileTier tier);
/// Important / 重要客户, Core / 核心客户, Lost / 流失客户, Potential / 潜力客户, General /
/// 一般客户.
std::string_view profile_tier_name(ProfileTier tier, Lang lang);
/// Parses a tier id, English or Chinese name.
std::optional<ProfileTier> parse_profile_tier(std::string_view text);

enum class TierSource { kClusters, kRules };

struct ProfileOptions {
  std::string scheme = "five";  ///< RFM tier scheme: five, cn8, rfm11 or a rules .toml
  std::string scoring_file;     ///< fixed-bin scoring .toml; "" = quintile ranks
  TierSource tiers = TierSource::kClusters;
  /// K-Means features as role names; empty = recency, frequency, monetary, aov, time_on_site,
  /// pages (those present).
  std::vector<std::string> features;
  std::optional<int> k;  ///< fixed k; else the best silhouette over [k_min, k_max]
  int k_min = 2;
  int k_max = 10;
  std::uint64_t seed = 42;
  int restarts = 20;
  /// The exact silhouette is O(n²): above this many customers it is taken on a seeded sample.
  std::size_t silhouette_max_rows = 20000;
  /// TOML file `names = ["core", ...]` naming the clusters in cluster order; "" = the rule.
  std::string cluster_names_file;
};

/// Per customer, in table order.
struct ProfileCustomerScores {
  std::vector<int> r, f, m;  ///< 1-5
  std::vector<int> segment;  ///< index into ProfileResult::segments
  std::vector<ProfileTier> tier;
  std::vector<int> cluster;  ///< 0..k-1
  std::vector<double> pc1, pc2;
};

struct ProfileTierSummary {
  ProfileTier tier = ProfileTier::kGeneral;
  std::int64_t customers = 0;
  double share = 0;
  double revenue_share = 0;
  double mean_recency = 0, mean_frequency = 0, mean_monetary = 0;
  double mean_aov = 0;  ///< NaN without an aov column
};

struct ElbowPoint {
  int k = 0;
  double inertia = 0;     ///< standardised units
  double silhouette = 0;  ///< mean silhouette (Euclidean, standardised units)
};

struct ClusterSummary {
  int id = 0;
  ProfileTier tier = ProfileTier::kGeneral;  ///< by the naming rule or the names file
  std::int64_t size = 0;
  double share = 0;
  std::vector<double> centroid;    ///< per feature, mean of the members' raw values
  std::vector<double> centroid_z;  ///< per feature, in standardised units
  double mean_recency = 0, mean_frequency = 0, mean_monetary = 0;  ///< raw, for the naming rule
};

struct ProfileClusters {
  std::vector<std::string> features;             ///< role names, in column order of the model
  std::vector<std::string> columns;              ///< their header names
  std::vector<double> feature_mean, feature_sd;  ///< the z-scoring (population sd, ddof 0)
  int k = 0;
  bool k_fixed = false;  ///< --k
  std::uint64_t seed = 0;
  int restarts = 0;
  std::vector<ElbowPoint> elbow;  ///< every k tried, ascending
  std::size_t silhouette_rows = 0;
  bool silhouette_sampled = false;
  bool named_by_file = false;
  std::vector<ClusterSummary> clusters;
  std::vector<double> explained_variance_ratio;  ///< PCA, per component
  std::vector<double> loadings;                  ///< components × features, row-major
};

struct TierCategoryCell {
  ProfileTier tier = ProfileTier::kGeneral;
  std::string category;
  std::int64_t users = 0;
  double penetration = 0;  ///< users / users of the tier
  double mean_aov = 0;     ///< NaN without an aov column
  double mean_monetary = 0;
  std::string quadrant;  ///< star, question, cash_cow, dog; "" without an aov column
};

struct CrossOpportunity {
  ProfileTier tier = ProfileTier::kGeneral;
  std::string category;
  std::string interest;
  std::int64_t users = 0;
  double support = 0;
  double lift = 0;
};

struct ProfileTierCategory {
  std::vector<TierCategoryCell> cells;  ///< tiers in order, then categories by name; users > 0
  /// Per tier (ProfileTier order): up to 3 categories by penetration (ties: users, then name).
  std::array<std::vector<std::string>, kProfileTierCount> top;
  bool quadrants = false;  ///< there is an aov column
  double median_penetration = 0, median_aov = 0;
  bool cross_available = false;         ///< there is an interest column
  std::vector<CrossOpportunity> cross;  ///< tiers in order, each by lift descending
};

struct LevelShare {
  std::string level;
  double share = 0;
};

struct RegionSummary {
  std::string region;
  std::int64_t users = 0;
  double share = 0;
  double spend_per_capita = 0;     ///< mean monetary
  double spend_ratio_to_best = 0;  ///< spend_per_capita / the highest region's
  double mean_frequency = 0;
  /// NaN when the role has no column (or the region has no value for it).
  double mean_time_on_site = 0, mean_pages = 0, mean_age = 0, mean_income = 0;
  std::string top_category, top_interest;  ///< "" without the column
  double top_category_share = 0, top_interest_share = 0;
  std::vector<LevelShare> gender;  ///< every gender level, in level order; empty without gender
};

struct RegionRanking {
  std::string measure;               ///< spend_per_capita, frequency, time_on_site, pages
  std::vector<std::string> regions;  ///< highest mean first (ties: name ascending)
};

struct TierRegionShares {
  std::string region;
  std::int64_t users = 0;
  std::array<double, kProfileTierCount> tier_share{};  ///< ProfileTier order
  double high_value_share = 0, churn_share = 0, potential_share = 0;
};

struct TierConcentration {
  ProfileTier tier = ProfileTier::kGeneral;
  std::int64_t customers = 0;
  std::vector<double> region_share;  ///< in ProfileRegions::regions order
};

struct ProfileRegions {
  std::vector<RegionSummary> regions;  ///< users descending, then name ascending
  std::vector<RegionRanking> rankings;
  std::vector<TierRegionShares> by_region;  ///< regions order
  std::vector<TierConcentration> by_tier;   ///< ProfileTier order
};

struct ChiSquareResult {
  std::string rows, columns;  ///< the variables: tier, gender, category, interest; region
  std::int64_t n = 0;
  std::int64_t row_levels = 0, column_levels = 0;
  double statistic = 0;
  std::int64_t dof = 0;
  double p_value = 1;
  double cramers_v = 0;
  double min_expected = 0;
  std::int64_t cells_below_5 = 0;
  double share_below_5 = 0;  ///< of the cells; the report warns above 0.2
  bool significant = false;  ///< p < 0.05
};

struct ProfileResult {
  std::size_t customers = 0;
  double revenue = 0;
  ProfileCustomerScores scores;
  std::string scheme;
  std::vector<SegmentSummary> segments;  ///< the RFM scheme's tiers
  TierSource tier_source = TierSource::kClusters;
  std::array<ProfileTierSummary, kProfileTierCount> tiers;
  ProfileClusters clusters;
  std::optional<ProfileTierCategory> tier_category;  ///< needs a category column
  std::optional<ProfileRegions> regions;             ///< needs a region column
  std::vector<ChiSquareResult> chi_square;           ///< the tests whose columns exist
  std::vector<std::string> notes;  ///< what was switched off or approximated, and why (English)
};

/// Runs the whole analysis. Deterministic for given options whatever the thread count. Throws
/// custlens::Error for an unknown feature or scheme, a constant or incomplete feature, too few
/// customers for the k range, or a bad names file.
ProfileResult analyze_profiles(const ProfileTable& table, const ProfileOptions& options);

/// The profile tiers by the rules of docs/profile.md "Profile tiers" alone (no clusters): per
/// customer in table order, from the 1-5 scores (quintile ranks, or `options.scoring_file`).
std::vector<ProfileTier> profile_rule_tiers(const ProfileTable& table,
                                            const ProfileOptions& options);

}  // namespace custlens
