// The progress callback every long step takes: a base type like Error, below every layer.
#pragma once

#include <cstdint>
#include <functional>

namespace custlens {

/// Called now and then with (work done, total work) in bytes or rows.
using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

}  // namespace custlens
