// A run's output files, complete or absent: each is written under a temporary name beside its
// final one and renamed when the whole run has succeeded; an error, a full disk or an interrupt
// removes what the run started (docs/outputs.md).
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/error.h"

namespace custlens::io {

/// A file written bit by bit (rejects.csv as the scan goes, a CSV table): buffered, every write
/// and the close checked. Errors name the file by the name the user gave (output_name), e.g.
/// "out/rejects.csv: cannot write: No space left on device".
class OutputFile {
 public:
  /// Creates or truncates `path`; throws custlens::Error when it cannot.
  explicit OutputFile(const std::filesystem::path& path);
  ~OutputFile();  ///< closes unchecked when close() was not called (the run failed anyway)
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view bytes);
  /// The pending bytes: append to it, then call flush_if_full() (CsvWriter formats in place).
  std::string& buffer() { return buffer_; }
  /// Writes the buffer out once it holds a megabyte or more.
  void flush_if_full();
  /// Flushes and closes; throws custlens::Error on a write error. Later calls do nothing.
  void close();
  bool is_open() const { return file_ != nullptr; }

 private:
  void flush();
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
};

/// The output files of one run. Every file is staged: written under a hidden temporary name in
/// the folder of its final name (".customers.csv.custlens-<pid>-<n>.tmp"), so that commit() can
/// rename it atomically. Not committed when this set is destroyed (an exception unwinds the run)
/// or the process is interrupted (install_interrupt_cleanup): every staged file is removed.
/// A path that names something other than a regular file or a missing one (/dev/null,
/// /dev/stdout, a FIFO) cannot be staged and is written directly.
/// A set is used by one thread at a time; any number of sets may live at once.
class OutputFiles {
 public:
  OutputFiles();
  ~OutputFiles();  ///< removes every staged file not committed
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;

  /// Creates the temporary file for `final_path` (empty) and returns its path: write there. A
  /// symbolic link is followed (the file it names is replaced, the link stays). Throws
  /// custlens::Error "<final_path>: cannot write: <reason>" when the folder cannot take it, or
  /// when `final_path` is staged twice in this set.
  std::filesystem::path stage(const std::filesystem::path& final_path);
  /// stage() and an OutputFile open on it, owned by this set: valid until commit() (which
  /// closes it) or the set's end; so is a CsvWriter writing into it.
  OutputFile& open(const std::filesystem::path& final_path);
  /// Closes the files open() gave, flushes every staged file to the disk (fsync), renames each
  /// to its final name in staging order and syncs their folders. On a failure throws
  /// custlens::Error "<final name>: cannot write: <reason>" and removes every file of the set,
  /// those already renamed included. The set is empty afterwards and can stage again.
  void commit();

 private:
  struct Staged {
    int slot = -1;  ///< index in the interrupt handler's table; -1 = written directly
    std::filesystem::path temp;
    std::filesystem::path final_path;  ///< the rename's target (a link's file, resolved)
    std::filesystem::path name;        ///< as the caller gave it, for messages
    std::unique_ptr<OutputFile> file;
  };
  void remove_all();
  std::vector<Staged> staged_;
};

/// Installs, once per process, SIGINT, SIGTERM and SIGHUP handlers that remove every staged,
/// uncommitted file of every live OutputFiles (and the renamed ones of a commit under way), write
/// "custlens: error: interrupted" to stderr, and end the process by the same signal (shells
/// report 130 for SIGINT, 143 for SIGTERM). Also ignores SIGXFSZ, so that a file-size limit is a
/// write error (EFBIG) that removes the outputs like a full disk, not a kill that leaves them.
/// For programs only (main); a library embedding custlens keeps its own signal handling.
void install_interrupt_cleanup();

/// The name the user knows `path` by: the final name when `path` is the temporary file of a live
/// staged output, else `path` itself. Writers name files with it in their errors.
std::string output_name(const std::filesystem::path& path);

/// custlens::Error "<output_name(path)>: cannot write: <strerror(error)>" ("write error" for 0).
Error write_error(const std::filesystem::path& path, int error);

}  // namespace custlens::io
