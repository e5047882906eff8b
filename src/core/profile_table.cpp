// Profile tables: the role aliases and word patterns (scored by core/role_matcher.h), what to read,
// and the row checks that turn a Dataset into a ProfileTable with its rejects.
#include "custlens/profile_table.h"

#include <absl/container/flat_hash_map.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/magnitude.h"
#include "common/name_list.h"
#include "core/header_name.h"
#include "core/role_matcher.h"
#include "custlens/clean.h"
#include "custlens/error.h"
#include "custlens/roles.h"
#include "io/table_builder.h"

namespace custlens {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::string_view kMissingLevel = "(missing)";

// Written normalised (core::normalize_header_name): lower-case ASCII, no separators.
constexpr std::string_view kCustomer[] = {"userid", "customerid", "user",  "用户",
                                          "用户id", "客户id",     "会员id"};
constexpr std::string_view kRecency[] = {"lastlogindaysago",
                                         "recency",
                                         "dayssincelastpurchase",
                                         "lastlogindays",
                                         "最近登录天数",
                                         "最近一次消费天数",
                                         "最近购买天数",
                                         "距上次消费天数",
                                         "r",
                                         "r值"};
constexpr std::string_view kFrequency[] = {"purchasefrequency",
                                           "frequency",
                                           "purchasecount",
                                           "orders",
                                           "购买频率",
                                           "购买次数",
                                           "消费频次",
                                           "f",
                                           "f值"};
constexpr std::string_view kMonetary[] = {"totalspending", "totalspend", "monetary",
                                          "totalamount",   "总消费金额", "消费总额",
                                          "累计消费金额",  "m",          "m值"};
constexpr std::string_view kAov[] = {"averageordervalue", "aov",    "avgordervalue",
                                     "平均订单金额",      "客单价", "平均客单价"};
constexpr std::string_view kRegion[] = {"location", "region", "area", "citytier",
                                        "所在地区", "地区",   "区域"};
constexpr std::string_view kCategory[] = {"productcategorypreference",
                                          "preferredcategory",
                                          "category",
                                          "偏好产品类别",
                                          "偏好品类",
                                          "商品类别"};
constexpr std::string_view kGender[] = {"gender", "sex", "性别"};
constexpr std::string_view kAge[] = {"age", "年龄"};
constexpr std::string_view kIncome[] = {"income", "收入"};
constexpr std::string_view kInterest[] = {"interests", "interest", "兴趣", "兴趣爱好"};
constexpr std::string_view kTimeOnSite[] = {"timespentonsiteminutes", "timeonsite",
                                            "sessionminutes",         "在线时长",
                                            "网站停留时长",           "停留时长"};
constexpr std::string_view kPages[] = {"pagesviewed", "pageviews", "pages", "浏览页数",
                                       "浏览页面数"};

// Word patterns (core/role_matcher.h), in the words of core/header_words.cpp.
constexpr core::RolePattern kCustomerPatterns[] = {
    {"customer|user|member|buyer id", 62},
    {"customer|user|member|buyer number", 60},
    {"customer|user|member|buyer code", 58},
    {"customer|user|member|buyer account|email|nick", 52},
    {"customer|user|member|buyer name", 48},
    {"customer|user|member|buyer", 45},
    {"account id|number", 50},
    {"id", 45},  // one row per customer: a bare id is the customer's
    {"account|email", 30}};
constexpr core::RolePattern kRecencyPatterns[] = {
    {"recency", 62},
    {"last|recent|since|inactive login|visit|purchase|order|active|spend|transaction|seen|payment",
     55},
    {"last|recent|since|inactive day", 52},
    {"inactive", 45},
    {"login|visit|active day", 42},
    {"last|recent|since", 30},
    {"day", 20}};
constexpr core::RolePattern kFrequencyPatterns[] = {
    {"frequency", 62},
    {"count purchase|order|transaction|spend|payment|invoice", 58},
    {"count visit|login|session|active", 45}};
constexpr core::RolePattern kMonetaryPatterns[] = {
    {"monetary", 62},
    {"total spend|amount|revenue|value|payment|purchase", 60},
    {"spend", 55},
    {"amount|revenue", 45},
    {"total", 30}};
constexpr core::RolePattern kAovPatterns[] = {
    {"aov", 62},
    {"average order|basket|transaction|purchase|visit|invoice|payment", 60},
    {"each order|basket|transaction|purchase|visit", 55},
    {"average spend|amount|value|revenue|price", 50},
    {"order|basket|transaction value", 42}};
constexpr core::RolePattern kRegionPatterns[] = {
    {"region|location", 55}, {"country", 50}, {"province", 48}, {"city", 46}, {"district", 42}};
constexpr core::RolePattern kCategoryPatterns[] = {
    {"category", 55}, {"preference product|item|goods", 45}, {"product|item|goods type", 45}};
constexpr core::RolePattern kGenderPatterns[] = {{"gender", 60}};
constexpr core::RolePattern kAgePatterns[] = {{"age", 60}};
constexpr core::RolePattern kIncomePatterns[] = {{"income", 60}};
constexpr core::RolePattern kInterestPatterns[] = {{"interest", 60}, {"preference", 40}};
constexpr core::RolePattern kTimeOnSitePatterns[] = {
    {"time|duration|stay|minute|second|hour|spend site|app|session|online|platform|page|view|visit",
     60},
    {"stay|online duration|time|minute|second|hour", 55},
    {"duration|time minute|second|hour", 48},
    {"duration", 40}};
constexpr core::RolePattern kPagesPatterns[] = {
    {"page view|count|visit", 60}, {"view count", 50}, {"page", 30}};

// In ProfileRole order.
constexpr std::array<core::RoleRule, kProfileRoleCount> kRoles = {{
    {"customer", kCustomer, kCustomerPatterns, core::kCustomerWords, "", core::kNotACustomerId, "",
     ""},
    {"recency", kRecency, kRecencyPatterns,
     "last|recent|since|day|login|visit|purchase|order|active|spend|transaction|payment|seen|"
     "inactive",
     "time|date",
     "amount|money|total|price|value|count|frequency|average|page|duration|minute|"
     "hour|second|register|first|birth|age|score|income",
     "date|timestamp|time|month|year|week", "day|recency|since"},
    {"frequency", kFrequency, kFrequencyPatterns,
     "purchase|order|transaction|spend|total|payment|count|frequency|visit|month|year|week|each",
     "",
     "amount|money|price|value|average|day|page|minute|duration|time|item|quantity|product|"
     "last|recent|since|recency|date|view|score",
     "", ""},
    {"monetary", kMonetary, kMonetaryPatterns,
     "spend|amount|revenue|value|payment|purchase|total|customer|order|actual", "money",
     "average|each|count|frequency|day|minute|hour|second|duration|time|page|last|first|discount|"
     "tax|shipping|refund|income|balance|recency|since|date|age|score|price|aov|fee|cost|profit",
     "", ""},
    {"aov", kAov, kAovPatterns,
     "value|amount|spend|order|basket|revenue|price|average|each|transaction|purchase", "money",
     "count|frequency|day|minute|duration|time|page|score|age|income|quantity|item|total", "", ""},
    {"region", kRegion, kRegionPatterns,
     "customer|user|member|level|region|location|country|province|city|district|billing|home",
     "shipping|name", "zip|phone|address|count|amount|currency|language|price", "", ""},
    {"category", kCategory, kCategoryPatterns, "product|item|goods|preference|main|purchase|type",
     "", "id|number|code|brand|count|amount|price|customer|user|member|behavior", "", ""},
    {"gender", kGender, kGenderPatterns, "customer|user|member", "", "", "", ""},
    {"age", kAge, kAgePatterns, "customer|user|member|year", "",
     "group|account|average|register|product|item|level", "", ""},
    {"income", kIncome, kIncomePatterns,
     "annual|month|year|household|level|average|customer|user|total|each", "money",
     "tax|type|group|score|rate", "", ""},
    {"interest", kInterest, kInterestPatterns, "preference|customer|user|main|type", "",
     "score|category|amount|money|product|item|goods|brand|price|count", "", ""},
    {"time_on_site", kTimeOnSite, kTimeOnSitePatterns,
     "spend|average|total|each|day|view|visit|stay|online|duration|time|session|site|page|"
     "minute|second|hour|login",
     "",
     "count|frequency|date|timestamp|last|since|recent|amount|money|price|register|first|"
     "recency",
     "", ""},
    {"pages", kPages, kPagesPatterns,
     "each|session|visit|total|average|view|count|page|site|browse", "",
     "time|duration|minute|second|hour|date|amount|money|price|stay|online", "", ""},
}};

// Which roles hold numbers, in ProfileRole order.
constexpr std::array<bool, kProfileRoleCount> kNumeric = {
    false, true, true, true, true, false, false, false, true, true, false, true, true};

constexpr std::array<ProfileRole, 4> kRequired = {ProfileRole::kCustomer, ProfileRole::kRecency,
                                                  ProfileRole::kFrequency, ProfileRole::kMonetary};

core::RoleMatch match(std::span<const std::string> header,
                      std::span<const std::pair<std::string, std::string>> overrides) {
  return core::match_roles(header, kRoles,
                           core::resolve_overrides(kRoles, overrides, "profile roles"));
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

const Column* role_column(const Dataset& data, const std::vector<std::string>& header,
                          const ProfileRoleMap& roles, ProfileRole role) {
  const int index = roles.column(role);
  if (index < 0) return nullptr;
  return data.table.find(header[static_cast<std::size_t>(index)]);
}

// The row's materialized fields joined by commas, for the rejects file.
std::string row_content(const Table& table, std::size_t row) {
  std::string text;
  for (std::size_t c = 0; c < table.num_columns(); ++c) {
    const Column& column = table.column(c);
    if (c) text += ',';
    if (column.is_null(row)) continue;
    if (column.type() == ColumnType::kString) {
      text += column.string_at(row);
    } else {
      text += fmt::format("{}", column.number_at(row));
    }
  }
  return text;
}

// An optional number column read as text: each distinct text parsed once.
std::vector<double> parse_numbers(const Column& column, std::int64_t& unreadable,
                                  std::span<const std::size_t> kept) {
  std::vector<double> value_of_code(column.dictionary().size(), kNaN);
  std::vector<std::uint8_t> bad_code(column.dictionary().size(), 0);
  for (std::size_t code = 0; code < value_of_code.size(); ++code) {
    const std::string_view text = column.dictionary()[code];
    if (io::is_null_text(text)) continue;
    double value = 0;
    // A number too large to sum is as unreadable as text.
    if (io::parse_double(text, value) && common::within_magnitude(value)) {
      value_of_code[code] = value;
    } else {
      bad_code[code] = 1;
    }
  }
  std::vector<double> values(kept.size(), kNaN);
  if (column.type() != ColumnType::kString) {
    for (std::size_t i = 0; i < kept.size(); ++i) {
      if (column.is_null(kept[i])) continue;
      const double value = column.number_at(kept[i]);
      if (common::within_magnitude(value)) {
        values[i] = value;
      } else {
        ++unreadable;
      }
    }
    return values;
  }
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (column.is_null(kept[i])) continue;
    const std::uint32_t code = column.codes()[kept[i]];
    values[i] = value_of_code[code];
    unreadable += bad_code[code];
  }
  return values;
}

ProfileLevels make_levels(const Column& column, std::span<const std::size_t> kept) {
  ProfileLevels levels;
  absl::flat_hash_map<std::string, std::uint32_t> index;
  std::vector<std::uint32_t> level_of_code(column.dictionary().size(), 0);
  std::vector<std::uint8_t> seen(column.dictionary().size(), 0);
  auto level_of = [&](std::string_view text) {
    if (text.empty()) text = kMissingLevel;
    auto [it, inserted] =
        index.try_emplace(std::string(text), static_cast<std::uint32_t>(levels.levels.size()));
    if (inserted) levels.levels.emplace_back(text);
    return it->second;
  };
  levels.code.resize(kept.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const std::size_t row = kept[i];
    if (column.is_null(row)) {
      levels.code[i] = level_of("");
      continue;
    }
    const std::uint32_t code = column.codes()[row];
    if (!seen[code]) {
      seen[code] = 1;
      level_of_code[code] = level_of(trim(column.dictionary()[code]));
    }
    levels.code[i] = level_of_code[code];
  }
  return levels;
}

// The number column of a role in a ProfileTable (const or not), or nullptr for a text role.
template <typename ProfileTableT>
auto number_slot(ProfileTableT& table, ProfileRole role) -> decltype(&table.recency) {
  switch (role) {
    case ProfileRole::kRecency:
      return &table.recency;
    case ProfileRole::kFrequency:
      return &table.frequency;
    case ProfileRole::kMonetary:
      return &table.monetary;
    case ProfileRole::kAov:
      return &table.aov;
    case ProfileRole::kAge:
      return &table.age;
    case ProfileRole::kIncome:
      return &table.income;
    case ProfileRole::kTimeOnSite:
      return &table.time_on_site;
    case ProfileRole::kPages:
      return &table.pages;
    default:
      return nullptr;
  }
}

}  // namespace

