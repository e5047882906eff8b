// The design matrix rules: dummy names and order, booleans, missing rows, identifiers, errors.
#include "models/design.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "custlens/error.h"
#include "support/csv_table.h"

namespace custlens::models {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::table_from_csv;

std::vector<std::string> names(const Design& design) {
  std::vector<std::string> out;
  for (const auto& c : design.columns) out.push_back(c.name);
  return out;
}

DesignOptions options(std::string target, std::vector<std::string> x = {}) {
  DesignOptions o;
  o.target = std::move(target);
  o.regressors = std::move(x);
  return o;
}

std::string error_of(const Table& table, const DesignOptions& o, TargetKind kind) {
  try {
    build_design(table, o, kind);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(DesignTest, DummiesFollowNumbersWithTheFirstSortedLevelDropped) {
  const Table table = table_from_csv(
      "id,size,colour,flag,y\n"
      "1,1.5,red,TRUE,3\n2,2.5,blue,FALSE,4\n3,3.5,green,TRUE,6\n4,4.5,red,FALSE,5\n"
      "5,0.5,blue,TRUE,2\n");
  const Design design = build_design(table, options("y"), TargetKind::kNumeric);
  EXPECT_THAT(names(design), ElementsAre("const", "size", "flag", "colour_green", "colour_red"));
  ASSERT_EQ(design.report.categorical.size(), 1u);
  EXPECT_THAT(design.report.categorical[0].levels, ElementsAre("blue", "green", "red"));
  EXPECT_EQ(design.columns[3].term, "dummy");
  EXPECT_EQ(design.columns[3].level, "green");
  EXPECT_EQ(design.columns[2].term, "bool");
  // Row 3 is green, row 1 red, row 2 blue (the base: both dummies 0).
  EXPECT_EQ(design.x(2, 3), 1.0);
  EXPECT_EQ(design.x(0, 4), 1.0);
  EXPECT_EQ(design.x(1, 3) + design.x(1, 4), 0.0);
  EXPECT_EQ(design.x.col(2).sum(), 3.0);
  // The first column counts up by one: an identifier.
  ASSERT_EQ(design.report.excluded.size(), 1u);
  EXPECT_EQ(design.report.excluded[0].column, "id");
  EXPECT_EQ(design.report.excluded[0].reason, "identifier");
}

TEST(DesignTest, ExplicitColumnsKeepTheirOrderAndDummiesComeLast) {
  const Table table = table_from_csv("a,b,c,y\nx,1,2,1\nz,2,1,2\ny,3,5,4\nx,4,4,3\nz,5,8,7\n");
  const Design design = build_design(table, options("y", {"a", "c", "b"}), TargetKind::kNumeric);
  EXPECT_THAT(names(design), ElementsAre("const", "c", "b", "a_y", "a_z"));
}

TEST(DesignTest, BooleanWordsIncludingChineseAreZeroOne) {
  const Table table = table_from_csv(
      "订阅,active,yes_no,y\n是,True,yes,1\n否,False,no,2\n是,False,yes,4\n否,True,no,3\n");
  const Design design = build_design(table, options("y"), TargetKind::kNumeric);
  EXPECT_THAT(names(design), ElementsAre("const", "订阅", "active", "yes_no"));
  for (Eigen::Index j = 1; j < 4; ++j)
    EXPECT_EQ(design.columns[static_cast<std::size_t>(j)].term, "bool");
  EXPECT_EQ(design.x(0, 1), 1.0);
  EXPECT_EQ(design.x(1, 1), 0.0);
  EXPECT_EQ(design.x(2, 2), 0.0);
  EXPECT_EQ(design.x(3, 2), 1.0);
}

TEST(DesignTest, RowsWithAMissingValueAreDroppedAndCounted) {
  const Table table = table_from_csv(
      "u,v,w,y\n1,a,5,1\n,b,6,2\n3,NA,7,3\n4,c,,4\n5,a,9,\n6,b,10,6\n7,c,11,8\n8,a,3,NULL\n");
  const Design design = build_design(table, options("y"), TargetKind::kNumeric);
  EXPECT_EQ(design.report.rows_in_table, 8u);
  EXPECT_EQ(design.report.rows_used, 3u);
  EXPECT_EQ(design.report.rows_dropped, 5u);
  EXPECT_EQ(design.x.rows(), 3);
  using Missing = std::pair<std::string, std::size_t>;
  EXPECT_THAT(design.report.missing_by_column,
              ElementsAre(Missing{"y", 2}, Missing{"u", 1}, Missing{"v", 1}, Missing{"w", 1}));
  EXPECT_EQ(design.y[2], 8.0);
}

TEST(DesignTest, IdentifiersAreLeftOutOfAllByTheDocumentedRule) {
  const Table table = table_from_csv(
      ",User_ID,Amount_Paid,code,region,y\n"
      "0,u1,10.5,k1,north,1\n1,u2,11.5,k2,south,3\n2,u3,9.25,k3,north,2\n3,u4,12.75,k4,south,5\n"
      "4,u5,8.5,k5,north,4\n");
  const Design design = build_design(table, options("y"), TargetKind::kNumeric);
  // Amount_Paid is all distinct but neither named like an id nor first: kept.
  EXPECT_THAT(names(design), ElementsAre("const", "Amount_Paid", "region_south"));
  ASSERT_EQ(design.report.excluded.size(), 3u);
  EXPECT_EQ(design.report.excluded[0].column, "column_1");
  EXPECT_THAT(design.report.excluded[0].detail, HasSubstr("unnamed"));
  EXPECT_EQ(design.report.excluded[1].column, "User_ID");
  EXPECT_THAT(design.report.excluded[1].detail, HasSubstr("id"));
  EXPECT_EQ(design.report.excluded[2].column, "code");
  EXPECT_THAT(design.report.excluded[2].detail, HasSubstr("text"));
  // Named explicitly, an identifier is used.
  const Design named =
      build_design(table, options("y", {"column_1", "Amount_Paid"}), TargetKind::kNumeric);
  EXPECT_THAT(names(named), ElementsAre("const", "column_1", "Amount_Paid"));
}

TEST(DesignTest, AnIdColumnWithRepeatsIsNotAnIdentifier) {
  const Table table = table_from_csv("store_id,y\n1,1\n1,2\n2,4\n3,3\n");
  EXPECT_EQ(identifier_reason(table, 0), "");
  EXPECT_THAT(names(build_design(table, options("y"), TargetKind::kNumeric)),
              ElementsAre("const", "store_id"));
}

TEST(DesignTest, StandardizeZScoresTargetAndNumbersButNotFlagsOrDummies) {
  const Table table =
      table_from_csv("a,f,c,y\n1,TRUE,p,10\n2,FALSE,q,20\n4,TRUE,p,25\n7,FALSE,q,45\n");
  DesignOptions o = options("y", {"a", "f", "c"});
  o.standardize = true;
  const Design design = build_design(table, o, TargetKind::kNumeric);
  EXPECT_THAT(design.report.standardized, ElementsAre("y", "a"));
  EXPECT_NEAR(design.y.mean(), 0.0, 1e-12);
  EXPECT_NEAR((design.y.array() - design.y.mean()).square().sum() / 3, 1.0, 1e-12);
  EXPECT_NEAR(design.x.col(1).mean(), 0.0, 1e-12);
  EXPECT_NEAR(design.x.col(1).squaredNorm() / 3, 1.0, 1e-12);
  EXPECT_EQ(design.x.col(2).sum(), 2.0);  // the flag stays 0/1
  EXPECT_EQ(design.x.col(3).sum(), 2.0);  // the dummy stays 0/1
}

TEST(DesignTest, BinaryTargets) {
  const Table table = table_from_csv(
      "sex,flag,bought,x\nMale,TRUE,1,1\nFemale,FALSE,0,2\nMale,FALSE,1,3\nFemale,TRUE,0,4\n");
  const Design text = build_design(table, options("sex", {"x"}), TargetKind::kBinary);
  EXPECT_EQ(text.report.positive_level, "Male");
  EXPECT_EQ(text.report.negative_level, "Female");
  EXPECT_EQ(text.y[0], 1.0);
  EXPECT_EQ(text.y[1], 0.0);
  const Design flag = build_design(table, options("flag", {"x"}), TargetKind::kBinary);
  EXPECT_EQ(flag.report.positive_level, "true");
  EXPECT_EQ(flag.y.sum(), 2.0);
  const Design number = build_design(table, options("bought", {"x"}), TargetKind::kBinary);
  EXPECT_EQ(number.report.positive_level, "1");
}

TEST(DesignTest, BadInputsAreOneLineErrors) {
  const Table table = table_from_csv(
      "name,when,x,y,k,three\nann,2024-01-05,1,3,7,a\nbob,2024-02-05,2,5,7,b\n"
      "cy,2024-03-05,3,4,7,c\n");
  auto numeric = [&](DesignOptions o) { return error_of(table, o, TargetKind::kNumeric); };
  auto binary = [&](DesignOptions o) { return error_of(table, o, TargetKind::kBinary); };
  EXPECT_THAT(numeric(options("nope")), HasSubstr("--y column 'nope' not found; the columns are"));
  EXPECT_THAT(numeric(options("y", {"x", "nope"})), HasSubstr("--x column 'nope' not found"));
  EXPECT_THAT(numeric(options("name", {"x"})), HasSubstr("holds text (e.g. 'ann'), not numbers"));
  EXPECT_THAT(numeric(options("y", {"y"})), HasSubstr("is the target"));
  EXPECT_THAT(numeric(options("y", {"when"})), HasSubstr("holds dates"));
  EXPECT_THAT(numeric(options("y", {"all", "x"})), HasSubstr("cannot be combined"));
  EXPECT_THAT(numeric(options("k", {"x"})), HasSubstr("is constant (7)"));
  EXPECT_THAT(binary(options("three", {"x"})), HasSubstr("has 3 distinct values"));
  EXPECT_THAT(binary(options("y", {"x"})), HasSubstr("has the value 3"));
  EXPECT_THAT(binary(options("k", {"x"})), HasSubstr("has the value 7"));
  for (const std::string& message : {numeric(options("nope")), numeric(options("name", {"x"})),
                                     binary(options("three", {"x"}))}) {
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace custlens::models
