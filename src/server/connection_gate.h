// Keeps slow clients off the worker threads: a new connection reaches a worker only once its
// request head (request line and headers) is in the socket's receive buffer; until then one epoll
// thread watches it, and a head not complete within the deadline gets 408 and the connection is
// closed. cpp-httplib reads a request on a worker with only a per-read timeout, so without this a
// client sending a byte a second holds a worker for hours.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

namespace custlens::server {

struct GateOptions {
  std::size_t threads = 16;
  /// From accept to the end of the request head.
  std::chrono::milliseconds header_timeout{5000};
  /// A head not complete within this many bytes: 431.
  std::size_t max_head_bytes = 32768;
  /// Connections waiting for their head at once; a new one beyond closes the oldest (503).
  std::size_t max_waiting = 512;
};

/// httplib's Stream over a connected socket, as its own SocketStream (which the library does not
/// export) but for one request: buffered reads and writes, each waiting at most `timeout`.
class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(int sock, std::chrono::milliseconds timeout) : sock_(sock), timeout_(timeout) {}
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, std::size_t size) override;
  ssize_t write(const char* ptr, std::size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return sock_; }

 private:
  int sock_;
  std::chrono::milliseconds timeout_;
  std::string buffer_;  // read ahead, not yet returned
  std::size_t offset_ = 0;
};

/// The server's task queue (httplib's `new_task_queue`): a thread pool plus the head waiter.
class ConnectionGate : public httplib::TaskQueue {
 public:
  /// `serve` processes and closes a socket whose head has arrived (on a worker thread).
  ConnectionGate(GateOptions options, std::function<void(int)> serve);
  ~ConnectionGate() override;
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  void enqueue(std::function<void()> job) override;
  /// Closes the waiting connections, then finishes the queued jobs and joins the workers.
  void shutdown() override;

  /// On a worker, for a newly accepted socket: true when its head has arrived (serve it now);
  /// else the gate now owns the socket and serves or closes it later.
  bool admit(int sock);

 private:
  enum class Head { kComplete, kIncomplete, kTooLarge, kClosed };
  Head check(int sock);
  void watch();
  void release(int sock);  // stops watching; the caller closes or serves it
  void refuse(int sock, int status, const char* message);

  GateOptions options_;
  std::function<void(int)> serve_;
  httplib::ThreadPool pool_;
  int epoll_ = -1;
  int wake_ = -1;  // eventfd: stop the waiter
  mutable std::mutex mutex_;
  std::unordered_map<int, std::chrono::steady_clock::time_point> deadline_;  // waiting sockets
  bool stopping_ = false;
  std::thread waiter_;
};

}  // namespace custlens::server
