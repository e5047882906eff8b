// Runs the built `custlens gen orders` command end to end.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/cli_runner.h"
#include "support/order_csv.h"

namespace {

namespace fs = std::filesystem;

class GenCommandTest : public custlens::testing::CliTest {
 protected:
  std::string out() const { return custlens::testing::read_file((dir_ / "stdout").string()); }
  std::string err() const { return custlens::testing::read_file((dir_ / "stderr").string()); }
};

TEST_F(GenCommandTest, WritesTheRequestedRowsAndReportsSpeed) {
  ASSERT_EQ(
      run(fmt::format("gen orders --rows 500 --customers 50 --seed 3 --date-style uci -o '{}'",
                      path("o.csv"))),
      0)
      << err();
  EXPECT_NE(out().find("wrote 500 order lines"), std::string::npos) << out();
  EXPECT_NE(out().find("rows/s"), std::string::npos);
  const auto rows = custlens::testing::read_order_rows(path("o.csv"));
  ASSERT_EQ(rows.size(), 500u);
  EXPECT_NE(rows[0].date.find('/'), std::string::npos);

  ASSERT_EQ(run(fmt::format("gen orders --rows 500 --customers 50 --seed 3 --date-style uci -o -")),
            0);
  EXPECT_EQ(out(), custlens::testing::read_file(path("o.csv")));
}

TEST_F(GenCommandTest, BadArgumentsExitNonZeroWithOneLine) {
  EXPECT_EQ(run(fmt::format("gen orders --rows 0 -o '{}'", path("o.csv"))), 1);
  EXPECT_EQ(err(), "custlens: error: --rows must be a positive number of order lines, got 0\n");
  EXPECT_EQ(run(fmt::format("gen orders --rows -4 -o '{}'", path("o.csv"))), 1);
  EXPECT_EQ(run(fmt::format("gen orders --rows 10 -o '{}'", path("missing/o.csv"))), 1);
  EXPECT_NE(err().find("cannot write"), std::string::npos) << err();
  EXPECT_NE(run(fmt::format("gen orders --rows 10 --date-style excel -o '{}'", path("o.csv"))), 0);
  EXPECT_NE(run("gen orders --rows 10"), 0);  // no output file
  EXPECT_NE(run("gen"), 0);                   // no sub-subcommand
}

}  // namespace
