// The dashboard over HTTP, in process on an ephemeral port: filtered summaries agree with an
// independent analysis of the filtered input file, bad queries and hostile requests are refused,
// and concurrent requests agree.
#include "server/http_server.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/dashboard_fixture.h"
#include "support/order_csv.h"
#include "support/query_text.h"

namespace custlens {
namespace {

namespace fs = std::filesystem;
using testing::csv_field;
using testing::url_encode;

// Numbers agree to 1e-9 relative (the same sums in the same order should agree exactly; the
// tolerance only keeps the test about the analysis, not about the last bit).
void expect_json_near(const nlohmann::json& actual, const nlohmann::json& expected,
                      const std::string& where) {
  if (expected.is_number() && actual.is_number()) {
    const double a = actual.get<double>(), e = expected.get<double>();
    EXPECT_LE(std::abs(a - e), 1e-9 * std::max(1.0, std::abs(e)))
        << where << ": " << a << " vs " << e;
    return;
  }
  ASSERT_EQ(actual.type(), expected.type()) << where;
  if (expected.is_object()) {
    ASSERT_EQ(actual.size(), expected.size()) << where << ": " << actual.dump().substr(0, 200);
    for (const auto& [key, value] : expected.items()) {
      ASSERT_TRUE(actual.contains(key)) << where << "." << key;
      expect_json_near(actual[key], value, where + "." + key);
    }
  } else if (expected.is_array()) {
    ASSERT_EQ(actual.size(), expected.size()) << where;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      expect_json_near(actual[i], expected[i], fmt::format("{}[{}]", where, i));
    }
  } else {
    EXPECT_EQ(actual, expected) << where;
  }
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(served_, nullptr) << "the suite's set-up failed"; }

  // One generated data set, its full analysis by the CLI, and one server for the whole suite.
  static void SetUpTestSuite() {
    suite_dir_ = fs::temp_directory_path() / fmt::format("custlens_http_{}", ::getpid());
    fs::create_directories(suite_dir_);
    orders_ = (suite_dir_ / "orders.csv").string();
    const std::string gen =
        fmt::format("'{}' gen orders --rows 4000 --customers 300 --seed 7 -o '{}' >/dev/null 2>&1",
                    CUSTLENS_BIN, orders_);
    ASSERT_EQ(std::system(gen.c_str()), 0);
    full_ = analyze(orders_, "", "full");
    ASSERT_TRUE(full_.is_object());
    records_ = testing::parse_csv(testing::read_file(orders_));
    for (const auto& row :
         testing::parse_csv(testing::read_file((suite_dir_ / "full" / "customers.csv").string()))) {
      if (row.size() > 10) segment_of_[row[0]] = row[10];
    }
    served_ = new testing::ServedDashboard(testing::load_dashboard_data(orders_));
  }
  static void TearDownTestSuite() {
    delete served_;
    served_ = nullptr;
    fs::remove_all(suite_dir_);
  }

  // `custlens analyze` of `input` (with --as-of when given): its summary.json.
  static nlohmann::json analyze(const std::string& input, const std::string& as_of,
                                const std::string& name) {
    const fs::path out = suite_dir_ / name;
    const std::string command =
        fmt::format("'{}' analyze '{}' --out '{}' --quiet {} >/dev/null 2>&1", CUSTLENS_BIN, input,
                    out.string(), as_of.empty() ? "" : "--as-of " + as_of);
    if (std::system(command.c_str()) != 0) return nullptr;
    return nlohmann::json::parse(testing::read_file((out / "summary.json").string()));
  }

  // The input rows that `keep` accepts, written as a CSV with the input's header, analysed.
  template <typename Keep>
  static nlohmann::json analyze_rows(const std::string& name, const std::string& as_of, Keep keep) {
    std::string text;
    for (std::size_t r = 0; r < records_.size(); ++r) {
      if (r > 0 && !keep(records_[r])) continue;
      for (std::size_t f = 0; f < records_[r].size(); ++f) {
        text += (f ? "," : "") + csv_field(records_[r][f]);
      }
      text += '\n';
    }
    const fs::path file = suite_dir_ / (name + ".csv");
    std::ofstream(file, std::ios::binary) << text;
    return analyze(file.string(), as_of, name);
  }

