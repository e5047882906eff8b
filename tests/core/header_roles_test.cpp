// Tests for the scoring role matcher (src/core/role_matcher.cpp, header_words.cpp) through both
// role sets: the header spellings of tests/data/header_roles.tsv, the tokeniser, ties, weak
// matches and --map.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/header_words.h"
#include "core/role_matcher.h"
#include "custlens/clean.h"
#include "custlens/error.h"
#include "custlens/profile.h"
#include "custlens/roles.h"

namespace custlens {
namespace {

using Header = std::vector<std::string>;
using Overrides = std::vector<std::pair<std::string, std::string>>;

struct Case {
  int line = 0;
  std::string kind;    // orders, profile, route
  std::string expect;  // a role, "-", "!role", or (route) orders / profile
  Header header;
};

std::vector<Case> read_cases() {
  std::ifstream in(std::string(CUSTLENS_TEST_DATA) + "/header_roles.tsv");
  std::vector<Case> cases;
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty() || text.front() == '#') continue;
    std::vector<std::string> fields;
    std::stringstream stream(text);
    std::string field;
    while (std::getline(stream, field, '\t')) fields.push_back(field);
    if (text.back() == '\t') fields.emplace_back();
    if (fields.size() < 3) {
      ADD_FAILURE() << "header_roles.tsv:" << line << ": fewer than three fields";
      continue;
    }
    cases.push_back({line, fields[0], fields[1], Header(fields.begin() + 2, fields.end())});
  }
  return cases;
}

// The role column 1 gets, "-" for none, or "!<message>" when detection fails.
std::string role_of_first_column(const Case& c) {
  try {
    if (c.kind == "profile") {
      const ProfileRoleMap roles = detect_profile_roles(c.header);
      for (std::size_t r = 0; r < kProfileRoleCount; ++r) {
        const auto role = static_cast<ProfileRole>(r);
        if (roles.column(role) == 0) return std::string(profile_role_name(role));
      }
    } else {
      const RoleMap roles = detect_roles(c.header);
      for (std::size_t r = 0; r < kRoleCount; ++r) {
        const auto role = static_cast<Role>(r);
        if (roles.column(role) == 0) return std::string(role_name(role));
      }
    }
  } catch (const Error& e) {
    return std::string("!") + e.what();
  }
  return "-";
}

std::string header_roles_error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(HeaderRolesTest, EverySpellingInTheTableGetsItsRole) {
  const std::vector<Case> cases = read_cases();
  std::set<std::pair<std::string, std::string>> spellings;  // (kind, header name)
  std::set<std::string> roles_seen;
  for (const Case& c : cases) {
    SCOPED_TRACE("header_roles.tsv:" + std::to_string(c.line) + " '" + c.header.front() + "'");
    if (c.kind == "route") {
      EXPECT_EQ(is_profile_header(c.header) ? "profile" : "orders", c.expect);
      continue;
    }
    ASSERT_TRUE(c.kind == "orders" || c.kind == "profile") << c.kind;
    if (c.header.size() == 1) spellings.emplace(c.kind, c.header.front());
    roles_seen.insert(c.kind + ":" + c.expect);
    const std::string got = role_of_first_column(c);
    if (c.expect.front() == '!') {
      // A tie names the role, the tied columns and --map.
      const std::string role = c.expect.substr(1);
      EXPECT_EQ(got.rfind("!columns '" + c.header[0] + "'", 0), 0u) << got;
      EXPECT_NE(got.find("'" + c.header[1] + "'"), std::string::npos) << got;
      EXPECT_NE(got.find(" read as " + role + " "), std::string::npos) << got;
      EXPECT_NE(got.find("--map " + role + "="), std::string::npos) << got;
    } else {
      EXPECT_EQ(got, c.expect);
    }
  }
  // The issue asks for at least 150 spellings; every role of both sets is covered.
  EXPECT_GE(spellings.size(), 150u);
  for (std::size_t r = 0; r < kRoleCount; ++r) {
    EXPECT_TRUE(roles_seen.count("orders:" + std::string(role_name(static_cast<Role>(r)))))
        << role_name(static_cast<Role>(r));
  }
  for (std::size_t r = 0; r < kProfileRoleCount; ++r) {
    const auto role = static_cast<ProfileRole>(r);
    EXPECT_TRUE(roles_seen.count("profile:" + std::string(profile_role_name(role))))
        << profile_role_name(role);
  }
}

