// Tests of src/io/csv.cpp: dialect, header, quoting, line numbers, rejects, encodings, errors,
// chunk boundaries of the streaming scan, pipes, and agreement with pandas (tests/reference/).
#include "io/csv.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "custlens/error.h"
#include "custlens/ingest.h"
#include "io/csv_dialect.h"
#include "io/encoding.h"
#include "support/pipe_feed.h"

namespace custlens::io {
namespace {

namespace fs = std::filesystem;

/// Everything a scan produced, in file order.
struct ReadResult {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::int64_t> lines;
  std::vector<std::uint64_t> hashes;
  std::vector<Reject> rejects;
  std::int64_t rows_read = 0;
  std::size_t batches = 0;
  std::string encoding;
  char delimiter = 0;
};

ReadResult read_csv(const std::string& path, const ReadOptions& options = {},
                    const CsvTuning& tuning = {}) {
  const std::unique_ptr<RowSource> source = open_csv(path, options, tuning);
  std::mutex mutex;
  std::vector<std::pair<std::size_t, ReadResult>> parts;
  source->scan(
      [&](std::size_t index, const RowBatch& batch) {
        ReadResult part;
        EXPECT_EQ(batch.num_columns, source->header().size());
        EXPECT_EQ(batch.fields.size(), batch.num_rows() * batch.num_columns);
        EXPECT_EQ(batch.hashes.size(), batch.num_rows());
        for (std::size_t r = 0; r < batch.num_rows(); ++r) {
          std::vector<std::string> row;
          for (std::size_t c = 0; c < batch.num_columns; ++c) row.emplace_back(batch.field(r, c));
          part.rows.push_back(std::move(row));
        }
        part.lines = batch.lines;
        part.hashes = batch.hashes;
        part.rejects = batch.rejects;
        const std::lock_guard lock(mutex);
        parts.emplace_back(index, std::move(part));
      },
      nullptr);
  std::sort(parts.begin(), parts.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  ReadResult result;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(parts[i].first, i) << "batch indices must be dense";
    auto& part = parts[i].second;
    result.rows.insert(result.rows.end(), part.rows.begin(), part.rows.end());
    result.lines.insert(result.lines.end(), part.lines.begin(), part.lines.end());
    result.hashes.insert(result.hashes.end(), part.hashes.begin(), part.hashes.end());
    result.rejects.insert(result.rejects.end(), part.rejects.begin(), part.rejects.end());
  }
  result.header = source->header();
  result.rows_read = source->rows_read();
  result.batches = parts.size();
  result.encoding = source->encoding();
  result.delimiter = source->delimiter();
  return result;
}

CsvTuning chunks_of(std::size_t bytes) {
  CsvTuning tuning;
  tuning.chunk_bytes = bytes;
  return tuning;
}

/// What scan_ordered produced, collected in `in_order` (which must see 0, 1, 2, ... after
/// `parallel` of the same batch).
ReadResult read_ordered(RowSource& source) {
  ReadResult result;
  std::mutex mutex;
  std::set<std::size_t> parallel_done;
  std::size_t expected_index = 0;
  source.scan_ordered(
      [&](std::size_t index, const RowBatch&) {
        const std::lock_guard lock(mutex);
        parallel_done.insert(index);
      },
      [&](std::size_t index, const RowBatch& batch) {
        EXPECT_EQ(index, expected_index++) << "in_order out of order";
        {
          const std::lock_guard lock(mutex);
          EXPECT_TRUE(parallel_done.contains(index)) << "in_order before parallel";
        }
        EXPECT_EQ(batch.fields.size(), batch.num_rows() * batch.num_columns);
        for (std::size_t r = 0; r < batch.num_rows(); ++r) {
          std::vector<std::string> row;
          for (std::size_t c = 0; c < batch.num_columns; ++c) row.emplace_back(batch.field(r, c));
          result.rows.push_back(std::move(row));
        }
        result.lines.insert(result.lines.end(), batch.lines.begin(), batch.lines.end());
        result.hashes.insert(result.hashes.end(), batch.hashes.begin(), batch.hashes.end());
        result.rejects.insert(result.rejects.end(), batch.rejects.begin(), batch.rejects.end());
        ++result.batches;
      },
      nullptr);
  result.header = source.header();
  result.rows_read = source.rows_read();
  result.encoding = source.encoding();
  result.delimiter = source.delimiter();
  return result;
}

using testing::PipeFeed;

/// Reads `path` through a pipe with scan_ordered.
ReadResult read_piped(const std::string& path, const ReadOptions& options = {},
                      const CsvTuning& tuning = {}) {
  PipeFeed feed = PipeFeed::of_file(path);
  const std::unique_ptr<RowSource> source = open_csv(feed.path(), options, tuning);
  return read_ordered(*source);
}

void expect_same_reading(const ReadResult& a, const ReadResult& b, const std::string& what) {
  EXPECT_EQ(a.header, b.header) << what;
  EXPECT_EQ(a.rows, b.rows) << what;
  EXPECT_EQ(a.lines, b.lines) << what;
  EXPECT_EQ(a.hashes, b.hashes) << what;
  EXPECT_EQ(a.rows_read, b.rows_read) << what;
  EXPECT_EQ(a.encoding, b.encoding) << what;
  EXPECT_EQ(a.delimiter, b.delimiter) << what;
  ASSERT_EQ(a.rejects.size(), b.rejects.size()) << what;
  for (std::size_t i = 0; i < a.rejects.size(); ++i) {
    EXPECT_EQ(a.rejects[i].line, b.rejects[i].line) << what;
    EXPECT_EQ(a.rejects[i].detail, b.rejects[i].detail) << what;
    EXPECT_EQ(a.rejects[i].content, b.rejects[i].content) << what;
  }
}

std::string data_file(const std::string& name) {
  return std::string(CUSTLENS_TEST_DATA) + "/" + name;
}

class CsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           (std::string("custlens_csv_") + info->name() + "_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, std::string_view content) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary).write(content.data(), std::streamsize(content.size()));
    return path.string();
  }

