#include "medtwin/io/apple_health_filter.hpp"

#include <array>
#include <cstring>

namespace medtwin::apple_health {
namespace {

// In the order the Health app writes them; a line is searched in this order.
constexpr std::array<std::string_view, 3> kUnused = {" sourceVersion=\"", " device=\"", " creationDate=\""};

bool is_ascii(std::string_view text) {
  std::uint64_t any = 0;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {  // eight bytes at a time: this runs on every removal
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    any |= word;
  }
  for (; i < text.size(); ++i) any |= std::uint8_t(text[i]);
  return (any & 0x8080808080808080ull) == 0;
}

// Expat counts columns in characters.
std::size_t characters(std::string_view text) {
  if (is_ascii(text)) return text.size();
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;  // not a UTF-8 continuation byte
  return count;
}

}  // namespace

std::size_t UnusedAttributeFilter::filter(std::string_view in, char* out) {
  previous_.swap(current_);
  current_.clear();
  char* end = out;
  while (!in.empty()) {
    const void* newline = std::memchr(in.data(), '\n', in.size());
    if (!newline) {
      std::memcpy(end, in.data(), in.size());
      end += in.size();
      column_ += in.size();
      break;
    }
    std::size_t length = std::size_t(static_cast<const char*>(newline) - in.data()) + 1;
    end = filter_line(in.substr(0, length), end);
    in.remove_prefix(length);
  }
  return std::size_t(end - out);
}

char* UnusedAttributeFilter::filter_line(std::string_view line, char* out) {
  std::size_t copied = 0;  // bytes of `line` handled so far
  for (std::string_view attribute : kUnused) {
    const void* found = memmem(line.data() + copied, line.size() - copied, attribute.data(), attribute.size());
    if (!found) continue;
    std::size_t start = std::size_t(static_cast<const char*>(found) - line.data());
    std::size_t value = start + attribute.size();
    std::size_t close = line.find('"', value);
    if (close == std::string_view::npos) break;  // not a plain attribute: leave the rest to expat
    std::memcpy(out, line.data() + copied, start - copied);
    out += start - copied;
    column_ += start - copied;
    current_.push_back({line_, column_, characters(line.substr(start, close + 1 - start))});
    copied = close + 1;
  }
  std::memcpy(out, line.data() + copied, line.size() - copied);
  ++line_;
  column_ = 0;
  return out + (line.size() - copied);
}

long UnusedAttributeFilter::original_column(std::uint64_t line, long column) const {
  long shift = 0;
  for (const auto* removals : {&previous_, &current_})
    for (const auto& r : *removals)
      if (r.line == line && long(r.column) <= column) shift += long(r.width);
  return column + shift;
}

}  // namespace medtwin::apple_health