std::string words_of(std::string_view name) {
  std::string out;
  for (const core::HeaderWord& word : core::split_header(name)) {
    out += out.empty() ? "" : " ";
    out += word.text;
    if (!word.meanings[0].empty() && word.meanings[0] != word.text) out += "=" + word.meanings[0];
    if (!word.meanings[1].empty()) out += "+" + word.meanings[1];
    if (word.neutral) out += "~";
  }
  return out;
}

TEST(HeaderRolesTest, SplitsHeadersIntoWords) {
  EXPECT_EQ(words_of("daysSinceLastLogin"), "days=day~ since last login");
  EXPECT_EQ(words_of("CustomerID"), "customer id");
  EXPECT_EQ(words_of("userID"), "user id");
  EXPECT_EQ(words_of("IDNumber"), "id number");
  EXPECT_EQ(words_of("Total Spending ($)"), "total spending=spend $=money~");
  EXPECT_EQ(words_of("Last Login (days ago)"), "last login days=day~ ago=since~");
  EXPECT_EQ(words_of("上次登录天数"), "上次=last 登录=login 天数=day~");
  EXPECT_EQ(words_of("网站停留时间_分钟"), "网站=site 停留=stay 时间=time 分钟=minute~");
  EXPECT_EQ(words_of("消费金额（元）"), "消费=spend 金额=amount 元=money~");
  EXPECT_EQ(words_of("年龄［岁］"), "年龄=age 岁=age~");
  EXPECT_EQ(words_of("Annual Income (k$)"), "annual income k~ $=money~");
  EXPECT_EQ(words_of("totalspend"), "total spend");
  EXPECT_EQ(words_of("timeonsite"), "time on~ site");
  EXPECT_EQ(words_of("timeline"), "timeline");  // not time + line
  EXPECT_EQ(words_of("Number of Purchases"), "number=count of~ purchases=purchase+count");
  EXPECT_EQ(words_of("NumWebPurchases"), "num=count web=site purchases=purchase+count");
  EXPECT_EQ(words_of("ＵｓｅｒＩＤ"), "user id");
  EXPECT_EQ(words_of("SubTotal"), "subtotal");
  EXPECT_EQ(words_of("Address1"), "address 1~");
  EXPECT_EQ(words_of("支付宝账号"), "支付=payment 宝 账号=account");
  EXPECT_EQ(words_of(""), "");
  EXPECT_EQ(words_of("\xEF\xBB\xBF  __ "), "");
  EXPECT_EQ(words_of("\xFF\xFEid"), "id");  // invalid UTF-8 is a separator, not a crash
}

TEST(HeaderRolesTest, ExactAliasesScoreHighestAndSayWhy) {
  const RoleReport report = explain_roles(Header{"InvoiceNo", "Order Date", "Customer No"});
  ASSERT_EQ(report.roles.size(), 3u);
  EXPECT_EQ(report.roles[0].role, "customer");
  EXPECT_EQ(report.roles[0].why, "words: customer, no (score 60)");
  EXPECT_EQ(report.roles[0].score, 60);
  EXPECT_EQ(report.roles[1].role, "invoice");
  EXPECT_EQ(report.roles[1].why, "alias");
  EXPECT_EQ(report.roles[1].score, 100);
  const RoleReport mapped = explain_roles(Header{"a", "b"}, Overrides{{"customer", "b"}});
  ASSERT_EQ(mapped.roles.size(), 1u);
  EXPECT_EQ(mapped.roles[0].why, "--map");
  EXPECT_EQ(mapped.roles[0].column, 1);
  // An exact alias wins over a better-sounding scored name.
  const RoleMap roles = detect_roles(Header{"Customer Number", "Customer"});
  EXPECT_EQ(roles.column(Role::kCustomer), 1);
}

TEST(HeaderRolesTest, TiesFailNamingTheColumnsAndMapResolvesThem) {
  const Header header = {"Customer No", "Member No", "Last Login (days ago)", "Orders",
                         "Total Spend"};
  EXPECT_EQ(header_roles_error_of([&] { detect_profile_roles(header); }),
            "columns 'Customer No' (customer, no) and 'Member No' (member, no) all read as "
            "customer equally well (score 60); choose one with --map customer=<column>, e.g. "
            "--map customer=Customer No");
  const ProfileRoleMap mapped = detect_profile_roles(header, Overrides{{"customer", "Member No"}});
  EXPECT_EQ(mapped.column(ProfileRole::kCustomer), 1);
  EXPECT_EQ(mapped.column(ProfileRole::kRecency), 2);
  // schema's reading does not throw; it reports the conflict.
  EXPECT_NE(explain_profile_roles(header).conflict.find("--map customer="), std::string::npos);
  // Two exact aliases are no tie: the first column keeps the role, as always.
  EXPECT_EQ(detect_roles(Header{"Date", "InvoiceDate"}).column(Role::kDate), 0);
}

