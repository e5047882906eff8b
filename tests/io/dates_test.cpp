// Tests for src/io/dates.cpp. Expected timestamps were computed independently with Python
// (datetime / pandas: (ts - 1970-01-01).total_seconds(); Excel: 1899-12-30 + serial days).
#include "io/dates.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "custlens/error.h"

namespace custlens::io {
namespace {

std::optional<std::int64_t> parse(std::string_view text, std::string_view format) {
  return parse_timestamp(text, format);
}

std::string sniff(std::vector<std::string_view> samples, std::string_view name = "InvoiceDate") {
  return sniff_date_format(name, samples);
}

TEST(DateParserTest, ParsesUciExportWithSingleDigitMonthDayHour) {
  const DateParser parser("%m/%d/%Y %H:%M");
  EXPECT_EQ(parser.parse("12/1/2010 8:26"), 1291191960);
  EXPECT_EQ(parser.parse("1/4/2011 8:26"), 1294129560);
  EXPECT_EQ(parser.parse("01/04/2011 08:26"), 1294129560);
  EXPECT_EQ(parser.parse("12/9/2011 12:50"), 1323435000);
  EXPECT_EQ(parser.format(), "%m/%d/%Y %H:%M");
}

TEST(DateParserTest, ParsesIsoFormats) {
  EXPECT_EQ(parse("2010-12-01 08:26:00", "%Y-%m-%d %H:%M:%S"), 1291191960);
  EXPECT_EQ(parse("2010-12-01T08:26:00", "%Y-%m-%dT%H:%M:%S"), 1291191960);
  EXPECT_EQ(parse("2010-12-01 08:26", "%Y-%m-%d %H:%M"), 1291191960);
  EXPECT_EQ(parse("2010/12/01 08:30", "%Y/%m/%d %H:%M"), 1291192200);
  EXPECT_EQ(parse("2010-12-01", "%Y-%m-%d"), 1291161600);
  EXPECT_EQ(parse("2011年1月4日 08:26", "%Y年%m月%d日 %H:%M"), 1294129560);
}

TEST(DateParserTest, ParsesDayFirstWithDotsAndDashes) {
  EXPECT_EQ(parse("04.01.2011 08:26", "%d.%m.%Y %H:%M"), 1294129560);
  EXPECT_EQ(parse("4-1-2011 8:26", "%d-%m-%Y %H:%M"), 1294129560);
  EXPECT_EQ(parse("05/11/2011 21:07:30", "%d/%m/%Y %H:%M:%S"), 1320527250);
}

TEST(DateParserTest, ParsesTwelveHourClock) {
  const DateParser parser("%m/%d/%Y %I:%M %p");
  EXPECT_EQ(parser.parse("1/4/2011 8:26 PM"), 1294172760);
  EXPECT_EQ(parser.parse("1/4/2011 8:26 am"), 1294129560);
  EXPECT_EQ(parser.parse("1/4/2011 12:26 AM"), 1294100760);
  EXPECT_EQ(parser.parse("1/4/2011 12:26 PM"), 1294143960);
  EXPECT_FALSE(parser.parse("1/4/2011 13:26 PM"));
  EXPECT_FALSE(parser.parse("1/4/2011 0:26 AM"));
  EXPECT_FALSE(parser.parse("1/4/2011 8:26 XM"));
}

TEST(DateParserTest, ParsesEnglishMonthNames) {
  EXPECT_EQ(parse("04-Jan-2011 08:26", "%d-%b-%Y %H:%M"), 1294129560);
  EXPECT_EQ(parse("4 JAN 2011", "%d %b %Y"), 1294099200);
  EXPECT_EQ(parse("January 4, 2011", "%b %d, %Y"), 1294099200);
  EXPECT_EQ(parse("5 Sept 2011", "%d %b %Y"), parse("5 Sep 2011", "%d %b %Y"));
  EXPECT_EQ(parse("1 Dec 2010", "%d %b %Y"), 1291161600);
  EXPECT_FALSE(parse("4 Jn 2011", "%d %b %Y"));
}

TEST(DateParserTest, AcceptsFractionalSecondsAndTruncatesThem) {
  EXPECT_EQ(parse("2010-12-01 08:26:00.999", "%Y-%m-%d %H:%M:%S"), 1291191960);
  EXPECT_EQ(parse("2010-12-01 08:26:00,5", "%Y-%m-%d %H:%M:%S"), 1291191960);
  EXPECT_FALSE(parse("2010-12-01 08:26:00.", "%Y-%m-%d %H:%M:%S"));
  EXPECT_FALSE(parse("2010-12-01 08:26.5", "%Y-%m-%d %H:%M"));
}

TEST(DateParserTest, IsStrictAboutTheWholeValue) {
  const DateParser parser("%m/%d/%Y %H:%M");
  EXPECT_FALSE(parser.parse("1/4/2011 8:26:00"));  // seconds the format lacks
  EXPECT_FALSE(parser.parse("1/4/2011"));
  EXPECT_FALSE(parser.parse("1/4/11 8:26"));   // %Y wants four digits
  EXPECT_FALSE(parser.parse("1/4/2011 8:6"));  // %M wants two digits
  EXPECT_FALSE(parser.parse("1/4/2011 8:26x"));
  EXPECT_FALSE(parser.parse(""));
  EXPECT_FALSE(parser.parse("   "));
  EXPECT_EQ(parser.parse("  1/4/2011  8:26 \r"), 1294129560);  // outer and inner blanks
  EXPECT_FALSE(parse("2011-01-04 08:26", "%Y-%m-%d %H:%M:%S"));
}

TEST(DateParserTest, ValidatesRanges) {
  EXPECT_FALSE(parse("13/01/2011 08:00", "%m/%d/%Y %H:%M"));
  EXPECT_TRUE(parse("13/01/2011 08:00", "%d/%m/%Y %H:%M"));
  EXPECT_FALSE(parse("0/1/2011", "%m/%d/%Y"));
  EXPECT_FALSE(parse("1/0/2011", "%m/%d/%Y"));
  EXPECT_FALSE(parse("1/32/2011", "%m/%d/%Y"));
  EXPECT_FALSE(parse("2011-04-31", "%Y-%m-%d"));
  EXPECT_FALSE(parse("2011-01-04 24:00", "%Y-%m-%d %H:%M"));
  EXPECT_FALSE(parse("2011-01-04 23:60", "%Y-%m-%d %H:%M"));
  EXPECT_FALSE(parse("2011-01-04 23:59:60", "%Y-%m-%d %H:%M:%S"));
}

TEST(DateParserTest, KnowsLeapDays) {
  EXPECT_EQ(parse("2012-02-29", "%Y-%m-%d"), 1330473600);
  EXPECT_EQ(parse("2000-02-29", "%Y-%m-%d"), 951782400);
  EXPECT_FALSE(parse("2011-02-29", "%Y-%m-%d"));
  EXPECT_FALSE(parse("1900-02-29", "%Y-%m-%d"));
  EXPECT_FALSE(parse("2011-02-30", "%Y-%m-%d"));
  EXPECT_FALSE(parse("2012-02-30", "%Y-%m-%d"));
  // The day comes before the year in the format: checked once the whole value is read.
  EXPECT_FALSE(parse("29/02/2011", "%d/%m/%Y"));
  EXPECT_EQ(parse("29/02/2012", "%d/%m/%Y"), 1330473600);
}

TEST(DateParserTest, MapsTwoDigitYearsAroundSixtyNine) {
  EXPECT_EQ(parse("3/4/68", "%m/%d/%y"), 3098044800);
  EXPECT_EQ(parse("3/4/69", "%m/%d/%y"), -26179200);
  EXPECT_EQ(parse("3/4/00", "%m/%d/%y"), 952128000);
  EXPECT_EQ(parse("3/4/11", "%m/%d/%y"), 1299196800);
  EXPECT_FALSE(parse("3/4/2011", "%m/%d/%y"));
  EXPECT_FALSE(parse("3/4/1", "%m/%d/%y"));
}

TEST(DateParserTest, ReadsExcelSerials) {
  const DateParser parser("excel-serial");
  EXPECT_EQ(parser.parse("40513.3541666667"), 1291192200);  // 2010-12-01 08:30:00
  EXPECT_EQ(parser.parse("40513"), 1291161600);
  EXPECT_EQ(parser.parse("40513.0"), 1291161600);
  EXPECT_EQ(parser.parse("25569"), 0);
  EXPECT_EQ(parser.parse("44197.5"), make_timestamp(2021, 1, 1, 12));
  // Float error just below midnight rounds to the next day, as Excel shows it.
  EXPECT_EQ(parser.parse("40908.999999"), make_timestamp(2012, 1, 1));
  // The 1900 leap-year bug: serial 60 is the 1900-02-29 that never was.
  EXPECT_EQ(parser.parse("1"), make_timestamp(1900, 1, 1));
  EXPECT_EQ(parser.parse("59"), make_timestamp(1900, 2, 28));
  EXPECT_EQ(parser.parse("61"), make_timestamp(1900, 3, 1));
  EXPECT_FALSE(parser.parse("60"));
  EXPECT_FALSE(parser.parse("-1"));
  EXPECT_FALSE(parser.parse("4.05e4"));
  EXPECT_FALSE(parser.parse("abc"));
  EXPECT_FALSE(parser.parse("."));
  EXPECT_FALSE(parser.parse(""));
  EXPECT_FALSE(parser.parse("99999999"));
}

TEST(DateParserTest, ReadsUnixSeconds) {
  const DateParser parser("unix-seconds");
  EXPECT_EQ(parser.parse("1511544070"), 1511544070);
  EXPECT_EQ(parser.parse(" 0 "), 0);
  EXPECT_EQ(parser.parse("-3600"), -3600);
  EXPECT_FALSE(parser.parse("1511544070.5"));
  EXPECT_FALSE(parser.parse("15115x"));
  EXPECT_FALSE(parser.parse(""));
  EXPECT_EQ(format_timestamp(*parser.parse("1511544070")), "2017-11-24 17:21:10");
}

TEST(DateParserTest, RejectsBadFormats) {
  EXPECT_THROW(DateParser("%Y-%m-%q"), Error);
  EXPECT_THROW(DateParser("%m/%d"), Error);           // no year
  EXPECT_THROW(DateParser("%Y-%m-%d %I:%M"), Error);  // 12-hour clock without AM/PM
  EXPECT_THROW(DateParser("%Y-%m-%d %"), Error);
  EXPECT_THROW(DateParser(""), Error);
  try {
    DateParser("%Y-%j");
    FAIL() << "expected custlens::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown directive '%j'"), std::string::npos);
  }
}

