// The parallel, ordered writer behind the synthetic data generators: chunks formatted on worker
// threads and written in chunk order, so the bytes never depend on the thread count.
#pragma once

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace custlens::io {

/// Writes `head`, then chunks 0 .. chunks-1 in order to `path` ("-" = standard output);
/// `format_chunk(i, out)` appends chunk i to an empty buffer and runs on up to `threads`
/// threads at once (0 = every core). Returns the bytes written. Throws custlens::Error when
/// the output cannot be written, after removing the partial file (never a FIFO or device).
std::uint64_t write_chunks_in_order(
    const std::string& path, std::string_view head, std::size_t chunks, int threads,
    std::size_t reserve_bytes,
    const std::function<void(std::size_t, fmt::memory_buffer&)>& format_chunk);

}  // namespace custlens::io
