// Test helpers for the dashboard: order lines loaded with the library's own pipeline, an
// in-process server on an ephemeral port, and raw HTTP requests for what a client would not send.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "custlens/clean.h"
#include "custlens/ingest.h"
#include "custlens/roles.h"
#include "report/summary.h"
#include "server/dashboard.h"
#include "server/http_server.h"

namespace custlens::testing {

/// Reads and cleans `path` as `custlens analyze` does and runs the full analysis.
inline server::DashboardData load_dashboard_data(const std::string& path,
                                                 const RfmOptions& rfm_options = {}) {
  ReadOptions base;
  const std::vector<std::string> files = expand_inputs(std::vector<std::string>{path});
  const std::vector<std::string> header = read_header(files.front(), base);
  const RoleMap roles = detect_roles(header);
  Dataset data = read_dataset(files, order_read_options(header, roles, base));
  const report::InputInfo input{files, header, roles, data.columns, data.encoding};
  CleanResult clean = clean_orders(std::move(data), roles, {});
  server::FullData full;
  full.rfm_options = rfm_options;
  full.input = input;
  report::Summary summary =
      report::build_summary(clean.lines, clean.audit, input, rfm_options, full.pattern_options);
  server::DashboardData result;
  result.summary = report::summary_to_json(summary);
  full.lines = std::move(clean.lines);
  full.audit = summary.audit;
  full.rfm = std::move(summary.rfm);
  result.full = std::move(full);
  return result;
}

/// A dashboard served on 127.0.0.1 at a free port from a background thread until destroyed.
class ServedDashboard {
 public:
  explicit ServedDashboard(server::DashboardData data, Lang lang = Lang::kEn,
                           server::ServerOptions options = {})
      : ServedDashboard(std::make_unique<server::Dashboard>(std::move(data), lang), options) {}
  /// Serves any dashboard (e.g. a ProfileDashboard).
  ServedDashboard(std::unique_ptr<server::DashboardRoutes> dashboard,
                  server::ServerOptions options = {})
      : dashboard_(std::move(dashboard)) {
    options.port = 0;
    http_ = std::make_unique<server::HttpServer>(*dashboard_, options);
    port_ = http_->bind();
    // Connections queue in the bound socket's backlog until the loop accepts them.
    thread_ = std::thread([this] { http_->run(); });
  }
  ~ServedDashboard() {
    http_->stop();
    thread_.join();
  }
  ServedDashboard(const ServedDashboard&) = delete;
  ServedDashboard& operator=(const ServedDashboard&) = delete;

  int port() const { return port_; }
  const server::DashboardRoutes& dashboard() const { return *dashboard_; }

 private:
  std::unique_ptr<server::DashboardRoutes> dashboard_;
  std::unique_ptr<server::HttpServer> http_;
  int port_ = 0;
  std::thread thread_;
};

/// A connected loopback socket to 127.0.0.1:port with a 5 s receive timeout, or -1.
inline int connect_loopback(int port) {
  const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  if (sock < 0) return -1;
  timeval timeout{5, 0};
  ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(sock);
    return -1;
  }
  return sock;
}

/// Sends `request` as is to 127.0.0.1:port and returns the answer: the headers and as many body
/// bytes as Content-Length says, or all until the server closes (5 s receive timeout, so a
/// silent server fails the test instead of hanging it).
inline std::string raw_request(int port, const std::string& request) {
  const int sock = connect_loopback(port);
  if (sock < 0) return "";
  std::string answer;
  {
    std::size_t sent = 0;
    while (sent < request.size()) {
      const ssize_t n = ::send(sock, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::recv(sock, buffer, sizeof(buffer), 0)) > 0) {
      answer.append(buffer, static_cast<std::size_t>(n));
      const auto end = answer.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      const auto length = answer.find("Content-Length: ");
      if (length == std::string::npos || length > end) continue;
      // A server may keep the connection open (keep-alive): stop at the end of the body.
      if (answer.size() >= end + 4 + std::stoul(answer.substr(length + 16))) break;
    }
  }
  ::close(sock);
  return answer;
}

/// The status code of a raw HTTP answer ("HTTP/1.1 404 Not Found" -> 404), or -1.
inline int status_of(const std::string& answer) {
  if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) return -1;
  return std::stoi(answer.substr(9, 3));
}

}  // namespace custlens::testing
