// Tests of src/common/share_dir.cpp: where the shipped data files are looked for, in order.
#include "common/share_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/temp_dir.h"

namespace custlens::common {
namespace {

namespace fs = std::filesystem;
using custlens::testing::ScopedEnv;
using custlens::testing::TempDir;

TEST(ShareDirTest, EnvironmentWinsOverEverything) {
  TempDir prefix;
  fs::create_directories(prefix.path() / "share" / "custlens");
  const fs::path binary = prefix.path() / "bin" / "custlens";
  EXPECT_EQ(resolve_share_dir("/elsewhere", binary, "/src/share"), "/elsewhere");
}

TEST(ShareDirTest, InstalledLayoutBesideTheBinaryWinsOverTheBuildTimePath) {
  TempDir prefix;
  fs::create_directories(prefix.path() / "share" / "custlens");
  const fs::path binary = prefix.path() / "bin" / "custlens";
  const std::string expected = (prefix.path() / "share" / "custlens").string();
  EXPECT_EQ(resolve_share_dir(nullptr, binary, "/src/share"), expected);
  EXPECT_EQ(resolve_share_dir("", binary, "/src/share"), expected) << "empty counts as unset";
}

TEST(ShareDirTest, BuildTimePathWithoutAnInstalledFolder) {
  TempDir build;
  const fs::path binary = build.path() / "build" / "custlens";
  EXPECT_EQ(resolve_share_dir(nullptr, binary, "/src/share"), "/src/share");
  EXPECT_EQ(resolve_share_dir(nullptr, fs::path(), "/src/share"), "/src/share");
  // A file where the folder would be is no installed layout.
  build.write("share/custlens", "not a folder");
  EXPECT_EQ(resolve_share_dir(nullptr, binary, "/src/share"), "/src/share");
}

TEST(ShareDirTest, RunningBinaryHonoursTheEnvironmentAndElseFindsTheShippedFiles) {
  TempDir dir;
  {
    const ScopedEnv env("CUSTLENS_SHARE_DIR", dir.path().string());
    EXPECT_EQ(share_dir(), dir.path().string());
  }
  const ScopedEnv unset("CUSTLENS_SHARE_DIR", std::nullopt);
  // The test binary is not installed: the source tree's share/, with the shipped files.
  EXPECT_TRUE(fs::is_regular_file(fs::path(share_dir()) / "playbook.toml")) << share_dir();
}

}  // namespace
}  // namespace custlens::common
