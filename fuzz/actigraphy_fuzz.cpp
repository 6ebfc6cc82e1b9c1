// libFuzzer target for the actigraphy readers: input starting with '<' is read
// as a MotionWatch .mtn (XML), anything else as an Actiwatch .AWD.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/actigraphy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  medtwin::ImportOptions options;
  options.time_zone = "Europe/Amsterdam";
  medtwin::CollectingSink sink;
  try {
    if (size > 0 && data[0] == '<') medtwin::read_mtn(in, "fuzz.mtn", options, sink);
    else medtwin::read_awd(in, "fuzz.AWD", options, sink);
  } catch (const medtwin::Error&) {
    // Rejecting bad input with a ParseError is the expected outcome.
  }
  return 0;
}
