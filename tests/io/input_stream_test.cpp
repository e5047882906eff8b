// Tests of src/io/input_stream.cpp: mapping files, reading pipes and FIFOs with a kept head, page
// release, and the errors for unusable paths.
#include "io/input_stream.h"

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

class InputStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("custlens_input_" + std::to_string(::getpid()));
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

void input_stream_expect_error(const std::string& path, const std::string& fragment) {
  try {
    InputStream input(path);
    FAIL() << "expected an error for " << path;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_TRUE(message.starts_with(path + ": ")) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

/// Everything after the head, read as a scan reads it.
std::string rest_of(InputStream& input) {
  std::string rest;
  char buffer[3];
  for (std::size_t got; (got = input.read_after_head(buffer, sizeof buffer)) > 0;) {
    rest.append(buffer, got);
  }
  return rest;
}

TEST_F(InputStreamTest, MapsARegularFile) {
  std::string content(100'000, 'x');
  content += "\nend";
  InputStream input(write("a.csv", content));
  EXPECT_TRUE(input.mapped());
  EXPECT_TRUE(input.ended());
  EXPECT_EQ(input.size(), content.size());
  EXPECT_EQ(input.head(10), content.substr(0, 10));
  EXPECT_EQ(input.head(content.size() + 5), content);
  input.release(input.head(content.size()).substr(5000, 20000));  // not on page boundaries
  input.release_until(input.head(content.size()).data() + 70'000);
  input.release(std::string_view("not in the file"));
  EXPECT_EQ(input.head(content.size()), content);  // released pages read back unchanged
  EXPECT_EQ(rest_of(input), "");
}

TEST_F(InputStreamTest, UnusablePathsAreErrors) {
  input_stream_expect_error((dir_ / "missing.csv").string(), "cannot open");
  input_stream_expect_error(dir_.string(), "is a directory");
  InputStream empty(write("empty.csv", ""));
  EXPECT_TRUE(empty.empty());
}

TEST_F(InputStreamTest, AFifoKeepsItsHeadAndGoesOnWhereItEnds) {
  const std::string path = (dir_ / "fifo").string();
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  EXPECT_TRUE(is_stream_path(path));
  EXPECT_FALSE(is_stream_path(write("file.csv", "x")));
  EXPECT_FALSE(is_stream_path(dir_.string()));
  EXPECT_TRUE(is_stream_path("-"));
  std::string content;
  for (int i = 0; i < 20000; ++i) content += std::to_string(i) + ",row\n";
  std::thread writer([&] { std::ofstream(path, std::ios::binary) << content; });
  InputStream input(path);
  EXPECT_FALSE(input.mapped());
  EXPECT_FALSE(input.empty());
  EXPECT_EQ(input.head(7), content.substr(0, 7));
  const std::string_view head = input.head(1000);
  EXPECT_EQ(head, content.substr(0, 1000));
  // The head is read ahead in blocks: what follows starts after the last byte kept.
  const std::size_t kept = input.size();
  EXPECT_EQ(input.head(kept), content.substr(0, kept));
  EXPECT_EQ(std::string(input.head(kept)) + rest_of(input), content);
  EXPECT_TRUE(input.ended());
  writer.join();
}

}  // namespace
}  // namespace custlens::io
