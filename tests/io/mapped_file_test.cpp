// Tests of src/io/mapped_file.cpp: mapping, reading pipes, and the errors for unusable paths.
#include "io/mapped_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "custlens/error.h"

namespace custlens::io {
namespace {

namespace fs = std::filesystem;

class MappedFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("custlens_mapped_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& content) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  fs::path dir_;
};

void expect_error(const std::string& path, const std::string& fragment) {
  try {
    MappedFile file(path);
    FAIL() << "expected an error for " << path;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_TRUE(message.starts_with(path + ": ")) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

TEST_F(MappedFileTest, MapsTheWholeFile) {
  std::string content(100'000, 'x');
  content += "\nend";
  const MappedFile file(write("a.csv", content));
  EXPECT_EQ(file.bytes(), content);
}

TEST_F(MappedFileTest, ReleasedPagesReadBackUnchanged) {
  std::string content;
  for (int i = 0; i < 300'000; ++i) content += static_cast<char>('a' + i % 26);
  const MappedFile file(write("big.csv", content));
  file.release(file.bytes());                      // every page
  file.release(file.bytes().substr(5000, 20000));  // a piece not on page boundaries
  file.release(std::string_view("not in the file"));
  EXPECT_EQ(file.bytes(), content);
}

TEST_F(MappedFileTest, UnusablePathsAreErrors) {
  expect_error((dir_ / "missing.csv").string(), "cannot open");
  expect_error(dir_.string(), "is a directory");
  expect_error(write("empty.csv", ""), "file is empty");
}

TEST_F(MappedFileTest, ReadsAPipe) {
  const std::string path = (dir_ / "fifo").string();
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::thread writer([&] { std::ofstream(path, std::ios::binary) << "a,b\n1,2\n"; });
  const MappedFile file(path);
  writer.join();
  EXPECT_EQ(file.bytes(), "a,b\n1,2\n");
}

}  // namespace
}  // namespace custlens::io