  static nlohmann::json get_json(const std::string& target, int expected_status = 200) {
    httplib::Client client("127.0.0.1", served_->port());
    client.set_url_encode(false);
    auto res = client.Get(target);
    EXPECT_TRUE(res) << target;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, expected_status) << target << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
    return nlohmann::json::parse(res->body, nullptr, false);
  }

  // The API's view against the independent analysis: RFM and patterns equal, the audit the
  // full input's.
  static void expect_same_analysis(const nlohmann::json& api, const nlohmann::json& expected) {
    ASSERT_TRUE(api.is_object());
    ASSERT_TRUE(expected.is_object()) << "the independent analysis failed";
    expect_json_near(api["rfm"], expected["rfm"], "rfm");
    expect_json_near(api["patterns"], expected["patterns"], "patterns");
    EXPECT_EQ(api["audit"], full_["audit"]);
  }

  static std::string day_of_row(const std::vector<std::string>& row) {
    return row[4].substr(0, 10);
  }

  static inline fs::path suite_dir_;
  static inline std::string orders_;
  static inline nlohmann::json full_;
  static inline std::vector<std::vector<std::string>> records_;
  static inline std::map<std::string, std::string> segment_of_;
  static inline testing::ServedDashboard* served_ = nullptr;
};

TEST_F(HttpServerTest, UnfilteredSummaryIsTheFullAnalysis) {
  const nlohmann::json api = get_json("/api/summary");
  expect_same_analysis(api, full_);
  EXPECT_EQ(api["input"], full_["input"]);
  EXPECT_FALSE(api.contains("filter"));
}

TEST_F(HttpServerTest, CountryFilterEqualsTheAnalysisOfThatCountrysLines) {
  const std::string country = full_["patterns"]["countries"][1]["key"];
  const nlohmann::json api = get_json("/api/summary?country=" + url_encode(country));
  // The view keeps the full data's as-of day.
  const nlohmann::json expected =
      analyze_rows("country", full_["rfm"]["as_of"],
                   [&](const std::vector<std::string>& row) { return row[7] == country; });
  expect_same_analysis(api, expected);
  EXPECT_EQ(api["filter"], (nlohmann::json{{"country", country}}));
  EXPECT_EQ(api["patterns"]["countries"].size(), 1u);
}

TEST_F(HttpServerTest, DateFilterEqualsTheAnalysisOfThoseDaysWithAsOfAfterTo) {
  const nlohmann::json api = get_json("/api/summary?from=2011-03-01&to=2011-05-31");
  const nlohmann::json expected =
      analyze_rows("dates", "2011-06-01", [&](const std::vector<std::string>& row) {
        return day_of_row(row) >= "2011-03-01" && day_of_row(row) <= "2011-05-31";
      });
  expect_same_analysis(api, expected);
  EXPECT_EQ(api["rfm"]["as_of"], "2011-06-01");
  EXPECT_EQ(api["patterns"]["months"].size(), 3u);
}

TEST_F(HttpServerTest, TierFilterEqualsTheAnalysisOfThatTiersCustomers) {
  std::string tier;
  nlohmann::json members;
  for (const auto& segment : full_["rfm"]["segments"]) {
    if (segment["customers"].get<int>() >= 5) {
      tier = segment["name"];
      members = segment["customers"];
      break;
    }
  }
  ASSERT_FALSE(tier.empty());
  const nlohmann::json api = get_json("/api/summary?tier=" + url_encode(tier));
  const nlohmann::json expected =
      analyze_rows("tier", full_["rfm"]["as_of"], [&](const std::vector<std::string>& row) {
        auto found = segment_of_.find(row[6]);
        return found != segment_of_.end() && found->second == tier;
      });
  expect_same_analysis(api, expected);
  // Members are picked by the full period, then scored again among themselves.
  EXPECT_EQ(api["rfm"]["customers"], members);
}

TEST_F(HttpServerTest, CombinedFiltersEqualTheAnalysisOfTheirIntersection) {
  const std::string country = full_["patterns"]["countries"][0]["key"];
  const nlohmann::json api =
      get_json("/api/summary?country=" + url_encode(country) + "&from=2011-06-01&tier=");
  const nlohmann::json expected =
      analyze_rows("combined", full_["rfm"]["as_of"], [&](const std::vector<std::string>& row) {
        return row[7] == country && day_of_row(row) >= "2011-06-01";
      });
  expect_same_analysis(api, expected);
}