TEST(HeaderRolesTest, WeakMatchesAreNotTakenAndTheErrorNamesThem) {
  const Header header = {"ID", "Days", "Orders", "Total Spend"};
  const ProfileRoleMap roles = detect_profile_roles(header);
  EXPECT_EQ(roles.column(ProfileRole::kCustomer), 0);
  EXPECT_FALSE(roles.has(ProfileRole::kRecency));
  EXPECT_EQ(roles.weak_candidates(ProfileRole::kRecency), "'Days' (days; score 20)");
  const std::string message = header_roles_error_of([&] { profile_read_options(header, roles, ReadOptions{}); });
  EXPECT_NE(message.find("no recency column found"), std::string::npos) << message;
  EXPECT_NE(message.find("--map recency=<column>"), std::string::npos) << message;
  EXPECT_NE(message.find("too weak to take as recency: 'Days' (days; score 20)"), std::string::npos)
      << message;

  const Header orders = {"Email", "Created at", "Lineitem quantity", "Lineitem price"};
  const RoleMap order_roles = detect_roles(orders);
  EXPECT_FALSE(order_roles.has(Role::kCustomer));
  EXPECT_EQ(order_roles.column(Role::kDate), 1);
  const std::string order_message =
      header_roles_error_of([&] { order_read_options(orders, order_roles, ReadOptions{}); });
  EXPECT_NE(order_message.find("--map customer=<column>; too weak to take as customer: 'Email'"),
            std::string::npos)
      << order_message;
}

TEST(HeaderRolesTest, WeaklySimilarColumnsDoNotStealARole) {
  // Time_Spent_on_Site is no date, order_count no invoice, category_id no category.
  RoleMap roles = detect_roles(
      Header{"Time_Spent_on_Site", "order_count", "category_id", "InvoiceNo", "InvoiceDate"});
  EXPECT_EQ(roles.column(Role::kDate), 4);
  EXPECT_EQ(roles.column(Role::kInvoice), 3);
  EXPECT_FALSE(roles.has(Role::kCategory));
  EXPECT_FALSE(roles.has(Role::kQuantity));
  roles = detect_roles(Header{"Time_Spent_on_Site", "order_count", "category_id"});
  EXPECT_FALSE(roles.has(Role::kDate));
  EXPECT_FALSE(roles.has(Role::kInvoice));
  // In a profile, order_count is the frequency.
  const ProfileRoleMap profile =
      detect_profile_roles(Header{"User_ID", "order_count", "Product_Category_Preference"});
  EXPECT_EQ(profile.column(ProfileRole::kFrequency), 1);
  EXPECT_EQ(profile.column(ProfileRole::kCategory), 2);
  EXPECT_FALSE(profile.has(ProfileRole::kInterest));
}

TEST(HeaderRolesTest, EachColumnPlaysOneRoleBestScoreFirst) {
  // "Total Purchases" is a count and "Total Purchase Amount" the money, whatever their order.
  for (const Header& header : {Header{"Total Purchases", "Total Purchase Amount"},
                               Header{"Total Purchase Amount", "Total Purchases"}}) {
    const ProfileRoleMap roles = detect_profile_roles(header);
    const int purchases = header[0] == "Total Purchases" ? 0 : 1;
    EXPECT_EQ(roles.column(ProfileRole::kFrequency), purchases);
    EXPECT_EQ(roles.column(ProfileRole::kMonetary), 1 - purchases);
  }
}

TEST(HeaderRolesTest, AWideHeaderStillFindsItsRoles) {
  // Only the (role, column) pairs that score at all are kept: a wide header stays cheap.
  Header header;
  for (int i = 0; i < 5000; ++i) header.push_back("feature_" + std::to_string(i));
  header.push_back("CustomerID");
  const RoleMap roles = detect_roles(header);
  EXPECT_EQ(roles.column(Role::kCustomer), 5000);
  EXPECT_FALSE(roles.has(Role::kDate));
}

}  // namespace
}  // namespace custlens
