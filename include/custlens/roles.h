// Column roles: which header column is the customer id, the invoice date, the quantity, ...
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace custlens {

/// What a column means. Order lines use the first group; later analyses add their own.
enum class Role : int {
  kCustomer,     ///< CustomerID, customer_id, user_id, 用户ID, 客户ID
  kInvoice,      ///< InvoiceNo, order_id, 订单号
  kDate,         ///< InvoiceDate, order_date, 下单时间, 时间戳
  kQuantity,     ///< Quantity, qty, 数量
  kUnitPrice,    ///< UnitPrice, price, 售价, 单价
  kAmount,       ///< TotalPrice, amount, 金额 (used when there is no quantity × price)
  kCountry,      ///< Country, 国家, 地区
  kStockCode,    ///< StockCode, sku, item_id, 商品ID
  kDescription,  ///< Description, product_name, 商品名称
  kCategory,     ///< category, 商品类别
  kBehavior,     ///< behavior_type, 行为类型 (pv/fav/cart/buy)
  kCount_        ///< number of roles; not a role
};
inline constexpr std::size_t kRoleCount = static_cast<std::size_t>(Role::kCount_);

/// Short lower-case name used on the command line: customer, invoice, date, quantity, price,
/// amount, country, sku, description, category, behavior.
std::string_view role_name(Role role);
/// Parses a role name as printed by role_name (also accepts a few synonyms such as "unit_price").
std::optional<Role> parse_role(std::string_view name);

/// For each role, the index of the header column that plays it, or -1.
class RoleMap {
 public:
  RoleMap() { column_.fill(-1); }
  int column(Role role) const { return column_[static_cast<std::size_t>(role)]; }
  bool has(Role role) const { return column(role) >= 0; }
  void set(Role role, int column) { column_[static_cast<std::size_t>(role)] = column; }

 private:
  std::array<int, kRoleCount> column_;
};

/// Detects roles from header names by alias (English and Chinese; case, spaces, '_' and '-'
/// ignored). `overrides` are (role name, column name) pairs from `--map role=column`; they win
/// over detection. Throws custlens::Error for an unknown role or a column not in the header.
RoleMap detect_roles(std::span<const std::string> header,
                     std::span<const std::pair<std::string, std::string>> overrides = {});

}  // namespace custlens
