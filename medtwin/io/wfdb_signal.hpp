// WFDB signal files (the WFDB signal(5) manual page): frames of interleaved
// samples in formats 212 (two 12-bit samples in 3 bytes, MIT-BIH), 16, 61,
// 160, 80, 24, 32, 310 and 311 (three 10-bit samples in 4 bytes), optionally
// inside a MATLAB v4 .mat file (PhysioNet's .mat records). Reads all samples
// of a record in physical units, streaming each file in chunks.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "medtwin/io/wfdb_header.hpp"

namespace medtwin {

// One signal file's bytes: the importer opens files beside the header, tests
// and fuzzers hand over bytes in memory.
struct WfdbFile {
  std::unique_ptr<std::istream> stream;
  std::uint64_t size = 0;
  std::string name;  // for messages
};
// Opens the file a signal line names; throws NotFound when it is missing.
using WfdbFileOpener = std::function<WfdbFile(const std::string& file)>;

struct WfdbSignalSamples {
  // samples_per_frame values per frame, (adu − baseline) / gain; NaN where
  // WFDB marks a sample invalid (the format's most negative value).
  std::vector<float> values;
  // The 16-bit sum of the samples when it differs from the header's checksum
  // (a checksum of 0 for a .mat file counts as absent: CinC 2017 writes 0).
  std::optional<int> checksum_mismatch;
};

// Every signal of `header`, in header order. The number of frames is the
// header's, or what the files hold when the header gives none. Throws
// ParseError naming the file when it is shorter than the header says or uses
// a format this reader does not decode.
std::vector<WfdbSignalSamples> read_wfdb_samples(
    const WfdbHeader& header, const WfdbFileOpener& open,
    const std::function<void(std::uint64_t done, std::uint64_t total)>& progress = {});

// Whether read_wfdb_samples decodes signal format `format`.
bool wfdb_format_supported(int format);

}  // namespace medtwin