TEST(DateParserTest, CompactDatesHaveTwoDigitMonthsDaysAndHours) {
  EXPECT_EQ(parse("19970101", "%Y%m%d"), 852076800);
  EXPECT_EQ(parse(" 19960229 ", "%Y%m%d"), 825552000);
  EXPECT_EQ(parse("19970101123456", "%Y%m%d%H%M%S"), 852122096);
  EXPECT_EQ(parse("01011997", "%d%m%Y"), 852076800);
  for (std::string_view bad : {"19971301", "19970001", "19970132", "19970230", "19970229",
                               "1997011", "199711", "199701011", "1997-01-01", "1997O101"}) {
    EXPECT_FALSE(parse(bad, "%Y%m%d")) << bad;
  }
  EXPECT_FALSE(parse("19970101243456", "%Y%m%d%H%M%S"));
  // With separators, one digit still reads.
  EXPECT_EQ(parse("1997-1-1", "%Y-%m-%d"), 852076800);
}

TEST(DateParserTest, PercentLiteral) { EXPECT_EQ(parse("2011%01%04", "%Y%%%m%%%d"), 1294099200); }

TEST(CalendarTest, DaysFromCivilMatchesReferencePoints) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(make_timestamp(1600, 3, 1), -11670912000);
  EXPECT_EQ(make_timestamp(1, 1, 1), -62135596800);
  EXPECT_EQ(make_timestamp(9999, 12, 31, 23, 59, 59), 253402300799);
  EXPECT_EQ(make_timestamp(1900, 1, 1), -2208988800);
}

