// libFuzzer target for tumour timelines (medtwin/twin/tumour_timeline.hpp):
// a ParseError is the only acceptable way to reject bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "medtwin/core/error.hpp"
#include "medtwin/twin/tumour_timeline.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto t = medtwin::parse_tumour_timeline(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
    (void)t.first_treatment_day();
  } catch (const medtwin::ParseError&) {
  }
  return 0;
}