  fs::path dir_;
};

using Rows = std::vector<std::vector<std::string>>;

TEST_F(CsvTest, ReadsQuotedFieldsEmbeddedNewlinesAndCrlf) {
  const ReadResult result = read_csv(data_file("csv/quoted_multiline.csv"));
  EXPECT_EQ(result.header, (std::vector<std::string>{"id", "note", "amount", "note.1", "city"}));
  const Rows expected{{"1", "line one\nline two", "3.5", "plain", "Paris"},
                      {"2", "say \"hi\"", "4", "", "S\xC3\xA3o Paulo"},
                      {"3", "", "5", "x,y", ""},
                      {"4", "crlf\r\ninside\r\nthree", "6", "z", "M\xC3\xBCnchen"},
                      {"5", "ends with quote \"", "7", "\"starts", "K\xC3\xB6ln"},
                      {"6", "", "8", "", ""}};
  EXPECT_EQ(result.rows, expected);
  // Header line 1; row 1 spans 2-3; line 5 is blank; row 4 spans 7-9; the last has no newline.
  EXPECT_EQ(result.lines, (std::vector<std::int64_t>{2, 4, 6, 7, 10, 11}));
  EXPECT_TRUE(result.rejects.empty());
  EXPECT_EQ(result.rows_read, 6);
  EXPECT_EQ(result.encoding, "utf-8");
  EXPECT_EQ(result.delimiter, ',');
}

TEST_F(CsvTest, EveryChunkSizeAndThreadCountGivesTheSameRows) {
  const std::string path = data_file("csv/quoted_multiline.csv");
  const ReadResult whole = read_csv(path);
  for (std::size_t chunk = 1; chunk <= 64; ++chunk) {
    for (int threads : {1, 3}) {
      ReadOptions options;
      options.threads = threads;
      const ReadResult split = read_csv(path, options, chunks_of(chunk));
      EXPECT_EQ(split.rows, whole.rows) << "chunk " << chunk;
      EXPECT_EQ(split.lines, whole.lines) << "chunk " << chunk;
      EXPECT_EQ(split.hashes, whole.hashes) << "chunk " << chunk;
      EXPECT_EQ(split.rows_read, whole.rows_read);
    }
  }
  EXPECT_GT(read_csv(path, {}, chunks_of(8)).batches, 1u);
}

/// Writes rows as an RFC 4180 writer would: quotes where needed, "" for a quote.
std::string to_csv(const Rows& rows, const std::string& newline) {
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) out += ',';
      const std::string& field = row[c];
      if (field.find_first_of(",\"\r\n") == std::string::npos) {
        out += field;
        continue;
      }
      out += '"';
      for (char ch : field) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      out += '"';
    }
    out += newline;
  }
  return out;
}

TEST_F(CsvTest, RandomQuotedFilesRoundTripAtRandomChunkSizes) {
  std::mt19937 random(20240601);
  const std::string alphabet = "ab ,\"\n\rx1";  // pick 7 stands for a whole é
  for (int round = 0; round < 20; ++round) {
    Rows rows{{"k", "v", "w"}};
    std::vector<std::int64_t> lines;
    std::int64_t line = 2;
    for (int r = 0; r < 60; ++r) {
      std::vector<std::string> row{std::to_string(r)};
      for (int c = 0; c < 2; ++c) {
        std::string field;
        const int length = static_cast<int>(random() % 12);
        for (int i = 0; i < length; ++i) {
          const std::size_t pick = random() % 9;
          field += pick == 7 ? std::string("\xC3\xA9") : std::string(1, alphabet[pick]);
        }
        row.push_back(field);
      }
      lines.push_back(line);
      for (const auto& field : row) line += std::count(field.begin(), field.end(), '\n');
      line += 1;
      rows.push_back(row);
    }
    const std::string path = write("random.csv", to_csv(rows, round % 2 ? "\r\n" : "\n"));
    ReadOptions options;
    options.delimiter = ',';  // random fields may fool sniffing; splitting is under test here
    options.threads = 1 + round % 4;
    const ReadResult result = read_csv(path, options, chunks_of(1 + random() % 300));
    const Rows expected(rows.begin() + 1, rows.end());
    ASSERT_EQ(result.rows, expected) << "round " << round;
    EXPECT_EQ(result.lines, lines) << "round " << round;
  }
}

TEST_F(CsvTest, AgreesWithPandasOnEveryReferenceFile) {
  const fs::path golden_dir = fs::path(CUSTLENS_REFERENCE_DIR) / "golden" / "csv";
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(golden_dir)) {
    std::ifstream in(entry.path());
    const nlohmann::json golden = nlohmann::json::parse(in);
    const std::string path = (fs::path(CUSTLENS_REFERENCE_DIR).parent_path().parent_path() /
                              golden["file"].get<std::string>())
                                 .string();
    for (const CsvTuning& tuning : {CsvTuning{}, chunks_of(4096)}) {
      SCOPED_TRACE(path + " chunk " + std::to_string(tuning.chunk_bytes));
      const ReadResult result = read_csv(path, {}, tuning);
      ASSERT_EQ(result.rows.size(), golden["rows"].get<std::size_t>());
      EXPECT_TRUE(result.rejects.empty());
      ASSERT_EQ(result.header.size(), golden["columns"].size());
      for (std::size_t c = 0; c < result.header.size(); ++c) {
        const auto& column = golden["columns"][c];
        EXPECT_EQ(result.header[c], column["name"].get<std::string>());
        std::size_t bytes = 0;
        std::unordered_set<std::string> distinct;
        for (const auto& row : result.rows) {
          bytes += row[c].size();
          distinct.insert(row[c]);
        }
        EXPECT_EQ(bytes, column["bytes"].get<std::size_t>()) << result.header[c];
        EXPECT_EQ(distinct.size(), column["distinct"].get<std::size_t>()) << result.header[c];
        EXPECT_EQ(result.rows.front()[c], column["first"].get<std::string>());
        EXPECT_EQ(result.rows.back()[c], column["last"].get<std::string>());
      }
    }
    ++files;
  }
  EXPECT_EQ(files, 8u);
}

TEST_F(CsvTest, HeaderlessFileOfAKnownLayoutGetsItsNames) {
  const std::string path = data_file("taobao_user_behavior_sample.csv");
  EXPECT_EQ(open_csv(path, {})->layout(), "taobao_user_behavior");
  const ReadResult result = read_csv(path);
  EXPECT_EQ(result.header, (std::vector<std::string>{"user_id", "item_id", "category_id",
                                                     "behavior_type", "timestamp"}));
  ASSERT_EQ(result.rows.size(), 4321u);
  EXPECT_EQ(result.rows[0],
            (std::vector<std::string>{"1", "2268318", "2520377", "pv", "1511544070"}));
  EXPECT_EQ(result.lines.front(), 1);
  EXPECT_EQ(result.lines.back(), 4321);
}

