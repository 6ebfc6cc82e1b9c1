#include "medtwin/io/biosig_header_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "medtwin/io/biosig_importer.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

// The most samples an 8-character EDF field can announce per data record.
constexpr std::int64_t kMaxSamplesPerRecord = 99'999'999;

// A header field holding a whole number (blanks around it), else nullopt.
std::optional<std::int64_t> whole_number(std::string_view field) {
  auto value = to_number(field);
  if (!value || *value != std::floor(*value) || std::abs(*value) > 1e15) return std::nullopt;
  return std::int64_t(*value);
}

std::uint64_t little_endian(std::string_view bytes, std::uint64_t at, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i) value |= std::uint64_t(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return value;
}

// The least common multiple of `lcm` and a channel's `samples` per record:
// BioSig keeps it, the file's samples per record, in 32 bits and divides by
// zero once it overflows.
std::uint64_t common_multiple(std::uint64_t lcm, std::uint64_t samples, const fs::path& path) {
  if (samples == 0) return lcm;
  lcm = std::lcm(lcm, samples);
  if (lcm > std::numeric_limits<std::uint32_t>::max()) {
    throw ParseError(fmt::format("{}: the channels' samples per data record have no common multiple below 2^32",
                                 path.string()));
  }
  return lcm;
}

// EDF headers are ASCII text; BioSig overruns its buffers on control
// characters (a NUL in the patient field, for one). Bytes above 127 pass:
// some writers put a Latin-1 "µ" in the units. Byte 0 is 0xFF in BDF.
void refuse_control_characters(std::string_view header, const fs::path& path) {
  auto control = std::find_if(header.begin() + 1, header.end(), [](char c) {
    return static_cast<unsigned char>(c) < 32 || c == 127;
  });
  if (control != header.end()) {
    throw ParseError(fmt::format("{}: header byte {} is a control character; EDF/BDF headers are ASCII text",
                                 path.string(), control - header.begin()));
  }
}

// The space-separated subfields of an EDF+ header field.
std::vector<std::string_view> subfields(std::string_view field) {
  std::vector<std::string_view> out;
  for (field = trim(field); !field.empty(); field = trim(field)) {
    auto space = field.find(' ');
    out.push_back(field.substr(0, space));
    field = space == std::string_view::npos ? std::string_view{} : field.substr(space);
  }
  return out;
}

// "X" (unknown) or an EDF+ date, "02-AUG-1951".
bool is_date_or_unknown(std::string_view text) {
  auto all = [](std::string_view part, int (*is)(int)) {
    return std::all_of(part.begin(), part.end(), [is](char c) { return is(static_cast<unsigned char>(c)) != 0; });
  };
  return text == "X" || (text.size() == 11 && text[2] == '-' && text[6] == '-' && all(text.substr(0, 2), isdigit) &&
                         all(text.substr(3, 3), isalpha) && all(text.substr(7, 4), isdigit));
}

// EDF+ (Kemp & Olivan 2003, 2.1.3) structures two fields that BioSig splits
// without checking what it finds: the patient field, "code sex birthdate name",
// and the recording field, "Startdate dd-MMM-yyyy admincode technician
// equipment". Either one out of shape crashes it.
void check_edf_plus_fields(std::string_view header, const fs::path& path) {
  if (!header.substr(192, 44).starts_with("EDF+")) return;
  auto patient = subfields(header.substr(8, 80));
  if (patient.size() < 4 || !is_date_or_unknown(patient[2])) {
    throw ParseError(fmt::format("{}: the EDF+ patient field (byte 8) is not 'code sex birthdate name' with the "
                                 "birth date as dd-MMM-yyyy or X",
                                 path.string()));
  }
  auto recording = subfields(header.substr(88, 80));
  if (recording.size() < 2 || recording[0] != "Startdate" || !is_date_or_unknown(recording[1])) {
    throw ParseError(fmt::format("{}: the EDF+ recording field (byte 88) does not start 'Startdate dd-MMM-yyyy' or "
                                 "'Startdate X'",
                                 path.string()));
  }
}

// Where the signals lie in an EDF/BDF data record. Per signal, the header
// holds a 16-byte label at 256 + 16 k and its samples per record (8 bytes)
// at 256 + 216 × signals + 8 k.
struct RecordLayout {
  struct Span {
    std::uint64_t offset, bytes;
  };
  std::int64_t records = 0;  // as announced
  std::uint64_t bytes = 0;
  std::vector<Span> annotations;  // the EDF+/BDF+ annotation signals
};

