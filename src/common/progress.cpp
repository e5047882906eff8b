// ProgressBar: throttled single-line redraws on stderr.
#include "common/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace custlens::common {

ProgressBar::ProgressBar(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled) {}

ProgressBar::~ProgressBar() { finish(); }

bool ProgressBar::terminal_wanted(bool quiet) { return !quiet && isatty(STDERR_FILENO) == 1; }

void ProgressBar::set_label(std::string label) {
  std::lock_guard lock(mutex_);
  label_ = std::move(label);
}

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  if (!enabled_ || total == 0) return;
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  constexpr int kWidth = 30;
  double fraction = done >= total ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  int filled = static_cast<int>(fraction * kWidth);
  fmt::print(stderr, "\r{} [{:<{}}] {:3.0f}%", label_,
             std::string(static_cast<std::size_t>(filled), '#'), kWidth, fraction * 100.0);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  std::lock_guard lock(mutex_);
  if (!drawn_) return;
  fmt::print(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

ProgressFn ProgressBar::callback() {
  if (!enabled_) return {};
  return [this](std::uint64_t done, std::uint64_t total) { update(done, total); };
}

}  // namespace custlens::common
