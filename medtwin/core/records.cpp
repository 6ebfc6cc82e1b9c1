#include "medtwin/core/records.hpp"

#include <algorithm>
#include <cctype>

namespace medtwin {

std::string_view to_string(Sex sex) {
  switch (sex) {
    case Sex::female: return "female";
    case Sex::male: return "male";
    case Sex::other: return "other";
    case Sex::unknown: break;
  }
  return "unknown";
}

Sex parse_sex(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "female" || lower == "f" || lower == "hkbiologicalsexfemale") return Sex::female;
  if (lower == "male" || lower == "m" || lower == "hkbiologicalsexmale") return Sex::male;
  if (lower == "other" || lower == "hkbiologicalsexother") return Sex::other;
  return Sex::unknown;
}

}  // namespace medtwin