TEST_F(HttpServerTest, BadParametersAre400WithAJsonError) {
  for (const char* target :
       {"/api/summary?from=2011-13-01", "/api/summary?from=2011-02-30", "/api/summary?to=2011-1-5",
        "/api/summary?to=yesterday", "/api/summary?country=Atlantis", "/api/summary?tier=Gold",
        "/api/summary?colour=red", "/api/summary?country=France&country=Spain",
        "/api/summary?from=2011-06-01&to=2011-05-01", "/api/report?lang=fr", "/api/summary?lang=zh",
        "/api/summary?country=%FF%FE", "/api/summary?%FF=1"}) {
    const nlohmann::json body = get_json(target, 400);
    ASSERT_TRUE(body.is_object()) << target;
    EXPECT_TRUE(body["error"].is_string()) << target;
  }
  EXPECT_NE(get_json("/api/summary?tier=Gold", 400)["error"].get<std::string>().find("Champions"),
            std::string::npos);
}

TEST_F(HttpServerTest, AFilterThatLeavesNoLinesIs422) {
  const nlohmann::json body = get_json("/api/summary?from=2030-01-01", 422);
  EXPECT_EQ(body["error"], "no order lines match the filter");
  get_json("/api/report?to=2000-01-01", 422);
}

TEST_F(HttpServerTest, ReportIsTheModelOfTheView) {
  const nlohmann::json model = get_json("/api/report");
  EXPECT_EQ(model["lang"], "en");
  EXPECT_TRUE(model["sections"].is_array());
  EXPECT_EQ(get_json("/api/report?lang=zh&from=2011-06-01")["lang"], "zh");
}

TEST_F(HttpServerTest, PageIsHtmlWithTheModel) {
  httplib::Client client("127.0.0.1", served_->port());
  auto res = client.Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(res->body.find("<html"), std::string::npos);
  EXPECT_NE(res->body.find("\"sections\""), std::string::npos);
  EXPECT_NE(res->get_header_value("Content-Security-Policy").find("connect-src 'self'"),
            std::string::npos);
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY");
}

TEST_F(HttpServerTest, HealthzAnswers) {
  const nlohmann::json health = get_json("/healthz");
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["filters"], true);
  EXPECT_EQ(health["lines"], full_["audit"]["rows_kept"]);
}

TEST_F(HttpServerTest, PathsOutsideTheRoutesAre404) {
  httplib::Client client("127.0.0.1", served_->port());
  for (const char* target : {"/index.html", "/api", "/api/summary/", "/summary.json", "/orders.csv",
                             "/favicon.ico", "/healthz/x", "/API/SUMMARY"}) {
    auto res = client.Get(target);
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->status, 404) << target;
    EXPECT_TRUE(nlohmann::json::parse(res->body, nullptr, false).contains("error")) << target;
  }
  // Other methods are refused before any body would be read (one without a length lasts until
  // the client closes).
  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
    const std::string answer = testing::raw_request(
        served_->port(),
        fmt::format("{} /api/summary HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", method));
    EXPECT_EQ(testing::status_of(answer), 405) << method;
    EXPECT_NE(answer.find("Allow: GET, HEAD"), std::string::npos) << method;
  }
}

TEST_F(HttpServerTest, TraversalIsRefused) {
  for (const char* path :
       {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/api/..%2f..%2fetc/passwd",
        "/%2E%2E%2Fsummary.json", "/api/summary/..", "/..\\..\\windows\\win.ini",
        "/%252e%252e/etc/passwd", "/api%00/summary"}) {
    const std::string answer = testing::raw_request(
        served_->port(), fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path));
    const int status = testing::status_of(answer);
    EXPECT_TRUE(status == 400 || status == 404) << path << ": " << answer.substr(0, 80);
    EXPECT_EQ(answer.find("root:"), std::string::npos) << path;
  }
}

