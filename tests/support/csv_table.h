// Reads CSV text through the real reader (type inference, booleans, null markers) into a Table.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "custlens/ingest.h"

namespace custlens::testing {

inline Table table_from_csv(const std::string& text) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     fmt::format("custlens_{}_{}_{}.csv", info->test_suite_name(),
                                                 info->name(), static_cast<unsigned>(::getpid()));
  std::ofstream(path, std::ios::binary) << text;
  std::vector<std::string> inputs{path.string()};
  ReadOptions options;
  options.threads = 1;
  Dataset data = read_dataset(inputs, options);
  std::filesystem::remove(path);
  return std::move(data.table);
}

}  // namespace custlens::testing
