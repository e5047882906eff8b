// The parallel, ordered chunk writer of the synthetic data generators (oneTBB pipeline: one
// serial producer of chunk numbers, parallel formatting, one serial in-order writer).
#include "io/chunked_writer.h"

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "io/output_files.h"

namespace custlens::io {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const {
    if (file != stdout) std::fclose(file);
  }
};

}  // namespace

std::uint64_t write_chunks_in_order(
    const std::string& path, std::string_view head, std::size_t chunks, int threads,
    std::size_t reserve_bytes,
    const std::function<void(std::size_t, fmt::memory_buffer&)>& format_chunk) {
  const bool to_stdout = path == "-";
  std::unique_ptr<std::FILE, FileCloser> file(to_stdout ? stdout : std::fopen(path.c_str(), "wb"));
  if (!file) throw write_error(path, errno);

  bool ok = std::fwrite(head.data(), 1, head.size(), file.get()) == head.size();
  int write_errno = ok ? 0 : errno;  // errno is per thread: kept where the write failed
  std::uint64_t bytes = head.size();

  tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
  arena.execute([&] {
    std::size_t next_chunk = 0;
    const auto tokens = static_cast<std::size_t>(2 * arena.max_concurrency());
    tbb::parallel_pipeline(
        tokens, tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                                    [&](tbb::flow_control& control) -> std::size_t {
                                                      if (!ok || next_chunk == chunks) {
                                                        control.stop();
                                                        return 0;
                                                      }
                                                      return next_chunk++;
                                                    }) &
                    tbb::make_filter<std::size_t, std::shared_ptr<fmt::memory_buffer>>(
                        tbb::filter_mode::parallel,
                        [&](std::size_t chunk) {
                          auto buffer = std::make_shared<fmt::memory_buffer>();
                          buffer->reserve(reserve_bytes);
                          format_chunk(chunk, *buffer);
                          return buffer;
                        }) &
                    tbb::make_filter<std::shared_ptr<fmt::memory_buffer>, void>(
                        tbb::filter_mode::serial_in_order,
                        [&](const std::shared_ptr<fmt::memory_buffer>& buffer) {
                          if (!ok) return;
                          ok = std::fwrite(buffer->data(), 1, buffer->size(), file.get()) ==
                               buffer->size();
                          if (!ok) write_errno = errno;
                          bytes += buffer->size();
                        }));
  });
  if (ok && std::fflush(file.get()) != 0) {
    ok = false;
    write_errno = errno;
  }
  if (!to_stdout && std::fclose(file.release()) != 0 && ok) {
    ok = false;
    write_errno = errno;
  }
  if (!ok) {
    std::error_code ec;  // never /dev/full or a FIFO the output was pointed at
    if (!to_stdout && std::filesystem::is_regular_file(path, ec)) std::remove(path.c_str());
    throw write_error(path, write_errno);
  }
  return bytes;
}

}  // namespace custlens::io
