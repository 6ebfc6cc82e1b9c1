// libFuzzer target for glucose scenario files (medtwin/twin/glucose_scenario.hpp):
// a ParseError is the only acceptable way to reject bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "medtwin/core/error.hpp"
#include "medtwin/twin/glucose_scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    medtwin::parse_glucose_scenario(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  } catch (const medtwin::ParseError&) {
  }
  return 0;
}