std::string_view profile_role_name(ProfileRole role) {
  const auto index = static_cast<std::size_t>(role);
  return index < kProfileRoleCount ? kRoles[index].name : std::string_view("unknown");
}

std::optional<ProfileRole> parse_profile_role(std::string_view name) {
  const std::optional<std::size_t> rule = core::find_rule(kRoles, name);
  if (!rule) return std::nullopt;
  return static_cast<ProfileRole>(*rule);
}

ProfileRoleMap detect_profile_roles(
    std::span<const std::string> header,
    std::span<const std::pair<std::string, std::string>> overrides) {
  return core::role_columns<ProfileRole, kProfileRoleCount>(header, match(header, overrides));
}

RoleReport explain_profile_roles(std::span<const std::string> header,
                                 std::span<const std::pair<std::string, std::string>> overrides) {
  return core::explain_match(header, kRoles, match(header, overrides));
}

bool is_profile_header(std::span<const std::string> header) {
  // Ties do not matter here: the role is in the table either way.
  const core::RoleMatch profile = match(header, {});
  const RoleReport orders = explain_roles(header);
  auto has_order_role = [&](Role role) {
    return std::any_of(orders.roles.begin(), orders.roles.end(),
                       [&](const RoleReason& r) { return r.role == role_name(role); });
  };
  auto has = [&](ProfileRole role) {
    return profile.chosen[static_cast<std::size_t>(role)].column >= 0;
  };
  // A date in a profile table (Last_Purchase_Date) is no order date when recency is there and
  // nothing reads as an invoice.
  return has(ProfileRole::kMonetary) &&
         (!has_order_role(Role::kDate) ||
          (has(ProfileRole::kRecency) && !has_order_role(Role::kInvoice)));
}