TEST(CalendarTest, CivilRoundTripsOverFourCenturies) {
  for (std::int64_t day = -200000; day <= 200000; day += 7) {
    const CivilTime civil = civil_from_timestamp(day * 86400 + 3723);
    ASSERT_EQ(days_from_civil(civil.year, civil.month, civil.day), day);
    ASSERT_GE(civil.day, 1);
    ASSERT_LE(civil.day, days_in_month(civil.year, civil.month));
    ASSERT_EQ(civil.hour, 1);
    ASSERT_EQ(civil.minute, 2);
    ASSERT_EQ(civil.second, 3);
  }
}

TEST(CalendarTest, LeapYearsAndMonthLengths) {
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_TRUE(is_leap_year(2012));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_FALSE(is_leap_year(2011));
  EXPECT_EQ(days_in_month(2012, 2), 29);
  EXPECT_EQ(days_in_month(2011, 2), 28);
  EXPECT_EQ(days_in_month(2011, 4), 30);
  EXPECT_EQ(days_in_month(2011, 12), 31);
}

TEST(CalendarTest, HelpersFloorBeforeTheEpoch) {
  EXPECT_EQ(day_of(0), 0);
  EXPECT_EQ(day_of(86399), 0);
  EXPECT_EQ(day_of(-1), -1);
  EXPECT_EQ(day_of(-86400), -1);
  EXPECT_EQ(day_of(-86401), -2);
  EXPECT_EQ(hour_of(-3600), 23);
  EXPECT_EQ(format_timestamp(-1), "1969-12-31 23:59:59");
  EXPECT_EQ(format_date(-1), "1969-12-31");
  EXPECT_EQ(weekday_of(-1), 2);  // 1969-12-31 was a Wednesday
}

