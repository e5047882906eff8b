// Customer-profile tables (one row per customer): column roles, row checks, RFM and profile tiers,
// K-Means clusters, tier × category, regions and chi-square tests. The contract: docs/profile.md.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "custlens/ingest.h"
#include "custlens/outliers.h"
#include "custlens/rfm.h"
#include "custlens/roles.h"

namespace custlens {

// ---- Columns and rows ----------------------------------------------------------------------

/// What a column of a profile table means. Separate from the order-line Role: the two tables
/// share only the customer id, and aliases such as "region" mean different things in each.
enum class ProfileRole : int {
  kCustomer,    ///< User_ID, customer_id, 用户ID
  kRecency,     ///< Last_Login_Days_Ago, recency, 最近登录天数 (days; smaller is better)
  kFrequency,   ///< Purchase_Frequency, 购买频率
  kMonetary,    ///< Total_Spending, 总消费金额
  kAov,         ///< Average_Order_Value, 客单价
  kRegion,      ///< Location, region, 所在地区
  kCategory,    ///< Product_Category_Preference, 偏好产品类别
  kGender,      ///< Gender, 性别
  kAge,         ///< Age, 年龄
  kIncome,      ///< Income, 收入
  kInterest,    ///< Interests, 兴趣
  kTimeOnSite,  ///< Time_Spent_on_Site_Minutes, 在线时长
  kPages,       ///< Pages_Viewed, 浏览页数
  kCount_       ///< number of roles; not a role
};
inline constexpr std::size_t kProfileRoleCount = static_cast<std::size_t>(ProfileRole::kCount_);

/// customer, recency, frequency, monetary, aov, region, category, gender, age, income, interest,
/// time_on_site, pages.
std::string_view profile_role_name(ProfileRole role);
std::optional<ProfileRole> parse_profile_role(std::string_view name);

/// For each profile role, the index of the header column that plays it, or -1.
using ProfileRoleMap = RoleColumns<ProfileRole, kProfileRoleCount>;

/// Detects roles by scoring, as detect_roles does (docs/profile.md, "Columns (roles)"): exact
/// aliases first, then the header's words. `overrides` are `--map role=column` pairs and win.
/// Throws custlens::Error for an unknown role or column, or two columns tied for one role.
ProfileRoleMap detect_profile_roles(
    std::span<const std::string> header,
    std::span<const std::pair<std::string, std::string>> overrides = {});

/// The same detection with the reason for each role, never failing on a tie (`custlens schema`).
RoleReport explain_profile_roles(
    std::span<const std::string> header,
    std::span<const std::pair<std::string, std::string>> overrides = {});

/// True when the header has a monetary-total column and either no order-date column, or a
/// recency column and no invoice column (a Last_Purchase_Date beside Recency): the rule by which
/// `analyze` and `schema` take their input for a profile table.
bool is_profile_header(std::span<const std::string> header);

/// The K-Means features when --features is not given (those the table has).
inline constexpr std::array<ProfileRole, 6> kDefaultProfileFeatures = {
    ProfileRole::kRecency, ProfileRole::kFrequency,  ProfileRole::kMonetary,
    ProfileRole::kAov,     ProfileRole::kTimeOnSite, ProfileRole::kPages};

/// The roles a row must hold a number in: recency, frequency, monetary, then the numeric roles
/// of `features` (--features role names; empty = kDefaultProfileFeatures) that have a column.
/// Names that are not numeric roles are skipped here (analyze_profiles reports them).
std::vector<ProfileRole> profile_number_roles(const ProfileRoleMap& roles,
                                              std::span<const std::string> features = {});

/// ReadOptions for a profile table: the role columns only; customer as text, the
/// profile_number_roles as numbers (a bad one makes the row a `bad_number:<role>` reject), the
/// other columns as text parsed later (a bad optional number is a missing value, not a reject).
/// Throws custlens::Error naming --map when the customer, recency, frequency or monetary column
/// is missing.
ReadOptions profile_read_options(const std::vector<std::string>& header,
                                 const ProfileRoleMap& roles, ReadOptions base,
                                 std::span<const std::string> features = {});

/// A text column as levels: per customer an index into `levels` (in order of first appearance);
/// an empty value is the level "(missing)".
struct ProfileLevels {
  std::vector<std::uint32_t> code;
  std::vector<std::string> levels;
  bool present() const { return !levels.empty() || !code.empty(); }
};

/// Counts of the profile row checks, applied in this order; every data row is in exactly one of
/// malformed, missing_customer, bad_number, outliers.rows_dropped or rows_kept (docs/profile.md,
/// "Rows"; docs/outliers.md).
struct ProfileAudit {
  std::int64_t rows_read = 0;
  std::int64_t malformed = 0;         ///< the reader's rejects (field count, invalid UTF-8, ...)
  std::int64_t missing_customer = 0;  ///< empty customer id
  /// recency, frequency, monetary or another K-Means feature empty or not a number
  /// (rule `bad_number:<role>`).
  std::int64_t bad_number = 0;
  std::int64_t rows_kept = 0;
  /// Optional numeric columns with text that is not a number, read as missing: (column, count).
  std::vector<std::pair<std::string, std::int64_t>> unreadable_numbers;
  /// The outlier step, run last on the kept rows: every numeric role with a column, in role
  /// order (recency, frequency, monetary, aov, age, income, time_on_site, pages).
  OutlierAudit outliers;
};

/// The kept rows, one per customer, in input order.
struct ProfileTable {
  std::vector<std::string> header;
  ProfileRoleMap roles;
  std::vector<std::string> customer_id;  ///< trimmed; "17850.0" → "17850"
  std::vector<double> recency, frequency, monetary;
  /// Optional numbers: NaN where missing; empty when the role has no column.
  std::vector<double> aov, age, income, time_on_site, pages;
  ProfileLevels region, category, gender, interest;  ///< empty when the role has no column
  std::size_t size() const { return customer_id.size(); }
  /// The column of a numeric role (recency ... pages), or nullptr for a text role or none.
  const std::vector<double>* numbers(ProfileRole role) const;
  /// The header name of a role's column, or "" when it has none.
  std::string column_name(ProfileRole role) const;
};

struct ProfileClean {
  ProfileTable table;
  ProfileAudit audit;
  std::vector<Reject> rejects;  ///< the reader's malformed rows and rule rejects, in file order
};

/// Applies the row checks to what profile_read_options read, then the outlier step (a dropped
/// row is rejected as `outlier:<role>`, the first role it lies outside of), and builds the table.
ProfileClean clean_profiles(Dataset data, const std::vector<std::string>& header,
                            const ProfileRoleMap& roles, std::span<const std::string> features = {},
                            const OutlierOptions& outliers = {});

// ---- Analysis ------------------------------------------------------------------------------

/// The five profile tiers the analysis groups by, in this order.
enum class ProfileTier : int { kImportant, kCore, kLost, kPotential, kGeneral };
inline constexpr std::size_t kProfileTierCount = 5;
/// important, core, lost, potential, general.
std::string_view profile_tier_id(ProfileTier tier);
/// Important / 重要客户, Core / 核心客户, Lost / 流失客户, Potential / 潜力客户, General /
/// 一般客户.
std::string_view profile_tier_name(ProfileTier tier, bool chinese);
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

}  // namespace custlens
