// The dashboard over HTTP (cpp-httplib, kept out of this header): four fixed GET routes, request
// limits, a deadline for each request's head, Host checks (one Host, local names only, against
// DNS rebinding), and a stop that is safe from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "server/dashboard.h"

namespace custlens::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0: any free port
  std::size_t threads = 16;
  std::size_t max_target_bytes = 2048;   ///< request line target (path + query): else 414
  std::size_t max_header_bytes = 16384;  ///< all header names and values: else 431
  /// From accept to the end of the request head (request line and headers): else 408 and the
  /// connection is closed. Until its head is in, a connection holds no worker thread.
  std::chrono::milliseconds header_timeout{5000};
  /// Connections waiting for their head at once; beyond, the oldest is closed (503).
  std::size_t max_waiting_connections = 512;
};

class HttpServer {
 public:
  /// `dashboard` must outlive the server.
  HttpServer(const DashboardRoutes& dashboard, ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds host:port and returns the port (the one chosen, for port 0). Throws custlens::Error
  /// when it cannot bind.
  int bind();
  /// Serves until stop(); returns once the listening loop has ended and the workers are done.
  void run();
  /// Ends run(); safe from any thread, before or during run(), and more than once.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// True for the loopback names and addresses (localhost, 127.x.x.x, ::1).
bool is_loopback_host(const std::string& host);

}  // namespace custlens::server
