// libFuzzer target for the CGMacros importer: the bytes are one participant's
// CSV, read with a zone (so every row is parsed, the sensor columns gathered
// and their readings picked out).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/cgmacros.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  medtwin::ImportOptions options;
  options.time_zone = "UTC";
  medtwin::CollectingSink sink;
  try {
    medtwin::read_cgmacros(bytes, "CGMacros-001.csv", options, sink);
  } catch (const medtwin::Error&) {
    // Rejecting bad input with a ParseError is the expected outcome.
  }
  return 0;
}
