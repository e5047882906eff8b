// Tests of src/io/xlsx.cpp: open_xlsx on the Online Retail sample, on small fixtures made by
// tests/data/xlsx/make_fixtures.py, and on larger workbooks generated here with libzip.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <charconv>
#include <deque>
#include <filesystem>
#include <map>
#include <set>

#include "custlens/error.h"
#include "io/row_source.h"

namespace custlens::io {
namespace {

std::string fixture(std::string_view name) {
  return fmt::format("{}/xlsx/{}", CUSTLENS_TEST_DATA, name);
}

template <class Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

using Row = std::vector<std::string>;

struct Scanned {
  std::vector<std::string> header;
  std::vector<Row> rows;
  std::vector<std::int64_t> lines;
  std::vector<std::uint64_t> hashes;
  std::vector<Reject> rejects;
  std::vector<std::size_t> batch_indices;
  std::vector<std::size_t> batch_rows;
  std::int64_t rows_read = 0;
  std::uint64_t progress_done = 0;
  std::uint64_t progress_total = 0;
};

Scanned scan_all(const std::string& path, const ReadOptions& options = {}) {
  auto source = open_xlsx(path, options);
  Scanned out;
  out.header = source->header();
  source->scan(
      [&](std::size_t index, const RowBatch& batch) {
        out.batch_indices.push_back(index);
        out.batch_rows.push_back(batch.num_rows());
        EXPECT_EQ(batch.num_columns, out.header.size());
        EXPECT_EQ(batch.fields.size(), batch.num_rows() * batch.num_columns);
        EXPECT_EQ(batch.hashes.size(), batch.num_rows());
        for (std::size_t row = 0; row < batch.num_rows(); ++row) {
          Row fields;
          for (std::size_t col = 0; col < batch.num_columns; ++col) {
            fields.emplace_back(batch.field(row, col));
          }
          out.rows.push_back(std::move(fields));
        }
        out.lines.insert(out.lines.end(), batch.lines.begin(), batch.lines.end());
        out.hashes.insert(out.hashes.end(), batch.hashes.begin(), batch.hashes.end());
        out.rejects.insert(out.rejects.end(), batch.rejects.begin(), batch.rejects.end());
      },
      [&](std::uint64_t done, std::uint64_t total) {
        EXPECT_GE(done, out.progress_done);
        out.progress_done = done;
        out.progress_total = total;
      });
  out.rows_read = source->rows_read();
  return out;
}

std::vector<Row> rows_of(const RowBatch& batch) {
  std::vector<Row> rows;
  for (std::size_t row = 0; row < batch.num_rows(); ++row) {
    Row fields;
    for (std::size_t col = 0; col < batch.num_columns; ++col)
      fields.emplace_back(batch.field(row, col));
    rows.push_back(std::move(fields));
  }
  return rows;
}

// A workbook written here, for inputs too large or too odd for a committed fixture.
class GeneratedWorkbook {
 public:
  GeneratedWorkbook(std::string_view name, const std::string& sheet_data,
                    const std::string& shared_strings = "") {
    path_ = (std::filesystem::temp_directory_path() /
             fmt::format("custlens_xlsx_{}_{}.xlsx", name, ::getpid()))
                .string();
    int error = 0;
    zip_t* archive = zip_open(path_.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (!archive) throw Error("cannot create a test workbook");
    const char* main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const char* rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    add(archive, "xl/workbook.xml",
        fmt::format("<workbook xmlns=\"{}\" xmlns:r=\"{}\"><sheets><sheet name=\"Data\" "
                    "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
                    main_ns, rel_ns));
    add(archive, "xl/_rels/workbook.xml.rels",
        fmt::format("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                    "relationships\"><Relationship Id=\"rId1\" Type=\"{0}/worksheet\" "
                    "Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" "
                    "Type=\"{0}/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>",
                    rel_ns));
    add(archive, "xl/worksheets/sheet1.xml",
        fmt::format("<worksheet xmlns=\"{}\"><sheetData>{}</sheetData></worksheet>", main_ns,
                    sheet_data));
    if (!shared_strings.empty()) {
      add(archive, "xl/sharedStrings.xml",
          fmt::format("<sst xmlns=\"{}\">{}</sst>", main_ns, shared_strings));
    }
    if (zip_close(archive) != 0) throw Error("cannot write a test workbook");
  }
  ~GeneratedWorkbook() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  void add(zip_t* archive, const char* name, std::string content) {
    contents_.push_back(std::move(content));
    const std::string& data = contents_.back();
    zip_source_t* source = zip_source_buffer(archive, data.data(), data.size(), 0);
    if (!source || zip_file_add(archive, name, source, ZIP_FL_OVERWRITE) < 0) {
      throw Error("cannot add to a test workbook");
    }
  }
  std::string path_;
  std::deque<std::string> contents_;  // libzip reads the buffers at zip_close
};

std::string inline_cell(std::string_view ref, std::string_view text) {
  return fmt::format("<c r=\"{}\" t=\"inlineStr\"><is><t>{}</t></is></c>", ref, text);
}

// Expected values read independently with openpyxl 3.0.9 (load_workbook, iter_rows) from
// tests/data/online_retail_sample.xlsx; dates as openpyxl's datetimes, numbers as written.
TEST(XlsxReaderTest, OnlineRetailSample) {
  Scanned data = scan_all(fmt::format("{}/online_retail_sample.xlsx", CUSTLENS_TEST_DATA));
  EXPECT_EQ(data.header,
            (std::vector<std::string>{"InvoiceNo", "StockCode", "Description", "Quantity",
                                      "InvoiceDate", "UnitPrice", "CustomerID", "Country"}));
  ASSERT_EQ(data.rows.size(), 10000u);
  EXPECT_EQ(data.rows_read, 10000);
  EXPECT_TRUE(data.rejects.empty());
  EXPECT_EQ(data.lines.front(), 2);
  EXPECT_EQ(data.lines.back(), 10001);
  EXPECT_EQ(data.rows.front(), (Row{"INV-003863", "SKU-0035", "Product 34", "15",
                                    "2022-01-01 00:00:00", "4.02", "652", "USA"}));
  // Sheet row 5001. Numbers keep the digits the file stores: "94.95999999999999" is the double
  // that openpyxl shows as 94.96.
  EXPECT_EQ(data.rows[4999], (Row{"INV-002135", "SKU-0086", "Product 13", "10",
                                  "2022-07-02 00:00:00", "94.95999999999999", "124", "Spain"}));
  EXPECT_EQ(std::stod(data.rows[4999][5]), 94.96);
  EXPECT_EQ(data.rows.back(), (Row{"INV-004677", "SKU-0066", "Product 10", "4",
                                   "2022-12-31 00:00:00", "37.31", "896", "Switzerland"}));
  // openpyxl: sum of Quantity 100666, sum of UnitPrice 513476.73, 10000 distinct invoices,
  // 1000 customers, 938 USA lines, 811 lines in June 2022.
  std::int64_t quantity = 0;
  double price = 0;
  std::set<std::string> invoices, customers;
  int usa = 0, june = 0;
  for (std::size_t i = 0; i < data.rows.size(); ++i) {
    const Row& row = data.rows[i];
    ASSERT_EQ(row.size(), 8u);
    int q = 0;
    ASSERT_EQ(std::from_chars(row[3].data(), row[3].data() + row[3].size(), q).ec, std::errc());
    quantity += q;
    price += std::stod(row[5]);
    invoices.insert(row[0]);
    customers.insert(row[6]);
    usa += row[7] == "USA";
    june += row[4].starts_with("2022-06-");
    ASSERT_EQ(data.lines[i], static_cast<std::int64_t>(i) + 2);
  }
  EXPECT_EQ(quantity, 100666);
  EXPECT_NEAR(price, 513476.73, 1e-6);  // a sum of 10,000 two-decimal prices
  EXPECT_EQ(invoices.size(), 10000u);
  EXPECT_EQ(customers.size(), 1000u);
  EXPECT_EQ(usa, 938);
  EXPECT_EQ(june, 811);
  EXPECT_EQ(data.batch_indices, std::vector<std::size_t>{0});
  EXPECT_GT(data.progress_total, 0u);
  EXPECT_EQ(data.progress_done, data.progress_total);
}

TEST(XlsxReaderTest, SampleGivesTheFirstRows) {
  auto source = open_xlsx(fmt::format("{}/online_retail_sample.xlsx", CUSTLENS_TEST_DATA), {});
  RowBatch sample = source->sample(3);
  ASSERT_EQ(sample.num_rows(), 3u);
  EXPECT_EQ(sample.num_columns, 8u);
  EXPECT_EQ(sample.lines, (std::vector<std::int64_t>{2, 3, 4}));
  EXPECT_EQ(rows_of(sample)[1], (Row{"INV-000423", "SKU-0072", "Product 23", "4",
                                     "2022-01-01 00:00:00", "93.37", "835", "United Kingdom"}));
  RowBatch all = source->sample(1000000);
  EXPECT_EQ(all.num_rows(), 10000u);
  EXPECT_EQ(source->rows_read(), 0);  // sampling is no scan
}

// Expected values: openpyxl's reading (make_fixtures.py prints it), except where noted.
TEST(XlsxReaderTest, CellTypesMissingCellsAndBlankRows) {
  Scanned data = scan_all(fixture("cells.xlsx"));
  // Rows 1 and 2 are blank (row 2 has valueless cells): the header is row 3.
  EXPECT_EQ(data.header, (std::vector<std::string>{"Name", "Qty", "Paid", "When", "Note"}));
  EXPECT_EQ(data.lines, (std::vector<std::int64_t>{4, 5, 7, 8, 10, 11}));
  ASSERT_EQ(data.rows.size(), 6u);
  EXPECT_EQ(data.rows[0], (Row{"Ann", "3", "TRUE", "2022-01-01 12:00:00", "Hello world"}));
  EXPECT_EQ(data.rows[1], (Row{"Bob", "", "FALSE", "", ""}));
  // #DIV/0! is empty; 45000.99999 rounds to the second (openpyxl: 23:59:59.136); Excel decodes
  // "_x000D_" to CR (openpyxl 3.0 leaves it).
  EXPECT_EQ(data.rows[2], (Row{"Cléa 中文", "", "", "2023-03-15 23:59:59", "Line1\r\nLine2"}));
  // Cells without r attributes; a formula's cached string; number formats with a quoted "d" and
  // [brackets] are no dates; built-in format 22 is.
  EXPECT_EQ(data.rows[3], (Row{"Ann!", "2.5", "-1.25", "1900-03-01 00:00:00", "  padded "}));
  // Numbers keep their text (openpyxl: 0.001); [h]:mm:ss of 1.5 days is a date-time here
  // (openpyxl: timedelta(days=1.5)); t="d" cells lose their milliseconds.
  EXPECT_EQ(data.rows[4], (Row{"Ann", "1E-3", "", "1900-01-01 12:00:00", "2024-02-29 13:45:30"}));
  EXPECT_EQ(data.rows[5], (Row{"", "", "TRUE", "", ""}));
  ASSERT_EQ(data.rejects.size(), 1u);
  EXPECT_EQ(data.rejects[0].file, fixture("cells.xlsx"));
  EXPECT_EQ(data.rejects[0].line, 9);
  EXPECT_EQ(data.rejects[0].rule, "malformed");
  EXPECT_EQ(data.rejects[0].detail, "1 cells beyond the header");
  EXPECT_EQ(data.rejects[0].content, "Bob,,,,,,extra");
  EXPECT_EQ(data.rows_read, 7);
}

TEST(XlsxReaderTest, SampleCountsKeptRowsOnly) {
  auto source = open_xlsx(fixture("cells.xlsx"), {});
  RowBatch first = source->sample(2);
  EXPECT_EQ(first.lines, (std::vector<std::int64_t>{4, 5}));
  EXPECT_TRUE(first.rejects.empty());
  RowBatch four = source->sample(4);
  EXPECT_EQ(four.lines, (std::vector<std::int64_t>{4, 5, 7, 8}));
  EXPECT_TRUE(four.rejects.empty());
  RowBatch all = source->sample(100);
  EXPECT_EQ(all.lines, (std::vector<std::int64_t>{4, 5, 7, 8, 10, 11}));
  ASSERT_EQ(all.rejects.size(), 1u);
  EXPECT_EQ(all.rejects[0].line, 9);
  EXPECT_EQ(source->sample(0).num_rows(), 0u);
}

TEST(XlsxReaderTest, RichTextAndNamespacePrefixes) {
  Scanned data = scan_all(fixture("rich_text.xlsx"));
  EXPECT_EQ(data.header, (std::vector<std::string>{"Customer", "Comment"}));
  ASSERT_EQ(data.rows.size(), 2u);
  EXPECT_EQ(data.rows[0], (Row{"Alice", "Very good service"}));
  EXPECT_EQ(data.rows[1], (Row{"東京", "A & B <ok>"}));
}

TEST(XlsxReaderTest, Dates1900System) {
  Scanned data = scan_all(fixture("dates_1900.xlsx"));
  EXPECT_EQ(data.header, (std::vector<std::string>{"Event", "When", "Day", "Amount"}));
  ASSERT_EQ(data.rows.size(), 5u);
  EXPECT_EQ(data.rows[0], (Row{"first day", "1900-01-01 00:00:00", "1900-02-28 00:00:00", "1.5"}));
  EXPECT_EQ(data.rows[1],
            (Row{"after the fake leap day", "1900-03-01 06:00:00", "1900-03-01 00:00:00", "2"}));
  EXPECT_EQ(data.rows[2],
            (Row{"UCI first order", "2010-12-01 08:26:00", "2010-12-01 00:00:00", "15.3"}));
  EXPECT_EQ(data.rows[3],
            (Row{"UCI last order", "2011-12-09 12:50:42", "2011-12-09 00:00:00", "0.5"}));
  // openpyxl: 08:30:59.600000, rounded to the second.
  EXPECT_EQ(data.rows[4], (Row{"rounds up", "2020-05-17 08:31:00", "2024-02-29 00:00:00", "7"}));
}

TEST(XlsxReaderTest, Dates1904System) {
  Scanned data = scan_all(fixture("dates_1904.xlsx"));
  ASSERT_EQ(data.rows.size(), 4u);
  // Serial 0 (openpyxl: time(0, 0)) is the epoch itself.
  EXPECT_EQ(data.rows[0], (Row{"epoch", "1904-01-01 00:00:00", "1904-01-02 00:00:00", "1"}));
  EXPECT_EQ(data.rows[1],
            (Row{"UCI last order", "2011-12-09 12:50:42", "2011-12-09 00:00:00", "2"}));
  EXPECT_EQ(data.rows[2], (Row{"leap day", "2024-02-29 23:59:59", "2024-02-29 00:00:00", "3"}));
  EXPECT_EQ(data.rows[3], (Row{"rounds up", "2020-05-17 08:31:00", "2000-01-01 00:00:00", "4"}));
}

TEST(XlsxReaderTest, SecondSheetByName) {
  ReadOptions options;
  options.sheet = "Orders";
  Scanned data = scan_all(fixture("two_sheets.xlsx"), options);
  EXPECT_EQ(data.header, (std::vector<std::string>{"InvoiceNo", "Qty"}));
  EXPECT_EQ(data.rows, (std::vector<Row>{{"536365", "6"}, {"C536379", "-1"}, {"536366", "8"}}));
  EXPECT_EQ(data.lines, (std::vector<std::int64_t>{2, 3, 4}));

  Scanned first = scan_all(fixture("two_sheets.xlsx"));
  EXPECT_EQ(first.header, (std::vector<std::string>{"Metric", "Value"}));
  EXPECT_EQ(first.rows, (std::vector<Row>{{"customers", "2"}}));
}

TEST(XlsxReaderTest, UnknownOrEmptySheet) {
  std::string path = fixture("two_sheets.xlsx");
  ReadOptions options;
  options.sheet = "Customers";
  EXPECT_EQ(error_of([&] { open_xlsx(path, options); }),
            path + ": no sheet named 'Customers'; the sheets are 'Summary', 'Orders', 'Empty'");
  options.sheet = "Empty";
  EXPECT_EQ(error_of([&] { open_xlsx(path, options); }),
            path + ": sheet 'Empty' is empty: no header row");
}

TEST(XlsxReaderTest, FilesThatAreNoWorkbooks) {
  std::string missing = fixture("missing.xlsx");
  EXPECT_EQ(error_of([&] { open_xlsx(missing, {}); }), missing + ": cannot open: no such file");
  std::string csv = fixture("not_a_workbook.xlsx");
  EXPECT_EQ(error_of([&] { open_xlsx(csv, {}); }),
            csv + ": not an XLSX workbook; is it a CSV with an .xlsx name?");
  std::string truncated = fixture("truncated.xlsx");
  EXPECT_EQ(error_of([&] { open_xlsx(truncated, {}); }).rfind(truncated + ": damaged XLSX", 0), 0u);
  std::string no_workbook = fixture("no_workbook.xlsx");
  EXPECT_EQ(error_of([&] { open_xlsx(no_workbook, {}); }),
            no_workbook + ": a zip archive without xl/workbook.xml; not an XLSX workbook");
}

TEST(XlsxReaderTest, CorruptSheetXml) {
  // The header row parses; the error comes when the reader reaches row 2.
  std::string path = fixture("corrupt_xml.xlsx");
  std::string message = error_of([&] { scan_all(path); });
  EXPECT_EQ(message, path + ": corrupt XML in xl/worksheets/sheet1.xml at line 4: mismatched tag");
}

TEST(XlsxReaderTest, HashesCoverEveryFieldWithSeparators) {
  std::string rows = "<row>" + inline_cell("A1", "a") + inline_cell("B1", "b") + "</row>";
  auto add_row = [&](std::string_view a, std::string_view b) {
    rows += "<row><c t=\"inlineStr\"><is><t>" + std::string(a) +
            "</t></is></c><c t=\"inlineStr\"><is><t>" + std::string(b) + "</t></is></c></row>";
  };
  add_row("ab", "c");
  add_row("a", "bc");
  add_row("ab", "c");
  add_row("ab", "");
  rows += "<row><c t=\"inlineStr\"><is><t>ab</t></is></c></row>";  // B missing: same as ""
  GeneratedWorkbook workbook("hashes", rows);
  Scanned data = scan_all(workbook.path());
  // Rows without r attributes count on from the previous row.
  EXPECT_EQ(data.lines, (std::vector<std::int64_t>{2, 3, 4, 5, 6}));
  ASSERT_EQ(data.hashes.size(), 5u);
  EXPECT_EQ(data.hashes[0], data.hashes[2]);
  EXPECT_NE(data.hashes[0], data.hashes[1]);
  EXPECT_NE(data.hashes[0], data.hashes[3]);
  EXPECT_EQ(data.hashes[3], data.hashes[4]);
}

TEST(XlsxReaderTest, SharedStringOutOfRangeIsAnError) {
  GeneratedWorkbook workbook("bad_index",
                             "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                             "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>7</v></c></row>",
                             "<si><t>Header</t></si>");
  EXPECT_EQ(error_of([&] { scan_all(workbook.path()); }),
            workbook.path() + ": damaged XLSX workbook: row 2 refers to shared string '7' of 1");
}

TEST(XlsxReaderTest, HeaderWidthAndWideRows) {
  // The header ends at its last non-empty cell; a row reaching past it is rejected, the count
  // of cells beyond the header in the detail.
  std::string rows = "<row r=\"1\">" + inline_cell("A1", "id") + inline_cell("B1", "name") +
                     "<c r=\"C1\" s=\"0\"/></row>" + "<row r=\"2\">" + inline_cell("A2", "1") +
                     inline_cell("C2", "x") + inline_cell("E2", "y") + "</row>" + "<row r=\"3\">" +
                     inline_cell("B3", "two") + "</row>";
  GeneratedWorkbook workbook("wide", rows);
  Scanned data = scan_all(workbook.path());
  EXPECT_EQ(data.header, (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(data.rows, (std::vector<Row>{{"", "two"}}));
  ASSERT_EQ(data.rejects.size(), 1u);
  EXPECT_EQ(data.rejects[0].line, 2);
  EXPECT_EQ(data.rejects[0].detail, "2 cells beyond the header");
  EXPECT_EQ(data.rejects[0].content, "1,,x,,y");
  EXPECT_EQ(data.rows_read, 2);
}

// References that cannot exist (past column XFD, row 0, past row 1048576, or beyond 32 bits)
// reject their row with the reason; the rows around them are read.
TEST(XlsxReaderTest, ImpossibleCellReferencesRejectTheirRow) {
  const std::string long_column(5000, 'Z');
  std::string rows =
      "<row r=\"1\">" + inline_cell("A1", "id") + inline_cell("B1", "name") + "</row>" +
      "<row r=\"2\">" + inline_cell("A2", "1") + inline_cell("ZZZZ2", "x") + "</row>" +
      "<row r=\"3\">" + inline_cell("A3", "2") + inline_cell("B3", "ok") + "</row>" +
      "<row r=\"4\">" + inline_cell("A0", "3") + "</row>" + "<row r=\"5\">" +
      inline_cell("XFE5", "4") + "</row>" + "<row r=\"6\">" + inline_cell("B1048577", "5") +
      "</row>" + "<row r=\"4294967297\">" + inline_cell("A7", "6") + "</row>" + "<row r=\"0\">" +
      inline_cell("A8", "7") + "</row>" + "<row r=\"9\">" + inline_cell(long_column + "9", "8") +
      "</row>" + "<row r=\"10\">" + inline_cell("XFD10", "far") + "</row>" + "<row r=\"11\">" +
      inline_cell("A11", "9") + inline_cell("B11", "last") + "</row>";
  GeneratedWorkbook workbook("bad_refs", rows);
  Scanned data = scan_all(workbook.path());
  EXPECT_EQ(data.header, (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(data.rows, (std::vector<Row>{{"2", "ok"}, {"9", "last"}}));
  EXPECT_EQ(data.lines, (std::vector<std::int64_t>{3, 11}));
  const std::string cells = "cannot exist (columns are A to XFD, rows 1 to 1048576)";
  const std::vector<std::pair<std::int64_t, std::string>> expected{
      {2, "cell reference 'ZZZZ2' " + cells},
      {4, "cell reference 'A0' " + cells},
      {5, "cell reference 'XFE5' " + cells},
      {6, "cell reference 'B1048577' " + cells},
      {7, "row number '4294967297' cannot exist (rows are 1 to 1048576)"},
      {8, "row number '0' cannot exist (rows are 1 to 1048576)"},
      {9, "cell reference '" + std::string(40, 'Z') + "' " + cells},
      {10, "1 cells beyond the header"}};
  ASSERT_EQ(data.rejects.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(data.rejects[i].line, expected[i].first) << i;
    EXPECT_EQ(data.rejects[i].rule, "malformed") << i;
    EXPECT_EQ(data.rejects[i].detail, expected[i].second) << i;
  }
  EXPECT_EQ(data.rejects[0].content, "1,x");
  EXPECT_EQ(data.rows_read, 10);

  GeneratedWorkbook bad_header("bad_header", "<row r=\"1\">" + inline_cell("A1", "id") +
                                                 inline_cell("AAAA1", "name") + "</row>");
  EXPECT_EQ(error_of([&] { scan_all(bad_header.path()); }),
            bad_header.path() +
                ": damaged XLSX sheet: the header row (row 1) has a cell "
                "reference 'AAAA1' " +
                cells);
}

// 40,000 rows of six columns: several batches, and chunk boundaries that cut rows and cells in
// two (with 256 KiB chunks, the batch ends fall after a row's second or later cell).
TEST(XlsxReaderTest, LargeSheetStreamsInDenseBatches) {
  constexpr int kRows = 40000;
  std::string shared;
  for (int i = 0; i < 100; ++i) shared += fmt::format("<si><t>Product {}</t></si>", i);
  shared += "<si><t>France</t></si><si><t>Japan</t></si>";
  std::string rows = "<row r=\"1\">" + inline_cell("A1", "Line") + inline_cell("B1", "Product") +
                     inline_cell("C1", "Note") + inline_cell("D1", "Qty") +
                     inline_cell("E1", "Price") + inline_cell("F1", "Country") + "</row>";
  auto expected_row = [](int i) {
    return Row{std::to_string(i),
               fmt::format("Product {}", i % 100),
               i % 7 == 0 ? fmt::format("note {}", i) : "",
               std::to_string(i % 13 - 3),
               fmt::format("{}.25", i % 50),
               i % 3 == 0 ? "Japan" : "France"};
  };
  for (int i = 0; i < kRows; ++i) {
    int r = i + 2;
    rows += fmt::format(
        "<row r=\"{0}\"><c r=\"A{0}\"><v>{1}</v></c><c r=\"B{0}\" t=\"s\"><v>{2}</v></c>", r, i,
        i % 100);
    if (i % 7 == 0) rows += inline_cell(fmt::format("C{}", r), fmt::format("note {}", i));
    rows += fmt::format(
        "<c r=\"D{0}\"><v>{1}</v></c><c r=\"E{0}\"><v>{2}.25</v></c><c r=\"F{0}\" "
        "t=\"s\"><v>{3}</v></c></row>",
        r, i % 13 - 3, i % 50, i % 3 == 0 ? 101 : 100);
    if (i % 1000 == 999) rows += fmt::format("<row r=\"{}\"/>", r);  // repeated empty rows
  }
  GeneratedWorkbook workbook("large", rows, shared);
  Scanned data = scan_all(workbook.path());
  ASSERT_EQ(data.rows.size(), static_cast<std::size_t>(kRows));
  EXPECT_EQ(data.rows_read, kRows);
  ASSERT_GE(data.batch_indices.size(), 2u);
  for (std::size_t b = 0; b < data.batch_indices.size(); ++b) {
    EXPECT_EQ(data.batch_indices[b], b);
    EXPECT_GT(data.batch_rows[b], 0u);
    EXPECT_LT(data.batch_rows[b], 20000u);
  }
  for (int i = 0; i < kRows; ++i) {
    ASSERT_EQ(data.rows[static_cast<std::size_t>(i)], expected_row(i)) << "row " << i;
    ASSERT_EQ(data.lines[static_cast<std::size_t>(i)], i + 2);
  }
  EXPECT_EQ(data.progress_done, data.progress_total);

  auto source = open_xlsx(workbook.path(), {});
  RowBatch sample = source->sample(20000);
  ASSERT_EQ(sample.num_rows(), 20000u);
  EXPECT_EQ(rows_of(sample)[19999], expected_row(19999));
}

}  // namespace
}  // namespace custlens::io
