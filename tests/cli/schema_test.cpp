// Tests of src/cli/schema.cpp: what `custlens schema` prints for a headerless known layout and a
// whitespace-aligned file, and the --delimiter spellings of src/cli/common.cpp.
#include <gtest/gtest.h>

#include <string>

#include "support/cli_runner.h"

namespace custlens {
namespace {

class SchemaCommandTest : public testing::CliTest {
 protected:
  static std::string data(const std::string& name) {
    return std::string(CUSTLENS_TEST_DATA) + "/" + name;
  }
  bool printed(const std::string& text) const { return out().find(text) != std::string::npos; }
};

TEST_F(SchemaCommandTest, CdnowTextShowsItsLayoutRolesAndCompactDates) {
  ASSERT_EQ(run("schema '" + data("CDNOW_sample.txt") + "'"), 0) << err();
  EXPECT_TRUE(printed("delimiter: whitespace (runs of spaces and tabs)\n")) << out();
  EXPECT_TRUE(printed("layout: cdnow (headerless, recognised by content)\n")) << out();
  // Columns: number, name, role, type, date format.
  for (const char* row : {"customer_id                  customer     int64",
                          "date                         date         timestamp  %Y%m%d",
                          "amount                       amount       double"}) {
    EXPECT_TRUE(printed(row)) << row << "\n" << out();
  }
}

TEST_F(SchemaCommandTest, HeaderedFilesShowNoLayout) {
  ASSERT_EQ(run("schema '" + data("cdnow_sample_transactions.csv") + "'"), 0) << err();
  EXPECT_TRUE(printed("delimiter: ,\n")) << out();
  EXPECT_FALSE(printed("layout:")) << out();
}

TEST_F(SchemaCommandTest, DelimiterSpaceForcesWhitespace) {
  // Two words a row would not be sniffed as columns; --delimiter space splits them.
  write("pairs.txt", "name   score\nann    3\nbob    4\n");
  ASSERT_EQ(run("schema '" + path("pairs.txt") + "'"), 0) << err();
  EXPECT_TRUE(printed("name   score")) << out();
  for (const char* spelling : {"space", "whitespace"}) {
    ASSERT_EQ(run("schema '" + path("pairs.txt") + "' --delimiter " + spelling), 0) << err();
    EXPECT_TRUE(printed("delimiter: whitespace")) << out();
    EXPECT_TRUE(printed("score                        -            int64")) << out();
  }
  expect_one_line_error(run("schema '" + path("pairs.txt") + "' --delimiter spaces"),
                        "--delimiter must be one character, 'tab' or 'space', not 'spaces'");
}

}  // namespace
}  // namespace custlens
