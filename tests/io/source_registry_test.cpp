// The registry of input sources: what is registered, how an input is recognised, --format, and
// each source naming itself on what it opened.
#include "io/source_registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

#include "custlens/error.h"
#include "support/pipe_feed.h"
#include "support/temp_dir.h"

namespace custlens::io {
namespace {

using testing::PipeFeed;

std::string registry_data_file(const std::string& name) {
  return std::string(CUSTLENS_TEST_DATA) + "/" + name;
}

std::string registry_slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A file of `bytes` in `dir`.
std::string write(const testing::TempDir& dir, const std::string& name, const std::string& bytes) {
  std::ofstream(dir.path() / name, std::ios::binary) << bytes;
  return (dir.path() / name).string();
}

const std::string kOrders =
    "InvoiceNo,InvoiceDate,CustomerID,Quantity,UnitPrice\n1,2011-01-01,a,1,2.5\n"
    "2,2011-01-02,b,3,1\n";

std::string message_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no custlens::Error";
  return {};
}

TEST(SourceRegistry, ListsCsvAndXlsxOnceEach) {
  const std::vector<std::string> names = source_names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end()) << "a name twice";
  EXPECT_NE(std::find(names.begin(), names.end(), "csv"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "xlsx"), names.end());
  EXPECT_EQ(names.size(), source_registry().size());
  // Every entry opens files or URLs (a database: url_prefixes and open_url, both or neither);
  // exactly one reads what nobody claims.
  std::size_t fallbacks = 0;
  for (const SourceSpec& spec : source_registry()) {
    SCOPED_TRACE(spec.name);
    EXPECT_NE(spec.open_file == nullptr, spec.open_url == nullptr);
    EXPECT_EQ(spec.open_url == nullptr, spec.url_prefixes.empty());
    EXPECT_FALSE(spec.description.empty());
    EXPECT_EQ(spec.open_stream == nullptr, !spec.stream_refusal.empty());
    if (spec.signature) EXPECT_GT(spec.signature_bytes, 0u);
    EXPECT_LE(spec.signature_bytes, signature_bytes());
    fallbacks += spec.fallback;
  }
  EXPECT_EQ(fallbacks, 1u);
  EXPECT_NE(find_source("csv").open_stream, nullptr);
  EXPECT_EQ(find_source("xlsx").open_stream, nullptr);  // a zip is read from its end
}

TEST(SourceRegistry, RecognisesByContentThenByNameThenFallsBackToCsv) {
  const std::string zip("PK\3\4\x14\0", 6);
  auto name_of = [](const std::string& path, std::string_view head, bool stream) {
    const SourceSpec* spec = recognise_source(path, head, stream);
    return spec ? spec->name : std::string("(none)");
  };
  EXPECT_EQ(name_of("orders.csv", zip, false), "xlsx");  // the signature wins over the name
  EXPECT_EQ(name_of("orders", zip, false), "xlsx");
  EXPECT_EQ(name_of("orders.xlsx", "Invoice,Customer\n", false), "xlsx");
  EXPECT_EQ(name_of("ORDERS.XLSM", "", false), "xlsx");  // names without regard to case
  EXPECT_EQ(name_of("orders.csv", "Invoice,Customer\n", false), "csv");
  EXPECT_EQ(name_of("orders.dat", "Invoice;Customer\n", false), "csv");
  EXPECT_EQ(name_of("orders", "", false), "csv");
  EXPECT_EQ(name_of("PK", "PK\3", false), "csv");  // a cut signature is no signature
  // A stream's name says nothing (/dev/fd/63, a FIFO): only its bytes count.
  EXPECT_EQ(name_of("fifo.xlsx", "Invoice,Customer\n", true), "csv");
  EXPECT_EQ(name_of("-", zip, true), "xlsx");
}

TEST(SourceRegistry, DatabaseUrlsAreClaimedByTheirPrefix) {
  auto name_of = [](std::string_view input) {
    const SourceSpec* spec = url_source(input);
    return spec ? spec->name : std::string("(none)");
  };
  EXPECT_EQ(name_of("postgresql://ann@db:5432/shop"), "postgresql");
  EXPECT_EQ(name_of("postgres://db/shop"), "postgresql");
  EXPECT_EQ(name_of("sqlite:orders.db"), "sqlite");
  EXPECT_EQ(name_of("orders.csv"), "(none)");
  EXPECT_EQ(name_of("-"), "(none)");
  // A URL is no file: it is never looked up on disk or globbed.
  const std::vector<std::string> inputs{"sqlite:no/such/*.db"};
  EXPECT_EQ(expand_inputs(inputs), inputs);
  // A database-only format cannot read a file, nor a file format a URL.
  ReadOptions options;
  options.format = "postgresql";
  EXPECT_EQ(message_of([&] { open_input(registry_data_file("orders_edge.csv"), options); }),
            registry_data_file("orders_edge.csv") +
                ": --format postgresql reads only URL inputs (postgresql:// or postgres://)");
  options.format = "csv";
  options.table = "orders";
  EXPECT_EQ(message_of([&] { open_input("sqlite:orders.db", options); }),
            "--format csv cannot read a sqlite input");
  options.format.clear();
  EXPECT_NE(message_of([&] { open_input(registry_data_file("orders_edge.csv"), options); })
                .find("--table and --query read a database input"),
            std::string::npos);
}

