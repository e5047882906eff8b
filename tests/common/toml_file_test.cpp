// Tests of src/common/toml_file.cpp: TOML text to a table, a syntax error as SOURCE:LINE:COLUMN.
#include "common/toml_file.h"

#include <gtest/gtest.h>

#include <string>

#include "custlens/error.h"

namespace custlens::common {
namespace {

TEST(ParseTomlTest, ParsesTables) {
  const toml::table root = parse_toml("[five]\nname = \"Lost\"\n", "pb.toml");
  EXPECT_EQ(root["five"]["name"].value<std::string>(), "Lost");
}

TEST(ParseTomlTest, SyntaxErrorsNameTheSourceLineAndColumn) {
  try {
    parse_toml("a = 1\n[five\n", "pb.toml");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("pb.toml:2:", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("invalid TOML: "), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace custlens::common
