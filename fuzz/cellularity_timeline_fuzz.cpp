// libFuzzer target for cellularity timelines (medtwin/twin/tumour_cellularity.hpp):
// a ParseError is the only acceptable way to reject bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "medtwin/core/error.hpp"
#include "medtwin/twin/tumour_cellularity.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto t =
        medtwin::parse_cellularity_timeline(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
    (void)t.visits.size();
  } catch (const medtwin::ParseError&) {
  }
  return 0;
}
