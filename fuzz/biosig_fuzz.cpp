// libFuzzer target for the EDF / EDF+ / BDF / GDF importer. BioSig opens files
// by name only, so each input is written to a file under /tmp (one per
// process), imported, and removed. Run with a small -max_len (e.g. 4096): the
// headers are what is fuzzed.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/biosig_importer.hpp"

namespace {

const std::filesystem::path& input_path() {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("medtwin-biosig-fuzz-" + std::to_string(::getpid()) + ".edf");
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // As in an import: only files that start like EDF/BDF/GDF reach BioSig.
  if (!medtwin::is_edf_bdf_gdf(std::string_view(reinterpret_cast<const char*>(data), size))) return 0;
  const auto& path = input_path();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
  }
  static const auto importer = medtwin::make_biosig_importer();
  medtwin::ImportOptions options;
  options.time_zone = "UTC";
  medtwin::CollectingSink sink;
  try {
    importer->read(path, options, sink);
  } catch (const medtwin::Error&) {
    // Rejecting bad input with a ParseError is the expected outcome.
  }
  std::filesystem::remove(path);
  return 0;
}
