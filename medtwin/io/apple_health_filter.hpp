// Drops the attributes the Apple Health importer never reads — sourceVersion,
// device and creationDate, about half of an export's bytes — before expat
// sees them. Expat's time grows with the bytes it parses, so this halves it.
// It works on whole lines and never removes a newline, so expat's line numbers
// stay true; columns expat reports are mapped back to the original text with
// original_column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace medtwin::apple_health {

class UnusedAttributeFilter {
 public:
  // Copies `in` to `out` (room for in.size() bytes) without the unused
  // attributes and returns the bytes written. Only lines ending in `in` are
  // filtered: text after the last newline is copied as it is.
  std::size_t filter(std::string_view in, char* out);

  // A 0-based column expat reports on 1-based `line`, as a column of the
  // original text; exact for lines passed in the last two calls.
  long original_column(std::uint64_t line, long column) const;

 private:
  struct Removal {
    std::uint64_t line;
    std::size_t column;  // where, in the filtered line
    std::size_t width;   // characters removed
  };
  char* filter_line(std::string_view line, char* out);

  std::uint64_t line_ = 1;
  std::size_t column_ = 0;  // bytes already written on an unfinished line
  std::vector<Removal> current_, previous_;
};

}  // namespace medtwin::apple_health
