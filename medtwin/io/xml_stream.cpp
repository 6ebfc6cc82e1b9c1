#include "medtwin/io/xml_stream.hpp"

#include <expat.h>

#include <climits>
#include <type_traits>

#include "medtwin/core/error.hpp"

namespace medtwin {

static_assert(std::is_same_v<XML_Char, char>, "expat must be built for UTF-8 (XML_Char = char)");

struct ExpatReader::Callbacks {
  // Runs a handler unless one has failed already; a failure stops the parser.
  template <typename Body>
  static void guarded(void* data, Body&& body) {
    auto& self = *static_cast<ExpatReader*>(data);
    if (self.error_) return;
    try {
      body(self);
    } catch (...) {
      self.error_ = std::current_exception();
      XML_StopParser(self.parser_, XML_FALSE);
    }
  }

  static void XMLCALL start(void* data, const XML_Char* element, const XML_Char** attributes) {
    guarded(data, [&](ExpatReader& self) { self.on_start(element, attributes); });
  }
  static void XMLCALL end(void* data, const XML_Char* element) {
    guarded(data, [&](ExpatReader& self) { self.on_end(element); });
  }
  static void XMLCALL text(void* data, const XML_Char* text, int length) {
    guarded(data, [&](ExpatReader& self) { self.on_text(std::string_view(text, std::size_t(length))); });
  }
  static void XMLCALL entity(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                             const XML_Char*, const XML_Char*, const XML_Char*) {
    guarded(data, [](ExpatReader& self) { self.fail("entity declarations are not allowed"); });
  }
};

ExpatReader::ExpatReader(std::string name, bool with_text)
    : parser_(XML_ParserCreate(nullptr)), name_(std::move(name)) {
  if (!parser_) throw Error("cannot create an XML parser (out of memory)");
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &Callbacks::start, &Callbacks::end);
  if (with_text) XML_SetCharacterDataHandler(parser_, &Callbacks::text);
  XML_SetEntityDeclHandler(parser_, &Callbacks::entity);
}

ExpatReader::~ExpatReader() { XML_ParserFree(parser_); }

void ExpatReader::feed(std::string_view bytes, bool last) {
  // Expat takes an int length: hand it larger pieces in parts.
  constexpr std::size_t kMaxPiece = INT_MAX / 2;
  while (bytes.size() > kMaxPiece) {
    if (XML_Parse(parser_, bytes.data(), int(kMaxPiece), XML_FALSE) != XML_STATUS_OK) throw_error();
    bytes.remove_prefix(kMaxPiece);
  }
  if (XML_Parse(parser_, bytes.data(), int(bytes.size()), last) != XML_STATUS_OK) throw_error();
}

char* ExpatReader::buffer(std::size_t size) {
  void* buffer = size <= INT_MAX ? XML_GetBuffer(parser_, int(size)) : nullptr;
  if (!buffer) throw_error();
  return static_cast<char*>(buffer);
}

void ExpatReader::parse_buffer(std::size_t bytes, bool last) {
  if (XML_ParseBuffer(parser_, int(bytes), last) != XML_STATUS_OK) throw_error();
}

long ExpatReader::line() const { return long(XML_GetCurrentLineNumber(parser_)); }

void ExpatReader::fail(const std::string& what) const {
  long column = original_column(line(), long(XML_GetCurrentColumnNumber(parser_)));
  throw ParseError(located(name_, line(), column + 1, what));
}

void ExpatReader::throw_error() const {
  if (error_) std::rethrow_exception(error_);
  fail(XML_ErrorString(XML_GetErrorCode(parser_)));
}

std::string_view attribute(const char** attributes, std::string_view key) {
  for (auto a = attributes; *a; a += 2)
    if (key == a[0]) return a[1];
  return {};
}

}  // namespace medtwin