TEST_F(HttpServerTest, OversizeRequestsAreRefused) {
  const int port = served_->port();
  auto get = [&](const std::string& target, const std::string& headers) {
    return testing::status_of(testing::raw_request(
        port, fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\n{}\r\n", target, headers)));
  };
  // Past the dashboard's 2 KiB, and past the library's 8 KiB request line.
  EXPECT_EQ(get("/api/summary?country=" + std::string(3000, 'x'), ""), 414);
  EXPECT_EQ(get("/api/summary?country=" + std::string(20000, 'x'), ""), 414);
  // Many headers adding up past 16 KiB; one header line past the library's 8 KiB.
  std::string many;
  for (int i = 0; i < 10; ++i) many += fmt::format("X-Pad-{}: {}\r\n", i, std::string(2000, 'p'));
  EXPECT_EQ(get("/healthz", many), 431);
  EXPECT_EQ(get("/healthz", "X-Big: " + std::string(9000, 'b') + "\r\n"), 400);
  // No route takes a body: one is refused before it is read (none is sent here: the answer must
  // not wait for it), small or large.
  const std::string small = testing::raw_request(
      port,
      "POST /api/summary HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
      "Content-Length: 3\r\n\r\n");
  EXPECT_EQ(testing::status_of(small), 413);
  const std::string post = testing::raw_request(
      port,
      "POST /api/summary HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
      "Content-Length: 1048576\r\n\r\n");
  EXPECT_EQ(testing::status_of(post), 413);
  // A chunked body has no length to check before reading it.
  const std::string chunked = testing::raw_request(
      port, "POST /api/summary HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
  EXPECT_EQ(testing::status_of(chunked), 411);
  // The server still answers.
  EXPECT_EQ(get("/healthz", ""), 200);
}

TEST_F(HttpServerTest, ForeignHostHeadersAreRefused) {
  const int port = served_->port();
  auto with_host = [&](const std::string& host) {
    return testing::status_of(testing::raw_request(
        port, fmt::format("GET /api/summary HTTP/1.1\r\nHost: {}\r\n\r\n", host)));
  };
  EXPECT_EQ(with_host("attacker.example"), 403);
  EXPECT_EQ(with_host("attacker.example:" + std::to_string(port)), 403);
  EXPECT_EQ(with_host("localhost:" + std::to_string(port)), 200);
  EXPECT_EQ(with_host("127.0.0.1:" + std::to_string(port)), 200);
  EXPECT_EQ(with_host("[::1]:" + std::to_string(port)), 200);
}

TEST_F(HttpServerTest, ExactlyOneHostHeaderIsRequired) {
  const int port = served_->port();
  auto status = [&](const std::string& head) {
    return testing::status_of(testing::raw_request(port, head + "\r\n"));
  };
  // Two Host headers, the first local: a proxy might route by the second.
  EXPECT_EQ(status("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: attacker.example\r\n"), 400);
  EXPECT_EQ(status("GET /healthz HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n"), 400);
  EXPECT_EQ(status("GET /api/summary HTTP/1.1\r\nhost: 127.0.0.1\r\nHOST: [::1]\r\n"), 400);
  // HTTP/1.1 requires Host; HTTP/1.0 predates it.
  EXPECT_EQ(status("GET /healthz HTTP/1.1\r\n"), 400);
  EXPECT_EQ(status("GET /healthz HTTP/1.1\r\nAccept: */*\r\n"), 400);
  EXPECT_EQ(status("GET /healthz HTTP/1.0\r\n"), 200);
  EXPECT_EQ(status("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"), 200);
  const std::string refused =
      testing::raw_request(port, "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  EXPECT_NE(refused.find("more than one Host header"), std::string::npos) << refused;
}

TEST_F(HttpServerTest, AHeadArrivingInPiecesIsServed) {
  const int sock = testing::connect_loopback(served_->port());
  ASSERT_GE(sock, 0);
  const std::string first = "GET /healthz HTTP/1.1\r\nHo";
  ASSERT_EQ(::send(sock, first.data(), first.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(first.size()));
  // Another client's full round trip: the server has seen the first piece alone by then.
  EXPECT_EQ(testing::status_of(testing::raw_request(
                served_->port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")),
            200);
  const std::string rest = "st: 127.0.0.1\r\n\r\n";
  ASSERT_EQ(::send(sock, rest.data(), rest.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(rest.size()));
  std::string answer;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::recv(sock, buffer, sizeof(buffer), 0)) > 0)
    answer.append(buffer, static_cast<std::size_t>(n));
  ::close(sock);
  EXPECT_EQ(testing::status_of(answer), 200) << answer.substr(0, 200);
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
}

// 50 clients that send their head a byte at a time hold no worker: another client is answered
// while they trickle, and each of them is closed (408) once the head deadline has passed. Bounded:
// the loop ends at the deadline plus a margin, whatever happens.
TEST_F(HttpServerTest, SlowClientsDoNotStarveOthersAndAreCutOffAtTheHeadDeadline) {
  using std::chrono::milliseconds;
  using Clock = std::chrono::steady_clock;
  server::ServerOptions options;
  options.threads = 2;  // far fewer workers than slow clients
  options.header_timeout = milliseconds(3000);
  const testing::ServedDashboard target(testing::load_dashboard_data(orders_), Lang::kEn, options);
  const int port = target.port();
  constexpr std::size_t kSlowClients = 50;
  std::vector<int> slow;
  std::vector<std::string> answers(kSlowClients);
  const auto opened = Clock::now();
  for (std::size_t i = 0; i < kSlowClients; ++i) {
    const int sock = testing::connect_loopback(port);
    ASSERT_GE(sock, 0);
    const std::string start = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    ::send(sock, start.data(), start.size(), MSG_NOSIGNAL);
    slow.push_back(sock);
  }
  // Answered at all while every slow client still holds its connection.
  EXPECT_EQ(testing::status_of(
                testing::raw_request(port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")),
            200);
  std::vector<pollfd> fds;
  for (const int sock : slow) fds.push_back({sock, POLLIN, 0});
  ASSERT_EQ(::poll(fds.data(), fds.size(), 0), 0) << "a slow client was closed before /healthz";

  // One byte per open slow client per round; each round waits up to 100 ms for the server to
  // answer one of them.
  const auto give_up = opened + options.header_timeout + milliseconds(5000);
  std::size_t open = kSlowClients;
  bool answered_while_trickling = false;
  while (open > 0 && Clock::now() < give_up) {
    for (auto& fd : fds) fd.revents = 0;
    if (::poll(fds.data(), fds.size(), 100) > 0) {
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        char buffer[1024];
        const ssize_t n = ::recv(fds[i].fd, buffer, sizeof(buffer), MSG_DONTWAIT);
        if (n > 0) {
          answers[i].append(buffer, static_cast<std::size_t>(n));
          continue;
        }
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
    for (const auto& fd : fds) {
      if (fd.fd >= 0) ::send(fd.fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    if (!answered_while_trickling && open == kSlowClients) {
      answered_while_trickling =
          testing::status_of(testing::raw_request(
              port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) == 200;
    }
  }
  for (const auto& fd : fds) {
    if (fd.fd >= 0) ::close(fd.fd);
  }
  EXPECT_TRUE(answered_while_trickling);
  EXPECT_EQ(open, 0u) << "slow clients still connected past the head deadline + 5 s";
  for (std::size_t i = 0; i < kSlowClients; ++i) {
    EXPECT_EQ(testing::status_of(answers[i]), 408) << i << ": " << answers[i].substr(0, 120);
  }
  // The server still answers afterwards.
  EXPECT_EQ(testing::status_of(
                testing::raw_request(port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")),
            200);
}

TEST_F(HttpServerTest, ConcurrentRequestsAgreeWithSequentialOnes) {
  const std::vector<std::string> targets = {
      "/api/summary?from=2011-02-01",
      "/api/summary?to=2011-08-31",
      "/api/summary?country=" + url_encode(full_["patterns"]["countries"][2]["key"]),
      "/api/summary",
      "/api/report?from=2011-04-01",
      "/api/summary?from=2011-04-01"};
  std::map<std::string, std::string> sequential;
  {
    httplib::Client client("127.0.0.1", served_->port());
    for (const auto& target : targets) sequential[target] = client.Get(target)->body;
  }
  std::vector<std::future<int>> workers;
  for (int w = 0; w < 8; ++w) {
    workers.push_back(std::async(std::launch::async, [&, w] {
      httplib::Client client("127.0.0.1", served_->port());
      int mismatches = 0;
      for (int i = 0; i < 12; ++i) {
        const std::string& target = targets[static_cast<std::size_t>(w + i) % targets.size()];
        auto res = client.Get(target);
        mismatches += !res || res->status != 200 || res->body != sequential[target];
      }
      return mismatches;
    }));
  }
  for (auto& worker : workers) EXPECT_EQ(worker.get(), 0);
  EXPECT_GT(get_json("/healthz")["cache"]["hits"].get<int>(), 0);
}

TEST(HttpServerOptionsTest, DefaultsBindLoopbackWithLimits) {
  const server::ServerOptions options;
  EXPECT_EQ(options.host, "127.0.0.1");
  EXPECT_TRUE(server::is_loopback_host(options.host));
  EXPECT_TRUE(server::is_loopback_host("localhost"));
  EXPECT_TRUE(server::is_loopback_host("::1"));
  EXPECT_FALSE(server::is_loopback_host("0.0.0.0"));
  EXPECT_FALSE(server::is_loopback_host("192.168.1.10"));
  EXPECT_LE(options.max_target_bytes, 8192u);
  // A head takes a browser milliseconds; a slow client is cut off within seconds.
  EXPECT_GT(options.header_timeout.count(), 0);
  EXPECT_LE(options.header_timeout, std::chrono::seconds(30));
  EXPECT_GE(options.max_waiting_connections, options.threads);
}

}  // namespace
}  // namespace custlens
