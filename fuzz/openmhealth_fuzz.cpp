// libFuzzer target for the Open mHealth reader: a data point, a bare body or an array of them.
#include <cstddef>
#include <cstdint>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/openmhealth_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  medtwin::CollectingSink sink;
  medtwin::ImportOptions options;
  if (size % 2 == 1) options.time_zone = "Europe/Amsterdam";
  try {
    medtwin::read_open_mhealth({reinterpret_cast<const char*>(data), size}, "fuzz.json", options, sink);
  } catch (const medtwin::Error&) {
    // Rejecting bad input with a ParseError is the expected outcome.
  }
  return 0;
}