TEST(CalendarTest, Helpers) {
  const std::int64_t ts = 1291191960;  // 2010-12-01 08:26:00, a Wednesday
  EXPECT_EQ(format_timestamp(ts), "2010-12-01 08:26:00");
  EXPECT_EQ(format_date(ts), "2010-12-01");
  EXPECT_EQ(day_of(ts), 14944);
  EXPECT_EQ(weekday_of(ts), 2);
  EXPECT_EQ(weekday_of(make_timestamp(2017, 11, 26)), 6);  // Sunday
  EXPECT_EQ(weekday_of(make_timestamp(2017, 11, 27)), 0);  // Monday
  EXPECT_EQ(month_of(ts), 12);
  EXPECT_EQ(year_of(ts), 2010);
  EXPECT_EQ(hour_of(ts), 8);
  EXPECT_EQ(format_timestamp(make_timestamp(9999, 12, 31, 23, 59, 59)), "9999-12-31 23:59:59");
}

TEST(SniffTest, IsoFormats) {
  EXPECT_EQ(sniff({"2010-12-01 08:26:00", "2011-12-09 12:50:00"}), "%Y-%m-%d %H:%M:%S");
  EXPECT_EQ(sniff({"2010-12-01 08:26", "2011-12-09 12:50"}), "%Y-%m-%d %H:%M");
  EXPECT_EQ(sniff({"2010-12-01T08:26:00"}), "%Y-%m-%dT%H:%M:%S");
  EXPECT_EQ(sniff({"2010-12-01", "2011-01-04"}), "%Y-%m-%d");
  EXPECT_EQ(sniff({"2010/12/01 08:26:00"}), "%Y/%m/%d %H:%M:%S");
  EXPECT_EQ(sniff({"2010/12/01"}), "%Y/%m/%d");
  EXPECT_EQ(sniff({"2010年12月1日 08:26"}, "下单时间"), "%Y年%m月%d日 %H:%M");
  // ISO dates whose day and month are both ≤ 12 are not ambiguous: the year comes first.
  EXPECT_EQ(sniff({"2011-03-04", "2011-04-03"}), "%Y-%m-%d");
}

TEST(SniffTest, UciExportIsMonthFirst) {
  EXPECT_EQ(sniff({"12/1/2010 8:26", "12/13/2010 9:01", "1/4/2011 10:00"}), "%m/%d/%Y %H:%M");
  EXPECT_EQ(sniff({"12/1/2010 8:26:00", "12/13/2010 9:01:00"}), "%m/%d/%Y %H:%M:%S");
  EXPECT_EQ(sniff({"12/13/10 8:26"}), "%m/%d/%y %H:%M");
  EXPECT_EQ(sniff({"12/13/2010 8:26 AM", "1/4/2011 12:00 PM"}), "%m/%d/%Y %I:%M %p");
}

TEST(SniffTest, DayFirstWithEachSeparator) {
  EXPECT_EQ(sniff({"13/12/2010 08:26:00", "1/4/2011 8:26:00"}), "%d/%m/%Y %H:%M:%S");
  EXPECT_EQ(sniff({"13-12-2010 08:26", "01-04-2011 08:26"}), "%d-%m-%Y %H:%M");
  EXPECT_EQ(sniff({"13.12.2010", "01.04.2011"}), "%d.%m.%Y");
  EXPECT_EQ(sniff({"13.12.10", "01.04.11"}), "%d.%m.%y");
  EXPECT_EQ(sniff({"12-13-2010", "01-04-2011"}), "%m-%d-%Y");
}