TEST_F(CsvTest, HeaderlessFileOfNoKnownLayoutGetsNumberedColumns) {
  const auto read = [&](const std::string& name, std::string_view text, char delimiter = 0) {
    ReadOptions options;
    options.delimiter = delimiter;
    const std::string path = write(name, text);
    EXPECT_EQ(open_csv(path, options)->layout(), "") << name;
    return read_csv(path, options);
  };
  const std::vector<std::string> five{"column_1", "column_2", "column_3", "column_4", "column_5"};
  // Taobao-like, but "view" is no behaviour of the layout.
  EXPECT_EQ(read("events.csv", "1,2268318,2520377,view,1511544070\n").header, five);
  // CDNOW-like with a month 13, a negative count or a word for an id, in one of the first rows.
  EXPECT_EQ(read("month.txt", " 1 01 19970101 2 9.5\n 1 01 19971301 2 9.5\n").header, five);
  EXPECT_EQ(read("count.txt", " 1 01 19970101 -2 9.5\n 1 01 19970102 2 9.5\n").header, five);
  EXPECT_EQ(read("id.txt", " 1 01 19970101 2 9.5\n 1 x1 19970102 2 9.5\n").header, five);
  // Four or six fields.
  EXPECT_EQ(read("four.txt", " 1 01 19970101 2\n 1 01 19970102 3\n").header.size(), 4u);
  EXPECT_EQ(read("six.txt", " 1 01 19970101 2 9.5 x\n 1 01 19970102 3 9.5 y\n").header.size(), 6u);
  // A header row wins, whatever the rows below look like.
  const ReadResult named = read("named.txt", "a b c d e\n 1 01 19970101 2 9.5\n");
  EXPECT_EQ(named.header, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(named.rows.size(), 1u);
}

TEST_F(CsvTest, LayoutIsRecognisedFromTheRowsThatSplitAndTheRestAreRejected) {
  ReadOptions options;
  options.delimiter = kWhitespaceDelimiter;
  // Only the first rows are tested: a bad date further down is the typed reader's reject.
  std::string text = " 7 0001 19970101 1 2.50\n 7 0001 19970102 1\n";
  for (int i = 0; i < 30; ++i)
    text += fmt::format(" 7 {:04} 19970{}15 {} {}.99\n", i, i % 9 + 1, i, i);
  text += " 7 0031 19971301 1 1.00\n";
  const std::string path = write("cdnow.txt", text);
  EXPECT_EQ(open_csv(path, options)->layout(), "cdnow");
  const ReadResult result = read_csv(path, options);
  EXPECT_EQ(result.header,
            (std::vector<std::string>{"master_id", "customer_id", "date", "cds", "amount"}));
  EXPECT_EQ(result.rows.size(), 32u);
  EXPECT_EQ(result.rows.back()[2], "19971301");
  ASSERT_EQ(result.rejects.size(), 1u);
  EXPECT_EQ(result.rejects[0].line, 2);
  EXPECT_EQ(result.rejects[0].detail, "expected 5 fields, found 4");
}

TEST_F(CsvTest, HeaderNamesAreTrimmedNumberedAndDeduplicated) {
  const std::string path = write("names.csv", " Name ,Name,,\"Name\",Name.1, \t\nx,y,z,w,v,u\n");
  const ReadResult result = read_csv(path);
  EXPECT_EQ(result.header, (std::vector<std::string>{"Name", "Name.1", "column_3", "Name.2",
                                                     "Name.1.1", "column_6"}));
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.lines[0], 2);
}

TEST_F(CsvTest, AnyNumericHeaderFieldMeansNoHeader) {
  EXPECT_EQ(read_csv(write("a.csv", "id,-3.5e2\nx,y\n")).header,
            (std::vector<std::string>{"column_1", "column_2"}));
  EXPECT_EQ(read_csv(write("b.csv", "id,.5\nx,y\n")).rows.size(), 2u);
  // Dates, ids with letters and words like NaN are names.
  EXPECT_EQ(read_csv(write("c.csv", "2010-12-01,#1,NaN,1e\nx,y,z,w\n")).header,
            (std::vector<std::string>{"2010-12-01", "#1", "NaN", "1e"}));
}

TEST_F(CsvTest, SniffsTheDelimiter) {
  EXPECT_EQ(
      read_csv(write("semi.csv", "name;price;city\nA;1,5;Lyon\nB;2,25;Nice\nC;3;Pau\n")).delimiter,
      ';');
  EXPECT_EQ(read_csv(write("tab.tsv", "a\tb\tc\n\"x,1\"\ty\tz\nq,2\tr\ts\n")).delimiter, '\t');
  EXPECT_EQ(read_csv(write("pipe.csv", "a|b\n1|2\n3|4\n")).delimiter, '|');
  const ReadResult quoted = read_csv(write("q.csv", "a,b\n\"1;2;3\",x\n\"4;5\",y\n"));
  EXPECT_EQ(quoted.delimiter, ',');
  EXPECT_EQ(quoted.rows[0][0], "1;2;3");
  EXPECT_EQ(read_csv(write("one.csv", "single\nx\ny\n")).header,
            (std::vector<std::string>{"single"}));
}

TEST_F(CsvTest, SniffingIgnoresACutLastRow) {
  std::string text = "a;b;c\n";
  for (int i = 0; i < 200; ++i) text += "1;2;3\n";
  text += "x,y,z,w,v,u,t,s,r,q,p;1;2\n";
  CsvTuning tuning;
  tuning.sniff_bytes = text.size() - 10;  // the sample ends inside the comma-rich row
  EXPECT_EQ(read_csv(write("cut.csv", text), {}, tuning).delimiter, ';');
}

TEST_F(CsvTest, GivenDelimiterIsUsedEvenWhenWrong) {
  const std::string path = data_file("online_retail_invoices.csv");
  ReadOptions options;
  options.delimiter = ';';
  const ReadResult result = read_csv(path, options);
  EXPECT_EQ(result.header,
            (std::vector<std::string>{"InvoiceNo,InvoiceDate,CustomerID,TotalPrice"}));
  ASSERT_EQ(result.rows.size(), 18532u);
  EXPECT_EQ(result.rows[0][0], "536365,2010-12-01,17850,139.12");
  EXPECT_TRUE(result.rejects.empty());
  options.delimiter = '"';
  EXPECT_THROW(open_csv(path, options), Error);
}

