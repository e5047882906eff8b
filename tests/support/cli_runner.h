// A test fixture that runs the built custlens binary in a temporary folder.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace custlens::testing {

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("custlens_cli_{}_{}",
                       ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                       static_cast<unsigned>(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  /// Runs `custlens ARGUMENTS` with stdout and stderr captured; returns the exit code.
  int run(const std::string& arguments) const {
    const std::string command =
        fmt::format("'{}' {} >'{}' 2>'{}' </dev/null", CUSTLENS_BIN, arguments,
                    (dir_ / "stdout").string(), (dir_ / "stderr").string());
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  /// Runs `custlens ARGUMENTS` with its standard input from the shell command `producer` through
  /// a pipe (`producer | custlens ARGUMENTS`); returns the exit code.
  int run_piped(const std::string& producer, const std::string& arguments) const {
    const std::string command =
        fmt::format("{} | '{}' {} >'{}' 2>'{}'", producer, CUSTLENS_BIN, arguments,
                    (dir_ / "stdout").string(), (dir_ / "stderr").string());
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string out() const { return slurp(dir_ / "stdout"); }
  std::string err() const { return slurp(dir_ / "stderr"); }
  /// The command failed with exit code 1 and one line "custlens: error: ..." holding `needle`.
  void expect_one_line_error(int code, const std::string& needle) const {
    EXPECT_EQ(code, 1);
    const std::string text = err();
    EXPECT_EQ(text.rfind("custlens: error: ", 0), 0u) << text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
    EXPECT_NE(text.find(needle), std::string::npos) << text;
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  static std::string slurp(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::filesystem::path dir_;
};

}  // namespace custlens::testing
