// Staged output files: temporary names, checked writes, fsync + rename on commit, and the table
// the interrupt handler walks to remove what an interrupted run started.
#include "io/output_files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <mutex>
#include <set>

namespace custlens::io {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 20;

// The interrupt handler may neither allocate nor lock: staged paths live in a fixed table, and
// a slot's state says what the handler removes (release/acquire order the path bytes).
enum SlotState : int { kFree, kFilling, kStaged, kRenamed };
constexpr std::size_t kSlots = 64;

struct Slot {
  std::atomic<int> state{kFree};
  char temp[PATH_MAX];
  char final_path[PATH_MAX];
};

Slot g_slots[kSlots];
std::string g_slot_names[kSlots];  // the path as the user gave it, for messages; not the handler's
std::mutex g_slots_mutex;          // claim, free and look-up in ordinary code; never in the handler
std::atomic<bool> g_stderr_is_terminal{false};
std::atomic<std::uint64_t> g_next_temp{0};

static_assert(std::atomic<int>::is_always_lock_free, "the handler reads slot states");

int claim_slot(const std::filesystem::path& temp, const std::filesystem::path& final_path,
               const std::filesystem::path& name) {
  const std::string& temp_text = temp.native();
  const std::string& final_text = final_path.native();
  if (temp_text.size() >= PATH_MAX || final_text.size() >= PATH_MAX) {
    throw write_error(name, ENAMETOOLONG);
  }
  std::lock_guard lock(g_slots_mutex);
  for (std::size_t i = 0; i < kSlots; ++i) {
    Slot& slot = g_slots[i];
    if (slot.state.load(std::memory_order_relaxed) != kFree) continue;
    slot.state.store(kFilling, std::memory_order_relaxed);
    std::memcpy(slot.temp, temp_text.c_str(), temp_text.size() + 1);
    std::memcpy(slot.final_path, final_text.c_str(), final_text.size() + 1);
    g_slot_names[i] = name.string();
    slot.state.store(kStaged, std::memory_order_release);
    return static_cast<int>(i);
  }
  throw Error(
      fmt::format("{}: cannot write: more than {} output files at once", name.string(), kSlots));
}

void set_slot(int slot, SlotState state) {
  if (slot < 0) return;
  std::lock_guard lock(g_slots_mutex);
  g_slots[static_cast<std::size_t>(slot)].state.store(state, std::memory_order_release);
}

// Durability: without it a crash soon after the rename can leave an empty file under the final
// name on some file systems; and some (NFS, quotas) report a full disk only here.
void sync_file(const std::filesystem::path& path, const std::filesystem::path& name) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw write_error(name, errno);
  const bool ok = ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) throw write_error(name, error);
}

// Best effort: a folder that cannot be synced (EINVAL on some file systems) loses nothing now.
void sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

// The temporary file's name: hidden, unique in this process, short enough for any final name.
std::filesystem::path temp_path_for(const std::filesystem::path& final_path) {
  std::string name = final_path.filename().native();
  if (name.size() > 100) name.resize(100);
  return final_path.parent_path() /
         fmt::format(".{}.custlens-{}-{}.tmp", name, ::getpid(),
                     g_next_temp.fetch_add(1, std::memory_order_relaxed));
}

extern "C" void remove_staged_and_reraise(int signal) {
  for (Slot& slot : g_slots) {
    const int state = slot.state.load(std::memory_order_acquire);
    if (state == kStaged) {
      ::unlink(slot.temp);
    } else if (state == kRenamed) {
      ::unlink(slot.final_path);
    }
  }
  constexpr char kClearLine[] = "\r\033[K";  // a progress bar may be half drawn
  constexpr char kMessage[] = "custlens: error: interrupted\n";
  if (g_stderr_is_terminal.load(std::memory_order_relaxed)) {
    (void)!::write(STDERR_FILENO, kClearLine, sizeof kClearLine - 1);
  }
  (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  // Dying by the signal itself tells the parent (a shell, make, xargs) the run was interrupted.
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  ::sigaction(signal, &fallback, nullptr);
  sigset_t unblock;
  sigemptyset(&unblock);
  sigaddset(&unblock, signal);
  ::sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
  ::raise(signal);
  ::_exit(128 + signal);
}

}  // namespace

std::string output_name(const std::filesystem::path& path) {
  const std::string& text = path.native();
  std::lock_guard lock(g_slots_mutex);
  for (std::size_t i = 0; i < kSlots; ++i) {
    const Slot& slot = g_slots[i];
    if (slot.state.load(std::memory_order_relaxed) == kStaged && text == slot.temp) {
      return g_slot_names[i];
    }
  }
  return text;
}

Error write_error(const std::filesystem::path& path, int error) {
  return Error(fmt::format("{}: cannot write: {}", output_name(path),
                           error != 0 ? std::strerror(error) : "write error"));
}

