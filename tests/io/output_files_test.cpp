// OutputFiles and OutputFile: staging, commit, rollback, errors naming the final file, and the
// interrupt handler removing what an interrupted run started.
#include "io/output_files.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "io/csv_writer.h"

namespace custlens::io {
namespace {

namespace fs = std::filesystem;

class OutputFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("custlens_outputs_{}_{}",
                       ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                       static_cast<unsigned>(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// The names in the folder, hidden ones included.
  std::set<std::string> names() const {
    std::set<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      found.insert(entry.path().filename().string());
    }
    return found;
  }
  static std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static void put(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
  }

  fs::path dir_;
};

TEST_F(OutputFilesTest, StagedFilesAppearUnderTheirNamesOnlyAtCommit) {
  OutputFiles outputs;
  const fs::path summary = outputs.stage(dir_ / "summary.json");
  const fs::path report = outputs.stage(dir_ / "report.html");
  EXPECT_EQ(summary.parent_path(), dir_);  // same folder: the rename is atomic
  EXPECT_EQ(summary.filename().string().rfind(".summary.json.", 0), 0u) << summary;
  EXPECT_NE(summary, report);
  put(summary, "{}\n");
  put(report, "<html>");
  EXPECT_EQ(names().count("summary.json"), 0u);
  EXPECT_EQ(output_name(summary), (dir_ / "summary.json").string());
  outputs.commit();
  EXPECT_EQ(names(), (std::set<std::string>{"report.html", "summary.json"}));
  EXPECT_EQ(slurp(dir_ / "summary.json"), "{}\n");
  EXPECT_EQ(slurp(dir_ / "report.html"), "<html>");
  EXPECT_EQ(output_name(summary), summary.string());  // no longer staged
}

TEST_F(OutputFilesTest, ACommitReplacesAnEarlierRunsFile) {
  put(dir_ / "customers.csv", "old\n");
  OutputFiles outputs;
  put(outputs.stage(dir_ / "customers.csv"), "new\n");
  EXPECT_EQ(slurp(dir_ / "customers.csv"), "old\n");
  outputs.commit();
  EXPECT_EQ(slurp(dir_ / "customers.csv"), "new\n");
  EXPECT_EQ(names(), std::set<std::string>{"customers.csv"});
}

TEST_F(OutputFilesTest, ARunThatFailsLeavesNothing) {
  try {
    OutputFiles outputs;
    put(outputs.stage(dir_ / "rejects.csv"), "file,line\n");
    OutputFile& customers = outputs.open(dir_ / "customers.csv");
    customers.write("customer_id\n");
    throw Error("the analysis failed");
  } catch (const Error&) {
  }
  EXPECT_EQ(names(), std::set<std::string>{});
}

TEST_F(OutputFilesTest, AFailedRenameRemovesTheFilesAlreadyRenamed) {
  OutputFiles outputs;
  put(outputs.stage(dir_ / "summary.json"), "{}\n");
  put(outputs.stage(dir_ / "report.html"), "<html>");
  fs::create_directory(dir_ / "report.html");  // appears while the run writes
  try {
    outputs.commit();
    FAIL() << "commit should fail";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              fmt::format("{}: cannot write: Is a directory", (dir_ / "report.html").string()));
  }
  EXPECT_EQ(names(), std::set<std::string>{"report.html"});  // the folder, nothing of the run
  EXPECT_TRUE(fs::is_directory(dir_ / "report.html"));
}

TEST_F(OutputFilesTest, AFolderOrAFileNamedTwiceCannotBeStaged) {
  OutputFiles outputs;
  fs::create_directory(dir_ / "report.html");
  EXPECT_THROW(outputs.stage(dir_ / "report.html"), Error);
  outputs.stage(dir_ / "customers.csv");
  try {
    outputs.stage(dir_ / "." / "customers.csv");
    FAIL() << "a second stage of one file should fail";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("named for two outputs"), std::string::npos) << e.what();
  }
  EXPECT_THROW(outputs.stage(dir_ / "missing" / "x.csv"), Error);
}

TEST_F(OutputFilesTest, ADeviceIsWrittenAsItIsAndAFullOneNamesItself) {
  OutputFiles outputs;
  EXPECT_EQ(outputs.stage("/dev/null"), fs::path("/dev/null"));
  OutputFile& full = outputs.open("/dev/full");
  full.write("customer_id\n");
  try {
    outputs.commit();
    FAIL() << "a write to /dev/full should fail";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "/dev/full: cannot write: No space left on device");
  }
  EXPECT_TRUE(fs::exists("/dev/null"));
  EXPECT_TRUE(fs::exists("/dev/full"));
}

