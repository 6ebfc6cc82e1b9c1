// libFuzzer target for the FHIR R4 reader: the bytes are read as a JSON
// resource or Bundle, or as NDJSON, told apart by content as the importer does.
// Odd-sized inputs also pass a --tz, so both ways of reading zone-less times run.
#include <cstddef>
#include <cstdint>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/fhir_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  medtwin::CollectingSink sink;
  medtwin::ImportOptions options;
  if (size % 2 == 1) options.time_zone = "Europe/Amsterdam";
  try {
    medtwin::read_fhir({reinterpret_cast<const char*>(data), size}, "fuzz.json", options, sink);
  } catch (const medtwin::Error&) {
    // Rejecting bad input with a ParseError is the expected outcome.
  }
  return 0;
}
