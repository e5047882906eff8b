// Runs the built `custlens gen orders` and `custlens gen events` commands end to end.
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

TEST_F(GenCommandTest, EventsWritesTheRequestedRowsAndReportsSpeed) {
  ASSERT_EQ(run(fmt::format("gen events --rows 3000 --users 40 --seed 3 --threads 2 -o '{}'",
                            path("e.csv"))),
            0)
      << err();
  EXPECT_NE(out().find("wrote 3000 events (40 users, "), std::string::npos) << out();
  EXPECT_NE(out().find("rows/s"), std::string::npos);
  const std::string text = custlens::testing::read_file(path("e.csv"));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3000);
  EXPECT_TRUE(text.starts_with("1,")) << text.substr(0, 80);  // no header

  ASSERT_EQ(run("gen events --rows 3000 --users 40 --seed 3 --threads 1 -o -"), 0);
  EXPECT_EQ(out(), text);
}

TEST_F(GenCommandTest, EventsOutputIsRecognisedAsTheTaobaoLayout) {
  ASSERT_EQ(run(fmt::format("gen events --rows 20000 -o '{}'", path("taobao.csv"))), 0) << err();
  ASSERT_EQ(run(fmt::format("schema '{}'", path("taobao.csv"))), 0) << err();
  EXPECT_NE(out().find("layout: taobao_user_behavior (headerless, recognised by content)"),
            std::string::npos)
      << out();
  for (const char* column : {"user_id", "item_id", "category_id", "behavior_type", "timestamp"}) {
    EXPECT_NE(out().find(column), std::string::npos) << column << "\n" << out();
  }
}

TEST_F(GenCommandTest, EventsBadArgumentsExitNonZeroWithOneLine) {
  expect_one_line_error(run(fmt::format("gen events --rows 0 -o '{}'", path("e.csv"))),
                        "--rows must be a positive number of events, got 0");
  expect_one_line_error(run(fmt::format("gen events --rows 10 --users 11 -o '{}'", path("e.csv"))),
                        "--users must be between 1 and --rows (10), got 11");
  expect_one_line_error(run(fmt::format("gen events --rows 10 --users 0 -o '{}'", path("e.csv"))),
                        "--users must be between 1 and --rows (10), got 0");
  expect_one_line_error(
      run(fmt::format("gen events --rows 10 --start 2017-11-31 -o '{}'", path("e.csv"))),
      "--start must be a date YYYY-MM-DD, got '2017-11-31'");
  expect_one_line_error(run(fmt::format("gen events --rows 10 --days 0 -o '{}'", path("e.csv"))),
                        "--days must be between 1 and 3660, got 0");
  expect_one_line_error(run(fmt::format("gen events --rows 10 -o '{}'", path("missing/e.csv"))),
                        "cannot write");
  EXPECT_FALSE(fs::exists(path("e.csv")));
  EXPECT_NE(run("gen events --rows 10"), 0);  // no output file
}

}  // namespace
