// Tests of src/report/sinks/: the registry names the five outputs, the sinks write only through
// io::OutputFiles staging (nothing under a final name before commit, nothing left after a failed
// run), summary.json is the one writer's output, and a hashed result holds no raw id.
#include "report/sinks/sink.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <sstream>

#include "analysis/order_lines_builder.h"
#include "custlens/error.h"
#include "custlens/profile.h"
#include "custlens/profile_table.h"
#include "report/hashed_ids.h"
#include "support/temp_dir.h"

namespace custlens::report {
namespace {

// Ids that must not survive --hash-ids; one is far above the others, so it is an outlier example.
const std::vector<std::string> kIds = {"KX-ALPHA-01", "KX-BETA-02", "KX-GAMMA-03", "KX-DELTA-04",
                                       "KX-EPS-05",   "KX-ZETA-06", "KX-ETA-07",   "KX-WHALE-99"};

Summary sample_summary() {
  testing::LinesBuilder builder;
  for (std::size_t i = 0; i < kIds.size(); ++i) {
    const double amount = kIds[i] == "KX-WHALE-99" ? 100000.0 : 10.0 + static_cast<double>(i);
    builder.add(kIds[i], "A" + std::to_string(i), "2011-01-03 10:00:00", amount)
        .add(kIds[i], "B" + std::to_string(i), "2011-02-10 11:00:00", amount / 2);
  }
  CleaningAudit audit;
  audit.rows_read = audit.rows_kept = static_cast<std::int64_t>(2 * kIds.size());
  audit.customers_kept = static_cast<std::int64_t>(kIds.size());
  // A line-scope example, as the scan records one, naming its customer.
  const std::vector<double> amounts = {1.0, 2.0, 3.0, 1000.0};
  OutlierField line = describe_field("amount", "line", amounts, {});
  line.examples.push_back({"orders.csv", 7, "KX-ALPHA-01", 1000.0});
  audit.outliers.fields.push_back(std::move(line));
  InputInfo input;
  input.files = {"orders.csv"};
  input.encoding = "UTF-8";
  Summary summary = build_summary(builder.lines(), audit, input, {}, {});
  summary.playbook = {{summary.rfm.segments.front().name,
                       {"Keep them close", "保持联系"},
                       {{"Call", "致电"}, {"Thank", "致谢"}},
                       {}}};
  return summary;
}

std::set<std::string> files_in(const std::filesystem::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    names.insert(entry.path().filename().string());
  }
  return names;
}

std::string sink_slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(SinkRegistryTest, ListsTheFiveOutputsInFolderOrder) {
  std::vector<std::string> names;
  for (const SinkSpec& sink : registered_sinks()) names.push_back(sink.name);
  EXPECT_EQ(names, (std::vector<std::string>{"rejects.csv", "customers.csv", "customers.xlsx",
                                             "summary.json", "report.html"}));
  EXPECT_NE(find_sink("rejects.csv").open_rejects, nullptr);
  EXPECT_EQ(find_sink("rejects.csv").write, nullptr);
  for (const char* name : {"customers.csv", "customers.xlsx", "summary.json", "report.html"}) {
    EXPECT_NE(find_sink(name).write, nullptr) << name;
    EXPECT_EQ(find_sink(name).open_rejects, nullptr) << name;
  }
}

TEST(SinkRegistryTest, UnknownNameIsAnErrorNamingTheOutputs) {
  try {
    find_sink("customers.parquet");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("customers.parquet"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("summary.json"), std::string::npos) << e.what();
  }
  testing::TempDir dir;
  io::OutputFiles outputs;
  const SinkContext context{outputs};
  EXPECT_THROW(open_reject_sink("summary.json", context, dir.path() / "x"), Error);
  const Summary summary = sample_summary();
  EXPECT_THROW(write_sink("rejects.csv", SinkResults(summary), context, dir.path() / "x"), Error);
}

TEST(SinkTest, FilesAppearOnlyAtCommitAndSummaryIsTheOneWriters) {
  testing::TempDir dir;
  const Summary summary = sample_summary();
  std::ostringstream notes;
  {
    io::OutputFiles outputs;
    const SinkContext context{outputs, Lang::kEn, &notes};
    const std::vector<std::string> written = write_sinks(SinkResults(summary), context, dir.path());
    EXPECT_EQ(written, (std::vector<std::string>{"customers.csv", "customers.xlsx", "summary.json",
                                                 "report.html"}));
    // Staged: only hidden temporary files until the commit.
    for (const std::string& name : files_in(dir.path())) {
      EXPECT_EQ(name.front(), '.') << name << " is under its final name before the commit";
    }
    outputs.commit();
  }
  EXPECT_EQ(files_in(dir.path()), (std::set<std::string>{"customers.csv", "customers.xlsx",
                                                         "summary.json", "report.html"}));
  EXPECT_EQ(sink_slurp(dir.path() / "summary.json"), summary_to_json(summary).dump(2) + "\n");
  EXPECT_EQ(notes.str(), "");
  const std::string customers = sink_slurp(dir.path() / "customers.csv");
  EXPECT_EQ(customers.substr(0, customers.find('\n')),
            "customer_id,recency_days,frequency,monetary,first_purchase,last_purchase,r_score,"
            "f_score,m_score,rfm_code,segment,tenure_days,avg_order_value");
  EXPECT_NE(sink_slurp(dir.path() / "report.html").find("<html"), std::string::npos);
}

TEST(SinkTest, ARunThatIsNotCommittedLeavesNothing) {
  testing::TempDir dir;
  const Summary summary = sample_summary();
  {
    io::OutputFiles outputs;
    const SinkContext context{outputs};
    auto rejects = open_reject_sink("rejects.csv", context, dir.path() / "rejects.csv");
    rejects->add(std::vector<Reject>{{"orders.csv", 3, "malformed", "2 fields", "a,b"}});
    rejects->close();
    write_sinks(SinkResults(summary), context, dir.path());
  }  // no commit: an error unwound the run
  EXPECT_TRUE(files_in(dir.path()).empty());
}

TEST(SinkTest, AFailingSinkRemovesTheFilesOfTheSinksBeforeIt) {
  testing::TempDir dir;
  Summary summary = sample_summary();
  summary.rfm.revenue = std::numeric_limits<double>::quiet_NaN();  // summary.json refuses it
  try {
    io::OutputFiles outputs;
    const SinkContext context{outputs};
    write_sinks(SinkResults(summary), context, dir.path());
    outputs.commit();
    FAIL() << "summary.json took a NaN";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("summary.json"), std::string::npos) << e.what();
  }
  // customers.csv and customers.xlsx were written before summary.json failed.
  EXPECT_TRUE(files_in(dir.path()).empty());
}