TEST_F(CsvTest, WhitespaceAlignedRowsSplitAtRunsOfBlanks) {
  const std::string text =
      "  id  name     amount\r\n"     // 1: the header, leading blanks
      "   1  \"Ann Lee\"  2.5  \r\n"  // 2: a quoted field keeps its blank; trailing blanks
      "\r\n"                          // 3: blank
      "    \t  \r\n"                  // 4: only blanks: blank too
      "2\tBob\t\t10\r\n"              // 5: tabs
      "3 Cy 4 extra\r\n"              // 6: one field too many
      "    4  Dee  \r\n"              // 7: one too few
      "5 \"\" 6";                     // 8: an empty quoted field, no line break at the end
  const std::string path = write("aligned.txt", text);
  ReadOptions options;
  options.delimiter = kWhitespaceDelimiter;
  const ReadResult result = read_csv(path, options);
  EXPECT_EQ(result.delimiter, kWhitespaceDelimiter);
  EXPECT_EQ(result.header, (std::vector<std::string>{"id", "name", "amount"}));
  EXPECT_EQ(result.rows, (Rows{{"1", "Ann Lee", "2.5"}, {"2", "Bob", "10"}, {"5", "", "6"}}));
  EXPECT_EQ(result.lines, (std::vector<std::int64_t>{2, 5, 8}));
  ASSERT_EQ(result.rejects.size(), 2u);
  EXPECT_EQ(result.rejects[0].line, 6);
  EXPECT_EQ(result.rejects[0].detail, "expected 3 fields, found 4");
  EXPECT_EQ(result.rejects[0].content, "3 Cy 4 extra");
  EXPECT_EQ(result.rejects[1].line, 7);
  EXPECT_EQ(result.rejects[1].detail, "expected 3 fields, found 2");
  EXPECT_EQ(result.rejects[1].content, "    4  Dee  ");
  EXPECT_EQ(result.rows_read, 5);
  // Rows and hashes are the comma file's.
  const ReadResult commas = read_csv(write("commas.csv", "id,name,amount\n1,Ann Lee,2.5\n"));
  EXPECT_EQ(result.hashes.front(), commas.hashes.front());
  // Any chunk size, thread count or a pipe reads the same.
  for (std::size_t chunk = 1; chunk <= 40; ++chunk) {
    ReadOptions threaded = options;
    threaded.threads = static_cast<int>(chunk % 3);
    expect_same_reading(read_csv(path, threaded, chunks_of(chunk)), result,
                        "chunk " + std::to_string(chunk));
  }
  expect_same_reading(read_piped(path, options, chunks_of(7)), result, "pipe");
}

TEST_F(CsvTest, WhitespaceIsSniffedOnlyWhenNoCandidateSplitsTheRows) {
  EXPECT_EQ(
      read_csv(write("a.txt", "id date amount\n1  19970101   2.5\n22 19970102  10\n")).delimiter,
      kWhitespaceDelimiter);
  // Lists of names with blanks stay one column.
  const ReadResult names = read_csv(write("names.csv", "name\nJohn Smith\nMary Ann Lee\n"));
  EXPECT_EQ(names.delimiter, ',');
  EXPECT_EQ(names.rows, (Rows{{"John Smith"}, {"Mary Ann Lee"}}));
  const ReadResult headerless = read_csv(write("names.txt", "Ada Lovelace\nAlan Turing\n"));
  EXPECT_EQ(headerless.header, (std::vector<std::string>{"Ada Lovelace"}));
  // Comma rows with blanks inside fields stay commas.
  const ReadResult orders =
      read_csv(write("orders.csv",
                     "id,when,what\n1,2010-12-01 08:26:00,WHITE METAL LANTERN\n2,2010-12-01 "
                     "08:28:00,RED WOOLLY HOTTIE\n"));
  EXPECT_EQ(orders.delimiter, ',');
  EXPECT_EQ(orders.rows[0][2], "WHITE METAL LANTERN");
}

// CDNOW_sample.txt (whitespace-aligned, headerless, CRLF, dates as YYYYMMDD) holds the rows of
// cdnow_sample_transactions.csv, whose customer ids lost their leading zeros.
TEST_F(CsvTest, CdnowSampleReadsAsTheTransactionsCsv) {
  const std::string path = data_file("CDNOW_sample.txt");
  EXPECT_EQ(open_csv(path, {})->layout(), "cdnow");
  const ReadResult text = read_csv(path);
  EXPECT_EQ(text.delimiter, kWhitespaceDelimiter);
  EXPECT_EQ(text.header,
            (std::vector<std::string>{"master_id", "customer_id", "date", "cds", "amount"}));
  ASSERT_EQ(text.rows.size(), 6919u);
  EXPECT_TRUE(text.rejects.empty());
  EXPECT_EQ(text.lines.front(), 1);
  EXPECT_EQ(text.lines.back(), 6919);
  EXPECT_EQ(text.rows.front(),
            (std::vector<std::string>{"00004", "0001", "19970101", "2", "29.33"}));

  const ReadResult csv = read_csv(data_file("cdnow_sample_transactions.csv"));
  ASSERT_EQ(csv.header, (std::vector<std::string>{"customer_id", "date", "cds", "amount"}));
  const auto without_zeros = [](std::string_view id) {
    const std::size_t first = id.find_first_not_of('0');
    return std::string(first == std::string_view::npos ? "0" : id.substr(first));
  };
  const auto cents = [](const std::string& amount) {
    return std::llround(std::stod(amount) * 100);
  };
  using Transaction = std::tuple<std::string, std::string, std::int64_t>;
  std::multiset<Transaction> from_text;
  std::set<std::string> customers;
  for (const auto& row : text.rows) {
    from_text.emplace(without_zeros(row[1]), row[2], cents(row[4]));
    customers.insert(row[1]);
  }
  std::multiset<Transaction> from_csv;
  for (const auto& row : csv.rows) {
    std::string date = row[1];
    std::erase(date, '-');
    from_csv.emplace(row[0], date, cents(row[3]));
  }
  EXPECT_EQ(customers.size(), 2357u);
  EXPECT_EQ(from_text, from_csv);

  // Typed, with the date column known to be one: YYYYMMDD dates, integer ids.
  ReadOptions options;
  options.column_types = {{"date", ColumnType::kTimestamp}};
  const std::vector<std::string> files{path};
  const Dataset data = custlens::read_dataset(files, options);
  ASSERT_EQ(data.table.num_rows(), 6919u);
  EXPECT_TRUE(data.rejects.empty());
  ASSERT_EQ(data.columns.size(), 5u);
  EXPECT_EQ(data.columns[2].date_format, "%Y%m%d");
  EXPECT_EQ(data.columns[1].type, ColumnType::kInt64);
  const Column& dates = *data.table.find("date");
  EXPECT_EQ(dates.int_at(0), 852076800);  // 1997-01-01
}

