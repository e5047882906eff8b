// Contact lists: group words, send dates and column roles in English and Chinese (the row checks
// run end to end in tests/cli/campaign_test.cpp and the golden cases).
#include "core/contact_list.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "custlens/error.h"

namespace custlens::core {
namespace {

TEST(ContactListTest, GroupWords) {
  EXPECT_EQ(parse_group("Treatment"), "treatment");
  EXPECT_EQ(parse_group(" test "), "treatment");
  EXPECT_EQ(parse_group("实验组"), "treatment");
  EXPECT_EQ(parse_group("HOLDOUT"), "control");
  EXPECT_EQ(parse_group("对照组"), "control");
  EXPECT_EQ(parse_group("maybe"), "");
  EXPECT_EQ(parse_group(""), "");
}

TEST(ContactListTest, SentAtFormsAndBadDates) {
  std::int64_t seconds = 0;
  ASSERT_TRUE(parse_sent_at("2024-03-01", seconds));
  EXPECT_EQ(seconds, 1709251200);
  ASSERT_TRUE(parse_sent_at("2024/03/01 23:59", seconds));
  EXPECT_EQ(seconds, 1709251200 + 23 * 3600 + 59 * 60);
  ASSERT_TRUE(parse_sent_at("2024-03-01T08:00:00", seconds));
  EXPECT_FALSE(parse_sent_at("2024-02-30", seconds));
  EXPECT_FALSE(parse_sent_at("01/03/2024", seconds));
  EXPECT_FALSE(parse_sent_at("", seconds));
}

TEST(ContactListTest, RolesByHeaderInEnglishAndChinese) {
  const std::vector<std::string> english = {"Customer ID", "Campaign", "Group",  "Sent At",
                                            "Channel",     "Cost",     "decile", "score"};
  const ContactRoleMap roles = detect_contact_roles(english);
  for (int r = 0; r < 8; ++r) EXPECT_EQ(roles.column(static_cast<ContactRole>(r)), r) << r;
  const std::vector<std::string> chinese = {"客户ID", "活动", "组别", "发送时间", "渠道", "成本"};
  const ContactRoleMap zh = detect_contact_roles(chinese);
  for (int r = 0; r < 6; ++r) EXPECT_EQ(zh.column(static_cast<ContactRole>(r)), r) << r;
  const std::vector<std::string> odd = {"who", "arm_x", "when"};
  const std::pair<std::string, std::string> maps[] = {
      {"customer", "who"}, {"group", "arm_x"}, {"sent_at", "when"}};
  const ContactRoleMap mapped = detect_contact_roles(odd, maps);
  EXPECT_EQ(mapped.column(ContactRole::kSentAt), 2);
  constexpr ContactRole kNeeded[] = {ContactRole::kCustomer, ContactRole::kGroup};
  EXPECT_THROW(require_contact_roles(detect_contact_roles(odd), kNeeded, odd, "x.csv"), Error);
}

}  // namespace
}  // namespace custlens::core
