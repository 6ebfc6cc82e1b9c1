// The CSV reader every importer shares: RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180)
// records streamed one at a time with the line each starts on, so errors can
// name it and gigabyte files never sit in memory.
//
// Lenient where real exports are: LF, CRLF or CR line ends, a UTF-8
// byte-order mark, any one-byte delimiter, blank lines skipped, text after a
// closing quote kept as written. Quoted fields may hold delimiters, doubled
// quotes and line breaks; a quote left open, or a quoted field longer than
// kMaxQuotedField (a stray quote would otherwise pull the rest of the file
// into one field), is a ParseError.
//
//   CsvReader csv(stream, "steps.csv");
//   CsvRow row;
//   csv.next(row);                       // the header
//   CsvHeader header(row.fields);
//   std::size_t steps = header.require("Steps", csv.name(), row.line);
//   while (csv.next(row)) { check_width(row, header.size(), csv.name()); … }
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace medtwin {

// The longest quoted field read: far above any real value, small enough that
// a stray opening quote fails fast instead of buffering a gigabyte file.
inline constexpr std::size_t kMaxQuotedField = 1 << 20;

struct CsvRow {
  std::vector<std::string> fields;
  long line = 0;  // 1-based line the record starts on
};

class CsvReader {
 public:
  // Reads `in` (open it in binary mode); `name` is the file name errors show.
  CsvReader(std::istream& in, std::string name, char delimiter = ',');
  // Reads bytes in memory, which must outlive the reader.
  CsvReader(std::string_view bytes, std::string name, char delimiter = ',');

  // The next record into `row` (its strings are reused), false at the end.
  bool next(CsvRow& row);

  // Bytes consumed so far, for progress reports.
  std::uint64_t position() const { return consumed_ + pos_; }
  const std::string& name() const { return name_; }

 private:
  bool refill();
  int peek();
  int get();
  void read_quoted(std::string& field);
  void skip_blank_lines();

  std::istream* in_ = nullptr;
  std::string chunk_;      // stream mode: the bytes read last
  std::string_view buf_;   // the window being parsed
  std::size_t pos_ = 0;
  std::uint64_t consumed_ = 0;  // bytes before buf_
  long line_ = 1;
  bool at_start_ = true;
  std::string name_;
  char delimiter_;
};

// Column positions by header name (names compared exactly, surrounding blanks ignored).
class CsvHeader {
 public:
  CsvHeader() = default;
  explicit CsvHeader(std::vector<std::string> names);
  std::optional<std::size_t> find(std::string_view name) const;
  // The column of `name`; a ParseError naming the file and header line when absent.
  std::size_t require(std::string_view name, const std::string& file, long line) const;
  const std::vector<std::string>& names() const { return names_; }
  std::size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
};

// Requires `row` to have `columns` fields. Extra trailing empty fields (a
// trailing delimiter, common in exports) are dropped; anything else is a
// ParseError naming the line.
void check_width(CsvRow& row, std::size_t columns, const std::string& file);

}  // namespace medtwin
