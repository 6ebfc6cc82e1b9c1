#include "medtwin/io/csv.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "medtwin/core/error.hpp"
#include "medtwin/io/testing.hpp"

namespace medtwin {
namespace {

std::vector<CsvRow> read_all(std::string_view text, char delimiter = ',') {
  CsvReader csv(text, "t.csv", delimiter);
  std::vector<CsvRow> rows;
  CsvRow row;
  while (csv.next(row)) rows.push_back(row);
  return rows;
}

TEST(CsvReader, SplitsRecordsAndCountsLines) {
  auto rows = read_all("a,b,c\r\n1,2,3\r\n\r\n4,,6\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1].line, 2);
  EXPECT_EQ(rows[2].line, 4);  // the blank line 3 is skipped but counted
  EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"4", "", "6"}));
}

TEST(CsvReader, QuotedFieldsHoldDelimitersQuotesAndNewlines) {
  auto rows = read_all("x,\"a, \"\"b\"\"\nc\",y\nnext,1,2\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields[1], "a, \"b\"\nc");
  EXPECT_EQ(rows[0].fields[2], "y");
  EXPECT_EQ(rows[1].line, 3);  // the quoted newline advanced the line count
}

TEST(CsvReader, SkipsByteOrderMarkAndHandlesLastLineWithoutNewline) {
  auto rows = read_all("\xEF\xBB\xBFId;Value\n7;8", ';');
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields[0], "Id");
  EXPECT_EQ(rows[1].fields[1], "8");
}

TEST(CsvReader, TrailingDelimiterGivesEmptyLastField) {
  auto rows = read_all("a,b,\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields.size(), 3u);
}

TEST(CsvReader, UnclosedQuoteNamesTheLineItStarted) {
  try {
    read_all("a,b\n1,\"open\n2,3\n");
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("t.csv:2:"), std::string::npos) << e.what();
  }
}

TEST(CsvReader, StreamsAcrossChunkBoundaries) {
  std::string text = "n,v\n";
  for (int i = 0; i < 20000; ++i) text += std::to_string(i) + ",\"q" + std::to_string(i) + "\"\n";
  std::istringstream in(text);
  CsvReader csv(in, "big.csv");
  CsvRow row;
  long rows = 0;
  std::string last;
  while (csv.next(row)) {
    ++rows;
    last = row.fields[1];
  }
  EXPECT_EQ(rows, 20001);
  EXPECT_EQ(last, "q19999");
  EXPECT_EQ(csv.position(), text.size());
}

TEST(CsvReader, EmptyInputHasNoRecords) {
  EXPECT_TRUE(read_all("").empty());
  EXPECT_TRUE(read_all("\n\r\n").empty());
}

TEST(CsvHeader, FindsAndRequiresColumns) {
  CsvHeader header({"Id", " Time ", "Value"});
  EXPECT_EQ(header.find("Time"), 1u);
  EXPECT_FALSE(header.find("value"));
  EXPECT_THROW(header.require("Missing", "t.csv", 1), ParseError);
}

TEST(CheckWidth, DropsTrailingEmptyFieldsAndRejectsRaggedRows) {
  CsvRow row{{"1", "2", ""}, 5};
  check_width(row, 2, "t.csv");
  EXPECT_EQ(row.fields.size(), 2u);
  CsvRow short_row{{"1"}, 7};
  try {
    check_width(short_row, 2, "t.csv");
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("t.csv:7:"), std::string::npos) << e.what();
  }
}

TEST(CsvReader, StrayQuoteFailsAtTheFieldCapNamingWhereTheFieldStarted) {
  // A quote opened on line 3 and never closed in a file far larger than the cap.
  std::string text = "a,b\n1,2\n3,\"open\n";
  while (text.size() < 2 * kMaxQuotedField) text += "4,5\n";
  std::istringstream in(text);
  CsvReader csv(in, "stray.csv");
  CsvRow row;
  std::string what = error_of<ParseError>([&] {
    while (csv.next(row)) {
    }
  });
  EXPECT_NE(what.find("stray.csv:3: a quoted field runs past 1 MiB"), std::string::npos) << what;
  // The line is the field's, not its record's: this record starts on line 2.
  what = error_of<ParseError>([] { read_all("a,b\n\"x\ny\",\"open\n"); });
  EXPECT_EQ(what, "t.csv:3: a quoted field is never closed");
  // A field of exactly the cap is still read.
  auto rows = read_all("x\n\"" + std::string(kMaxQuotedField, 'y') + "\"\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].fields[0].size(), kMaxQuotedField);
}

}  // namespace
}  // namespace medtwin