TEST_F(CsvTest, RaggedRowsAreRejectedWithLineAndContent) {
  const std::string path = write("ragged.csv", "a,b,c\n1,2,3\n4,5\n\n6,7,8,9\n10,11,12");
  const ReadResult result = read_csv(path);
  EXPECT_EQ(result.rows, (Rows{{"1", "2", "3"}, {"10", "11", "12"}}));
  EXPECT_EQ(result.lines, (std::vector<std::int64_t>{2, 6}));
  ASSERT_EQ(result.rejects.size(), 2u);
  EXPECT_EQ(result.rejects[0].file, path);
  EXPECT_EQ(result.rejects[0].line, 3);
  EXPECT_EQ(result.rejects[0].rule, "malformed");
  EXPECT_EQ(result.rejects[0].detail, "expected 3 fields, found 2");
  EXPECT_EQ(result.rejects[0].content, "4,5");
  EXPECT_EQ(result.rejects[1].line, 5);
  EXPECT_EQ(result.rejects[1].detail, "expected 3 fields, found 4");
  EXPECT_EQ(result.rejects[1].content, "6,7,8,9");
  EXPECT_EQ(result.rows_read, 4);  // rejects count, the blank line does not
}

TEST_F(CsvTest, RejectContentIsCutTo300BytesOfValidUtf8) {
  std::string long_row = std::string(299, 'x') + "\xC3\xA9" + std::string(500, 'y');
  const ReadResult result = read_csv(write("long.csv", "a,b\n" + long_row + "\r\n"));
  ASSERT_EQ(result.rejects.size(), 1u);
  EXPECT_EQ(result.rejects[0].content, std::string(299, 'x'));
  EXPECT_EQ(result.rejects[0].detail, "expected 2 fields, found 1");
}

TEST_F(CsvTest, OpenQuoteAtEndOfFileIsOneReject) {
  const std::string path = write("open.csv", "a,b\n1,2\n3,\"never closed\n4,5\n6,7\n");
  for (std::size_t chunk : {std::size_t{4} << 20, std::size_t{3}}) {
    const ReadResult result = read_csv(path, {}, chunks_of(chunk));
    EXPECT_EQ(result.rows, (Rows{{"1", "2"}}));
    ASSERT_EQ(result.rejects.size(), 1u);
    EXPECT_EQ(result.rejects[0].line, 3);
    EXPECT_EQ(result.rejects[0].detail, "unterminated quoted field");
    EXPECT_EQ(result.rejects[0].content, "3,\"never closed\n4,5\n6,7\n");
    EXPECT_EQ(result.rows_read, 2);
  }
}

TEST_F(CsvTest, BlankLinesCrlfAndUnquotedWhitespace) {
  const std::string path =
      write("blank.csv", "\r\n\na,b\r\n\r\n  x , y\t\r\n\n\"q\",\"\r\"\r\nlast,row");
  const ReadResult result = read_csv(path);
  EXPECT_EQ(result.header, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(result.rows, (Rows{{"  x ", " y\t"}, {"q", "\r"}, {"last", "row"}}));
  EXPECT_EQ(result.lines, (std::vector<std::int64_t>{5, 7, 8}));
  EXPECT_EQ(result.rows_read, 3);
}

// Old Mac exports end lines with a bare CR: rows and physical lines (counted by CR) are found
// as for LF files, also around quoted CR, CRLF and LF, and at every chunk size.
TEST_F(CsvTest, CrOnlyFilesReadAsRowsWithLinesCountedByCr) {
  const std::string path = write(
      "mac.csv",
      "id;note;amount\r1;plain;3\r2;\"two\r\nlines\";4\r\r3;\"a\rb\";5\r4;short\r5;\"lf\nin\";6\r6;"
      "last;7");
  const ReadResult whole = read_csv(path);
  EXPECT_EQ(whole.header, (std::vector<std::string>{"id", "note", "amount"}));
  EXPECT_EQ(whole.delimiter, ';');
  EXPECT_EQ(whole.rows, (Rows{{"1", "plain", "3"},
                              {"2", "two\r\nlines", "4"},
                              {"3", "a\rb", "5"},
                              {"5", "lf\nin", "6"},
                              {"6", "last", "7"}}));
  // Header line 1; row 2 spans lines 3-4; line 5 is blank; row 3 spans 6-7.
  EXPECT_EQ(whole.lines, (std::vector<std::int64_t>{2, 3, 6, 9, 10}));
  ASSERT_EQ(whole.rejects.size(), 1u);
  EXPECT_EQ(whole.rejects[0].line, 8);
  EXPECT_EQ(whole.rejects[0].detail, "expected 3 fields, found 2");
  EXPECT_EQ(whole.rejects[0].content, "4;short");
  EXPECT_EQ(whole.rows_read, 6);
  for (std::size_t chunk = 1; chunk <= 48; ++chunk) {
    for (int threads : {1, 3}) {
      ReadOptions options;
      options.threads = threads;
      const ReadResult split = read_csv(path, options, chunks_of(chunk));
      EXPECT_EQ(split.rows, whole.rows) << "chunk " << chunk;
      EXPECT_EQ(split.lines, whole.lines) << "chunk " << chunk;
      EXPECT_EQ(split.hashes, whole.hashes) << "chunk " << chunk;
      ASSERT_EQ(split.rejects.size(), 1u) << "chunk " << chunk;
      EXPECT_EQ(split.rejects[0].line, 8) << "chunk " << chunk;
    }
  }
}

// A header row longer than the 64 KB sniffing sample: the line break and delimiter are sniffed
// past its end.
TEST_F(CsvTest, CrOnlyFileWithAHeaderLongerThanTheSample) {
  std::string header, row;
  for (int i = 1; i <= 20000; ++i) {
    header += (i > 1 ? ";" : "") + ("column_" + std::to_string(i));
    row += (i > 1 ? ";" : "") + std::to_string(i % 7);
  }
  const ReadResult result = read_csv(write("wide_cr.csv", header + "\r" + row + "\r" + row));
  EXPECT_EQ(result.delimiter, ';');
  ASSERT_EQ(result.header.size(), 20000u);
  EXPECT_EQ(result.header.back(), "column_20000");
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[1][19999], "1");  // 20000 % 7
  EXPECT_EQ(result.lines, (std::vector<std::int64_t>{2, 3}));
}