std::vector<ProfileRole> profile_number_roles(const ProfileRoleMap& roles,
                                              std::span<const std::string> features) {
  std::vector<ProfileRole> out = {ProfileRole::kRecency, ProfileRole::kFrequency,
                                  ProfileRole::kMonetary};
  auto add = [&](ProfileRole role) {
    if (roles.has(role) && kNumeric[static_cast<std::size_t>(role)] &&
        std::find(out.begin(), out.end(), role) == out.end()) {
      out.push_back(role);
    }
  };
  if (features.empty()) {
    for (ProfileRole role : kDefaultProfileFeatures) add(role);
  } else {
    for (const std::string& name : features) {
      if (const std::optional<ProfileRole> role = parse_profile_role(name)) add(*role);
    }
  }
  return out;
}

ReadOptions profile_read_options(const std::vector<std::string>& header,
                                 const ProfileRoleMap& roles, ReadOptions base,
                                 std::span<const std::string> features) {
  std::vector<std::string> missing, maps;
  for (ProfileRole role : kRequired) {
    if (roles.has(role)) continue;
    missing.emplace_back(profile_role_name(role));
    maps.push_back(fmt::format("--map {}=<column>", profile_role_name(role)));
  }
  if (!missing.empty()) {
    throw Error(fmt::format(
        "no {} column found among: {}; a profile table needs customer, "
        "recency, frequency and monetary columns: use {}{}",
        fmt::join(missing, ", "), common::list_names(header), fmt::join(maps, " "),
        weak_candidates_note(roles, std::span<const ProfileRole>(kRequired), profile_role_name)));
  }
  base.columns.clear();
  base.column_types.clear();
  base.id_column = header[static_cast<std::size_t>(roles.column(ProfileRole::kCustomer))];
  const std::vector<ProfileRole> numbers = profile_number_roles(roles, features);
  for (std::size_t i = 0; i < kProfileRoleCount; ++i) {
    const auto role = static_cast<ProfileRole>(i);
    if (!roles.has(role)) continue;
    const std::string& name = header[static_cast<std::size_t>(roles.column(role))];
    const bool number = std::find(numbers.begin(), numbers.end(), role) != numbers.end();
    base.columns.push_back(name);
    base.column_types.emplace_back(name, number ? ColumnType::kDouble : ColumnType::kString);
  }
  return base;
}