TEST(SinkTest, RejectsAreWrittenAsTheyComeWithCsvQuoting) {
  testing::TempDir dir;
  io::OutputFiles outputs;
  const SinkContext context{outputs};
  auto rejects = open_reject_sink("rejects.csv", context, dir.path() / "rejects.csv");
  rejects->add(std::vector<Reject>{{"a.csv", 2, "missing_customer", "", "x,,1"}});
  rejects->add(std::vector<Reject>{{"a.csv", 9, "malformed", "says \"3 fields\"", "p"}});
  rejects->close();
  outputs.commit();
  EXPECT_EQ(sink_slurp(dir.path() / "rejects.csv"),
            "file,line,rule,detail,content\n"
            "a.csv,2,missing_customer,,\"x,,1\"\n"
            "a.csv,9,malformed,\"says \"\"3 fields\"\"\",p\n");
}

TEST(SinkTest, CustomersByNameAtAPathOfTheCallersChoice) {
  testing::TempDir dir;
  const Summary summary = sample_summary();
  io::OutputFiles outputs;
  const SinkContext context{outputs};
  write_sink("customers.csv", SinkResults(summary), context, dir.path() / "mine.csv");
  outputs.commit();
  const std::string text = sink_slurp(dir.path() / "mine.csv");
  for (const std::string& id : kIds) EXPECT_NE(text.find(id), std::string::npos) << id;
}

