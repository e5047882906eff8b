// HttpServer: cpp-httplib wiring of the dashboard's routes, limits and security headers.
#include "server/http_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>

#include "custlens/error.h"
#include "server/connection_gate.h"

namespace custlens::server {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";
constexpr int kListenBacklog = 128;
// The page inlines its scripts and styles and talks only to this server.
constexpr const char* kPagePolicy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

// httplib's Server with a stop that works whether or not the accept loop has started: it closes
// the listening socket, as httplib's own stop() does, but without that function's wait for the
// loop to be running (and its assertion when called twice). New connections pass the gate first.
class StoppableServer : public httplib::Server {
 public:
  void close_listener() {
    const socket_t sock = svr_sock_.exchange(INVALID_SOCKET);
    if (sock == INVALID_SOCKET) return;
    ::shutdown(sock, SHUT_RDWR);  // wakes a blocked accept()
    ::close(sock);
  }
  // httplib listens with a backlog of 5: under a burst of new connections the kernel drops
  // handshakes and clients wait a second for the retry. Listening again only sets the backlog.
  void widen_backlog(int backlog) {
    const socket_t sock = svr_sock_;
    if (sock != INVALID_SOCKET) ::listen(sock, backlog);
  }
  // The task queue of the accept loop: a gate that serves a socket once its head is in.
  void use_gate(GateOptions options) {
    read_timeout_ = options.header_timeout;
    new_task_queue = [this, options] {
      auto gate = new ConnectionGate(options, [this](int sock) { serve(sock); });
      gate_ = gate;
      return gate;
    };
  }

 private:
  // httplib's accept loop calls this for each new connection (overriding a private virtual is
  // allowed; it is the library's hook for SSLServer).
  bool process_and_close_socket(socket_t sock) override {
    ConnectionGate* gate = gate_;
    if (gate != nullptr && !gate->admit(sock)) return true;  // the gate holds it
    return serve(sock);
  }

  // One request, answered with Connection: close: a kept-alive connection would wait for its
  // next head on a worker, out of the gate's sight. A new loopback connection costs microseconds.
  bool serve(socket_t sock) {
    bool served = false;
    if (svr_sock_ != INVALID_SOCKET) {
      ConnectionStream stream(sock, read_timeout_);
      bool closed = false;
      served = process_request(stream, true, closed, nullptr);
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return served;
  }

  std::atomic<ConnectionGate*> gate_{nullptr};  // owned by httplib's accept loop while it runs
  std::chrono::milliseconds read_timeout_{5000};
};

void json_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(nlohmann::json{{"error", message}}.dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace),
                  kJson);
}

std::string default_message(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 404:
      return "not found; the dashboard serves GET /, /api/summary, /api/report and /healthz";
    case 413:
      return "request body too large";
    case 414:
      return "request URL too long";
    default:
      return fmt::format("HTTP status {}", status);
  }
}

// ".." in any form that decodes to it, backslashes and NULs have no place in a route.
bool is_traversal(std::string_view path) {
  return path.find("..") != std::string_view::npos || path.find('\\') != std::string_view::npos ||
         path.find('\0') != std::string_view::npos;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The host part of a Host header: "[::1]:8080" -> "[::1]", "localhost:80" -> "localhost".
std::string host_name(std::string_view header) {
  if (!header.empty() && header.front() == '[') {
    const auto end = header.find(']');
    return lower(header.substr(0, end == std::string_view::npos ? header.size() : end + 1));
  }
  return lower(header.substr(0, header.find(':')));
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos && host.front() != '[' ? "[" + host + "]" : host;
}

void send(httplib::Response& res, const Reply& reply) {
  res.status = reply.status;
  res.set_content(reply.body, reply.content_type);
}

}  // namespace

bool is_loopback_host(const std::string& host) {
  const std::string name = lower(host);
  return name == "localhost" || name.rfind("127.", 0) == 0 || name == "::1" || name == "[::1]";
}

struct HttpServer::Impl {
  const DashboardRoutes& dashboard;
  ServerOptions options;
  StoppableServer server;

  Impl(const DashboardRoutes& board, ServerOptions opts)
      : dashboard(board), options(std::move(opts)) {
    configure();
  }
  ~Impl() { server.close_listener(); }  // bound but never run: release the port

  // A loopback server answers only to loopback names: a web page that rebinds its own domain
  // to 127.0.0.1 must not read the dashboard.
  bool host_allowed(const httplib::Request& req) const {
    if (!is_loopback_host(options.host) || !req.has_header("Host")) return true;
    const std::string name = host_name(req.get_header_value("Host"));
    return name == "localhost" || name == "127.0.0.1" || name == "[::1]" ||
           name == lower(bracketed(options.host));
  }

