// Text helpers the importers share: blanks, ASCII case, file extensions and
// numbers. All are independent of the C++ locale: files are read the same
// whatever the machine's language settings.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace medtwin {

// `text` without surrounding ASCII white space (space, tab, CR, LF, VT, FF).
std::string_view trim(std::string_view text);

// `text` with ASCII letters in lower / upper case; other bytes (UTF-8) unchanged.
std::string to_lower(std::string_view text);
std::string to_upper(std::string_view text);

// Whether `a` and `b` are equal when ASCII case is ignored.
bool equals_ignoring_case(std::string_view a, std::string_view b);

// Whether the file name of `path` ends in `extension` (".hea", ".tar.gz"),
// ASCII case ignored; a name that is only the extension (".hea") has none.
bool has_extension(const std::filesystem::path& path, std::string_view extension);

// The number in `text` (blanks around it and a leading '+' allowed), in the C
// locale's notation ("74", "-1.5e-3"); nullopt when `text` is not a finite
// decimal number. Empty text is not a number: test `trim(text).empty()` first
// where an empty field means "no value".
std::optional<double> to_number(std::string_view text);

}  // namespace medtwin
