// libFuzzer target for NIfTI volumes (medtwin/io/nifti_volume.hpp): the bytes
// go to a file (nifti2 reads files), and an Error is the only acceptable way
// to reject them.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "medtwin/core/error.hpp"
#include "medtwin/io/nifti_volume.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto path = std::filesystem::temp_directory_path() / ("medtwin-nifti-fuzz-" + std::to_string(getpid()) + ".nii");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const auto v = medtwin::io::read_nifti_volume(path);
    (void)medtwin::io::mask_voxels(v);
  } catch (const medtwin::Error&) {
  }
  return 0;
}