TEST(SniffTest, MonthNames) {
  EXPECT_EQ(sniff({"01-Dec-2010 08:26", "09-Dec-2011 12:50"}), "%d-%b-%Y %H:%M");
  EXPECT_EQ(sniff({"Dec 1, 2010", "Jan 4, 2011"}), "%b %d, %Y");
}

TEST(SniffTest, AmbiguousDayMonthOrderThrows) {
  try {
    sniff({"3/4/11 8:26", "12/1/11 9:00", "1/12/11 10:30"});
    FAIL() << "expected custlens::Error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "column 'InvoiceDate': day/month order is ambiguous (every day and month ≤ 12, "
                 "e.g. '3/4/11'); give --date-format, e.g. --date-format '%m/%d/%y %H:%M'");
  }
  EXPECT_THROW(sniff({"01.02.2011", "03.04.2011"}, "Datum"), Error);
  // One value with a day above 12 settles the order.
  EXPECT_EQ(sniff({"3/4/11 8:26", "12/1/11 9:00", "1/13/11 10:30"}), "%m/%d/%y %H:%M");
  EXPECT_EQ(sniff({"3/4/11 8:26", "12/1/11 9:00", "13/1/11 10:30"}), "%d/%m/%y %H:%M");
}

TEST(SniffTest, UnixSeconds) {
  EXPECT_EQ(sniff({"1511544070", "1512189107"}, "timestamp"), "unix-seconds");
  EXPECT_EQ(sniff({"946684800"}, "c4"), "unix-seconds");
  EXPECT_EQ(sniff({"1511544070", "12"}, "c4"), "");          // not every value is a plausible time
  EXPECT_EQ(sniff({"1511544070", "5511544070"}, "c4"), "");  // after 2100
  EXPECT_EQ(sniff({"1511544070.5"}, "c4"), "");
}

TEST(SniffTest, ExcelSerials) {
  EXPECT_EQ(sniff({"40513.3541666667", "40886.5347222222"}, "x"), "excel-serial");
  EXPECT_EQ(sniff({"40513", "40886"}, "InvoiceDate"), "excel-serial");
  EXPECT_EQ(sniff({"40513", "40886"}, "下单日期"), "excel-serial");
  // Whole numbers in range under a name that is no date are ids or amounts.
  EXPECT_EQ(sniff({"40513", "40886"}, "StockCode"), "");
  EXPECT_EQ(sniff({"40513.5", "19999.5"}, "x"), "");
  EXPECT_EQ(sniff({"40513.5", "80001.5"}, "x"), "");
}

TEST(SniffTest, NotDates) {
  EXPECT_EQ(sniff({"536365", "536366"}, "InvoiceNo"), "");
  EXPECT_EQ(sniff({"17850", "13047"}, "CustomerID"), "");
  EXPECT_EQ(sniff({"United Kingdom", "France"}, "Country"), "");
  EXPECT_EQ(sniff({"2.55", "3.39"}, "UnitPrice"), "");
  EXPECT_EQ(sniff({"2011-02-30"}), "");
  EXPECT_EQ(sniff({"13/13/2011"}), "");
}

TEST(SniffTest, MixedColumnFitsNoSingleFormat) {
  EXPECT_EQ(sniff({"2010-12-01 08:26:00", "12/1/2010 8:26"}), "");
  EXPECT_EQ(sniff({"12/1/2010 8:26", "12/13/2010 8:26:00"}), "");
  EXPECT_EQ(sniff({"2010-12-01", "2010-12-01 08:26:00"}), "");
  EXPECT_EQ(sniff({"2010-12-01", "n/a"}), "");
}

