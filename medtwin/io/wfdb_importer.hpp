// The WFDB (PhysioNet, MIT-BIH) importer: a record's header (.hea), its signal
// files (.dat, or PhysioNet's MATLAB v4 .mat) and its reference annotations
// (.atr beside the header) become one Signal per sampling rate, with the
// annotations on it. See docs/formats/biosignals.md.
#pragma once

#include <filesystem>
#include <memory>

#include "medtwin/io/importer.hpp"

namespace medtwin {

std::unique_ptr<Importer> make_wfdb_importer();

// Reads the record whose header is at `header` (any file name, e.g. the
// "100-wfdbpython-testvariant.hea.txt" test variant); signal files are looked
// up beside it, annotations in "<record>.atr" beside it if that exists.
void read_wfdb_record(const std::filesystem::path& header, const ImportOptions& options, RecordSink& sink);

// The files a record consists of: the header, its signal files, and the
// annotation file when present. Throws ParseError if the header is invalid.
std::vector<std::filesystem::path> wfdb_record_files(const std::filesystem::path& header);

}  // namespace medtwin