  static std::uint64_t announced_body(const httplib::Request& req) {
    if (!req.has_header("Content-Length")) return 0;
    const std::string value = req.get_header_value("Content-Length");
    std::uint64_t length = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
    return error == std::errc{} && end == value.data() + value.size()
               ? length
               : std::numeric_limits<std::uint64_t>::max();
  }

  httplib::Server::HandlerResponse screen(const httplib::Request& req, httplib::Response& res) {
    std::size_t header_bytes = 0;
    for (const auto& [name, value] : req.headers) header_bytes += name.size() + value.size();
    if (header_bytes > options.max_header_bytes) {
      json_error(res, 431, "request headers too large");
    } else if (req.has_header("Transfer-Encoding")) {
      // No route takes a body, so none comes without a length that can be checked first.
      json_error(res, 411, "a request body needs Content-Length");
      res.set_header("Connection", "close");
    } else if (announced_body(req) > 0) {
      // Answered before the body is read: a body trickled in a byte at a time would hold a
      // worker (the gate waits for the head only), and httplib's own 413 first drains it.
      json_error(res, 413, "the dashboard takes no request body");
      res.set_header("Connection", "close");
    } else if (req.method != "GET" && req.method != "HEAD") {
      // Answered before httplib would read a POST's body, which without a length lasts until
      // the client closes.
      json_error(res, 405, "the dashboard answers GET only");
      res.set_header("Allow", "GET, HEAD");
    } else if (req.target.size() > options.max_target_bytes) {
      json_error(res, 414, "request URL too long");
    } else if (is_traversal(req.path) ||
               is_traversal(std::string_view(req.target).substr(0, req.target.find('?')))) {
      json_error(res, 400, "path not allowed");
    } else if (req.get_header_value_count("Host") > 1) {
      // Which one a proxy, a cache and this server would each believe differs: refuse them all.
      json_error(res, 400, "more than one Host header");
      res.set_header("Connection", "close");
    } else if (req.version == "HTTP/1.1" && !req.has_header("Host")) {
      json_error(res, 400, "an HTTP/1.1 request needs a Host header");
      res.set_header("Connection", "close");
    } else if (!host_allowed(req)) {
      json_error(res, 403, "this dashboard answers only to localhost, 127.0.0.1 or [::1]");
    } else {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    return httplib::Server::HandlerResponse::Handled;
  }

  void configure() {
    GateOptions gate;
    gate.threads = std::max<std::size_t>(1, options.threads);
    gate.header_timeout = options.header_timeout;
    gate.max_waiting = options.max_waiting_connections;
    // The request line, every header and the blank line, with room for httplib's own 414 and
    // 431 answers to come from it rather than from the gate.
    gate.max_head_bytes = options.max_header_bytes + 2 * 8192;
    server.use_gate(gate);
    server.set_payload_max_length(0);
    server.set_tcp_nodelay(true);
    // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which would let a second
    // server bind the same port and silently take half of the requests.
    server.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    server.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                                {"X-Frame-Options", "DENY"},
                                {"Referrer-Policy", "no-referrer"},
                                {"Cache-Control", "no-store"}});
    server.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return screen(req, res); });
    server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (res.body.empty()) json_error(res, res.status, default_message(res.status));
    });
    server.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
          json_error(res, 500, "internal error");
        });
    server.Get("/", [this](const httplib::Request&, httplib::Response& res) {
      send(res, dashboard.page());
      res.set_header("Content-Security-Policy", kPagePolicy);
    });
    server.Get("/api/summary", [this](const httplib::Request& req, httplib::Response& res) {
      send(res, dashboard.summary(req.params));
    });
    server.Get("/api/report", [this](const httplib::Request& req, httplib::Response& res) {
      send(res, dashboard.report(req.params));
    });
    server.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      send(res, dashboard.health());
    });
  }
};

HttpServer::HttpServer(const DashboardRoutes& dashboard, ServerOptions options)
    : impl_(std::make_unique<Impl>(dashboard, std::move(options))) {}

HttpServer::~HttpServer() = default;

int HttpServer::bind() {
  const ServerOptions& options = impl_->options;
  int port = -1;
  if (options.port == 0) {
    port = impl_->server.bind_to_any_port(options.host);
  } else if (impl_->server.bind_to_port(options.host, options.port)) {
    port = options.port;
  }
  if (port <= 0) {
    throw Error(fmt::format(
        "cannot listen on {}:{} (port in use, or not an address of this machine); try --port 0",
        options.host, options.port));
  }
  impl_->server.widen_backlog(kListenBacklog);
  return port;
}

void HttpServer::run() {
  if (!impl_->server.listen_after_bind()) throw Error("the dashboard server failed to accept");
}

void HttpServer::stop() { impl_->server.close_listener(); }

}  // namespace custlens::server
