// libFuzzer target for the named-row tables (medtwin/io/named_table.hpp) and
// the UVA/Padova parameters built from them: rejecting the bytes with a
// ParseError, or a row with an Error naming the missing or bad column, is
// fine; anything else (a crash, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "medtwin/core/error.hpp"
#include "medtwin/io/named_table.hpp"
#include "medtwin/metabolic/uva_padova.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const auto rows = medtwin::read_named_table(input, "fuzz.csv");
    medtwin::find_named_row(rows, "adult#001");
    for (const auto& row : rows) {
      try {
        medtwin::metabolic::uva_padova_params(row.name, row.values);
      } catch (const medtwin::Error&) {
      }
    }
  } catch (const medtwin::ParseError&) {
  }
  return 0;
}
