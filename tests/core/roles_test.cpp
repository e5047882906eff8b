// Tests for src/core/roles.cpp: alias detection on the sample headers, partial matches,
// --map overrides and their errors.
#include "custlens/roles.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "custlens/error.h"

namespace custlens {
namespace {

using Overrides = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> roles_split(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

std::vector<std::string> header_of(const std::string& file) {
  std::ifstream in(std::string(CUSTLENS_TEST_DATA) + "/" + file);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return roles_split(line);
}

std::string message_of(const std::vector<std::string>& header, const Overrides& overrides) {
  try {
    detect_roles(header, overrides);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(RolesTest, RoleNamesRoundTrip) {
  for (std::size_t i = 0; i < kRoleCount; ++i) {
    const auto role = static_cast<Role>(i);
    EXPECT_EQ(parse_role(role_name(role)), role) << role_name(role);
  }
  EXPECT_EQ(role_name(Role::kUnitPrice), "price");
  EXPECT_EQ(role_name(Role::kStockCode), "sku");
  EXPECT_EQ(role_name(Role::kDate), "date");
}

TEST(RolesTest, ParseRoleAcceptsSynonyms) {
  EXPECT_EQ(parse_role("unit_price"), Role::kUnitPrice);
  EXPECT_EQ(parse_role("Customer"), Role::kCustomer);
  EXPECT_EQ(parse_role("customer-id"), Role::kCustomer);
  EXPECT_EQ(parse_role("stock_code"), Role::kStockCode);
  EXPECT_EQ(parse_role("behaviour"), Role::kBehavior);
  EXPECT_EQ(parse_role("qty"), Role::kQuantity);
  EXPECT_EQ(parse_role("total"), Role::kAmount);
  EXPECT_FALSE(parse_role("bogus"));
  EXPECT_FALSE(parse_role(""));
}

TEST(RolesTest, UciOnlineRetailHeader) {
  const std::vector<std::string> header = {"InvoiceNo",   "StockCode", "Description", "Quantity",
                                           "InvoiceDate", "UnitPrice", "CustomerID",  "Country"};
  const RoleMap roles = detect_roles(header);
  EXPECT_EQ(roles.column(Role::kInvoice), 0);
  EXPECT_EQ(roles.column(Role::kStockCode), 1);
  EXPECT_EQ(roles.column(Role::kDescription), 2);
  EXPECT_EQ(roles.column(Role::kQuantity), 3);
  EXPECT_EQ(roles.column(Role::kDate), 4);
  EXPECT_EQ(roles.column(Role::kUnitPrice), 5);
  EXPECT_EQ(roles.column(Role::kCustomer), 6);
  EXPECT_EQ(roles.column(Role::kCountry), 7);
  EXPECT_FALSE(roles.has(Role::kAmount));
  EXPECT_FALSE(roles.has(Role::kCategory));
  EXPECT_FALSE(roles.has(Role::kBehavior));
}

TEST(RolesTest, InvoiceSampleFile) {
  const std::vector<std::string> header = header_of("online_retail_invoices.csv");
  ASSERT_EQ(header.size(), 4u);
  const RoleMap roles = detect_roles(header);
  EXPECT_EQ(roles.column(Role::kInvoice), 0);
  EXPECT_EQ(roles.column(Role::kDate), 1);
  EXPECT_EQ(roles.column(Role::kCustomer), 2);
  EXPECT_EQ(roles.column(Role::kAmount), 3);
  EXPECT_FALSE(roles.has(Role::kQuantity));
  EXPECT_FALSE(roles.has(Role::kUnitPrice));
}

TEST(RolesTest, ChineseTianchiHeader) {
  const std::vector<std::string> header = header_of("tianchi_behavior_zh.csv");
  ASSERT_EQ(header.size(), 10u);
  ASSERT_EQ(header[6], "商品类目ID");
  const RoleMap roles = detect_roles(header);
  EXPECT_EQ(roles.column(Role::kCustomer), 0);     // 用户ID
  EXPECT_EQ(roles.column(Role::kStockCode), 1);    // 商品ID
  EXPECT_EQ(roles.column(Role::kDescription), 4);  // 商品名称
  EXPECT_EQ(roles.column(Role::kCategory), 5);     // 商品类别, not 商品类目ID
  EXPECT_EQ(roles.column(Role::kBehavior), 7);     // 行为类型
  EXPECT_EQ(roles.column(Role::kDate), 8);         // 时间戳
  EXPECT_EQ(roles.column(Role::kUnitPrice), 9);    // 售价
  EXPECT_FALSE(roles.has(Role::kInvoice));
  EXPECT_FALSE(roles.has(Role::kQuantity));
  EXPECT_FALSE(roles.has(Role::kAmount));
  EXPECT_FALSE(roles.has(Role::kCountry));
}

TEST(RolesTest, CategoryIdIsNeverTheCategory) {
  const std::vector<std::string> zh = {"用户ID", "商品ID", "商品类目ID", "行为类型", "时间戳"};
  EXPECT_FALSE(detect_roles(zh).has(Role::kCategory));
  const std::vector<std::string> en = {"user_id", "item_id", "category_id", "behavior_type",
                                       "timestamp"};
  const RoleMap roles = detect_roles(en);
  EXPECT_EQ(roles.column(Role::kCustomer), 0);
  EXPECT_EQ(roles.column(Role::kStockCode), 1);
  EXPECT_FALSE(roles.has(Role::kCategory));
  EXPECT_EQ(roles.column(Role::kBehavior), 3);
  EXPECT_EQ(roles.column(Role::kDate), 4);
}

TEST(RolesTest, CustomerProfileHeader) {
  const std::vector<std::string> header = header_of("user_personalized_features.csv");
  ASSERT_EQ(header.size(), 15u);
  ASSERT_EQ(header[0], "");
  const RoleMap roles = detect_roles(header);
  EXPECT_EQ(roles.column(Role::kCustomer), 1);   // User_ID
  EXPECT_EQ(roles.column(Role::kCategory), 11);  // Product_Category_Preference, by prefix
  EXPECT_EQ(roles.column(Role::kAmount), 10);    // Total_Spending, by prefix
  // Time_Spent_on_Site_Minutes and Average_Order_Value are neither a date nor an invoice.
  EXPECT_FALSE(roles.has(Role::kDate));
  EXPECT_FALSE(roles.has(Role::kInvoice));
  EXPECT_FALSE(roles.has(Role::kQuantity));
  EXPECT_FALSE(roles.has(Role::kUnitPrice));
  EXPECT_FALSE(roles.has(Role::kCountry));
}

TEST(RolesTest, NormalisesCaseAndSeparators) {
  const std::vector<std::string> header = {
      "\xEF\xBB\xBFInvoice No", "customer_id", "ORDER-DATE", "Unit.Price", "qty", " 数量 "};
  const RoleMap roles = detect_roles(header);
  EXPECT_EQ(roles.column(Role::kInvoice), 0);
  EXPECT_EQ(roles.column(Role::kCustomer), 1);
  EXPECT_EQ(roles.column(Role::kDate), 2);
  EXPECT_EQ(roles.column(Role::kUnitPrice), 3);
  EXPECT_EQ(roles.column(Role::kQuantity), 4);  // the first matching column
}

TEST(RolesTest, EachRoleTakesTheFirstExactMatchAndAColumnPlaysOneRole) {
  const std::vector<std::string> header = {"Date", "InvoiceDate", "Total", "Amount"};
  const RoleMap roles = detect_roles(header);
  EXPECT_EQ(roles.column(Role::kDate), 0);
  EXPECT_EQ(roles.column(Role::kAmount), 2);
  // InvoiceDate is a date name: it does not become the invoice by its prefix.
  EXPECT_FALSE(roles.has(Role::kInvoice));
}

TEST(RolesTest, PartialMatchesWhenNoExactAlias) {
  const std::vector<std::string> sales = {"Order ID",   "Product",    "Quantity (pcs)",
                                          "Price Each", "Order Date", "Purchase Address"};
  RoleMap roles = detect_roles(sales);
  EXPECT_EQ(roles.column(Role::kInvoice), 0);
  EXPECT_EQ(roles.column(Role::kQuantity), 2);
  EXPECT_EQ(roles.column(Role::kUnitPrice), 3);
  EXPECT_EQ(roles.column(Role::kDate), 4);

  const std::vector<std::string> suffixed = {"order_date_utc", "order_ref", "Unit Price ($)",
                                             "支付时间"};
  roles = detect_roles(suffixed);
  EXPECT_EQ(roles.column(Role::kDate), 0);  // "orderdate" is longer than "order"
  EXPECT_EQ(roles.column(Role::kInvoice), 1);
  EXPECT_EQ(roles.column(Role::kUnitPrice), 2);

  roles = detect_roles(std::vector<std::string>{"客户ID", "支付时间", "订单金额"});
  EXPECT_EQ(roles.column(Role::kDate), 1);
  EXPECT_EQ(roles.column(Role::kAmount), 2);

  roles = detect_roles(std::vector<std::string>{"ship_date", "price_id", "timeline"});
  EXPECT_EQ(roles.column(Role::kDate), 0);
  EXPECT_FALSE(roles.has(Role::kUnitPrice));  // an id is not a price
}

TEST(RolesTest, EmptyHeader) {
  const RoleMap roles = detect_roles(std::vector<std::string>{});
  for (std::size_t i = 0; i < kRoleCount; ++i) EXPECT_FALSE(roles.has(static_cast<Role>(i)));
}

TEST(RolesTest, OverridesWinOverDetection) {
  const std::vector<std::string> header = {"InvoiceNo", "InvoiceDate", "CustomerID", "TotalPrice",
                                           "Buyer"};
  const RoleMap roles = detect_roles(header, Overrides{{"customer", "Buyer"}});
  EXPECT_EQ(roles.column(Role::kCustomer), 4);
  EXPECT_EQ(roles.column(Role::kInvoice), 0);
  EXPECT_EQ(roles.column(Role::kAmount), 3);

  // A column taken by --map is not detected for its usual role.
  const RoleMap swapped = detect_roles(header, Overrides{{"invoice", "CustomerID"}});
  EXPECT_EQ(swapped.column(Role::kInvoice), 2);
  EXPECT_FALSE(swapped.has(Role::kCustomer));

  // Role synonyms, a loosely written column name, and the last of repeated overrides.
  const RoleMap loose = detect_roles(
      header, Overrides{{"unit_price", "total price"}, {"date", "InvoiceNo"}, {"date", "Buyer"}});
  EXPECT_EQ(loose.column(Role::kUnitPrice), 3);
  EXPECT_EQ(loose.column(Role::kDate), 4);
  EXPECT_EQ(loose.column(Role::kInvoice), 0);
}

TEST(RolesTest, UnknownRoleListsTheRoles) {
  const std::vector<std::string> header = {"InvoiceNo", "CustomerID"};
  EXPECT_THROW(detect_roles(header, Overrides{{"client_segment", "CustomerID"}}), Error);
  EXPECT_EQ(message_of(header, {{"shop", "CustomerID"}}),
            "--map shop=CustomerID: unknown role 'shop'; roles are: customer, invoice, date, "
            "quantity, price, amount, country, sku, description, category, behavior");
}

TEST(RolesTest, UnknownColumnListsTheHeader) {
  const std::vector<std::string> header = {"InvoiceNo", "CustomerID", ""};
  EXPECT_THROW(detect_roles(header, Overrides{{"customer", "Client"}}), Error);
  EXPECT_EQ(message_of(header, {{"customer", "Client"}}),
            "--map customer=Client: no column 'Client' in the header: 'InvoiceNo', 'CustomerID', "
            "(unnamed)");
}

TEST(RolesTest, OneColumnForTwoRolesIsAnError) {
  const std::vector<std::string> header = {"InvoiceNo", "CustomerID"};
  EXPECT_EQ(message_of(header, {{"customer", "CustomerID"}, {"invoice", "CustomerID"}}),
            "--map: column 'CustomerID' is given to both customer and invoice; a column plays "
            "one role");
}

}  // namespace
}  // namespace custlens
