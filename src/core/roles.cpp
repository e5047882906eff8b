// Column roles: the alias tables (English and Chinese), header detection and --map overrides.
#include "custlens/roles.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/name_list.h"
#include "core/header_name.h"
#include "custlens/error.h"

namespace custlens {
namespace {

// Aliases are written normalised (see normalize_name): lower-case ASCII, no separators.
constexpr std::string_view kCustomerAliases[] = {
    "customerid", "customer", "custid", "userid", "user",   "clientid", "client",
    "memberid",   "buyerid",  "用户id", "客户id", "会员id", "买家id"};
constexpr std::string_view kInvoiceAliases[] = {
    "invoiceno", "invoice",     "invoiceid",     "invoicenumber", "orderid", "orderno",
    "order",     "ordernumber", "transactionid", "订单号",        "订单id",  "订单编号"};
constexpr std::string_view kDateAliases[] = {
    "invoicedate",  "orderdate",       "date",      "datetime", "timestamp", "time",
    "purchasedate", "transactiondate", "ordertime", "下单时间", "订单日期",  "日期",
    "时间",         "时间戳",          "购买时间"};
constexpr std::string_view kQuantityAliases[] = {"quantity",        "qty",  "count",
                                                 "quantityordered", "数量", "购买数量"};
constexpr std::string_view kPriceAliases[] = {"unitprice", "price", "priceeach",
                                              "售价",      "单价",  "价格"};
constexpr std::string_view kAmountAliases[] = {"totalprice", "amount",  "total", "totalamount",
                                               "revenue",    "sales",   "金额",  "总金额",
                                               "销售额",     "订单金额"};
constexpr std::string_view kCountryAliases[] = {"country", "region", "国家", "地区"};
constexpr std::string_view kStockCodeAliases[] = {"stockcode", "sku",         "itemid", "productid",
                                                  "item",      "productcode", "商品id", "商品编号"};
constexpr std::string_view kDescriptionAliases[] = {"description", "productname", "itemname",
                                                    "商品名称", "商品名"};
constexpr std::string_view kCategoryAliases[] = {
    "category", "productcategory", "categoryname", "商品类别", "类别", "品类"};
constexpr std::string_view kBehaviorAliases[] = {"behaviortype",  "behavior", "behaviour",
                                                 "behaviourtype", "event",    "eventtype",
                                                 "行为类型",      "行为"};

struct RoleInfo {
  std::string_view name;
  std::span<const std::string_view> aliases;
  bool is_identifier;  ///< an id column may play it (customer, invoice, sku)
};

// In Role order.
constexpr std::array<RoleInfo, kRoleCount> kRoles = {{
    {"customer", kCustomerAliases, true},
    {"invoice", kInvoiceAliases, true},
    {"date", kDateAliases, false},
    {"quantity", kQuantityAliases, false},
    {"price", kPriceAliases, false},
    {"amount", kAmountAliases, false},
    {"country", kCountryAliases, false},
    {"sku", kStockCodeAliases, true},
    {"description", kDescriptionAliases, false},
    {"category", kCategoryAliases, false},
    {"behavior", kBehaviorAliases, false},
}};

// Lower-case ASCII; drops spaces, '_', '-', '.', a UTF-8 BOM and the ideographic space.
std::string normalize_name(std::string_view name) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  std::string normalized;
  normalized.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    const std::string_view rest = name.substr(i);
    if (rest.starts_with(kBom) || rest.starts_with(kIdeographicSpace)) {
      i += 2;
      continue;
    }
    const char c = name[i];
    if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t' || c == '\r' || c == '\n') {
      continue;
    }
    normalized.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return normalized;
}

bool is_alias(const RoleInfo& role, std::string_view normalized) {
  return std::find(role.aliases.begin(), role.aliases.end(), normalized) != role.aliases.end();
}

bool is_any_alias(std::string_view normalized) {
  return std::any_of(kRoles.begin(), kRoles.end(),
                     [&](const RoleInfo& role) { return is_alias(role, normalized); });
}

// 商品类目ID, category_id, 品牌编号: identifiers, so never a category, price, date, ...
bool looks_like_identifier(std::string_view normalized) {
  return normalized.ends_with("id") || normalized.ends_with("编号") || normalized.ends_with("号");
}

// Length of the longest alias of `role` that `normalized` starts with (5+ bytes, so "time" does
// not claim Time_Spent_on_Site) or ends with (4+ bytes: ship_date, 支付时间); 0 if none.
std::size_t partial_match_length(const RoleInfo& role, std::string_view normalized) {
  std::size_t best = 0;
  for (std::string_view alias : role.aliases) {
    const bool prefix = alias.size() >= 5 && normalized.starts_with(alias);
    const bool suffix = alias.size() >= 4 && normalized.ends_with(alias);
    if (prefix || suffix) best = std::max(best, alias.size());
  }
  return best;
}

