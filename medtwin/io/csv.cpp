#include "medtwin/io/csv.hpp"

#include <fmt/format.h>

#include "medtwin/core/error.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

CsvReader::CsvReader(std::istream& in, std::string name, char delimiter)
    : in_(&in), name_(std::move(name)), delimiter_(delimiter) {}

CsvReader::CsvReader(std::string_view bytes, std::string name, char delimiter)
    : buf_(bytes), name_(std::move(name)), delimiter_(delimiter) {}

bool CsvReader::refill() {
  if (!in_) return false;
  consumed_ += buf_.size();
  chunk_.resize(kChunkBytes);
  in_->read(chunk_.data(), std::streamsize(chunk_.size()));
  chunk_.resize(std::size_t(in_->gcount()));
  buf_ = chunk_;
  pos_ = 0;
  return !buf_.empty();
}

int CsvReader::peek() {
  if (pos_ == buf_.size() && !refill()) return -1;
  return static_cast<unsigned char>(buf_[pos_]);
}

int CsvReader::get() {
  int c = peek();
  if (c != -1) ++pos_;
  return c;
}

void CsvReader::skip_blank_lines() {
  if (at_start_) {
    at_start_ = false;
    // The mark may straddle no chunk boundary: chunks are far larger than 3 bytes.
    if (peek() != -1 && buf_.substr(pos_).starts_with(kByteOrderMark)) pos_ += kByteOrderMark.size();
  }
  for (int c = peek(); c == '\n' || c == '\r'; c = peek()) {
    get();
    if (c == '\r' && peek() == '\n') get();
    ++line_;
  }
}

void CsvReader::read_quoted(std::string& field) {
  const long start_line = line_;
  for (;;) {
    int c = get();
    if (c == -1) throw ParseError(located(name_, start_line, "a quoted field is never closed"));
    if (c == '"') {
      if (peek() != '"') return;
      get();
    } else if (c == '\n') {
      ++line_;
    }
    if (field.size() == kMaxQuotedField) {
      std::string what = fmt::format("a quoted field runs past {} MiB; is a quote left open?", kMaxQuotedField >> 20);
      throw ParseError(located(name_, start_line, what));
    }
    field.push_back(char(c));
  }
}

bool CsvReader::next(CsvRow& row) {
  skip_blank_lines();
  if (peek() == -1) return false;
  row.line = line_;
  std::size_t count = 0;
  auto next_field = [&]() -> std::string& {
    if (count == row.fields.size()) row.fields.emplace_back();
    std::string& field = row.fields[count++];
    field.clear();
    return field;
  };
  std::string* field = &next_field();
  bool field_start = true;
  for (;;) {
    int c = get();
    if (c == -1) break;
    if (c == '\n' || c == '\r') {
      if (c == '\r' && peek() == '\n') get();
      ++line_;
      break;
    }
    if (c == delimiter_) {
      field = &next_field();
      field_start = true;
      continue;
    }
    if (c == '"' && field_start) {
      read_quoted(*field);
    } else {
      field->push_back(char(c));
    }
    field_start = false;
  }
  row.fields.resize(count);
  return true;
}

CsvHeader::CsvHeader(std::vector<std::string> names) : names_(std::move(names)) {
  for (auto& name : names_) name = std::string(trim(name));
}

std::optional<std::size_t> CsvHeader::find(std::string_view name) const {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return i;
  return std::nullopt;
}

std::size_t CsvHeader::require(std::string_view name, const std::string& file, long line) const {
  if (auto column = find(name)) return *column;
  throw ParseError(located(file, line, fmt::format("the header has no column '{}'", name)));
}

void check_width(CsvRow& row, std::size_t columns, const std::string& file) {
  while (row.fields.size() > columns && trim(row.fields.back()).empty()) row.fields.pop_back();
  if (row.fields.size() != columns) {
    throw ParseError(located(file, row.line,
                             fmt::format("the row has {} fields but the header has {}", row.fields.size(), columns)));
  }
}

}  // namespace medtwin
