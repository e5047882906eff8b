// The PostgreSQL server of the tests: its URL, and a fresh database per test so that shards and
// tests running at once never see each other's tables (tests/support/postgres_server.sh).
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>

namespace custlens::testing {

/// The test server's URL: $CUSTLENS_TEST_POSTGRES, else the first line of the file
/// $CUSTLENS_TEST_POSTGRES_FILE (written by the ctest fixture), else "".
inline std::string postgres_server_url() {
  if (const char* url = std::getenv("CUSTLENS_TEST_POSTGRES"); url && *url) return url;
  if (const char* file = std::getenv("CUSTLENS_TEST_POSTGRES_FILE"); file && *file) {
    std::ifstream in(file);
    std::string url;
    if (std::getline(in, url)) return url;
  }
  return "";
}

/// True when the build asked for the server (CUSTLENS_POSTGRES_TESTS, `make test`): a missing
/// server is then a failure, not a skip.
inline bool postgres_server_required() {
  const char* required = std::getenv("CUSTLENS_TEST_POSTGRES_REQUIRED");
  return required && std::string(required) == "1";
}

/// Runs one statement as the server's superuser; "" when it worked, else the error.
inline std::string postgres_admin_run(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);  // "does not exist, skipping"
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK && PQresultStatus(result) != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(result);
    }
    PQclear(result);
  }
  PQfinish(conn);
  return error;
}

/// A new, empty database on the test server (named after the process and a counter) and its
/// URL.
inline std::string fresh_postgres_database(const std::string& server_url) {
  static std::atomic<int> counter{0};
  const std::string name =
      fmt::format("custlens_test_{}_{}", static_cast<unsigned>(::getpid()), ++counter);
  postgres_admin_run(server_url, fmt::format("DROP DATABASE IF EXISTS {}", name));
  const std::string created = postgres_admin_run(
      server_url, fmt::format("CREATE DATABASE {} TEMPLATE template0 STRATEGY FILE_COPY", name));
  if (!created.empty()) ADD_FAILURE() << "cannot create a test database: " << created;
  const std::size_t slash = server_url.rfind('/');
  return server_url.substr(0, slash + 1) + name;
}

/// Drops a database made by fresh_postgres_database when the test ends (its connections closed
/// by force), so that a server of one's own does not fill up.
class PostgresDatabaseDropper {
 public:
  PostgresDatabaseDropper(std::string server_url, std::string url)
      : server_url_(std::move(server_url)), name_(url.substr(url.rfind('/') + 1)) {}
  ~PostgresDatabaseDropper() {
    postgres_admin_run(server_url_, fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", name_));
  }
  PostgresDatabaseDropper(const PostgresDatabaseDropper&) = delete;
  PostgresDatabaseDropper& operator=(const PostgresDatabaseDropper&) = delete;

 private:
  std::string server_url_;
  std::string name_;
};

}  // namespace custlens::testing

/// Declares `url`, a fresh database on the test server (dropped when the test ends), or skips the
/// test (fails it under CUSTLENS_POSTGRES_TESTS) when there is no server.
#define CUSTLENS_POSTGRES_DATABASE(url)                                                        \
  const std::string url##_server = ::custlens::testing::postgres_server_url();                 \
  if (url##_server.empty()) {                                                                  \
    if (::custlens::testing::postgres_server_required()) {                                     \
      FAIL() << "no PostgreSQL test server: $CUSTLENS_TEST_POSTGRES_FILE has no URL (did the " \
                "ctest fixture postgres.StartServer fail?)";                                   \
    }                                                                                          \
    GTEST_SKIP() << "no PostgreSQL server: configure with -DCUSTLENS_POSTGRES_TESTS=ON (make " \
                    "test) or set CUSTLENS_TEST_POSTGRES=postgresql://...";                    \
  }                                                                                            \
  const std::string url = ::custlens::testing::fresh_postgres_database(url##_server);          \
  const ::custlens::testing::PostgresDatabaseDropper url##_dropper(url##_server, url)
