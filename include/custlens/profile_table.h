// Customer-profile tables (one row per customer): column roles, row checks and the cleaned
// table that the profile analysis (custlens/profile.h) takes. The contract: docs/profile.md.
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

}  // namespace custlens
