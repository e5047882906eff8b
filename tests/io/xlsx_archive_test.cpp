// Tests of src/io/xlsx_archive.cpp: opening archives (and refusing impostors), streaming parts.
#include "io/xlsx_archive.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "custlens/error.h"

namespace custlens::io::xlsx {
namespace {

std::string archive_fixture(std::string_view name) {
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

// Counts elements by local name and keeps the attributes the tests ask about.
struct CountingHandler {
  std::map<std::string, int> elements;
  std::vector<std::string> sheet_ids;
  std::string collected;
  void start(std::string_view name, const char** attributes) {
    ++elements[std::string(name)];
    if (name == "sheet") sheet_ids.emplace_back(attribute(attributes, "id"));
  }
  void end(std::string_view) {}
  void text(std::string_view chunk) { collected.append(chunk); }
};

struct ThrowingHandler {
  void start(std::string_view name, const char**) {
    if (name == "row") throw Error("stopped at the first row");
  }
  void end(std::string_view) {}
  void text(std::string_view) {}
};

TEST(XlsxArchiveTest, OpensAnArchiveAndFindsPartsWhateverTheirCase) {
  Archive archive(archive_fixture("cells.xlsx"));
  EXPECT_EQ(archive.path(), archive_fixture("cells.xlsx"));
  EXPECT_TRUE(archive.has("xl/workbook.xml"));
  EXPECT_TRUE(archive.has("XL/Workbook.XML"));
  EXPECT_FALSE(archive.has("xl/missing.xml"));
}

TEST(XlsxArchiveTest, RefusesWhatIsNoZipArchive) {
  std::string missing = archive_fixture("no_such_file.xlsx");
  EXPECT_EQ(error_of([&] { Archive a(missing); }), missing + ": cannot open: no such file");
  std::string csv = archive_fixture("not_a_workbook.xlsx");
  EXPECT_EQ(error_of([&] { Archive a(csv); }),
            csv + ": not an XLSX workbook; is it a CSV with an .xlsx name?");
  std::string ole = archive_fixture("ole_header.xlsx");
  EXPECT_EQ(error_of([&] { Archive a(ole); }).rfind(ole + ": an old binary .xls workbook", 0), 0u);
  std::string truncated = archive_fixture("truncated.xlsx");
  std::string message = error_of([&] { Archive a(truncated); });
  EXPECT_EQ(message.rfind(truncated + ": damaged XLSX workbook", 0), 0u) << message;
  EXPECT_NE(message.find("cut short"), std::string::npos) << message;
  std::string directory = archive_fixture("");
  EXPECT_NE(error_of([&] { Archive a(directory); }).find("is a directory"), std::string::npos);
}

TEST(XlsxArchiveTest, RefusesAnEmptyFile) {
  auto path = std::filesystem::temp_directory_path() /
              fmt::format("custlens_xlsx_empty_{}.xlsx", ::getpid());
  { std::ofstream touch(path); }
  EXPECT_EQ(error_of([&] { Archive a(path.string()); }),
            path.string() + ": empty file; not an XLSX workbook");
  std::filesystem::remove(path);
}

TEST(XlsxXmlPartTest, StreamsLocalNamesAttributesAndText) {
  Archive archive(archive_fixture("rich_text.xlsx"));
  CountingHandler handler;
  XmlPart part(archive, "xl/workbook.xml", callbacks_for(handler));
  part.parse_all();
  // Every element carries the "x:" prefix in this workbook; "r:id" is found as "id".
  EXPECT_EQ(handler.elements["workbook"], 1);
  EXPECT_EQ(handler.elements["sheet"], 1);
  EXPECT_EQ(handler.sheet_ids, std::vector<std::string>{"rId1"});
  EXPECT_EQ(part.bytes_done(), part.bytes_total());
  EXPECT_GT(part.bytes_total(), 0u);
  EXPECT_FALSE(part.parse_chunk());

  CountingHandler strings;
  XmlPart shared(archive, "xl/sharedStrings.xml", callbacks_for(strings));
  shared.parse_all();
  EXPECT_EQ(strings.elements["si"], 5);
  EXPECT_EQ(strings.collected, "CustomerCommentVery good serviceベリー東京トウキョウA & B <ok>");
}

TEST(XlsxXmlPartTest, CorruptXmlNamesThePartAndLine) {
  std::string path = archive_fixture("corrupt_xml.xlsx");
  Archive archive(path);
  CountingHandler handler;
  XmlPart part(archive, "xl/worksheets/sheet1.xml", callbacks_for(handler));
  EXPECT_EQ(error_of([&] { part.parse_all(); }),
            path + ": corrupt XML in xl/worksheets/sheet1.xml at line 4: mismatched tag");
}

TEST(XlsxXmlPartTest, MissingPart) {
  std::string path = archive_fixture("cells.xlsx");
  Archive archive(path);
  CountingHandler handler;
  EXPECT_EQ(error_of([&] { XmlPart part(archive, "xl/nothing.xml", callbacks_for(handler)); }),
            path + ": damaged XLSX workbook: part xl/nothing.xml is missing");
}

TEST(XlsxXmlPartTest, CallbackErrorsReachTheCaller) {
  Archive archive(archive_fixture("cells.xlsx"));
  ThrowingHandler handler;
  XmlPart part(archive, "xl/worksheets/sheet1.xml", callbacks_for(handler));
  EXPECT_EQ(error_of([&] { part.parse_all(); }), "stopped at the first row");
}

}  // namespace
}  // namespace custlens::io::xlsx
