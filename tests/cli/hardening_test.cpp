// What fuzzing and fault injection found, through the command line: CLI11's own errors, output
// that cannot be written, numbers too large to add up, CR-only files, a million-column header.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_runner.h"

namespace custlens {
namespace {

class HardeningTest : public testing::CliTest {
 protected:
  /// Runs `custlens ARGUMENTS` with standard output on /dev/full (a disk that is always full).
  int run_to_full_disk(const std::string& arguments) const {
    const std::string command = fmt::format("'{}' {} >/dev/full 2>'{}' </dev/null", CUSTLENS_BIN,
                                            arguments, path("stderr"));
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string orders(const std::string& name) const {
    return "'" + std::string(CUSTLENS_TEST_DATA) + "/" + name + "'";
  }
};

/// No NaN or infinity slipped through as null into a number field of `json`.
void expect_no_null_numbers(const nlohmann::json& json, const std::string& at = "") {
  if (json.is_object()) {
    for (const auto& [key, value] : json.items()) expect_no_null_numbers(value, at + "/" + key);
  } else if (json.is_array()) {
    for (std::size_t i = 0; i < json.size(); ++i) {
      expect_no_null_numbers(json[i], at + "/" + std::to_string(i));
    }
  } else if (json.is_number_float()) {
    EXPECT_TRUE(std::isfinite(json.get<double>())) << at;
  }
}

TEST_F(HardeningTest, UnknownCommandsAndOptionsAreOneLineErrorsWithExitOne) {
  expect_one_line_error(run("frobnicate x.csv"), "commands: analyze,");
  EXPECT_NE(err().find("rfm"), std::string::npos) << err();
  EXPECT_NE(err().find("frobnicate"), std::string::npos) << err();
  expect_one_line_error(run(""), "commands: analyze,");
  expect_one_line_error(run("--no-such-flag"), "--no-such-flag");
  expect_one_line_error(run("rfm " + orders("orders_edge.csv") + " --no-such-option"),
                        "run 'custlens rfm --help' for its options");
  EXPECT_NE(err().find("--no-such-option"), std::string::npos) << err();
  expect_one_line_error(run("rfm"), "custlens rfm --help");
  expect_one_line_error(run("profile x.csv --k notanumber"), "custlens profile --help");
  EXPECT_TRUE(out().empty()) << out();
}

TEST_F(HardeningTest, HelpAndVersionStillWork) {
  ASSERT_EQ(run("--help"), 0) << err();
  EXPECT_NE(out().find("analyze"), std::string::npos) << out();
  EXPECT_TRUE(err().empty()) << err();
  ASSERT_EQ(run("rfm --help"), 0) << err();
  EXPECT_NE(out().find("--json"), std::string::npos) << out();
  ASSERT_EQ(run("--version"), 0) << err();
  EXPECT_NE(out().find("custlens 0.1.0"), std::string::npos) << out();
}

TEST_F(HardeningTest, AFullDiskOnStandardOutputIsAnError) {
  EXPECT_EQ(run_to_full_disk("rfm " + orders("orders_edge.csv") + " --json --quiet"), 1);
  EXPECT_EQ(err(), "custlens: error: cannot write to standard output: No space left on device\n");
  // Short outputs sit in the buffer until exit: they must fail too.
  EXPECT_EQ(run_to_full_disk("--version"), 1);
  EXPECT_EQ(err(), "custlens: error: cannot write to standard output: No space left on device\n");
  EXPECT_EQ(run_to_full_disk("schema " + orders("orders_edge.csv")), 1);
  EXPECT_EQ(run_to_full_disk("patterns " + orders("orders_edge.csv") + " --json --quiet"), 1);
  EXPECT_EQ(run_to_full_disk("gen orders --rows 1000 --seed 1 -o -"), 1);
  EXPECT_NE(err().find("No space left on device"), std::string::npos) << err();
  // And a file that cannot be written names itself and the reason.
  expect_one_line_error(run("rfm " + orders("orders_edge.csv") + " --quiet --customers /dev/full"),
                        "/dev/full");
  EXPECT_NE(err().find("No space left on device"), std::string::npos) << err();
}

TEST_F(HardeningTest, NumbersTooLargeToAddUpAreRejectedNotPrintedAsNull) {
  write("huge.csv",
        "CustomerID,InvoiceDate,Quantity,UnitPrice\n"
        "1,2023-01-01,1,1e308\n"
        "2,2023-01-02,1,1e308\n"
        "3,2023-01-03,1e200,1e200\n"
        "4,2023-01-04,2,9e14\n"
        "5,2023-01-05,2,10\n"
        "6,2023-01-06,3,4.5\n");
  ASSERT_EQ(run("rfm " + path("huge.csv") + " --json --quiet --rejects " + path("rej.csv")), 0)
      << err();
  const auto json = nlohmann::json::parse(out());
  expect_no_null_numbers(json);
  EXPECT_TRUE(json["revenue"].is_number()) << json["revenue"];
  EXPECT_DOUBLE_EQ(json["revenue"].get<double>(), 20.0 + 13.5);
  EXPECT_TRUE(json["pareto"]["top20pct_revenue_share"].is_number());
  const auto& audit = json["audit"];
  EXPECT_EQ(audit["rows_read"], 6);
  EXPECT_EQ(audit["malformed"], 4);
  EXPECT_EQ(audit["rows_kept"], 2);
  const std::string rejects = slurp(path("rej.csv"));
  EXPECT_NE(rejects.find("unit price 1e+308 is beyond ±1e+15"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("quantity 1e+200 is beyond ±1e+15"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("amount 2 × 9e+14 = 1.8e+15 is beyond ±1e+15"), std::string::npos)
      << rejects;

  // A profile table: the monetary cell is a bad number; a non-feature column is left out.
  write("profile.csv",
        "User_ID,Last_Login_Days_Ago,Purchase_Frequency,Total_Spending,Income\n"
        "u1,3,5,1e308,1e308\nu2,10,2,250.5,5000\nu3,40,1,80,1e300\nu4,7,3,120,4000\n"
        "u5,1,9,900,7000\nu6,25,4,310,1e16\nu7,60,1,45,3000\nu8,5,6,520,6000\n");
  ASSERT_EQ(run("profile " + path("profile.csv") + " --json --quiet --k-range 2..3"), 0) << err();
  const auto profile = nlohmann::json::parse(out());
  expect_no_null_numbers(profile);
  EXPECT_EQ(profile["input"]["rows_read"], 8);
  EXPECT_EQ(profile["input"]["rows_rejected"], 1);
  EXPECT_EQ(profile["input"]["rejects"][0]["reason"], "bad_number:monetary");

  // A model: a regressor with squares that would overflow is an error, never a null estimate.
  write("ols.csv", "x,y\n1,2\n2,4.1\n1e200,6\n4,8.2\n5,9.9\n");
  expect_one_line_error(run("ols " + path("ols.csv") + " --y y --x x --json"),
                        "column 'x' holds 1e+200");
}

TEST_F(HardeningTest, CrOnlyFilesGiveTheSameAnalysisAsLfFiles) {
  const std::string lines =
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country|"
      "536365,85123A,\"WHITE HANGING HEART\r\nT-LIGHT HOLDER\",6,12/13/2010 8:26,2.55,17850,UK|"
      "536366,71053,WHITE METAL LANTERN,6,12/14/2010 8:26,3.39,13047,UK|"
      "536367,22633,HAND WARMER,6,12/15/2010 8:28,1.85,17850,UK|"
      "536368,22634,BAD ROW,6|"
      "536369,84879,BIRD ORNAMENT,32,12/16/2010 8:34,1.69,13047,UK|";
  std::string lf = lines, cr = lines;
  std::replace(lf.begin(), lf.end(), '|', '\n');
  std::replace(cr.begin(), cr.end(), '|', '\r');
  write("lf.csv", lf);
  write("cr.csv", cr);
  ASSERT_EQ(run("rfm " + path("lf.csv") + " --json --quiet --rejects " + path("lf_rej.csv")), 0)
      << err();
  // The outlier examples name their file; everything else, their lines included, must be equal.
  auto without_file_names = [](nlohmann::json json) {
    for (auto& field : json["audit"]["outliers"]["fields"]) {
      for (auto& example : field["examples"]) example.erase("file");
    }
    return json;
  };
  const auto from_lf = without_file_names(nlohmann::json::parse(out()));
  ASSERT_EQ(run("rfm " + path("cr.csv") + " --json --quiet --rejects " + path("cr_rej.csv")), 0)
      << err();
  const auto from_cr = without_file_names(nlohmann::json::parse(out()));
  EXPECT_EQ(from_cr["audit"]["rows_read"], 5);
  EXPECT_EQ(from_cr["audit"]["malformed"], 1);
  EXPECT_EQ(from_cr, from_lf);
  // The bad row is on line 6 in both: the quoted CR LF is one line break inside the field.
  const std::string cr_rejects = slurp(path("cr_rej.csv"));
  EXPECT_NE(cr_rejects.find(",6,malformed,\"expected 8 fields, found 4\""), std::string::npos)
      << cr_rejects;
}

TEST_F(HardeningTest, AVeryWideHeaderGivesAShortError) {
  std::string header;
  // 30,000 columns: the list is cut the same way as for a million (ListNamesTest), in seconds.
  for (int i = 1; i <= 30000; ++i) {
    if (i > 1) header += ',';
    header += "c" + std::to_string(i);
  }
  write("wide.csv", header + "\n");
  const int code = run("rfm " + path("wide.csv") + " --quiet");
  expect_one_line_error(code, "… and 29,980 more");
  EXPECT_LT(err().size(), 1000u) << err().substr(0, 2000);
  EXPECT_NE(err().find("c1, c2, c3"), std::string::npos) << err().substr(0, 2000);
}

}  // namespace
}  // namespace custlens
