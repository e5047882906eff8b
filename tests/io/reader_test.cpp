// Tests of src/io/reader.cpp: open_input's format dispatch, inputs that are pipes or standard
// input (expand_inputs, read_header then read_dataset on one opening), and read_dataset over a
// source the caller already opened.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "custlens/error.h"
#include "custlens/ingest.h"
#include "io/row_source.h"
#include "support/pipe_feed.h"

namespace custlens::io {
namespace {

namespace fs = std::filesystem;

std::string reader_data_file(const std::string& name) {
  return std::string(CUSTLENS_TEST_DATA) + "/" + name;
}

std::string reader_slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

using testing::PipeFeed;

void expect_same_data(const Dataset& a, const Dataset& b) {
  EXPECT_EQ(a.table.num_rows(), b.table.num_rows());
  EXPECT_EQ(a.table.num_columns(), b.table.num_columns());
  EXPECT_EQ(a.row_line, b.row_line);
  EXPECT_EQ(a.row_hash, b.row_hash);
  EXPECT_EQ(a.rows_read, b.rows_read);
  EXPECT_EQ(a.encoding, b.encoding);
  EXPECT_EQ(a.delimiter, b.delimiter);
  ASSERT_EQ(a.columns.size(), b.columns.size());
  for (std::size_t c = 0; c < a.columns.size(); ++c) {
    EXPECT_EQ(a.columns[c].name, b.columns[c].name);
    EXPECT_EQ(a.columns[c].type, b.columns[c].type) << a.columns[c].name;
    EXPECT_EQ(a.columns[c].date_format, b.columns[c].date_format) << a.columns[c].name;
  }
  ASSERT_EQ(a.rejects.size(), b.rejects.size());
  for (std::size_t i = 0; i < a.rejects.size(); ++i) {
    EXPECT_EQ(a.rejects[i].line, b.rejects[i].line);
    EXPECT_EQ(a.rejects[i].detail, b.rejects[i].detail);
    EXPECT_EQ(a.rejects[i].content, b.rejects[i].content);
  }
}

TEST(ReaderTest, PipesAreInputsNotErrors) {
  PipeFeed feed("a,b\n1,2\n");
  const std::vector<std::string> inputs{"-", feed.path()};
  EXPECT_EQ(expand_inputs(inputs), inputs);
  const std::vector<std::string> missing{"/no/such/file.csv"};
  EXPECT_THROW(expand_inputs(missing), Error);
  const std::vector<std::string> glob{reader_data_file("csv/*.utf8.csv")};
  EXPECT_EQ(expand_inputs(glob),
            (std::vector<std::string>{reader_data_file("csv/gbk_products.utf8.csv"),
                                      reader_data_file("csv/latin1_orders.utf8.csv")}));
}

// The read_header-then-read_dataset sequence of the commands opens a pipe once: the source
// opened for the header is kept and scanned by read_dataset, which sees every row.
TEST(ReaderTest, HeaderSchemaThenDatasetFromOnePipe) {
  for (const std::string name : {"orders_edge.csv", "csv/gbk_products.csv", "csv/latin1_orders.csv",
                                 "csv/quoted_multiline.csv"}) {
    const std::string file = reader_data_file(name);
    const std::vector<std::string> files{file};
    const Dataset expected = custlens::read_dataset(files, {});
    PipeFeed feed(reader_slurp(file));
    EXPECT_EQ(read_header(feed.path(), {}), read_header(file, {})) << name;
    const Schema schema = custlens::sniff_schema(feed.path(), {});
    EXPECT_EQ(schema.file, feed.path());
    EXPECT_EQ(schema.encoding, expected.encoding) << name;
    EXPECT_EQ(schema.columns.size(), expected.columns.size()) << name;
    const std::vector<std::string> piped{feed.path()};
    SCOPED_TRACE(name);
    expect_same_data(custlens::read_dataset(piped, {}), expected);
  }
}

TEST(ReaderTest, KeptPipeWithOtherOptionsIsAnError) {
  PipeFeed feed(reader_slurp(reader_data_file("csv/latin1_orders.csv")));
  read_header(feed.path(), {});
  ReadOptions other;
  other.encoding = "utf-8";
  try {
    open_input(feed.path(), other);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with(feed.path() + ": ")) << e.what();
    EXPECT_NE(std::string(e.what()).find("only once"), std::string::npos) << e.what();
  }
}

TEST(ReaderTest, ReadDatasetTakesTheSourceTheCallerOpened) {
  const std::vector<std::string> files{reader_data_file("orders_edge.csv"), reader_data_file("orders_edge.csv")};
  const Dataset expected = custlens::read_dataset(files, {});
  std::unique_ptr<RowSource> first = open_input(files.front(), {});
  EXPECT_FALSE(first->header().empty());
  expect_same_data(read_dataset(files, std::move(first), {}), expected);
  EXPECT_EQ(expected.files, files);
}

TEST(ReaderTest, OpenInputDispatchesOnFormat) {
  const std::unique_ptr<RowSource> xlsx = open_input(reader_data_file("online_retail_sample.xlsx"), {});
  EXPECT_FALSE(xlsx->header().empty());
  std::size_t rows = 0;
  std::size_t next = 0;
  xlsx->scan_ordered(
      [&](std::size_t, const RowBatch& batch) { rows += batch.num_rows() + batch.rejects.size(); },
      [&](std::size_t index, const RowBatch&) { EXPECT_EQ(index, next++); }, nullptr);
  EXPECT_GT(rows, 0u);
  EXPECT_EQ(static_cast<std::int64_t>(rows), xlsx->rows_read());
  PipeFeed feed(reader_slurp(reader_data_file("online_retail_sample.xlsx")));
  try {
    open_input(feed.path(), {});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_TRUE(message.starts_with(feed.path() + ": an XLSX workbook cannot be read from a pipe"))
        << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace custlens::io