TEST_F(CsvTest, CrOnlyLegacyEncodingsReadAsTheirUtf8Twins) {
  for (const std::string name : {"latin1_orders", "gbk_products"}) {
    std::ifstream in(data_file("csv/" + name + ".csv"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // LF or CRLF (gbk_products) becomes a bare CR; neither file has a line break inside quotes.
    std::erase(bytes, '\r');
    std::replace(bytes.begin(), bytes.end(), '\n', '\r');
    const std::string path = write(name + "_cr.csv", bytes);
    const ReadResult twin = read_csv(data_file("csv/" + name + ".utf8.csv"));
    for (std::size_t chunk : {std::size_t{4} << 20, std::size_t{7}}) {
      const ReadResult legacy = read_csv(path, {}, chunks_of(chunk));
      EXPECT_EQ(legacy.header, twin.header) << name;
      EXPECT_EQ(legacy.rows, twin.rows) << name;
      EXPECT_EQ(legacy.lines, twin.lines) << name;
      EXPECT_NE(legacy.encoding, "utf-8") << name;
    }
  }
}

TEST_F(CsvTest, Utf8BomIsStripped) {
  const ReadResult result = read_csv(write("bom.csv", "\xEF\xBB\xBFid,name\n1,x\n"));
  EXPECT_EQ(result.header, (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(result.encoding, "utf-8");
}

TEST_F(CsvTest, RowsWithInvalidUtf8AreRejectedTheRestRead) {
  std::string text = "id,name\n";
  for (int i = 0; i < 50; ++i) text += std::to_string(i) + ",\xE4\xB8\xAD\xE6\x96\x87\n";
  text += "50,bad \xFF\xFE here\n51,\xC3\xA9t\xC3\xA9\n";
  const std::string path = write("bad_utf8.csv", text);
  for (std::size_t chunk : {std::size_t{4} << 20, std::size_t{16}}) {
    const ReadResult result = read_csv(path, {}, chunks_of(chunk));
    EXPECT_EQ(result.encoding, "utf-8");
    ASSERT_EQ(result.rows.size(), 51u);
    EXPECT_EQ(result.rows.back(), (std::vector<std::string>{"51", "\xC3\xA9t\xC3\xA9"}));
    ASSERT_EQ(result.rejects.size(), 1u);
    EXPECT_EQ(result.rejects[0].line, 52);
    EXPECT_EQ(result.rejects[0].detail, "invalid UTF-8");
    EXPECT_EQ(result.rejects[0].content, "50,bad \xEF\xBF\xBD\xEF\xBF\xBD here");
    EXPECT_EQ(result.rows_read, 52);
  }
}

TEST_F(CsvTest, Latin1AndGbkFilesReadAsTheirUtf8Twins) {
  for (const std::string name : {"latin1_orders", "gbk_products"}) {
    const ReadResult legacy = read_csv(data_file("csv/" + name + ".csv"));
    const ReadResult twin = read_csv(data_file("csv/" + name + ".utf8.csv"));
    EXPECT_EQ(legacy.header, twin.header) << name;
    EXPECT_EQ(legacy.rows, twin.rows) << name;
    EXPECT_EQ(legacy.hashes, twin.hashes) << name;
    EXPECT_EQ(legacy.lines, twin.lines) << name;
    EXPECT_NE(legacy.encoding, "utf-8") << name;
  }
  const ReadResult gbk = read_csv(data_file("csv/gbk_products.csv"), {}, chunks_of(5));
  EXPECT_EQ(gbk.header[1], "\xE5\x95\x86\xE5\x93\x81\xE5\x90\x8D\xE7\xA7\xB0");  // 商品名称
  EXPECT_EQ(gbk.rows[5][1],
            "\xE5\xB0\x8F\xE7\xB1\xB3\xE7\x94\xB5\xE8\xA7\x86 55"
            "\xE8\x8B\xB1\xE5\xAF\xB8, 4K");  // 小米电视 55英寸, 4K
}

TEST_F(CsvTest, GivenEncodingOverridesDetection) {
  ReadOptions options;
  options.encoding = "latin-1";
  const ReadResult result = read_csv(data_file("csv/gbk_products.utf8.csv"), options);
  EXPECT_EQ(result.encoding, "iso-8859-1");
  EXPECT_EQ(result.rows[0][2], "VIVO");
  EXPECT_NE(result.rows[1][2], "\xE5\x85\xA8\xE5\x8F\x8B");  // 全友 read as mojibake
  options.encoding = "gbk";
  EXPECT_EQ(read_csv(data_file("csv/gbk_products.csv"), options).encoding, "gbk");
  options.encoding = "no-such-encoding";
  try {
    open_csv(data_file("csv/gbk_products.csv"), options);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with(data_file("csv/gbk_products.csv"))) << e.what();
  }
}

void expect_error(const std::string& path, const std::string& fragment) {
  try {
    open_csv(path, {});
    FAIL() << "expected an error for " << path;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_TRUE(message.starts_with(path)) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

TEST_F(CsvTest, UnusableFilesAreErrorsNamingThePath) {
  expect_error((dir_ / "missing.csv").string(), "cannot open");
  expect_error(dir_.string(), "is a directory");
  expect_error(write("empty.csv", ""), "file is empty");
  expect_error(write("blank.csv", "\n\r\n\n"), "no header");
  expect_error(write("bom_only.csv", "\xEF\xBB\xBF"), "no header");
  expect_error(write("open_header.csv", "\"a,b\nc,d\n"), "no header");
}

TEST_F(CsvTest, HeaderOnlyFileHasNoRows) {
  for (const std::string text : {"a,b,c\n", "a,b,c", "a,b,c\r\n\r\n"}) {
    const std::string path = write("header_only.csv", text);
    const std::unique_ptr<RowSource> source = open_csv(path, {});
    EXPECT_EQ(source->header(), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(source->sample(10).num_rows(), 0u);
    std::size_t rows = 0;
    source->scan([&](std::size_t, const RowBatch& batch) { rows += batch.num_rows(); }, nullptr);
    EXPECT_EQ(rows, 0u);
    EXPECT_EQ(source->rows_read(), 0);
  }
}

TEST_F(CsvTest, TenMegabyteFieldAcrossChunks) {
  std::string big;
  big.reserve(10 << 20);
  std::mt19937 random(7);
  const std::string pieces[] = {"lorem ", "ipsum,", "\"\"", "\n", "\xE4\xB8\xAD", "x"};
  std::int64_t newlines = 0;
  std::string unescaped;
  while (big.size() < (std::size_t{10} << 20)) {
    const std::string& piece = pieces[random() % 6];
    big += piece;
    unescaped += piece == "\"\"" ? "\"" : piece;
    newlines += piece == "\n";
  }
  const std::string path = write("big.csv", "id,text,n\n1,\"" + big + "\",x\n2,y,z\n");
  ReadOptions options;
  options.threads = 2;
  for (std::size_t chunk : {std::size_t{4} << 20, std::size_t{1} << 20}) {
    const ReadResult result = read_csv(path, options, chunks_of(chunk));
    ASSERT_EQ(result.rows.size(), 2u);
    EXPECT_TRUE(result.rows[0][1] == unescaped);
    EXPECT_EQ(result.rows[0][2], "x");
    EXPECT_EQ(result.rows[1], (std::vector<std::string>{"2", "y", "z"}));
    EXPECT_EQ(result.lines, (std::vector<std::int64_t>{2, 3 + newlines}));
    EXPECT_TRUE(result.rejects.empty());
  }
}

TEST_F(CsvTest, HashesFollowFieldContentsNotQuoting) {
  const std::string path = write("hash.csv", "a,b\nab,c\n\"ab\",\"c\"\na,bc\nab,c\nab,\n,abc\n");
  const ReadResult result = read_csv(path);
  ASSERT_EQ(result.hashes.size(), 6u);
  EXPECT_EQ(result.hashes[0], result.hashes[1]);
  EXPECT_EQ(result.hashes[0], result.hashes[3]);
  EXPECT_NE(result.hashes[0], result.hashes[2]);
  EXPECT_NE(result.hashes[4], result.hashes[5]);
  const std::vector<std::string_view> fields{"ab", "c"};
  EXPECT_EQ(result.hashes[0], hash_fields(fields));
  std::set<std::uint64_t> distinct(result.hashes.begin(), result.hashes.end());
  EXPECT_EQ(distinct.size(), 4u);
}

TEST_F(CsvTest, ProgressReachesTheTotal) {
  std::string text = "a,b\n";
  for (int i = 0; i < 5000; ++i) text += std::to_string(i) + ",value\n";
  const std::string path = write("progress.csv", text);
  const std::unique_ptr<RowSource> source = open_csv(path, {}, chunks_of(4096));
  std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
  source->scan([](std::size_t, const RowBatch&) {},
               [&](std::uint64_t done, std::uint64_t total) { calls.emplace_back(done, total); });
  ASSERT_GT(calls.size(), 1u);
  EXPECT_EQ(calls.back().first, text.size() - 4);
  EXPECT_EQ(calls.back().second, text.size() - 4);
  EXPECT_TRUE(std::is_sorted(calls.begin(), calls.end()));
  EXPECT_EQ(source->rows_read(), 5000);
}

TEST_F(CsvTest, SampleGivesTheFirstRowsWithLastingViews) {
  const std::string path = write("sample.csv", "a,b\n\"x\"\"1\",2\n3,4\n5,6\n");
  const std::unique_ptr<RowSource> source = open_csv(path, {});
  const RowBatch first = source->sample(2);
  const RowBatch all = source->sample(100);
  ASSERT_EQ(first.num_rows(), 2u);
  EXPECT_EQ(first.field(0, 0), "x\"1");  // unescaped, still valid after another sample()
  EXPECT_EQ(first.field(1, 1), "4");
  EXPECT_EQ(first.lines, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(all.num_rows(), 3u);
  EXPECT_EQ(source->rows_read(), 0);  // sampling is not scanning
}

TEST_F(CsvTest, SampleEstimatesTheRowCount) {
  std::string text = "id,name,amount\n";
  for (int i = 0; i < 50000; ++i) {
    text += std::to_string(i) + ",customer " + std::to_string(i % 97) + "," +
            std::to_string(i % 1000) + ".25\n";
  }
  const std::unique_ptr<RowSource> source = open_csv(write("many.csv", text), {});
  EXPECT_EQ(source->estimated_rows(), 0u);  // nothing seen yet
  source->sample(1000);
  EXPECT_NEAR(static_cast<double>(source->estimated_rows()), 50000.0, 5000.0);
}

TEST_F(CsvTest, LargeFileInParallelMatchesOneChunk) {
  std::string text = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice\n";
  std::mt19937 random(11);
  for (int i = 0; i < 40000; ++i) {
    text += "C53" + std::to_string(i) + ",SKU-" + std::to_string(random() % 900) +
            (random() % 5 == 0 ? ",\"MUG, \"\"BLUE\"\"\nLARGE\"," : ",PLAIN MUG,") +
            std::to_string(random() % 50) + ",2010-12-01 08:26," + std::to_string(random() % 9) +
            ".55\n";
    if (i % 997 == 0) text += "broken,row\n";
  }
  const std::string path = write("large.csv", text);
  ReadOptions one_thread;
  one_thread.threads = 1;
  const ReadResult whole = read_csv(path, one_thread, chunks_of(std::size_t{1} << 30));
  ReadOptions many;
  many.threads = 4;
  const ReadResult split = read_csv(path, many, chunks_of(16 << 10));
  EXPECT_EQ(whole.batches, 1u);
  EXPECT_GT(split.batches, 50u);
  EXPECT_EQ(split.rows, whole.rows);
  EXPECT_EQ(split.lines, whole.lines);
  EXPECT_EQ(split.hashes, whole.hashes);
  ASSERT_EQ(split.rejects.size(), whole.rejects.size());
  EXPECT_EQ(split.rejects.size(), 41u);
  for (std::size_t i = 0; i < split.rejects.size(); ++i) {
    EXPECT_EQ(split.rejects[i].line, whole.rejects[i].line);
  }
  EXPECT_EQ(split.rows_read, 40041);
}

}  // namespace
}  // namespace custlens::io

namespace custlens::io {
namespace {

// Files with quoted line breaks, CRLF, CR-only lines, a BOM, rejects, GBK and Latin-1 read the
// same from a pipe and at tiny chunk sizes as from the file in one default scan.
TEST_F(CsvTest, PipesAndTinyChunksReadLikeTheFile) {
  std::vector<std::string> paths{data_file("csv/quoted_multiline.csv"),
                                 data_file("csv/gbk_products.csv"),
                                 data_file("csv/latin1_orders.csv")};
  paths.push_back(
      write("crlf_rejects.csv",
            "\xEF\xBB\xBFid,note,n\r\n1,\"a\r\nb\",2\r\n\r\n2,short\r\n3,\"x\"\"y\",4\r\n"
            "4,bad \xFF,5\r\n5,\"open"));
  paths.push_back(write("cr_only.csv", "id;note\r1;\"two\rlines\"\r2;x;y\r3;\"\"\r\r4;z"));
  for (const std::string& path : paths) {
    const ReadResult file = read_csv(path);
    EXPECT_GT(file.rows.size() + file.rejects.size(), 2u) << path;
    expect_same_reading(read_piped(path), file, "pipe " + path);
    for (std::size_t chunk : {std::size_t{7}, std::size_t{64}}) {
      for (int threads : {1, 3}) {
        ReadOptions options;
        options.threads = threads;
        const std::string what = fmt::format("{} chunk {} threads {}", path, chunk, threads);
        const std::unique_ptr<RowSource> mapped = open_csv(path, options, chunks_of(chunk));
        expect_same_reading(read_ordered(*mapped), file, "file " + what);
        expect_same_reading(read_piped(path, options, chunks_of(chunk)), file, "pipe " + what);
      }
    }
  }
}

// The head a pipe was sniffed and sampled from is replayed: sample() first, then the scan still
// sees every row, also when the sample needed more than the head read at open.
TEST_F(CsvTest, PipeSampleThenScanSeesEveryRow) {
  std::string text = "id,name\n";
  for (int i = 0; i < 3000; ++i) text += fmt::format("{},name {}\n", i, i % 13);
  const std::string path = write("rows.csv", text);
  CsvTuning tuning = chunks_of(100);
  tuning.head_bytes = 256;  // the sample of 2000 rows reads far past it
  PipeFeed feed = PipeFeed::of_file(path);
  const std::unique_ptr<RowSource> source = open_csv(feed.path(), {}, tuning);
  EXPECT_EQ(source->header(), (std::vector<std::string>{"id", "name"}));
  const RowBatch sample = source->sample(2000);
  ASSERT_EQ(sample.num_rows(), 2000u);
  EXPECT_EQ(sample.field(1999, 0), "1999");
  const ReadResult result = read_ordered(*source);
  ASSERT_EQ(result.rows.size(), 3000u);
  EXPECT_EQ(result.rows[2999][0], "2999");
  EXPECT_EQ(result.lines.back(), 3001);
  EXPECT_EQ(sample.field(1999, 1), "name 10");  // sample views outlive the scan
  EXPECT_THROW(source->scan([](std::size_t, const RowBatch&) {}, nullptr), Error);
  // A header row longer than the head read at open: the head grows until it holds it.
  CsvTuning tiny = chunks_of(5);
  tiny.head_bytes = 8;
  tiny.sniff_bytes = 16;
  const std::string wide = write("wide.csv", std::string(100, 'h') + ";b\n1;2\n");
  PipeFeed wide_feed = PipeFeed::of_file(wide);
  const std::unique_ptr<RowSource> wide_source = open_csv(wide_feed.path(), {}, tiny);
  EXPECT_EQ(wide_source->header(), (std::vector<std::string>{std::string(100, 'h'), "b"}));
  EXPECT_EQ(read_ordered(*wide_source).rows, (Rows{{"1", "2"}}));
}

// A GBK file of many chunks decodes chunk by chunk to what whole-file decoding gives.
TEST_F(CsvTest, GbkDecodedPerChunkEqualsWholeFileDecoding) {
  std::ifstream in(data_file("csv/gbk_products.csv"), std::ios::binary);
  const std::string fixture((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t body = fixture.find('\n') + 1;
  std::string big = fixture;
  for (int copy = 0; copy < 400; ++copy) big += fixture.substr(body);
  big += "99,a,b,c,\x81\r\n";  // a lead byte before a line break: invalid, the break counts
  big += "100,x,y,z,1\r\n";
  const std::string gbk = write("big_gbk.csv", big);
  ASSERT_GT(big.size(), std::size_t{8} * 4096);
  ReadOptions options;
  options.encoding = "gbk";
  const std::string utf8 = write("big_utf8.csv", std::string(decode_to_utf8(big, "gbk").view()));
  ReadOptions as_utf8;
  as_utf8.encoding = "utf-8";
  ReadResult whole = read_csv(utf8, as_utf8);
  whole.encoding = "gbk";
  for (const std::size_t chunk : {std::size_t{4096}, std::size_t{4} << 20}) {
    expect_same_reading(read_csv(gbk, options, chunks_of(chunk)), whole, "file");
    expect_same_reading(read_piped(gbk, options, chunks_of(chunk)), whole, "pipe");
  }
  EXPECT_GT(read_csv(gbk, options, chunks_of(4096)).batches, 8u);
  ASSERT_FALSE(whole.rejects.empty());
  EXPECT_EQ(whole.rejects.back().detail, "invalid UTF-8");
  EXPECT_NE(read_csv(gbk, {}, chunks_of(4096)).encoding, "utf-8");  // detected from the head
}

// UTF-16 cannot be cut in its raw bytes: it is converted whole, from a file or a pipe.
TEST_F(CsvTest, Utf16IsReadWholeFromFileAndPipe) {
  std::string utf16 = "\xFF\xFE";
  for (const char16_t unit : std::u16string(u"id,name\n1,caf\u00e9\n2,\"a\nb\"\n")) {
    utf16 += static_cast<char>(unit & 0xFF);
    utf16 += static_cast<char>(unit >> 8);
  }
  const std::string path = write("utf16.csv", utf16);
  const ReadResult file = read_csv(path, {}, chunks_of(3));
  EXPECT_EQ(file.encoding, "utf-16le");
  EXPECT_EQ(file.rows, (Rows{{"1", "caf\xC3\xA9"}, {"2", "a\nb"}}));
  EXPECT_EQ(file.lines, (std::vector<std::int64_t>{2, 3}));
  expect_same_reading(read_piped(path, {}, chunks_of(3)), file, "pipe");
}

// Memory is bounded by the chunk size: however many chunks the input has, only a few batches
// (about two per thread) are between `parallel` and the end of `in_order` at once.
TEST_F(CsvTest, OnlyAFewBatchesAreAliveAtOnce) {
  std::string text = "id,name\n";
  for (int i = 0; i < 20000; ++i) text += fmt::format("{},name {}\n", i, i % 13);
  const std::string path = write("many.csv", text);
  for (int threads : {1, 2, 4}) {
    ReadOptions options;
    options.threads = threads;
    const std::unique_ptr<RowSource> source = open_csv(path, options, chunks_of(1024));
    std::atomic<int> alive{0};
    std::atomic<int> most{0};
    std::size_t batches = 0;
    source->scan_ordered(
        [&](std::size_t, const RowBatch&) {
          const int now = ++alive;
          for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
          }
        },
        [&](std::size_t, const RowBatch&) {
          --alive;
          ++batches;
        },
        nullptr);
    EXPECT_GT(batches, 100u);
    EXPECT_LE(most.load(),
              2 * std::min(threads, static_cast<int>(std::thread::hardware_concurrency())) + 1)
        << threads;
    EXPECT_EQ(source->rows_read(), 20000);
  }
}

TEST_F(CsvTest, EmptyPipeIsAnError) {
  const std::string path = write("empty.csv", "");
  PipeFeed feed = PipeFeed::of_file(path);
  try {
    open_csv(feed.path(), {});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), feed.path() + ": file is empty");
  }
}

}  // namespace
}  // namespace custlens::io
