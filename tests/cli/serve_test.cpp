// `custlens serve` as a child process: the URL on stderr, loopback by default, SIGTERM and
// SIGINT stop it with exit code 0, an analyze folder with and without its input files.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_runner.h"
#include "support/query_text.h"

extern char** environ;

namespace custlens {
namespace {

// A running `custlens serve ...` whose stderr is read line by line; killed if still running
// when destroyed.
class ServeProcess {
 public:
  explicit ServeProcess(const std::vector<std::string>& arguments) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    std::vector<std::string> argv_text = {CUSTLENS_BIN, "serve"};
    argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (auto& text : argv_text) argv.push_back(text.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, CUSTLENS_BIN, &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    stderr_ = ::fdopen(pipe_fds[0], "r");
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stderr_) std::fclose(stderr_);
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  /// Reads stderr until the "dashboard at http://HOST:PORT/" line; returns PORT, or -1 if the
  /// process ended first. Everything read is kept in log().
  int wait_for_port() {
    char line[4096];
    while (stderr_ && std::fgets(line, sizeof(line), stderr_)) {
      log_ += line;
      const std::string text(line);
      const auto at = text.find("dashboard at http://");
      if (at == std::string::npos) continue;
      url_ = text.substr(at + 13, text.find(' ', at + 13) - at - 13);
      return std::stoi(text.substr(text.rfind(':', text.find("/ ")) + 1));
    }
    return -1;
  }
  /// Sends `signal` and waits; the exit code, or -1 when it did not exit normally.
  int stop_with(int signal) {
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  /// The rest of stderr (after the process ended).
  std::string rest_of_log() {
    char line[4096];
    while (stderr_ && std::fgets(line, sizeof(line), stderr_)) log_ += line;
    return log_;
  }
  const std::string& url() const { return url_; }
  const std::string& log() const { return log_; }

 private:
  pid_t pid_ = -1;
  std::FILE* stderr_ = nullptr;
  std::string log_, url_;
};

// True when /proc/net/tcp lists a socket listening on 127.0.0.1:port.
bool listens_on_loopback_only(int port) {
  std::ifstream table("/proc/net/tcp");
  std::string line;
  bool loopback = false, other = false;
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state;
    fields >> slot >> local >> remote >> state;
    if (state != "0A" || local.size() < 13) continue;  // 0A: LISTEN
    if (std::stoi(local.substr(9), nullptr, 16) != port) continue;
    (local.substr(0, 8) == "0100007F" ? loopback : other) = true;
  }
  return loopback && !other;
}

class ServeCommandTest : public testing::CliTest {
 protected:
  static std::string data(const std::string& name) {
    return std::string(CUSTLENS_TEST_DATA) + "/" + name;
  }
  static nlohmann::json get_json(int port, const std::string& target, int status) {
    httplib::Client client("127.0.0.1", port);
    client.set_url_encode(false);
    auto res = client.Get(target);
    EXPECT_TRUE(res) << target;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, status) << target << ": " << res->body;
    return nlohmann::json::parse(res->body, nullptr, false);
  }
};

TEST_F(ServeCommandTest, SigtermStopsItWithExitCodeZero) {
  ServeProcess serve({data("orders_edge.csv"), "--port", "0", "--quiet"});
  const int port = serve.wait_for_port();
  ASSERT_GT(port, 0) << serve.log();
  EXPECT_EQ(serve.url(), fmt::format("http://127.0.0.1:{}/", port));
  EXPECT_TRUE(listens_on_loopback_only(port));
  EXPECT_EQ(get_json(port, "/healthz", 200)["status"], "ok");
  const nlohmann::json france = get_json(port, "/api/summary?country=France", 200);
  EXPECT_EQ(france["filter"]["country"], "France");
  // The shipped playbook, one entry per tier of the default scheme, as analyze gives it.
  EXPECT_EQ(france["playbook"].size(), france["rfm"]["segments"].size());
  EXPECT_EQ(serve.stop_with(SIGTERM), 0) << serve.rest_of_log();
  EXPECT_NE(serve.rest_of_log().find("SIGTERM: stopping"), std::string::npos) << serve.log();
}

TEST_F(ServeCommandTest, SigintStopsItWithExitCodeZero) {
  ServeProcess serve({data("orders_edge.csv"), "--port", "0", "--quiet"});
  const int port = serve.wait_for_port();
  ASSERT_GT(port, 0) << serve.log();
  EXPECT_EQ(get_json(port, "/healthz", 200)["status"], "ok");
  EXPECT_EQ(serve.stop_with(SIGINT), 0) << serve.rest_of_log();
}

TEST_F(ServeCommandTest, AnalyzeFolderWithItsInputsServesFilters) {
  write("orders.csv", slurp(data("orders_edge.csv")));
  ASSERT_EQ(run(fmt::format("analyze '{}' --out '{}' --quiet", path("orders.csv"), path("out"))), 0)
      << err();
  const auto stored = nlohmann::json::parse(slurp(path("out/summary.json")));
  ServeProcess serve({path("out"), "--port", "0", "--quiet"});
  const int port = serve.wait_for_port();
  ASSERT_GT(port, 0) << serve.log();
  EXPECT_EQ(get_json(port, "/api/summary", 200), stored);
  EXPECT_EQ(get_json(port, "/healthz", 200)["filters"], true) << serve.log();
  const nlohmann::json view = get_json(port, "/api/summary?country=United%20Kingdom", 200);
  EXPECT_EQ(view["audit"], stored["audit"]);
  ASSERT_FALSE(stored["playbook"].empty());
  EXPECT_EQ(view["playbook"], stored["playbook"]);  // the tiers section keeps its playbook
  EXPECT_EQ(serve.stop_with(SIGTERM), 0);
}

TEST_F(ServeCommandTest, AnalyzeFolderKeepsItsOwnPlaybookAndInputInEveryView) {
  write("orders.csv", slurp(data("orders_edge.csv")));
  // A playbook that serve cannot find again: only summary.json records it.
  write("mine.toml",
        "[five.Champions]\npositioning = { en = \"Mine\", zh = \"我的\" }\n"
        "[[five.Champions.actions]]\nen = \"One\"\nzh = \"一\"\n"
        "[[five.Champions.actions]]\nen = \"Two\"\nzh = \"二\"\n");
  ASSERT_EQ(run(fmt::format("analyze '{}' --out '{}' --playbook '{}' --quiet", path("orders.csv"),
                            path("out"), path("mine.toml"))),
            0)
      << err();
  const auto stored = nlohmann::json::parse(slurp(path("out/summary.json")));
  ASSERT_EQ(stored["playbook"].size(), 1u);
  ServeProcess serve({path("out"), "--port", "0", "--quiet"});
  const int port = serve.wait_for_port();
  ASSERT_GT(port, 0) << serve.log();
  const nlohmann::json view = get_json(port, "/api/summary?country=France", 200);
  EXPECT_EQ(view["playbook"], stored["playbook"]);
  EXPECT_EQ(view["input"], stored["input"]);
  EXPECT_EQ(serve.stop_with(SIGTERM), 0);
}

TEST_F(ServeCommandTest, AnalyzeFolderWhoseInputNoLongerMatchesTurnsFiltersOff) {
  write("orders.csv", slurp(data("orders_edge.csv")));
  ASSERT_EQ(run(fmt::format("analyze '{}' --out '{}' --quiet", path("orders.csv"), path("out"))), 0)
      << err();
  // The views would report the input as read now: a summary.json that says otherwise is stale.
  auto stored = nlohmann::json::parse(slurp(path("out/summary.json")));
  stored["input"]["encoding"] = "windows-1252";
  write("out/summary.json", stored.dump(2));
  ServeProcess serve({path("out"), "--port", "0"});
  const int port = serve.wait_for_port();
  ASSERT_GT(port, 0) << serve.log();
  EXPECT_NE(serve.log().find("no longer give the input of summary.json"), std::string::npos)
      << serve.log();
  get_json(port, "/api/summary?country=France", 409);
  EXPECT_EQ(serve.stop_with(SIGTERM), 0);
}

TEST_F(ServeCommandTest, AnalyzeFolderWithoutItsInputsAnswers409ToFilters) {
  write("orders.csv", slurp(data("orders_edge.csv")));
  ASSERT_EQ(run(fmt::format("analyze '{}' --out '{}' --quiet", path("orders.csv"), path("out"))), 0)
      << err();
  std::filesystem::remove(path("orders.csv"));
  ServeProcess serve({path("out"), "--port", "0"});
  const int port = serve.wait_for_port();
  ASSERT_GT(port, 0) << serve.log();
  EXPECT_NE(serve.log().find("filters are off"), std::string::npos) << serve.log();
  get_json(port, "/api/summary", 200);
  const nlohmann::json refused = get_json(port, "/api/summary?country=United%20Kingdom", 409);
  EXPECT_NE(refused["error"].get<std::string>().find("orders.csv"), std::string::npos);
  EXPECT_EQ(serve.stop_with(SIGTERM), 0);
}

TEST_F(ServeCommandTest, AProfileTableGetsTheProfileDashboard) {
  // Chinese headers: the page and the tier labels default to Chinese.
  ServeProcess serve({data("profiles_zh.csv"), "--port", "0", "--quiet"});
  const int port = serve.wait_for_port();
  ASSERT_GT(port, 0) << serve.log();
  const nlohmann::json health = get_json(port, "/healthz", 200);
  EXPECT_EQ(health["kind"], "profiles");
  const nlohmann::json full = get_json(port, "/api/summary", 200);
  ASSERT_TRUE(full.contains("profile"));
  EXPECT_EQ(health["customers"], full["profile"]["input"]["rows_kept"]);
  EXPECT_EQ(full["profile"]["rfm"]["customers"], full["profile"]["input"]["rows_kept"]);
  const nlohmann::json urban = get_json(port, "/api/summary?region=Urban", 200);
  EXPECT_EQ(urban["filter"]["region"], "Urban");
  for (const auto& region : urban["profile"]["regions"]["regions"])
    EXPECT_EQ(region["region"], "Urban");
  EXPECT_FALSE(urban["profile"]["playbook"]["tiers"].empty());
  get_json(port, "/api/summary?country=Urban", 400);
  EXPECT_EQ(get_json(port, "/api/report", 200)["lang"], "zh");
  EXPECT_EQ(serve.stop_with(SIGTERM), 0) << serve.rest_of_log();
}

TEST_F(ServeCommandTest, ABehaviourLogGetsTheEventsDashboardWithItsOptions) {
  // The headerless Taobao layout, recognised by its content; Chinese local days.
  ServeProcess serve({data("taobao_user_behavior_sample.csv"), "--port", "0", "--quiet", "--tz",
                      "Asia/Shanghai", "--mode", "strict"});
  const int port = serve.wait_for_port();
  ASSERT_GT(port, 0) << serve.log();
  const nlohmann::json health = get_json(port, "/healthz", 200);
  EXPECT_EQ(health["kind"], "behavior_log");
  EXPECT_EQ(health["filters"], true);
  const nlohmann::json full = get_json(port, "/api/summary", 200);
  EXPECT_EQ(full["events"]["tz"], "Asia/Shanghai");
  EXPECT_EQ(full["events"]["funnel"]["mode"], "strict");
  // The same as `custlens events` with those options.
  ASSERT_EQ(run(fmt::format("events '{}' --tz Asia/Shanghai --mode strict --json --quiet",
                            data("taobao_user_behavior_sample.csv"))),
            0)
      << err();
  EXPECT_EQ(full["events"], nlohmann::json::parse(out()));
  const nlohmann::json view = get_json(port, "/api/summary?from=2017-11-27&to=2017-11-29", 200);
  EXPECT_EQ(view["filter"]["from"], "2017-11-27");
  EXPECT_EQ(view["events"]["days"].front()["day"], "2017-11-27");
  EXPECT_EQ(view["events"]["days"].back()["day"], "2017-11-29");
  EXPECT_EQ(view["events"]["audit"], full["events"]["audit"]);
  get_json(port, "/api/summary?category=none", 400);
  get_json(port, "/api/summary?from=2030-01-01", 422);
  EXPECT_EQ(get_json(port, "/api/report?category=4145813", 200)["lang"], "en");
  EXPECT_EQ(serve.stop_with(SIGTERM), 0) << serve.rest_of_log();
}

TEST_F(ServeCommandTest, ABehaviourLogFolderTakesItsOptionsFromSummaryJson) {
  // A headered Chinese log with text categories.
  write("log.csv", slurp(data("tianchi_behavior_zh.csv")));
  ASSERT_EQ(run(fmt::format("events '{}' --out '{}' --tz Asia/Shanghai --period week "
                            "--by new_returning --quiet",
                            path("log.csv"), path("out"))),
            0)
      << err();
  const auto stored = nlohmann::json::parse(slurp(path("out/summary.json")));
  EXPECT_EQ(stored["options"]["period"], "week");
  ServeProcess serve({path("out"), "--port", "0", "--quiet"});
  const int port = serve.wait_for_port();
  ASSERT_GT(port, 0) << serve.log();
  EXPECT_EQ(get_json(port, "/healthz", 200)["filters"], true) << serve.log();
  EXPECT_EQ(get_json(port, "/api/summary", 200), stored);
  const std::string category = stored["events"]["categories"][0]["key"];
  const nlohmann::json view =
      get_json(port, "/api/summary?category=" + testing::url_encode(category), 200);
  EXPECT_EQ(view["filter"]["category"], category);
  EXPECT_EQ(view["events"]["retention"]["period"], "week");
  EXPECT_EQ(view["events"]["funnel"]["breakdown"][0]["key"], "new");
  EXPECT_EQ(get_json(port, "/api/report", 200)["lang"], "zh");  // Chinese headers
  EXPECT_EQ(serve.stop_with(SIGTERM), 0);

  // Its log gone: the stored summary, filters off.
  std::filesystem::remove(path("log.csv"));
  ServeProcess without({path("out"), "--port", "0"});
  const int port2 = without.wait_for_port();
  ASSERT_GT(port2, 0) << without.log();
  EXPECT_NE(without.log().find("filters are off"), std::string::npos) << without.log();
  EXPECT_EQ(get_json(port2, "/api/summary", 200), stored);
  get_json(port2, "/api/summary?category=" + testing::url_encode(category), 409);
  EXPECT_EQ(without.stop_with(SIGTERM), 0);
  // The folder's options are its summary's: serve's own are refused.
  expect_one_line_error(run(fmt::format("serve '{}' --port 0 --tz UTC", path("out"))),
                        "takes --tz");
}

TEST_F(ServeCommandTest, AnOlderBehaviourFolderWithoutOptionsIsReadByItsEventsObject) {
  // The headerless Taobao layout; a summary.json written before `options` was recorded: the
  // options are read off its events object (time zone, funnel, breakdown, retention; --dedup
  // from the audit, which shows it only when there were duplicates: here none, so either way).
  write("log.csv", slurp(data("taobao_user_behavior_sample.csv")));
  ASSERT_EQ(run(fmt::format("events '{}' --out '{}' --tz Asia/Shanghai --by day --window 2h "
                            "--retention-event buy --dedup --quiet",
                            path("log.csv"), path("out"))),
            0)
      << err();
  auto stored = nlohmann::json::parse(slurp(path("out/summary.json")));
  stored.erase("options");
  write("out/summary.json", stored.dump(2));
  ServeProcess serve({path("out"), "--port", "0"});
  const int port = serve.wait_for_port();
  ASSERT_GT(port, 0) << serve.log();
  EXPECT_EQ(get_json(port, "/healthz", 200)["filters"], true) << serve.log();
  const nlohmann::json view = get_json(port, "/api/summary?to=2017-11-30", 200);
  EXPECT_EQ(view["events"]["funnel"]["window_seconds"], 7200);
  EXPECT_EQ(view["events"]["funnel"]["breakdown"].back()["key"], "2017-11-30");
  EXPECT_EQ(view["events"]["retention"]["event"], "buy");
  EXPECT_EQ(view["events"]["audit"], stored["events"]["audit"]);
  EXPECT_EQ(serve.stop_with(SIGTERM), 0);
}

TEST_F(ServeCommandTest, BadStartsAreOneLineErrors) {
  EXPECT_EQ(
      run(fmt::format("serve '{}' --port 0 --host 999.1.1.1 --quiet", data("orders_edge.csv"))), 1);
  EXPECT_NE(err().find("cannot listen on 999.1.1.1"), std::string::npos) << err();
  EXPECT_EQ(run(fmt::format("serve '{}' --port 0", dir_.string())), 1);
  EXPECT_NE(err().find("summary.json: not found"), std::string::npos) << err();
  // A profile analysis folder: serve the table instead.
  ASSERT_EQ(run(fmt::format("profile '{}' --out '{}' --k 3 --restarts 2", data("profiles_zh.csv"),
                            path("profile"))),
            0)
      << err();
  expect_one_line_error(run(fmt::format("serve '{}' --port 0", path("profile"))),
                        "the dashboard serves the table itself: custlens serve");
  // The joined view's tiers need --orders/--profiles, which serve does not take.
  expect_one_line_error(
      run(fmt::format("serve '{}' --port 0 --by tier", data("taobao_user_behavior_sample.csv"))),
      "the dashboard serves the log alone");
}

}  // namespace
}  // namespace custlens