int find_column(std::span<const std::string> header, std::string_view column) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == column) return static_cast<int>(i);
  }
  const std::string wanted = normalize_name(column);
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (!wanted.empty() && normalize_name(header[i]) == wanted) return static_cast<int>(i);
  }
  return -1;
}

std::string role_list() {
  std::string list;
  for (const RoleInfo& role : kRoles) {
    list += list.empty() ? "" : ", ";
    list += role.name;
  }
  return list;
}

std::string header_list(std::span<const std::string> header) {
  std::vector<std::string> quoted;
  quoted.reserve(header.size());
  for (const std::string& name : header) {
    quoted.push_back(name.empty() ? std::string("(unnamed)") : fmt::format("'{}'", name));
  }
  return common::list_names(quoted);
}

}  // namespace

std::string_view role_name(Role role) {
  const auto index = static_cast<std::size_t>(role);
  return index < kRoleCount ? kRoles[index].name : std::string_view("unknown");
}

std::optional<Role> parse_role(std::string_view name) {
  const std::string normalized = normalize_name(name);
  if (normalized.empty()) return std::nullopt;
  for (std::size_t i = 0; i < kRoleCount; ++i) {
    if (normalized == kRoles[i].name || is_alias(kRoles[i], normalized)) {
      return static_cast<Role>(i);
    }
  }
  return std::nullopt;
}

RoleMap detect_roles(std::span<const std::string> header,
                     std::span<const std::pair<std::string, std::string>> overrides) {
  RoleMap roles;
  std::vector<bool> claimed(header.size(), false);

  // --map first: a later override of the same role replaces an earlier one.
  for (const auto& [role_text, column_text] : overrides) {
    const std::optional<Role> role = parse_role(role_text);
    if (!role) {
      throw Error(fmt::format("--map {}={}: unknown role '{}'; roles are: {}", role_text,
                              column_text, role_text, role_list()));
    }
    const int column = find_column(header, column_text);
    if (column < 0) {
      throw Error(fmt::format("--map {}={}: no column '{}' in the header: {}", role_text,
                              column_text, column_text, header_list(header)));
    }
    roles.set(*role, column);
  }
  std::vector<int> mapped_role(header.size(), -1);
  for (std::size_t i = 0; i < kRoleCount; ++i) {
    const Role role = static_cast<Role>(i);
    if (!roles.has(role)) continue;
    const auto column = static_cast<std::size_t>(roles.column(role));
    if (mapped_role[column] >= 0) {
      throw Error(fmt::format(
          "--map: column '{}' is given to both {} and {}; a column plays one role", header[column],
          role_name(static_cast<Role>(mapped_role[column])), role_name(role)));
    }
    mapped_role[column] = static_cast<int>(i);
    claimed[column] = true;
  }

  std::vector<std::string> names;
  names.reserve(header.size());
  for (const std::string& name : header) names.push_back(normalize_name(name));

  // Exact aliases: each role takes the first unclaimed column whose name is one of its aliases.
  for (std::size_t i = 0; i < kRoleCount; ++i) {
    const Role role = static_cast<Role>(i);
    if (roles.has(role)) continue;
    for (std::size_t column = 0; column < names.size(); ++column) {
      if (!claimed[column] && is_alias(kRoles[i], names[column])) {
        roles.set(role, static_cast<int>(column));
        claimed[column] = true;
        break;
      }
    }
  }

  // Partial matches for the roles left (Unit Price ($), Quantity Ordered, 支付时间), longest
  // alias first so that order_date_utc is a date before it is an order. A column named exactly
  // as an alias keeps that meaning even when another column won the role.
  struct Match {
    std::size_t length;
    std::size_t column;
    std::size_t role;
  };
  std::vector<Match> matches;
  for (std::size_t column = 0; column < names.size(); ++column) {
    if (claimed[column] || names[column].empty() || is_any_alias(names[column])) continue;
    for (std::size_t i = 0; i < kRoleCount; ++i) {
      if (roles.has(static_cast<Role>(i))) continue;
      if (!kRoles[i].is_identifier && looks_like_identifier(names[column])) continue;
      const std::size_t length = partial_match_length(kRoles[i], names[column]);
      if (length > 0) matches.push_back({length, column, i});
    }
  }
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    if (a.length != b.length) return a.length > b.length;
    if (a.column != b.column) return a.column < b.column;
    return a.role < b.role;
  });
  for (const Match& match : matches) {
    const Role role = static_cast<Role>(match.role);
    if (roles.has(role) || claimed[match.column]) continue;
    roles.set(role, static_cast<int>(match.column));
    claimed[match.column] = true;
  }
  return roles;
}

namespace core {

std::string normalize_header_name(std::string_view name) { return normalize_name(name); }

}  // namespace core
}  // namespace custlens
