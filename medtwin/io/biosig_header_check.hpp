// Checks an EDF / EDF+ / BDF / GDF file before BioSig opens it. BioSig 2.5
// (libbiosig) reads outside its buffers, or crashes, on some malformed files
// (found by fuzz/biosig_fuzz.cpp); each check here refuses one such shape with
// a ParseError. A file that passes may still be refused by BioSig, which then
// says why itself. Layouts: EDF (Kemp et al. 1992), EDF+ (Kemp & Olivan 2003),
// BDF (BioSemi), GDF 2 (Schlögl 2006).
#pragma once

#include <cstdint>
#include <filesystem>

#include "medtwin/core/error.hpp"

namespace medtwin {

void check_before_biosig(const std::filesystem::path& path);

// The error for a header that leaves the number of data records unknown (-1):
// medtwin does not count them from the file size.
ParseError unknown_records_error(const std::filesystem::path& path);

// The error for a file shorter than its header says: `records` data records
// of `record_bytes` after a `header_bytes` header, in `size` bytes.
ParseError truncated_error(const std::filesystem::path& path, std::int64_t records, std::uint64_t record_bytes,
                           std::uint64_t header_bytes, std::uintmax_t size);

}  // namespace medtwin
