// libFuzzer target: WFDB header text, then (after a NUL byte) the bytes every
// signal file it names holds; parsed and decoded as the WFDB importer does.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "medtwin/core/error.hpp"
#include "medtwin/io/wfdb_header.hpp"
#include "medtwin/io/wfdb_signal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto cut = input.find('\0');
  std::string_view text = input.substr(0, cut);
  std::string signal_bytes(cut == std::string_view::npos ? std::string_view{} : input.substr(cut + 1));
  medtwin::looks_like_wfdb_header(text);
  try {
    medtwin::WfdbHeader header = medtwin::parse_wfdb_header(text, "fuzz.hea");
    auto open = [&](const std::string& file) {
      return medtwin::WfdbFile{std::make_unique<std::istringstream>(signal_bytes), signal_bytes.size(), file};
    };
    medtwin::read_wfdb_samples(header, open);
  } catch (const medtwin::Error&) {
  }
  return 0;
}