TEST_F(OutputFilesTest, ASymbolicLinkKeepsNamingTheNewFile) {
  fs::create_directory(dir_ / "data");
  put(dir_ / "data" / "customers.csv", "old\n");
  fs::create_symlink(dir_ / "data" / "customers.csv", dir_ / "link.csv");
  OutputFiles outputs;
  const fs::path temp = outputs.stage(dir_ / "link.csv");
  EXPECT_EQ(temp.parent_path(), fs::canonical(dir_ / "data"));
  put(temp, "new\n");
  outputs.commit();
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.csv"));
  EXPECT_EQ(slurp(dir_ / "link.csv"), "new\n");
}

TEST_F(OutputFilesTest, ACsvWrittenAsAScanGoesIsCompleteAtCommit) {
  OutputFiles outputs;
  OutputFile& file = outputs.open(dir_ / "rejects.csv");
  CsvWriter rejects(file);
  std::string expected = "file,line,detail\n";
  rejects.field("file");
  rejects.field("line");
  rejects.field("detail");
  rejects.end_row();
  // More than the 1 MiB buffer, so some rows reach the file before the commit.
  for (std::int64_t line = 2; line < 40000; ++line) {
    rejects.field("orders.csv");
    rejects.field(line);
    rejects.field("quantity \"x\", not a number");
    rejects.end_row();
    expected += fmt::format("orders.csv,{},\"quantity \"\"x\"\", not a number\"\n", line);
  }
  rejects.close();  // borrowed: the set closes it
  EXPECT_TRUE(file.is_open());
  EXPECT_EQ(names().count("rejects.csv"), 0u);
  outputs.commit();  // `file` and `rejects` are done with
  EXPECT_EQ(slurp(dir_ / "rejects.csv"), expected);
  EXPECT_EQ(names(), std::set<std::string>{"rejects.csv"});
}

TEST_F(OutputFilesTest, AFileSizeLimitIsAWriteErrorNamingTheFinalFile) {
  // A file-size limit stands in for a full disk without root: writes past it fail with EFBIG.
  const fs::path customers = dir_ / "customers.csv";
  const auto write_past_the_limit = [&] {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    try {
      OutputFiles outputs;
      put(outputs.stage(dir_ / "summary.json"), "{}\n");
      CsvWriter writer(outputs.stage(customers));
      for (int row = 0; row < 100000; ++row) {
        writer.field(std::int64_t{row});
        writer.end_row();
      }
      writer.close();
      outputs.commit();
    } catch (const Error& e) {
      fmt::print(stderr, "{}\n", e.what());
      std::_Exit(1);
    }
    std::_Exit(0);
  };
  EXPECT_EXIT(write_past_the_limit(), ::testing::ExitedWithCode(1),
              fmt::format("^{}: cannot write: File too large\n$", customers.string()));
  EXPECT_EQ(names(), std::set<std::string>{});
}

TEST_F(OutputFilesTest, AnInterruptRemovesTheStagedFilesAndEndsBySignal) {
  for (int signal : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(signal);
    EXPECT_EXIT(
        {
          install_interrupt_cleanup();
          OutputFiles outputs;
          put(outputs.stage(dir_ / "summary.json"), "{}\n");
          OutputFile& customers = outputs.open(dir_ / "customers.csv");
          customers.write(std::string(3 << 20, 'x'));  // partly on the disk already
          std::raise(signal);
          std::_Exit(0);
        },
        ::testing::KilledBySignal(signal), "^custlens: error: interrupted\n$");
    EXPECT_EQ(names(), std::set<std::string>{});
  }
}

TEST_F(OutputFilesTest, AnInterruptAfterTheCommitKeepsTheOutputs) {
  EXPECT_EXIT(
      {
        install_interrupt_cleanup();
        {
          OutputFiles outputs;
          put(outputs.stage(dir_ / "summary.json"), "{}\n");
          outputs.commit();
        }
        OutputFiles later;
        put(later.stage(dir_ / "report.html"), "<html>");
        std::raise(SIGTERM);
        std::_Exit(0);
      },
      ::testing::KilledBySignal(SIGTERM), "interrupted");
  EXPECT_EQ(names(), std::set<std::string>{"summary.json"});
}

}  // namespace
}  // namespace custlens::io