TEST(SinkTest, HashedResultsHoldNoRawIdInAnyFile) {
  testing::TempDir dir;
  Summary summary = sample_summary();
  // The fixture must put ids where hashing has to reach them: the table and outlier examples.
  const std::string plain = summary_to_json(summary).dump();
  ASSERT_NE(plain.find("KX-WHALE-99"), std::string::npos) << "no customer outlier example";
  ASSERT_NE(plain.find("KX-ALPHA-01"), std::string::npos) << "no line outlier example";
  IdHasher hasher("pepper");
  hash_summary_ids(summary, hasher);
  {
    io::OutputFiles outputs;
    const SinkContext context{outputs};
    write_sinks(SinkResults(summary), context, dir.path());
    outputs.commit();
  }
  for (const std::string& name : {"customers.csv", "summary.json", "report.html"}) {
    const std::string text = sink_slurp(dir.path() / name);
    for (const std::string& id : kIds) {
      EXPECT_EQ(text.find(id), std::string::npos) << "'" << id << "' in " << name;
    }
  }
  EXPECT_NE(sink_slurp(dir.path() / "customers.csv").find(hasher.hash("KX-WHALE-99")),
            std::string::npos);
}

TEST(SinkTest, AProfileRunHasNoWorkbookAndItsOwnSummaryAndCustomers) {
  const std::string path = std::string(CUSTLENS_TEST_DATA) + "/profiles_zh.csv";
  const ReadOptions base;
  const std::vector<std::string> files = expand_inputs(std::vector<std::string>{path});
  const std::vector<std::string> header = read_header(files.front(), base);
  const ProfileRoleMap roles = detect_profile_roles(header);
  Dataset dataset = read_dataset(files, profile_read_options(header, roles, base));
  const std::string encoding = dataset.encoding;
  ProfileClean clean = clean_profiles(std::move(dataset), header, roles);
  ProfileOptions options;
  options.k_min = 2;
  options.k_max = 3;
  options.restarts = 2;  // small enough for a sanitizer build
  const ProfileResult result = analyze_profiles(clean.table, options);
  const ProfilePlaybook playbook = ProfilePlaybook::load(default_profile_playbook_path());
  ASSERT_GT(clean.table.size(), 0u);
  const std::string first_id = clean.table.customer_id.front();
  IdHasher hasher("pepper");
  hash_profile_ids(clean.table, hasher);
  const ProfileRun run{result, {files, encoding, &clean.table, &clean.audit, &clean.rejects},
                       playbook};

  testing::TempDir dir;
  {
    io::OutputFiles outputs;
    const SinkContext context{outputs, Lang::kZh};
    EXPECT_EQ(write_sinks(SinkResults(run), context, dir.path()),
              (std::vector<std::string>{"customers.csv", "summary.json", "report.html"}));
    EXPECT_THROW(write_sink("customers.xlsx", SinkResults(run), context, dir.path() / "c.xlsx"),
                 Error);
    outputs.commit();
  }
  EXPECT_EQ(files_in(dir.path()),
            (std::set<std::string>{"customers.csv", "summary.json", "report.html"}));
  EXPECT_EQ(sink_slurp(dir.path() / "summary.json"), profile_summary_json(run).dump(2) + "\n");
  EXPECT_FALSE(profile_summary_json(run).contains("filter"));
  const std::string customers = sink_slurp(dir.path() / "customers.csv");
  EXPECT_EQ(customers.substr(0, customers.find('\n')),
            "customer_id,recency,frequency,monetary,r_score,f_score,m_score,rfm_code,segment,"
            "profile_tier,cluster,pc1,pc2");
  EXPECT_NE(customers.find("\n" + hasher.hash(first_id) + ","), std::string::npos);
  EXPECT_EQ(customers.find("\n" + first_id + ","), std::string::npos);

  ProfileRun view = run;
  view.filter = ProfileSummaryFilter{std::nullopt, "Books", "core"};
  EXPECT_EQ(profile_summary_json(view)["filter"],
            (nlohmann::json{{"category", "Books"}, {"tier", "core"}}));
}

}  // namespace
}  // namespace custlens::report
