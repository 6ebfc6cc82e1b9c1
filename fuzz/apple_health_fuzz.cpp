// libFuzzer target for the Apple Health importer: the bytes are read as an
// export.zip, an export.xml or an Apple Watch ECG CSV, told apart by content
// as the importer does for files.
#include <cstddef>
#include <cstdint>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/apple_health.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  medtwin::CollectingSink sink;
  try {
    medtwin::read_apple_health({reinterpret_cast<const char*>(data), size}, "fuzz", {}, sink);
  } catch (const medtwin::Error&) {
    // Rejecting bad input with a ParseError is the expected outcome.
  }
  return 0;
}
