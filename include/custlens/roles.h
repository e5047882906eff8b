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

/// For each role of a role set (Role, ProfileRole), the index of the header column that plays
/// it, or -1; for a role with no column, the columns too weakly like it to be taken.
template <typename RoleT, std::size_t N>
class RoleColumns {
 public:
  RoleColumns() { column_.fill(-1); }
  int column(RoleT role) const { return column_[static_cast<std::size_t>(role)]; }
  bool has(RoleT role) const { return column(role) >= 0; }
  void set(RoleT role, int column) { column_[static_cast<std::size_t>(role)] = column; }
  /// The columns too weakly like the role to be taken, "'Days' (days; score 20)", or "": for
  /// the error that says the role is missing.
  const std::string& weak_candidates(RoleT role) const {
    return weak_[static_cast<std::size_t>(role)];
  }
  void set_weak_candidates(RoleT role, std::string text) {
    weak_[static_cast<std::size_t>(role)] = std::move(text);
  }

 private:
  std::array<int, N> column_;
  std::array<std::string, N> weak_;
};

/// "; too weak to take as recency: 'Days' (days; score 20)" for each role in `roles` with weak
/// candidates, or "": the tail of a "no ... column found" error.
template <typename RoleT, std::size_t N, typename NameOf>
std::string weak_candidates_note(const RoleColumns<RoleT, N>& map, std::span<const RoleT> roles,
                                 NameOf name_of) {
  std::string note;
  for (RoleT role : roles) {
    if (map.has(role) || map.weak_candidates(role).empty()) continue;
    note += "; too weak to take as ";
    note += name_of(role);
    note += ": ";
    note += map.weak_candidates(role);
  }
  return note;
}

using RoleMap = RoleColumns<Role, kRoleCount>;

/// A role given to a column, and why: "--map", "alias", or "words: total, spend (score 60)".
struct RoleReason {
  std::string role;
  int column = -1;
  int score = 0;  ///< 100 for --map and an exact alias
  std::string why;
};

/// Every role a header gives, in role order, and the tie that makes detection fail ("" if none).
struct RoleReport {
  std::vector<RoleReason> roles;
  /// Roles with no column but columns too weakly like them: (role, "'Days' (days; score 20)").
  std::vector<std::pair<std::string, std::string>> weak;
  std::string conflict;
};

/// Detects roles from header names by scoring (README, "Column roles"): exact aliases (English
/// and Chinese; case, spaces, '_' and '-' ignored) score highest, then the header's words
/// (snake_case, camelCase, Chinese terms; units dropped) against what each role needs and what
/// rules it out. Each column plays at most one role, best score first. `overrides` are (role
/// name, column name) pairs from `--map role=column`; they win over detection. Throws
/// custlens::Error for an unknown role, a column not in the header, or two columns that read as
/// one role equally well.
RoleMap detect_roles(std::span<const std::string> header,
                     std::span<const std::pair<std::string, std::string>> overrides = {});

/// The same detection, never failing on a tie (the conflict is reported): for `custlens schema`
/// and for tables that are not order lines (models).
RoleReport explain_roles(std::span<const std::string> header,
                         std::span<const std::pair<std::string, std::string>> overrides = {});

}  // namespace custlens
