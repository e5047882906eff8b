// ConnectionGate: the worker pool, and the epoll thread that holds connections until their
// request head has arrived or their deadline has passed.
#include "server/connection_gate.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "custlens/error.h"

namespace custlens::server {
namespace {

using Clock = std::chrono::steady_clock;

void close_socket(int sock) {
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
}

// Waits until `sock` is ready for `events`, at most `timeout`; false on timeout or error.
bool wait_for(int sock, short events, std::chrono::milliseconds timeout) {
  pollfd entry{sock, events, 0};
  int ready = 0;
  do {
    ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

void address_of(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof(text));
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof(text));
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

}  // namespace

bool ConnectionStream::is_readable() const {
  return offset_ < buffer_.size() || wait_for(sock_, POLLIN, timeout_);
}

bool ConnectionStream::is_writable() const { return wait_for(sock_, POLLOUT, timeout_); }

// httplib reads the head a byte at a time: serve those from a buffer, not a syscall each.
ssize_t ConnectionStream::read(char* ptr, std::size_t size) {
  if (offset_ == buffer_.size()) {
    if (!wait_for(sock_, POLLIN, timeout_)) return -1;
    buffer_.resize(4096);
    ssize_t n = 0;
    do {
      n = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
    } while (n < 0 && errno == EINTR);
    buffer_.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    offset_ = 0;
    if (n <= 0) return n;
  }
  const std::size_t count = std::min(size, buffer_.size() - offset_);
  std::memcpy(ptr, buffer_.data() + offset_, count);
  offset_ += count;
  return static_cast<ssize_t>(count);
}

ssize_t ConnectionStream::write(const char* ptr, std::size_t size) {
  if (!is_writable()) return -1;
  ssize_t n = 0;
  do {
    n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    address_of(address, ip, port);
  }
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof(address);
  if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    address_of(address, ip, port);
  }
}

ConnectionGate::ConnectionGate(GateOptions options, std::function<void(int)> serve)
    : options_(options),
      serve_(std::move(serve)),
      pool_(std::max<std::size_t>(1, options.threads)) {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (epoll_ < 0 || wake_ < 0) {
    if (epoll_ >= 0) ::close(epoll_);
    if (wake_ >= 0) ::close(wake_);
    pool_.shutdown();
    throw Error("the dashboard server cannot create its connection watcher (epoll)");
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = wake_;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &event);
  waiter_ = std::thread([this] { watch(); });
}

ConnectionGate::~ConnectionGate() {
  shutdown();
  ::close(epoll_);
  ::close(wake_);
}

void ConnectionGate::enqueue(std::function<void()> job) { pool_.enqueue(std::move(job)); }

void ConnectionGate::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  const std::uint64_t one = 1;
  (void)!::write(wake_, &one, sizeof(one));
  waiter_.join();
  {
    std::lock_guard lock(mutex_);
    for (const auto& [sock, deadline] : deadline_) close_socket(sock);
    deadline_.clear();
  }
  pool_.shutdown();
}

