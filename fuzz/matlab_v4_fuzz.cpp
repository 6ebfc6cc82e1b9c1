// libFuzzer target: a MATLAB Level 4 matrix header (CinC 2017 .mat files), as
// the WFDB importer reads it before the samples.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "medtwin/core/error.hpp"
#include "medtwin/io/matlab_v4.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.size() < 20) return 0;
  try {
    if (medtwin::matlab_v4_header_size(bytes.substr(0, 20), "fuzz.mat") > bytes.size()) return 0;
    const auto matrix = medtwin::parse_matlab_v4_header(bytes, "fuzz.mat");
    (void)medtwin::to_string(matrix.element);
  } catch (const medtwin::Error&) {
  }
  return 0;
}
