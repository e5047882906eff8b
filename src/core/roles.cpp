// Order-line column roles: their aliases and word patterns (English and Chinese), detection by
// the scoring matcher (core/role_matcher.h) and --map overrides.
#include "custlens/roles.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/header_name.h"
#include "core/role_matcher.h"
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

// Word patterns (core/role_matcher.h): groups of meanings from core/header_words.cpp.
constexpr core::RolePattern kCustomerPatterns[] = {
    {"customer|user|member|buyer id", 62},
    {"customer|user|member|buyer number", 60},
    {"customer|user|member|buyer code", 58},
    {"customer|user|member|buyer account|email|nick", 52},
    {"customer|user|member|buyer name", 48},
    {"customer|user|member|buyer", 35},
    {"account id|number", 50},
    {"account|email", 30},
    {"id", 20}};
constexpr core::RolePattern kInvoicePatterns[] = {{"invoice|order|transaction id", 62},
                                                  {"invoice|order|transaction number", 60},
                                                  {"invoice|order|transaction code", 56},
                                                  {"invoice", 50},
                                                  {"transaction", 42}};
constexpr core::RolePattern kDatePatterns[] = {
    {"date|timestamp", 50},
    {"time", 45},
    {"order|purchase|created|transaction|invoice at", 45},
    {"payment at", 43}};
constexpr core::RolePattern kQuantityPatterns[] = {{"quantity", 55},
                                                   {"count item|product|goods|unit", 45}};
constexpr core::RolePattern kPricePatterns[] = {{"price", 55}, {"cost", 40}};
constexpr core::RolePattern kAmountPatterns[] = {
    {"total amount|revenue|spend|price|value|payment", 60},
    {"amount", 55},
    {"revenue", 55},
    {"total", 45},
    {"spend", 45},
    {"order|line|transaction|invoice value", 45},
    {"subtotal", 40},
    {"payment", 40}};
constexpr core::RolePattern kCountryPatterns[] = {{"country", 55}, {"region", 45}};
constexpr core::RolePattern kSkuPatterns[] = {
    {"product|item|goods|stock id|number|code|sku", 62}, {"sku", 55}, {"product|item|goods", 30}};
constexpr core::RolePattern kDescriptionPatterns[] = {{"description|title", 55},
                                                      {"product|item|goods|line name", 55},
                                                      {"product|goods", 40},
                                                      {"name", 30}};
constexpr core::RolePattern kCategoryPatterns[] = {{"category", 55},
                                                   {"product|item|goods type", 45}};
constexpr core::RolePattern kBehaviorPatterns[] = {{"behavior", 55}};

// In Role order.
constexpr std::array<core::RoleRule, kRoleCount> kRoles = {{
    {"customer", kCustomerAliases, kCustomerPatterns, core::kCustomerWords, "",
     core::kNotACustomerId, "", ""},
    {"invoice", kInvoiceAliases, kInvoicePatterns, "", "",
     "date|time|timestamp|count|frequency|amount|total|price|quantity|status|type|customer|user|"
     "member|buyer|product|item|goods|sku|category|shipping|line|average|value|spend|recency|last|"
     "first|day|refund|cancel|payment|name",
     "", ""},
    {"date", kDateAliases, kDatePatterns, "order|purchase|created|transaction|invoice|behavior",
     "shipping|actual|payment",
     "minute|second|hour|day|month|week|year|duration|spend|site|session|online|stay|birth|"
     "register|update|cancel|refund|count|frequency|amount|price|quantity|id|number|code|last|"
     "first|recency|since|login|visit|page|average",
     "", ""},
    {"quantity", kQuantityAliases, kQuantityPatterns,
     "order|purchase|item|product|goods|sold|line|total", "",
     "price|amount|revenue|value|inventory|id|number|code|refund|cancel|discount|average|"
     "frequency|page|view|visit|login|session|customer|user",
     "", ""},
    {"price", kPriceAliases, kPricePatterns, "unit|revenue|sold|item|product|goods|line|purchase",
     "",
     "id|number|code|total|subtotal|amount|discount|tax|shipping|fee|refund|average|count|"
     "quantity|income",
     "", ""},
    {"amount", kAmountAliases, kAmountPatterns,
     "order|line|item|revenue|payment|actual|transaction|purchase|invoice|product|total|amount|"
     "spend|sold",
     "",
     "discount|tax|shipping|fee|refund|cancel|profit|cost|average|count|frequency|quantity|id|"
     "number|code|balance|income|day|minute|time|date|score|unit|each|aov",
     "", ""},
    {"country", kCountryAliases, kCountryPatterns, "billing|customer|user|buyer|region|home",
     "shipping|name|code", "phone|currency|language|count|amount|price|total", "", ""},
    {"sku", kStockCodeAliases, kSkuPatterns, "product|item|goods|stock|sku|line|variant", "",
     "category|brand|type|order|customer|user|member|buyer|quantity|count|price|amount|name|"
     "description|title|shop|invoice|transaction",
     "", ""},
    {"description", kDescriptionAliases, kDescriptionPatterns, "product|item|goods|line", "",
     "customer|user|member|buyer|brand|category|type|shop|recipient|billing|shipping|id|number|"
     "code|sku|account|price|amount|quantity|count|date|time|file",
     "", ""},
    {"category", kCategoryAliases, kCategoryPatterns, "product|item|goods|preference|main|purchase",
     "", "id|number|code|brand|customer|user|member|buyer|price|amount|count|behavior", "", ""},
    {"behavior", kBehaviorAliases, kBehaviorPatterns, "type|user|customer", "",
     "date|time|timestamp|id|number|code|count|amount|value", "", ""},
}};

core::RoleMatch match(std::span<const std::string> header,
                      std::span<const std::pair<std::string, std::string>> overrides) {
  return core::match_roles(header, kRoles, core::resolve_overrides(kRoles, overrides, "roles"));
}

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

}  // namespace

std::string_view role_name(Role role) {
  const auto index = static_cast<std::size_t>(role);
  return index < kRoleCount ? kRoles[index].name : std::string_view("unknown");
}

std::optional<Role> parse_role(std::string_view name) {
  const std::optional<std::size_t> rule = core::find_rule(kRoles, name);
  if (!rule) return std::nullopt;
  return static_cast<Role>(*rule);
}

RoleMap detect_roles(std::span<const std::string> header,
                     std::span<const std::pair<std::string, std::string>> overrides) {
  return core::role_columns<Role, kRoleCount>(header, match(header, overrides));
}

RoleReport explain_roles(std::span<const std::string> header,
                         std::span<const std::pair<std::string, std::string>> overrides) {
  return core::explain_match(header, kRoles, match(header, overrides));
}

namespace core {

std::string normalize_header_name(std::string_view name) { return normalize_name(name); }

}  // namespace core
}  // namespace custlens