RecordLayout record_layout(std::string_view header, const fs::path& path) {
  RecordLayout layout;
  auto records = whole_number(header.substr(236, 8));
  if (!records || *records < -1) {
    throw ParseError(fmt::format("{}: the number of data records (byte 236) is not a whole number", path.string()));
  }
  if (*records == -1) throw unknown_records_error(path);
  layout.records = *records;
  const std::size_t signals = header.size() / 256 - 1;
  const std::uint64_t sample_bytes = header[0] == '\xFF' ? 3 : 2;
  std::uint64_t common = 1;
  for (std::size_t k = 0; k < signals; ++k) {
    auto samples = whole_number(header.substr(256 + 216 * signals + 8 * k, 8));
    if (!samples || *samples < 0 || *samples > kMaxSamplesPerRecord) {
      throw ParseError(fmt::format("{}: signal {}: the samples per data record are not a whole number from 0 to {}",
                                   path.string(), k, kMaxSamplesPerRecord));
    }
    common = common_multiple(common, std::uint64_t(*samples), path);
    std::uint64_t bytes = std::uint64_t(*samples) * sample_bytes;
    std::string_view label = trim(header.substr(256 + 16 * k, 16));
    if (bytes > 0 && (label == "EDF Annotations" || label == "BDF Annotations"))
      layout.annotations.push_back({layout.bytes, bytes});
    layout.bytes += bytes;
  }
  // BioSig divides by zero on a file without samples.
  if (layout.bytes == 0) throw ParseError(fmt::format("{}: no signal has samples in a data record", path.string()));
  return layout;
}

// EDF+ ends every annotation signal in every record in a NUL byte; BioSig
// runs strlen over the annotation bytes of all the records the file holds
// (whatever the header announces) while it opens the file.
void check_annotation_ends(const fs::path& path, std::uint64_t header_bytes, const RecordLayout& layout,
                           std::uint64_t records) {
  if (layout.annotations.empty()) return;
  std::ifstream in;
  in.rdbuf()->pubsetbuf(nullptr, 0);  // one byte a record: no buffer refilled at each seek
  in.open(path, std::ios::binary);
  for (std::uint64_t r = 0; r < records; ++r) {
    for (const auto& span : layout.annotations) {
      in.seekg(std::streamoff(header_bytes + r * layout.bytes + span.offset + span.bytes - 1));
      if (in.get() != 0) {
        throw ParseError(fmt::format("{}: data record {}: the annotation signal does not end in a NUL byte",
                                     path.string(), r + 1));
      }
    }
  }
}

// Every data record announced must be in the file.
void check_records(std::string_view header, std::uintmax_t size, const fs::path& path) {
  RecordLayout layout = record_layout(header, path);
  const std::uint64_t present = size < header.size() ? 0 : (size - header.size()) / layout.bytes;
  if (present < std::uint64_t(layout.records))
    throw truncated_error(path, layout.records, layout.bytes, header.size(), size);
  check_annotation_ends(path, header.size(), layout, present);
}

// 256 bytes, then 256 per signal: the length at byte 184 and the number of
// signals at byte 252 must agree, or BioSig reads out of bounds.
void check_edf(std::string_view head, std::uintmax_t size, const fs::path& path) {
  if (head.size() < 256) return;  // BioSig says what is wrong
  auto header_bytes = whole_number(head.substr(184, 8));
  auto signals = whole_number(head.substr(252, 4));
  if (!header_bytes || !signals || *signals < 0 || *header_bytes != 256 * (*signals + 1)) {
    throw ParseError(fmt::format("{}: the header length (byte 184) is not 256 × (1 + the number of signals at byte "
                                 "252); not an EDF/BDF header",
                                 path.string()));
  }
  std::string header = read_head(path, std::size_t(*header_bytes));
  refuse_control_characters(header, path);
  check_edf_plus_fields(header, path);
  if (header.size() < std::size_t(*header_bytes)) return;  // a cut header of text: BioSig says so
  check_records(header, size, path);
}

// Whether BioSig can read tag 1 (event descriptions): from byte 1 on, a list
// of NUL-terminated strings that ends in an empty one inside the value.
bool event_descriptions_end(std::string_view value) {
  std::size_t k = 1;
  while (k < value.size() && value[k] != 0) {
    auto nul = value.find('\0', k);
    if (nul == std::string_view::npos) return false;
    k = nul + 1;
  }
  return k < value.size();
}

// What BioSig 2.5 copies out of header 3 without checking: tag 3 (maker,
// model, version, serial number, NUL-separated, in at most 128 bytes: a
// longer one also makes it lose its place in the list), tag 5 (an IP address,
// at most 16 bytes).
bool value_fits(unsigned tag, std::string_view value) {
  if (tag == 1) return event_descriptions_end(value);
  if (tag == 3) return value.size() <= 128 && std::count(value.begin(), value.end(), '\0') >= 3;
  if (tag == 5) return value.size() <= 16;
  return true;
}

