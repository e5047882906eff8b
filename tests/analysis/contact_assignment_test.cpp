// The seeded stratified split of `custlens contacts`.
#include "analysis/contact_assignment.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "custlens/error.h"

namespace custlens::analysis {
namespace {

TEST(ContactAssignmentTest, EachStratumGetsItsRoundedShareAndTheSeedDecides) {
  std::vector<std::string> strata;
  for (int i = 0; i < 30; ++i) strata.push_back(i < 10 ? "1" : "2");  // 10 and 20 rows
  const std::vector<std::uint8_t> a = assign_control(strata, 0.25, 7);
  int first = 0, second = 0;
  for (int i = 0; i < 30; ++i) (i < 10 ? first : second) += a[static_cast<std::size_t>(i)];
  EXPECT_EQ(first, 3);  // round(2.5) = 3, half away from zero
  EXPECT_EQ(second, 5);
  EXPECT_EQ(a, assign_control(strata, 0.25, 7));
  EXPECT_NE(a, assign_control(strata, 0.25, 8));
  EXPECT_THROW(assign_control(strata, 0.0, 7), Error);
  EXPECT_THROW(assign_control(strata, 1.0, 7), Error);
}

}  // namespace
}  // namespace custlens::analysis
