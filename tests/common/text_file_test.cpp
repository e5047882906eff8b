// Tests of src/common/text_file.cpp: a whole file as text, or one error naming it and why.
#include "common/text_file.h"

#include <gtest/gtest.h>

#include <string>

#include "custlens/error.h"
#include "support/temp_dir.h"

namespace custlens::common {
namespace {

using custlens::testing::TempDir;

std::string error_of(const std::string& path) {
  try {
    read_text_file(path, "scoring file");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(ReadTextFileTest, ReturnsEveryByte) {
  TempDir dir;
  const std::string text("a = 1\r\n\xe4\xb8\xad\0tail", 14);
  EXPECT_EQ(read_text_file(dir.write("x.toml", text).string(), "scoring file"), text);
  EXPECT_EQ(read_text_file(dir.write("empty.toml", "").string(), "scoring file"), "");
}

TEST(ReadTextFileTest, UnreadablePathsNameWhatAndWhy) {
  TempDir dir;
  const std::string missing = (dir.path() / "missing.toml").string();
  EXPECT_EQ(error_of(missing),
            "cannot read scoring file '" + missing + "': No such file or directory");
  EXPECT_EQ(error_of(dir.path().string()),
            "cannot read scoring file '" + dir.path().string() + "': is a directory");
}

}  // namespace
}  // namespace custlens::common