// GDF 2's "header 3" after the channel headers: tag (1 byte), length (3
// bytes), value, …, tag 0.
void check_gdf_tags(std::string_view header, std::uint64_t from, const fs::path& path) {
  for (std::uint64_t at = from; at + 4 < header.size() && header[at] != 0;) {
    const unsigned tag = static_cast<unsigned char>(header[at]);
    const std::uint64_t length = little_endian(header, at + 1, 3);
    if (at + 4 + length > header.size()) {
      throw ParseError(fmt::format("{}: GDF header tag {} at byte {} runs past the end of the header ({} bytes)",
                                   path.string(), tag, at, header.size()));
    }
    if (!value_fits(tag, header.substr(at + 4, length))) {
      throw ParseError(fmt::format("{}: GDF header tag {} at byte {} is not laid out as GDF 2 defines it",
                                   path.string(), tag, at));
    }
    at += 4 + length;
  }
}

// GDF 1 and 2 (Schlögl 2006): a 256-byte fixed part (header length at byte
// 184: GDF 2 in 256-byte blocks as uint16, GDF 1 in bytes as int64; records
// at 236, int64; channels at 252, uint16 / uint32), 256 bytes per channel
// (samples per record, uint32, at 256 + 216 × channels + 4 k), then, in GDF 2
// only, header 3. BioSig trusts all of it: a negative number of records or
// channels without samples make it divide by zero.
void check_gdf(std::string_view head, const fs::path& path) {
  if (head.size() < 256) return;
  const bool v2 = head.starts_with("GDF 2.");
  const std::uint64_t header_bytes = v2 ? 256 * little_endian(head, 184, 2) : little_endian(head, 184, 8);
  const std::uint64_t channels = little_endian(head, 252, v2 ? 2 : 4);
  const std::uint64_t channels_end = 256 * (channels + 1);
  // GDF 1 has nothing after the channel headers; GDF 2 at most 16 MiB of header.
  if (header_bytes < channels_end || (!v2 && header_bytes != channels_end) || channels_end > (1u << 24)) {
    throw ParseError(
        fmt::format("{}: the GDF header length does not cover its {} channel headers", path.string(), channels));
  }
  // -1 (unknown): BioSig counts the records from the file size and divides by zero when they are empty.
  const auto records = std::int64_t(little_endian(head, 236, 8));
  if (records == -1) throw unknown_records_error(path);
  if (records < 0) throw ParseError(fmt::format("{}: the number of data records (byte 236) is negative", path.string()));
  std::string header = read_head(path, std::size_t(header_bytes));
  if (header.size() < header_bytes) {
    throw ParseError(fmt::format("{}: truncated: the file ends inside its GDF header", path.string()));
  }
  bool samples = false;
  for (std::uint64_t k = 0, common = 1; k < channels; ++k) {
    std::uint64_t channel_samples = little_endian(header, 256 + 216 * channels + 4 * k, 4);
    common = common_multiple(common, channel_samples, path);
    samples = samples || channel_samples > 0;
  }
  if (!samples) throw ParseError(fmt::format("{}: no channel has samples in a data record", path.string()));
  if (v2) check_gdf_tags(header, channels_end, path);
}

}  // namespace

void check_before_biosig(const fs::path& path) {
  std::string head = read_head(path);
  // BioSig takes a file whose first 4 KiB hold this text (before a NUL byte)
  // for an Alpha-Trace recording, whatever its first bytes, and crashes.
  if (head.find("ALPHA-TRACE-MEDICAL") != std::string::npos) {
    throw ParseError(fmt::format("{}: the header holds 'ALPHA-TRACE-MEDICAL', which BioSig misreads", path.string()));
  }
  if (head.starts_with("GDF 1.") || head.starts_with("GDF 2.")) {
    check_gdf(head, path);
  } else if (head.starts_with("GDF ")) {
    throw ParseError(fmt::format("{}: GDF version '{}' is neither 1.x nor 2.x", path.string(),
                                 trim(std::string_view(head).substr(4, 4))));
  } else if (is_edf_bdf_gdf(head)) {
    std::error_code ec;
    std::uintmax_t size = fs::file_size(path, ec);
    if (!ec) check_edf(head, size, path);
  }
}

ParseError unknown_records_error(const fs::path& path) {
  return ParseError(fmt::format("{}: the number of data records is unknown (-1)", path.string()));
}

ParseError truncated_error(const fs::path& path, std::int64_t records, std::uint64_t record_bytes,
                           std::uint64_t header_bytes, std::uintmax_t size) {
  return ParseError(fmt::format("{}: truncated: the header announces {} data records of {} bytes after a {}-byte "
                                "header, the file holds {} bytes",
                                path.string(), records, record_bytes, header_bytes, size));
}

}  // namespace medtwin
