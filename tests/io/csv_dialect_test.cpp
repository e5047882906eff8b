// Tests of src/io/csv_dialect.cpp: delimiter sniffing, header detection and column names.
#include "io/csv_dialect.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace custlens::io {
namespace {

using Names = std::vector<std::string>;
using Fields = std::vector<std::string_view>;

TEST(SniffDelimiterTest, PicksTheMostConsistentCandidate) {
  EXPECT_EQ(sniff_delimiter("a,b,c\n1,2,3\n", false), ',');
  EXPECT_EQ(sniff_delimiter("a;b;c\n1,5;2;3\n4;5,25;6\n", false), ';');  // decimal commas
  EXPECT_EQ(sniff_delimiter("a\tb\n1\t2\n", false), '\t');
  EXPECT_EQ(sniff_delimiter("a|b|c\n1|2|3\n", false), '|');
  EXPECT_EQ(sniff_delimiter("just one column\nvalue\n", false), ',');
}

TEST(SniffDelimiterTest, TiesGoToMoreFieldsAndQuotesHideDelimiters) {
  // Every row has one ',' inside a name and three tabs: both consistent, tabs split more.
  EXPECT_EQ(sniff_delimiter("Doe, J\ta\tb\tc\nRoe, K\td\te\tf\n", false), '\t');
  EXPECT_EQ(sniff_delimiter("a,b\n\"x;y;z\",1\n\"p;q\",2\n", false), ',');
  // A quoted newline does not end the row.
  EXPECT_EQ(sniff_delimiter("a;b\n\"multi\nline\";1\n", false), ';');
}

TEST(SniffDelimiterTest, BlankRowsAndACutLastRowAreIgnored) {
  EXPECT_EQ(sniff_delimiter("\r\na;b\n\n1;2\r\n", false), ';');
  EXPECT_EQ(sniff_delimiter("a;b\n1;2\nx,y,z,w", true), ';');
  EXPECT_EQ(sniff_delimiter("a;b\n1;2\nx,y,z,w\nq,r,s,t\nu,v,w,x\n", false), ',');
  EXPECT_EQ(sniff_delimiter("x,y,z,w", true), ',');  // the only row, cut or not
}

TEST(SniffDelimiterTest, AlignedColumnsAreWhitespaceAsALastResort) {
  // CDNOW_sample.txt's layout: leading blanks, runs of blanks, CRLF.
  const std::string_view cdnow =
      " 00004 0001 19970101  2   29.33\r\n 00004 0001 19970118  2   29.73\r\n"
      " 00018 0002 19970112  2   14.96\r\n";
  EXPECT_EQ(sniff_delimiter(cdnow, false), kWhitespaceDelimiter);
  EXPECT_EQ(sniff_delimiter("id  date      amount\n1   19970101  2.5\n22  19970102  10\n", false),
            kWhitespaceDelimiter);
  // Tabs and spaces mixed in the gaps; a quoted field with blanks is one field; a cut last row
  // and rows of only blanks say nothing.
  EXPECT_EQ(sniff_delimiter("a \tb  c\n\"x y\" 2 3\n   \n4\t5 6\n7 8", true), kWhitespaceDelimiter);
  EXPECT_EQ(sniff_delimiter("a b c\r1 2 3\r", false, '\r'), kWhitespaceDelimiter);
}

TEST(SniffDelimiterTest, WhitespaceNeverTakesWhatTheCandidatesRead) {
  // One column of names with blanks stays one column: too few or uneven words.
  EXPECT_EQ(sniff_delimiter("name\nJohn Smith\nMary Ann Lee\n", false), ',');
  EXPECT_EQ(sniff_delimiter("Ada Lovelace\nAlan Turing\n", false), ',');
  EXPECT_EQ(sniff_delimiter("just one column\nvalue\n", false), ',');
  // Evenly worded rows, but a single one is too little evidence.
  EXPECT_EQ(sniff_delimiter("first middle last\n", false), ',');
  // A candidate that splits every row alike wins even when blanks split them alike too.
  EXPECT_EQ(sniff_delimiter("a b,c d e\n1 2,3 4 5\n", false), ',');
  EXPECT_EQ(sniff_delimiter("a x\tb y z\n1 2\t3 4 5\n", false), '\t');
  // Blank-split counts that differ by row: the candidates' choice stands.
  EXPECT_EQ(sniff_delimiter("a b c\n1 2 3 4\n", false), ',');
  EXPECT_EQ(sniff_delimiter("a;b;c\n1;2 x y;3\n4;5\n", false), ';');
}

TEST(SniffLineBreakTest, BareCarriageReturnsMeanACrOnlyFile) {
  EXPECT_EQ(sniff_line_break("a,b\n1,2\n", false), '\n');
  EXPECT_EQ(sniff_line_break("a,b\r\n1,2\r\n", false), '\n');
  EXPECT_EQ(sniff_line_break("a,b\r1,2\r3,4", false), '\r');
  EXPECT_EQ(sniff_line_break("a,b", false), '\n');  // one line: nothing to tell
  // Line breaks inside quotes do not count, nor does a CR that may be half of a cut CRLF.
  EXPECT_EQ(sniff_line_break("a,b\n\"x\ry\rz\",1\n", false), '\n');
  EXPECT_EQ(sniff_line_break("a,b\r\"x\r\ny\n\",1\r", false), '\r');
  EXPECT_EQ(sniff_line_break("a,b\n1,2\r", true), '\n');
  EXPECT_EQ(sniff_line_break("a,b\n1,2\r", false), '\n');  // a tie stays LF
  // Mixed: the more frequent kind wins.
  EXPECT_EQ(sniff_line_break("a\rb\rc\nd\r", false), '\r');
}

TEST(SniffDelimiterTest, RowsEndAtTheGivenLineBreak) {
  EXPECT_EQ(sniff_delimiter("a;b\r1;2\r3;4\r", false, '\r'), ';');
  // Split at CR, every row has one semicolon; commas are in two rows of three.
  EXPECT_EQ(sniff_delimiter("a;b,c\r1;2,3\r4;5\r", false, '\r'), ';');
}

TEST(NumberTest, RecognizesDecimalNumbersOnly) {
  for (std::string_view number : {"0", "12", "-3", "+4.5", ".5", "5.", "1e9", "2.5E-3", " 7 "}) {
    EXPECT_TRUE(parses_as_number(number)) << number;
  }
  for (std::string_view text : {"", " ", "-", ".", "e5", "1e", "1.2.3", "nan", "inf", "12a", "#1",
                                "2010-12-01", "0x1F", "1,5"}) {
    EXPECT_FALSE(parses_as_number(text)) << text;
  }
}

TEST(HeaderTest, AnyNumberMakesTheRowData) {
  EXPECT_TRUE(looks_like_data_row(Fields{"1", "2268318", "pv"}));
  EXPECT_TRUE(looks_like_data_row(Fields{"name", "3.5"}));
  EXPECT_FALSE(looks_like_data_row(Fields{"", "User_ID", "Age"}));
}

TEST(HeaderTest, NamesAreTrimmedNumberedAndDeduplicatedLikePandas) {
  EXPECT_EQ(header_names(Fields{" Name ", "Name", "", "Name", "Name.1", " \t"}, true),
            (Names{"Name", "Name.1", "column_3", "Name.2", "Name.1.1", "column_6"}));
  EXPECT_EQ(header_names(Fields{"a", "a", "a"}, true), (Names{"a", "a.1", "a.2"}));
  EXPECT_EQ(header_names(Fields{"1", "x"}, false), (Names{"column_1", "column_2"}));
  EXPECT_EQ(header_names(Fields{"caf\xE9"}, true), (Names{"caf\xEF\xBF\xBD"}));
}

}  // namespace
}  // namespace custlens::io