TEST(SniffTest, CompactDatesOfAColumnKnownToHoldDates) {
  EXPECT_EQ(sniff({"19970101", "19970118", "19971231", "19980630"}, "date"), "%Y%m%d");
  EXPECT_EQ(sniff({"19970101083000", "19971231235959"}, "ordered"), "%Y%m%d%H%M%S");
  // A month 13 or a 31 February is no date: the column is not %Y%m%d.
  EXPECT_EQ(sniff({"19970101", "19971301"}, "date"), "");
  EXPECT_EQ(sniff({"19970101", "19970231"}, "date"), "");
  // ... unless it is one value in many of a column known to hold dates (min_fit), a reject later.
  std::vector<std::string_view> mostly(19, "19970315");
  mostly.push_back("19971301");
  EXPECT_EQ(sniff_date_format("date", mostly, 0.9), "%Y%m%d");
  // Other digit counts are no compact dates; 10 digits in range are unix seconds.
  EXPECT_EQ(sniff({"1997011", "1997012"}, "date"), "");
  EXPECT_EQ(sniff({"199701011", "199701012"}, "date"), "");
  EXPECT_EQ(sniff({"1511544070", "1512000000"}, "date"), "unix-seconds");
}

TEST(SniffTest, EmptySamplesAreSkipped) {
  EXPECT_EQ(sniff({}), "");
  EXPECT_EQ(sniff({"", "  "}), "");
  EXPECT_EQ(sniff({"", "2010-12-01", " ", "2011-12-09"}), "%Y-%m-%d");
}

// Every value of the sample files' date columns parses with the sniffed format.
std::vector<std::string> column_of_csv(const std::string& path, std::size_t column,
                                       bool skip_header) {
  std::ifstream in(path);
  std::vector<std::string> values;
  std::string line;
  if (skip_header) std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string field;
    for (std::size_t i = 0; i <= column; ++i) std::getline(fields, field, ',');
    values.push_back(field);
  }
  return values;
}

void expect_column_sniffs_as(const std::vector<std::string>& column, std::string_view name,
                             std::string_view expected) {
  ASSERT_FALSE(column.empty());
  const std::vector<std::string_view> views(column.begin(), column.end());
  const std::string format = sniff_date_format(name, views);
  EXPECT_EQ(format, expected);
  const DateParser parser(format);
  for (std::string_view value : views) ASSERT_TRUE(parser.parse(value)) << value;
}

TEST(SniffTest, SampleFiles) {
  const std::string data = CUSTLENS_TEST_DATA;
  const auto invoices = column_of_csv(data + "/online_retail_invoices.csv", 1, true);
  ASSERT_EQ(invoices.size(), 18532u);
  expect_column_sniffs_as(invoices, "InvoiceDate", "%Y-%m-%d");
  EXPECT_EQ(format_date(*parse_timestamp(invoices.front(), "%Y-%m-%d")), "2010-12-01");

  expect_column_sniffs_as(column_of_csv(data + "/taobao_user_behavior_sample.csv", 4, false),
                          "column5", "unix-seconds");
  expect_column_sniffs_as(column_of_csv(data + "/tianchi_behavior_zh.csv", 8, true), "时间戳",
                          "unix-seconds");
  // Ids and prices of the same files are not dates.
  const auto ids = column_of_csv(data + "/online_retail_invoices.csv", 2, true);
  const std::vector<std::string_view> id_views(ids.begin(), ids.end());
  EXPECT_EQ(sniff_date_format("CustomerID", id_views), "");
}

}  // namespace
}  // namespace custlens::io

namespace custlens::io {
namespace {

TEST(SniffDateFormatTest, MinFitToleratesAFewImpossibleValues) {
  std::vector<std::string_view> values = {"12/1/2010 8:26",  "12/2/2010 9:01", "1/13/2011 10:00",
                                          "2/30/2011 10:00", "3/4/2011 11:30", "4/5/2011 12:00",
                                          "5/6/2011 13:00",  "6/7/2011 14:00", "7/8/2011 15:00",
                                          "8/9/2011 16:00",  "9/10/2011 17:00"};
  // Strict sniffing finds no format because of 2/30; a 90 % fit keeps month-first.
  EXPECT_EQ(sniff_date_format("InvoiceDate", values), "");
  EXPECT_EQ(sniff_date_format("InvoiceDate", values, 0.9), "%m/%d/%Y %H:%M");
  // Below the threshold nothing is chosen.
  std::vector<std::string_view> mostly_bad = {"12/1/2010 8:26", "x", "y", "z"};
  EXPECT_EQ(sniff_date_format("InvoiceDate", mostly_bad, 0.9), "");
}

}  // namespace
}  // namespace custlens::io