TEST(SourceRegistry, AnUnknownFormatNamesTheRegisteredOnes) {
  const std::string message = message_of([] { find_source("nope"); });
  EXPECT_TRUE(message.starts_with("--format 'nope' is not an input format; the formats are "))
      << message;
  for (const std::string& name : source_names()) {
    EXPECT_NE(message.find(name), std::string::npos) << message;
  }
  EXPECT_EQ(message.find('\n'), std::string::npos);
  ReadOptions options;
  options.format = "nope";
  EXPECT_EQ(message_of([&] { open_input(registry_data_file("orders_edge.csv"), options); }), message);
}

TEST(SourceRegistry, EachSourceNamesItselfOnWhatItOpened) {
  EXPECT_EQ(open_input(registry_data_file("orders_edge.csv"), {})->format(), "csv");
  EXPECT_EQ(open_input(registry_data_file("online_retail_sample.xlsx"), {})->format(), "xlsx");
  testing::TempDir folder;
  // A workbook under a CSV name is still a workbook, and the schema says so.
  const std::string disguised =
      write(folder, "workbook.csv", registry_slurp(registry_data_file("online_retail_sample.xlsx")));
  EXPECT_EQ(open_input(disguised, {})->format(), "xlsx");
  EXPECT_EQ(custlens::sniff_schema(disguised, {}).format, "xlsx");
  EXPECT_EQ(custlens::sniff_schema(registry_data_file("orders_edge.csv"), {}).format, "csv");
}

TEST(SourceRegistry, FormatForcesTheSource) {
  testing::TempDir folder;
  const std::string named_xlsx = write(folder, "orders.xlsx", kOrders);
  // By its name it is a workbook, which it is not.
  EXPECT_NE(message_of([&] { open_input(named_xlsx, {}); }).find("not an XLSX workbook"),
            std::string::npos);
  ReadOptions as_csv;
  as_csv.format = "csv";
  const std::unique_ptr<RowSource> source = open_input(named_xlsx, as_csv);
  EXPECT_EQ(source->format(), "csv");
  EXPECT_EQ(source->header(), (std::vector<std::string>{"InvoiceNo", "InvoiceDate", "CustomerID",
                                                        "Quantity", "UnitPrice"}));
  EXPECT_EQ(custlens::sniff_schema(named_xlsx, as_csv).format, "csv");
  const Dataset read = custlens::read_dataset(std::vector<std::string>{named_xlsx}, as_csv);
  EXPECT_EQ(read.rows_read, 2);
  EXPECT_EQ(read.table.num_rows(), 2u);
  // Forcing xlsx on a CSV file fails as the workbook reader does.
  ReadOptions as_xlsx;
  as_xlsx.format = "xlsx";
  const std::string named_csv = write(folder, "orders.csv", kOrders);
  EXPECT_NE(message_of([&] { open_input(named_csv, as_xlsx); }).find("not an XLSX workbook"),
            std::string::npos);
}

TEST(SourceRegistry, PipesTakeTheFormatToo) {
  ReadOptions as_csv;
  as_csv.format = "csv";
  {
    PipeFeed feed(kOrders);
    const std::unique_ptr<RowSource> source = open_input(feed.path(), as_csv);
    EXPECT_EQ(source->format(), "csv");
    EXPECT_EQ(source->header().size(), 5u);
  }
  {
    PipeFeed feed(kOrders);
    ReadOptions as_xlsx;
    as_xlsx.format = "xlsx";
    const std::string message = message_of([&] { open_input(feed.path(), as_xlsx); });
    EXPECT_EQ(message, feed.path() +
                           ": an XLSX workbook cannot be read from a pipe or standard input (a zip "
                           "is read from its end); save it to a file and give that path");
  }
  {
    // A kept pipe (its header read first) is handed out only with the options it was opened
    // with, --format included.
    PipeFeed feed(kOrders);
    EXPECT_EQ(custlens::read_header(feed.path(), {}).size(), 5u);
    const std::string message = message_of([&] { open_input(feed.path(), as_csv); });
    EXPECT_NE(message.find("--format"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace custlens::io