OutputFile::OutputFile(const std::filesystem::path& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) throw write_error(path, errno);
  buffer_.reserve(kBufferBytes);
}

OutputFile::~OutputFile() {
  if (file_ != nullptr) std::fclose(file_);
}

void OutputFile::write(std::string_view bytes) {
  buffer_.append(bytes);
  flush_if_full();
}

void OutputFile::flush_if_full() {
  if (buffer_.size() >= kBufferBytes) flush();
}

void OutputFile::flush() {
  if (buffer_.empty()) return;
  if (file_ == nullptr) throw write_error(path_, EBADF);
  errno = 0;
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
    throw write_error(path_, errno);
  }
  buffer_.clear();
}

void OutputFile::close() {
  if (file_ == nullptr) return;
  flush();
  errno = 0;
  bool ok = std::fflush(file_) == 0;
  int error = errno;
  std::FILE* file = file_;
  file_ = nullptr;
  // fclose reports what the last buffered write or the file system's close found.
  if (std::fclose(file) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (!ok) throw write_error(path_, error);
}

OutputFiles::OutputFiles() = default;

OutputFiles::~OutputFiles() { remove_all(); }

std::filesystem::path OutputFiles::stage(const std::filesystem::path& final_path) {
  std::filesystem::path target = final_path;
  struct stat info {};
  if (::stat(final_path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) throw write_error(final_path, EISDIR);
    // A device, FIFO or socket cannot be replaced by a rename: write to it as it is.
    if (!S_ISREG(info.st_mode)) {
      staged_.push_back({-1, final_path, final_path, final_path, nullptr});
      return final_path;
    }
    std::error_code ec;
    if (std::filesystem::is_symlink(final_path, ec)) {
      // Replace the file the link names and keep the link, as writing through it would.
      const std::filesystem::path resolved = std::filesystem::canonical(final_path, ec);
      if (!ec) target = resolved;
    }
  }
  std::error_code ec;
  const std::filesystem::path key = std::filesystem::weakly_canonical(target, ec);
  for (const Staged& other : staged_) {
    std::error_code other_ec;
    if (!ec && std::filesystem::weakly_canonical(other.final_path, other_ec) == key && !other_ec) {
      throw Error(fmt::format("{}: named for two outputs of one run", final_path.string()));
    }
  }
  const std::filesystem::path temp = temp_path_for(target);
  const int slot = claim_slot(temp, target, final_path);
  // The slot is live before the file exists, so an interrupt in between leaves nothing.
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int error = errno;
    set_slot(slot, kFree);
    throw write_error(final_path, error);
  }
  ::close(fd);
  staged_.push_back({slot, temp, target, final_path, nullptr});
  return temp;
}

OutputFile& OutputFiles::open(const std::filesystem::path& final_path) {
  const std::filesystem::path temp = stage(final_path);
  staged_.back().file = std::make_unique<OutputFile>(temp);
  return *staged_.back().file;
}

void OutputFiles::commit() {
  try {
    for (Staged& staged : staged_) {
      if (staged.file) staged.file->close();
    }
    for (const Staged& staged : staged_) {
      if (staged.slot >= 0) sync_file(staged.temp, staged.name);
    }
    std::set<std::filesystem::path> folders;
    for (const Staged& staged : staged_) {
      if (staged.slot < 0) continue;
      if (std::rename(staged.temp.c_str(), staged.final_path.c_str()) != 0) {
        throw write_error(staged.name, errno);
      }
      set_slot(staged.slot, kRenamed);
      folders.insert(staged.final_path.parent_path());
    }
    for (const auto& folder : folders) sync_folder(folder);
  } catch (...) {
    remove_all();
    throw;
  }
  for (const Staged& staged : staged_) set_slot(staged.slot, kFree);
  staged_.clear();
}

void OutputFiles::remove_all() {
  for (Staged& staged : staged_) {
    staged.file.reset();  // closes unchecked: the file goes anyway
    if (staged.slot < 0) continue;
    const int state = g_slots[static_cast<std::size_t>(staged.slot)].state.load();
    ::unlink(state == kRenamed ? staged.final_path.c_str() : staged.temp.c_str());
    set_slot(staged.slot, kFree);
  }
  staged_.clear();
}

void install_interrupt_cleanup() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return;
  g_stderr_is_terminal.store(::isatty(STDERR_FILENO) == 1);
  struct sigaction action {};
  action.sa_handler = remove_staged_and_reraise;
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&action.sa_mask, signal);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction previous {};
    ::sigaction(signal, nullptr, &previous);
    // An ignored signal stays ignored (nohup, a background job of a non-interactive shell).
    if (previous.sa_handler == SIG_IGN) continue;
    ::sigaction(signal, &action, nullptr);
  }
  std::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace custlens::io
