// libFuzzer target: bytes of a WFDB annotation file (MIT format).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "medtwin/core/error.hpp"
#include "medtwin/io/wfdb_annotation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    medtwin::parse_wfdb_annotations(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.atr");
  } catch (const medtwin::Error&) {
  }
  return 0;
}
