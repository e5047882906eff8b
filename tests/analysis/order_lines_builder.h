// Test helper: OrderLines from readable (customer, invoice, date, amount) rows, and temp files.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include "custlens/orders.h"

namespace custlens::testing {

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// Seconds of "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS".
inline std::int64_t seconds(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::sscanf(std::string(text).c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s);
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
         h * 3600 + mi * 60 + s;
}

/// Builds OrderLines with dense indices in order of first appearance.
class LinesBuilder {
 public:
  /// Without invoices the lines have an empty invoice column (frequency counts days).
  explicit LinesBuilder(bool with_invoice = true) : with_invoice_(with_invoice) {}

  LinesBuilder& add(const std::string& customer, const std::string& invoice, std::string_view when,
                    double amount) {
    return add(customer, invoice, seconds(when), amount);
  }
  LinesBuilder& add(const std::string& customer, const std::string& invoice, std::int64_t timestamp,
                    double amount) {
    lines_.customer.push_back(intern(customers_, lines_.customer_ids, customer));
    if (with_invoice_) lines_.invoice.push_back(intern(invoices_, lines_.invoice_ids, invoice));
    lines_.timestamp.push_back(timestamp);
    lines_.amount.push_back(amount);
    return *this;
  }
  /// A line whose invoice is null (kNone).
  LinesBuilder& add_without_invoice(const std::string& customer, std::string_view when,
                                    double amount) {
    lines_.customer.push_back(intern(customers_, lines_.customer_ids, customer));
    lines_.invoice.push_back(OrderLines::kNone);
    lines_.timestamp.push_back(seconds(when));
    lines_.amount.push_back(amount);
    return *this;
  }
  const OrderLines& lines() const { return lines_; }

 private:
  static std::uint32_t intern(std::map<std::string, std::uint32_t>& index,
                              std::vector<std::string>& names, const std::string& name) {
    auto [it, added] = index.emplace(name, static_cast<std::uint32_t>(names.size()));
    if (added) names.push_back(name);
    return it->second;
  }

  bool with_invoice_;
  OrderLines lines_;
  std::map<std::string, std::uint32_t> customers_, invoices_;
};

/// A file in a per-test temp directory, removed with the object.
class TempFile {
 public:
  TempFile(std::string_view name, std::string_view text) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           (std::string("custlens_") + info->test_suite_name() + "_" + info->name() + "_" +
            std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / name).string();
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::string path_;
};

/// The repository's share/ folder (tier rules and scoring examples).
inline std::string share_path(std::string_view relative) {
  return (std::filesystem::path(CUSTLENS_TEST_DATA) / ".." / ".." / "share" / relative).string();
}

}  // namespace custlens::testing
