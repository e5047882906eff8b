// Tests of src/io/xlsx_workbook.cpp: workbook parts, date formats, date serials, cell references.
#include "io/xlsx_workbook.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "custlens/error.h"

namespace custlens::io::xlsx {
namespace {

std::string workbook_fixture(std::string_view name) {
  return fmt::format("{}/xlsx/{}", CUSTLENS_TEST_DATA, name);
}

std::string excel_date(double serial, bool date1904) {
  std::string out = "x";
  if (!append_excel_date(serial, date1904, out)) return "(none)";
  return out.substr(1);
}

TEST(XlsxDateFormatTest, CodesWithDateTokensOutsideQuotesAndBrackets) {
  EXPECT_TRUE(is_date_format_code("yyyy-mm-dd hh:mm:ss"));
  EXPECT_TRUE(is_date_format_code("d-mmm-yy"));
  EXPECT_TRUE(is_date_format_code("[h]:mm:ss"));
  EXPECT_TRUE(is_date_format_code("[$-409]mmmm d, yyyy"));
  EXPECT_TRUE(is_date_format_code("yyyy\"年\"m\"月\"d\"日\""));
  EXPECT_TRUE(is_date_format_code("H:MM AM/PM"));
  EXPECT_FALSE(is_date_format_code("General"));
  EXPECT_FALSE(is_date_format_code("0.00\" days\""));
  EXPECT_FALSE(is_date_format_code("[Red]0.00;[Blue]-0.00"));
  EXPECT_FALSE(is_date_format_code("#,##0_);(#,##0)"));
  EXPECT_FALSE(is_date_format_code("0.00E+00"));
  EXPECT_FALSE(is_date_format_code("\\d0"));
  EXPECT_FALSE(is_date_format_code("*s0"));
  EXPECT_FALSE(is_date_format_code("@"));
  EXPECT_FALSE(is_date_format_code("\"unclosed d"));
}

TEST(XlsxDateFormatTest, BuiltInIdsAndCustomCodes) {
  for (int id : {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, 27, 31, 36, 50, 58}) {
    EXPECT_TRUE(is_date_format(id, false, "")) << id;
  }
  for (int id : {0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 23, 37, 44, 48, 49, 59, 164}) {
    EXPECT_FALSE(is_date_format(id, false, "")) << id;
  }
  // A workbook's own code for an id wins over the built-in meaning.
  EXPECT_FALSE(is_date_format(14, true, "0.00"));
  EXPECT_TRUE(is_date_format(164, true, "dd/mm/yyyy"));
}

TEST(XlsxCellReferenceTest, ParsesColumnAndRow) {
  const auto column_row = [](std::string_view ref) {
    const auto parsed = parse_cell_reference(ref);
    return parsed ? std::make_pair(parsed->column, parsed->row) : std::make_pair(-1, -1L);
  };
  EXPECT_EQ(column_row("A1"), std::make_pair(0, 1L));
  EXPECT_EQ(column_row("Z9"), std::make_pair(25, 9L));
  EXPECT_EQ(column_row("AA10"), std::make_pair(26, 10L));
  EXPECT_EQ(column_row("AZ1"), std::make_pair(51, 1L));
  EXPECT_EQ(column_row("XFD1048576"), std::make_pair(16383, 1048576L));
  EXPECT_EQ(column_row("c5"), std::make_pair(2, 5L));
  // Cannot exist: no letters, past XFD, four letters, no row, row 0, past 1048576, a leading
  // zero, overflowing 32 bits, trailing text.
  for (std::string_view bad : {"15", "XFE1", "ABCD1", "ZZZZ1", "A", "A0", "A1048577", "A01",
                               "A4294967297", "A1x", "", "$A$1"}) {
    EXPECT_FALSE(parse_cell_reference(bad).has_value()) << bad;
  }
}

// Expected texts: datetime(1899, 12, 30) (or 1904-01-01) + round(serial * 86400) seconds, by
// Python's datetime, for serials from 61 on; below 61 they follow Excel's fictitious 1900-02-29.
TEST(XlsxExcelDateTest, System1900) {
  EXPECT_EQ(excel_date(1, false), "1900-01-01 00:00:00");
  EXPECT_EQ(excel_date(59, false), "1900-02-28 00:00:00");
  EXPECT_EQ(excel_date(60, false), "1900-02-28 00:00:00");
  EXPECT_EQ(excel_date(61, false), "1900-03-01 00:00:00");
  EXPECT_EQ(excel_date(0.5, false), "1899-12-31 12:00:00");
  EXPECT_EQ(excel_date(44562.5, false), "2022-01-01 12:00:00");
  EXPECT_EQ(excel_date(40513.35138888889, false), "2010-12-01 08:26:00");
  EXPECT_EQ(excel_date(43968.35485648148, false), "2020-05-17 08:31:00");
  EXPECT_EQ(excel_date(45000.99999, false), "2023-03-15 23:59:59");
  EXPECT_EQ(excel_date(100000.25, false), "2173-10-14 06:00:00");
  EXPECT_EQ(excel_date(2958465.999988426, false), "9999-12-31 23:59:59");
  // Rounding to the second may carry into the next day.
  EXPECT_EQ(excel_date(0.999999999, false), "1900-01-01 00:00:00");
}

TEST(XlsxExcelDateTest, System1904) {
  EXPECT_EQ(excel_date(0, true), "1904-01-01 00:00:00");
  EXPECT_EQ(excel_date(1, true), "1904-01-02 00:00:00");
  EXPECT_EQ(excel_date(39424.53520833333, true), "2011-12-09 12:50:42");
  EXPECT_EQ(excel_date(43889.99998842592, true), "2024-02-29 23:59:59");
  EXPECT_EQ(excel_date(42506.35485648148, true), "2020-05-17 08:31:00");
}

TEST(XlsxExcelDateTest, SerialsThatAreNoDates) {
  EXPECT_EQ(excel_date(-1, false), "(none)");
  EXPECT_EQ(excel_date(2958466, false), "(none)");
  EXPECT_EQ(excel_date(2957004, true), "(none)");
  EXPECT_EQ(excel_date(std::numeric_limits<double>::quiet_NaN(), false), "(none)");
  EXPECT_EQ(excel_date(std::numeric_limits<double>::infinity(), false), "(none)");
}

TEST(XlsxIsoCellDateTest, Normalized) {
  auto iso = [](std::string_view text) {
    std::string out;
    append_iso_cell_date(text, out);
    return out;
  };
  EXPECT_EQ(iso("2024-02-29T13:45:30.250"), "2024-02-29 13:45:30");
  EXPECT_EQ(iso("2024-02-29T13:45:30Z"), "2024-02-29 13:45:30");
  EXPECT_EQ(iso("2024-02-29"), "2024-02-29 00:00:00");
  EXPECT_EQ(iso("13:45:00"), "13:45:00");
}

TEST(XlsxEscapeTest, DecodesOoxmlEscapes) {
  auto decoded = [](std::string text, std::size_t from = 0) {
    decode_escapes(text, from);
    return text;
  };
  EXPECT_EQ(decoded("Line1_x000D_\nLine2"), "Line1\r\nLine2");
  EXPECT_EQ(decoded("_x005F_x0041_"), "_x0041_");
  EXPECT_EQ(decoded("tab_x0009_end"), "tab\tend");
  EXPECT_EQ(decoded("_x00e9_"), "é");
  EXPECT_EQ(decoded("_xD83D__xDE00_"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(decoded("_x00zz_ and _x12_"), "_x00zz_ and _x12_");
  EXPECT_EQ(decoded("_x0041__x0041_", 7), "_x0041_A");
  EXPECT_EQ(decoded("plain"), "plain");
}

TEST(XlsxTargetTest, ResolvesRelationshipTargets) {
  EXPECT_EQ(resolve_target("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
  EXPECT_EQ(resolve_target("xl/", "/xl/worksheets/sheet2.xml"), "xl/worksheets/sheet2.xml");
  EXPECT_EQ(resolve_target("xl/", "../customXml/item1.xml"), "customXml/item1.xml");
  EXPECT_EQ(resolve_target("xl/", "./styles.xml"), "xl/styles.xml");
  EXPECT_EQ(resolve_target("", "xl/workbook.xml"), "xl/workbook.xml");
}

TEST(XlsxWorkbookTest, SheetsInWorkbookOrder) {
  Archive archive(workbook_fixture("two_sheets.xlsx"));
  Workbook workbook = load_workbook(archive);
  ASSERT_EQ(workbook.sheets.size(), 3u);
  EXPECT_EQ(workbook.sheets[0].name, "Summary");
  EXPECT_EQ(workbook.sheets[1].name, "Orders");
  EXPECT_EQ(workbook.sheets[2].name, "Empty");
  // openpyxl writes absolute targets ("/xl/worksheets/sheet2.xml").
  EXPECT_EQ(workbook.sheets[1].part, "xl/worksheets/sheet2.xml");
  EXPECT_FALSE(workbook.date1904);
  EXPECT_EQ(workbook.shared_strings.size(), 0u);
}

TEST(XlsxWorkbookTest, Date1904Flag) {
  Archive archive(workbook_fixture("dates_1904.xlsx"));
  EXPECT_TRUE(load_workbook(archive).date1904);
}

TEST(XlsxWorkbookTest, SharedStringsAndDateStyles) {
  Archive archive(workbook_fixture("cells.xlsx"));
  Workbook workbook = load_workbook(archive);
  ASSERT_EQ(workbook.shared_strings.size(), 10u);
  EXPECT_EQ(workbook.shared_strings.at(0), "Name");
  EXPECT_EQ(workbook.shared_strings.at(6), "Hello world");
  EXPECT_EQ(workbook.shared_strings.at(8), "Cléa 中文");
  EXPECT_EQ(workbook.shared_strings.at(9), "Line1\r\nLine2");
  // cellXfs: General, 14, dd/mm/yyyy hh:mm, 0.00" days", [Red]0.00, 22, #,##0.00, [h]:mm:ss;
  // the cellStyleXfs entry (numFmtId 14) is not a cell format.
  EXPECT_EQ(workbook.date_styles, (std::vector<std::uint8_t>{0, 1, 1, 0, 0, 1, 0, 1}));
  EXPECT_EQ(workbook.sheets.at(0).part, "xl/worksheets/sheet1.xml");
}

TEST(XlsxWorkbookTest, RichTextRunsWithoutPhoneticHints) {
  Archive archive(workbook_fixture("rich_text.xlsx"));
  Workbook workbook = load_workbook(archive);
  ASSERT_EQ(workbook.shared_strings.size(), 5u);
  EXPECT_EQ(workbook.shared_strings.at(2), "Very good service");
  EXPECT_EQ(workbook.shared_strings.at(3), "東京");
  EXPECT_EQ(workbook.shared_strings.at(4), "A & B <ok>");
}

TEST(XlsxWorkbookTest, ZipWithoutWorkbook) {
  std::string path = workbook_fixture("no_workbook.xlsx");
  Archive archive(path);
  try {
    load_workbook(archive);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              path + ": a zip archive without xl/workbook.xml; not an XLSX workbook");
  }
}

TEST(XlsxWorkbookTest, ChooseSheet) {
  std::string path = workbook_fixture("two_sheets.xlsx");
  Archive archive(path);
  Workbook workbook = load_workbook(archive);
  EXPECT_EQ(choose_sheet(workbook, "", path).name, "Summary");
  EXPECT_EQ(choose_sheet(workbook, "Orders", path).name, "Orders");
  EXPECT_EQ(choose_sheet(workbook, "ORDERS", path).name, "Orders");
  try {
    choose_sheet(workbook, "Nope", path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              path + ": no sheet named 'Nope'; the sheets are 'Summary', 'Orders', 'Empty'");
  }
  Workbook none;
  EXPECT_THROW(choose_sheet(none, "", path), Error);
}

}  // namespace
}  // namespace custlens::io::xlsx
