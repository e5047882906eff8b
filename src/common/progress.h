// A progress bar on stderr, drawn only when stderr is a terminal and --quiet is off.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "custlens/progress.h"

namespace custlens::common {

class ProgressBar {
 public:
  /// enabled = false draws nothing; use ProgressBar::for_terminal to decide from stderr.
  ProgressBar(std::string label, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// True when stderr is a terminal and quiet is off.
  static bool terminal_wanted(bool quiet);

  /// Thread-safe; redraws at most ~10 times a second.
  void update(std::uint64_t done, std::uint64_t total);
  void set_label(std::string label);
  /// Clears the line.
  void finish();
  /// A ProgressFn bound to this bar (valid while the bar lives).
  ProgressFn callback();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace custlens::common
