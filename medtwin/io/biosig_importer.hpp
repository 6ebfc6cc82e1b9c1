// The EDF / EDF+ / BDF / GDF importer. BioSig (libbiosig sopen/sclose) reads
// the header, the EDF+ annotations and the GDF event table; the samples are
// decoded here from the data records BioSig describes, because BioSig 2.5's
// sread reads past the end of its own buffer. Files are recognised by their
// first bytes ("0       " EDF, "\xFFBIOSEMI" BDF, "GDF " GDF). Channels of one
// sampling rate become one Signal (several rates give several Signals, no
// resampling); annotations and events become Signal.annotations. Headers
// BioSig would misread are refused first (biosig_header_check.hpp); start
// times are local clock time, read in --tz. See docs/formats/biosignals.md.
#pragma once

#include <memory>
#include <string_view>

#include "medtwin/io/importer.hpp"

namespace medtwin {

std::unique_ptr<Importer> make_biosig_importer();

// Whether `head` (a file's first bytes) starts like EDF/EDF+, BDF or GDF.
bool is_edf_bdf_gdf(std::string_view head);

}  // namespace medtwin
