// Streaming XML through expat (https://libexpat.github.io/) for the importers
// that read XML (Apple Health export.xml, MotionWatch .mtn): a reader derives
// from ExpatReader, overrides on_start / on_end (and on_text if it asks for
// text), and feeds the document piece by piece, so a large file never sits in
// memory. Expat is C: an exception thrown in a handler stops the parser and is
// rethrown once expat returns. Malformed XML is a ParseError at expat's
// position, "file:line:column: what". Entity declarations are refused: no
// format read here declares any, and refusing them rules out entity-expansion
// ("billion laughs") bombs.
#pragma once

#include <cstddef>
#include <exception>
#include <string>
#include <string_view>

struct XML_ParserStruct;  // expat's parser, kept out of this header

namespace medtwin {

class ExpatReader {
 public:
  virtual ~ExpatReader();
  ExpatReader(const ExpatReader&) = delete;
  ExpatReader& operator=(const ExpatReader&) = delete;

  // Parses the next piece of the document; `last` with (or after) its end.
  void feed(std::string_view bytes, bool last);

  // The same without a copy: fill buffer(size) with up to `size` bytes, then
  // parse_buffer(bytes written, last).
  char* buffer(std::size_t size);
  void parse_buffer(std::size_t bytes, bool last);

  const std::string& name() const { return name_; }
  // The 1-based line of what expat reports now.
  long line() const;

  // Throws a ParseError "name:line:column: what" at expat's position.
  [[noreturn]] void fail(const std::string& what) const;

 protected:
  // `name` names the document in errors; on_text is called only `with_text`
  // (most readers want attributes alone, and text callbacks cost time).
  explicit ExpatReader(std::string name, bool with_text = false);

  // `attributes`: name, value, name, value, …, nullptr (see attribute()).
  virtual void on_start(std::string_view element, const char** attributes) = 0;
  virtual void on_end(std::string_view element) = 0;
  // A piece of character data; one run of text may come in several pieces.
  virtual void on_text(std::string_view) {}
  // The 0-based column in the original text of expat's 0-based `column` on
  // `line`, for readers that hand expat an altered text.
  virtual long original_column(long /*line*/, long column) const { return column; }

 private:
  struct Callbacks;  // the C handlers expat calls
  [[noreturn]] void throw_error() const;

  XML_ParserStruct* parser_;
  std::string name_;
  std::exception_ptr error_;  // thrown by a handler; rethrown once expat returns
};

// The value of attribute `key` in expat's attribute list; empty when absent.
std::string_view attribute(const char** attributes, std::string_view key);

}  // namespace medtwin