const std::vector<double>* ProfileTable::numbers(ProfileRole role) const {
  return roles.has(role) ? number_slot(*this, role) : nullptr;
}

std::string ProfileTable::column_name(ProfileRole role) const {
  const int index = roles.column(role);
  return index < 0 ? std::string() : header[static_cast<std::size_t>(index)];
}

ProfileClean clean_profiles(Dataset data, const std::vector<std::string>& header,
                            const ProfileRoleMap& roles, std::span<const std::string> features,
                            const OutlierOptions& outlier_options) {
  ProfileClean result;
  ProfileAudit& audit = result.audit;
  const Table& table = data.table;
  const std::size_t n = table.num_rows();
  std::array<const Column*, kProfileRoleCount> columns{};
  for (std::size_t i = 0; i < kProfileRoleCount; ++i) {
    columns[i] = role_column(data, header, roles, static_cast<ProfileRole>(i));
  }
  auto column = [&](ProfileRole role) { return columns[static_cast<std::size_t>(role)]; };
  for (ProfileRole role : kRequired) {
    if (column(role) == nullptr) {
      throw Error("internal: profile columns were not read (call profile_read_options first)");
    }
  }
  const std::vector<ProfileRole> numbers = profile_number_roles(roles, features);

  // The rules in order (docs/profile.md, "Rows"): a missing id, then an empty number in
  // recency, frequency, monetary and the other features. Ids are not merged.
  std::vector<std::string> rule(n);
  std::vector<std::string> detail(n);
  std::vector<std::string> ids(n);
  const Column& customer = *column(ProfileRole::kCustomer);
  for (std::size_t row = 0; row < n; ++row) {
    ids[row] =
        customer.is_null(row) ? std::string() : normalise_customer_id(customer.string_at(row));
    if (ids[row].empty()) {
      rule[row] = "missing_customer";
      detail[row] = "empty customer id";
      continue;
    }
    for (ProfileRole role : numbers) {
      const Column* values = column(role);
      if (values != nullptr && values->is_null(row)) {
        rule[row] = fmt::format("bad_number:{}", profile_role_name(role));
        detail[row] =
            fmt::format("empty {} in column '{}'", profile_role_name(role), values->name());
        break;
      }
      // Finite but too large to sum: means and variances would overflow to inf.
      if (values != nullptr && !common::within_magnitude(values->number_at(row))) {
        rule[row] = fmt::format("bad_number:{}", profile_role_name(role));
        detail[row] = fmt::format("{} {:g} in column '{}' is beyond ±{:g}", profile_role_name(role),
                                  values->number_at(row), values->name(), common::kMaxMagnitude);
        break;
      }
    }
  }

  // The reader's rejects: a number it could not parse is `bad_number:<role>` (unless the id is
  // missing too); anything else stays `malformed`.
  std::vector<Reject> rejects = std::move(data.rejects);
  for (Reject& reject : rejects) {
    if (reject.detail.rfind("bad number", 0) != 0) {
      ++audit.malformed;
      continue;
    }
    const bool id_located = reject.id_begin != Reject::kNotLocated;
    if (id_located && trim(std::string_view(reject.content)
                               .substr(reject.id_begin, reject.id_end - reject.id_begin))
                          .empty()) {
      reject.rule = "missing_customer";
      ++audit.missing_customer;
      continue;
    }
    reject.rule = "malformed";
    for (ProfileRole role : numbers) {
      const Column* values = column(role);
      if (values != nullptr &&
          reject.detail.find(fmt::format("in column '{}'", values->name())) != std::string::npos) {
        reject.rule = fmt::format("bad_number:{}", profile_role_name(role));
        break;
      }
    }
    ++(reject.rule == "malformed" ? audit.malformed : audit.bad_number);
  }

  audit.rows_read = data.rows_read;
  std::vector<std::size_t> kept;
  kept.reserve(n);
  for (std::size_t row = 0; row < n; ++row) {
    if (rule[row].empty()) {
      kept.push_back(row);
      continue;
    }
    ++(rule[row] == "missing_customer" ? audit.missing_customer : audit.bad_number);
    Reject reject;
    reject.file = data.files[data.row_file[row]];
    reject.line = data.row_line[row];
    reject.rule = std::move(rule[row]);
    reject.detail = std::move(detail[row]);
    reject.content = row_content(table, row);
    rejects.push_back(std::move(reject));
  }

  // Every numeric column over the kept rows; then the outlier step, last, on those rows.
  std::array<std::vector<double>, kProfileRoleCount> numbers_of;
  for (std::size_t i = 0; i < kProfileRoleCount; ++i) {
    if (columns[i] == nullptr || !kNumeric[i]) continue;
    std::int64_t unreadable = 0;
    numbers_of[i] = parse_numbers(*columns[i], unreadable, kept);
    if (unreadable > 0) audit.unreadable_numbers.emplace_back(columns[i]->name(), unreadable);
  }
  OutlierAudit& outliers = audit.outliers;
  outliers.method = outlier_options.method;
  outliers.k = outlier_options.multiplier();
  outliers.action = outlier_options.action;
  std::vector<std::uint8_t> dropped(kept.size(), 0);
  if (outlier_options.method != OutlierMethod::kOff && !kept.empty()) {
    for (std::size_t i = 0; i < kProfileRoleCount; ++i) {
      std::vector<double>& values = numbers_of[i];
      if (columns[i] == nullptr || !kNumeric[i]) continue;
      const std::string name(profile_role_name(static_cast<ProfileRole>(i)));
      OutlierField field = describe_field(name, "line", values, outlier_options);
      for (std::size_t k = 0; k < values.size(); ++k) {
        if (!is_outlier(field, values[k])) continue;
        const std::size_t row = kept[k];
        if (field.examples.size() < kOutlierExamples) {
          field.examples.push_back(
              {data.files[data.row_file[row]], data.row_line[row], ids[row], values[k]});
        }
        if (outlier_options.action == OutlierAction::kCap) {
          values[k] = std::clamp(values[k], field.lower, field.upper);
          ++field.capped;
        } else if (outlier_options.action == OutlierAction::kDrop && !dropped[k]) {
          dropped[k] = 1;
          ++field.dropped;
          ++outliers.rows_dropped;
          const bool below = values[k] < field.lower;
          Reject reject;
          reject.file = data.files[data.row_file[row]];
          reject.line = data.row_line[row];
          reject.rule = "outlier:" + name;
          reject.detail = fmt::format("{} {} {} the {} bound {} ({}, k = {})", name, values[k],
                                      below ? "below" : "above", below ? "lower" : "upper",
                                      below ? field.lower : field.upper,
                                      outlier_method_name(outliers.method), outliers.k);
          reject.content = row_content(table, row);
          rejects.push_back(std::move(reject));
        }
      }
      outliers.fields.push_back(std::move(field));
    }
  }
  if (outliers.rows_dropped > 0) {
    // The dropped rows leave the kept rows and every numeric column.
    std::size_t next = 0;
    for (std::size_t k = 0; k < kept.size(); ++k) {
      if (dropped[k]) continue;
      kept[next] = kept[k];
      for (std::vector<double>& values : numbers_of) {
        if (!values.empty()) values[next] = values[k];
      }
      ++next;
    }
    kept.resize(next);
    for (std::vector<double>& values : numbers_of) {
      if (!values.empty()) values.resize(next);
    }
  }

  audit.rows_kept = static_cast<std::int64_t>(kept.size());
  // Reader rejects and rule rejects, each in file order already, into one (file, line) order.
  absl::flat_hash_map<std::string, std::size_t> file_index;
  for (std::size_t i = 0; i < data.files.size(); ++i) file_index.emplace(data.files[i], i);
  std::stable_sort(rejects.begin(), rejects.end(), [&](const Reject& a, const Reject& b) {
    const std::size_t fa = file_index[a.file], fb = file_index[b.file];
    return fa != fb ? fa < fb : a.line < b.line;
  });
  result.rejects = std::move(rejects);

  ProfileTable& out = result.table;
  out.header = header;
  out.roles = roles;
  out.customer_id.reserve(kept.size());
  for (std::size_t row : kept) out.customer_id.push_back(std::move(ids[row]));
  for (std::size_t i = 0; i < kProfileRoleCount; ++i) {
    const auto role = static_cast<ProfileRole>(i);
    const Column* source = columns[i];
    if (source == nullptr) continue;
    if (!kNumeric[i]) {
      if (role == ProfileRole::kCustomer) continue;
      ProfileLevels levels = make_levels(*source, kept);
      switch (role) {
        case ProfileRole::kRegion:
          out.region = std::move(levels);
          break;
        case ProfileRole::kCategory:
          out.category = std::move(levels);
          break;
        case ProfileRole::kGender:
          out.gender = std::move(levels);
          break;
        default:
          out.interest = std::move(levels);
          break;
      }
      continue;
    }
    *number_slot(out, role) = std::move(numbers_of[i]);
  }
  return result;
}

}  // namespace custlens