// Looks at what has arrived without consuming it: httplib reads it afterwards as if fresh.
ConnectionGate::Head ConnectionGate::check(int sock) {
  std::string buffer(options_.max_head_bytes, '\0');
  const ssize_t n = ::recv(sock, buffer.data(), buffer.size(), MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return Head::kClosed;
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? Head::kIncomplete : Head::kClosed;
  const std::string_view seen(buffer.data(), static_cast<std::size_t>(n));
  // A blank line ends the head; a bare "\n\n" too, so that httplib, not a timeout, judges it.
  if (seen.find("\r\n\r\n") != std::string_view::npos ||
      seen.find("\n\n") != std::string_view::npos) {
    return Head::kComplete;
  }
  return static_cast<std::size_t>(n) >= options_.max_head_bytes ? Head::kTooLarge
                                                                : Head::kIncomplete;
}

void ConnectionGate::refuse(int sock, int status, const char* message) {
  const char* reason = status == 408   ? "Request Timeout"
                       : status == 431 ? "Request Header Fields Too Large"
                                       : "Service Unavailable";
  const std::string body = fmt::format("{{\"error\":\"{}\"}}", message);
  const std::string answer = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: application/json; charset=utf-8\r\n"
      "Content-Length: {}\r\nConnection: close\r\n\r\n{}",
      status, reason, body.size(), body);
  // Best effort: a client that reads nothing does not hold the gate.
  (void)!::send(sock, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  ::shutdown(sock, SHUT_WR);
  // Closing with unread bytes would send a reset, which can discard the answer at the client.
  char discard[4096];
  for (std::size_t drained = 0; drained < options_.max_head_bytes;) {
    const ssize_t n = ::recv(sock, discard, sizeof(discard), MSG_DONTWAIT);
    if (n <= 0) break;
    drained += static_cast<std::size_t>(n);
  }
  ::close(sock);
}

bool ConnectionGate::admit(int sock) {
  const Head head = check(sock);
  if (head == Head::kComplete) return true;
  if (head == Head::kClosed) {
    close_socket(sock);
    return false;
  }
  if (head == Head::kTooLarge) {
    refuse(sock, 431, "request head too large");
    return false;
  }
  std::lock_guard lock(mutex_);
  if (stopping_) {
    close_socket(sock);
    return false;
  }
  if (deadline_.size() >= std::max<std::size_t>(1, options_.max_waiting)) {
    // The oldest waiter goes: a client whose head is still missing after the others arrived is
    // the likeliest to be one that never finishes it.
    const auto oldest =
        std::min_element(deadline_.begin(), deadline_.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    const int evicted = oldest->first;
    ::epoll_ctl(epoll_, EPOLL_CTL_DEL, evicted, nullptr);
    deadline_.erase(oldest);
    refuse(evicted, 503, "too many connections are waiting to send their request");
  }
  epoll_event event{};
  // Edge-triggered: the peeked bytes stay unread, so level-triggered would report them forever.
  // Adding a socket that already holds new data reports it once.
  event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  event.data.fd = sock;
  if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, sock, &event) != 0) {
    close_socket(sock);
    return false;
  }
  deadline_[sock] = Clock::now() + options_.header_timeout;
  return false;
}

void ConnectionGate::release(int sock) {
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, sock, nullptr);
  deadline_.erase(sock);
}

void ConnectionGate::watch() {
  std::vector<epoll_event> events(64);
  while (true) {
    // At most a second: a socket added meanwhile may be silent, and its deadline must be seen.
    int wait_ms = 1000;
    {
      std::lock_guard lock(mutex_);
      if (!deadline_.empty()) {
        auto next = Clock::time_point::max();
        for (const auto& [sock, deadline] : deadline_) next = std::min(next, deadline);
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count();
        wait_ms = static_cast<int>(std::clamp<long long>(left + 1, 0, 1000));
      }
    }
    const int ready = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), wait_ms);
    if (ready < 0 && errno != EINTR) return;
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    for (int i = 0; i < std::max(ready, 0); ++i) {
      const int sock = events[static_cast<std::size_t>(i)].data.fd;
      if (sock == wake_ || !deadline_.contains(sock)) continue;
      Head head = check(sock);
      // A client that hung up before finishing its head will never finish it.
      const bool hung_up =
          events[static_cast<std::size_t>(i)].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR);
      if (hung_up && head == Head::kIncomplete) head = Head::kClosed;
      switch (head) {
        case Head::kComplete:
          release(sock);
          pool_.enqueue([this, sock] { serve_(sock); });
          break;
        case Head::kClosed:
          release(sock);
          close_socket(sock);
          break;
        case Head::kTooLarge:
          release(sock);
          refuse(sock, 431, "request head too large");
          break;
        case Head::kIncomplete:
          break;
      }
    }
    const auto now = Clock::now();
    std::vector<int> expired;
    for (const auto& [sock, deadline] : deadline_) {
      if (deadline <= now) expired.push_back(sock);
    }
    for (const int sock : expired) {
      release(sock);
      refuse(sock, 408, "the request head did not arrive in time");
    }
  }
}

}  // namespace custlens::server
