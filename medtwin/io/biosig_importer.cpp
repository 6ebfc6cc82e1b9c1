#include "medtwin/io/biosig_importer.hpp"

#include <biosig.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <type_traits>

#include "medtwin/core/error.hpp"
#include "medtwin/io/biosig_header_check.hpp"
#include "medtwin/io/biosignal.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

// Bytes of data records read at a time.
constexpr std::size_t kChunkBytes = 1 << 20;

struct HeaderCloser {
  void operator()(HDRTYPE* hdr) const { destructHDR(hdr); }  // closes the file too
};
using Handle = std::unique_ptr<HDRTYPE, HeaderCloser>;

// BioSig reports errors in the header it returns (and on stderr); carry its
// message into ours. Its channel fields are garbage after a failed open, so
// nothing else of `hdr` is read then.
Handle open_file(const fs::path& path) {
  check_before_biosig(path);
  Handle hdr(sopen(path.c_str(), "r", nullptr));
  if (!hdr) throw ParseError(fmt::format("{}: BioSig could not open the file", path.string()));
  if (biosig_check_error(hdr.get())) {
    const char* message = hdr->AS.B4C_ERRMSG;
    throw ParseError(fmt::format("{}: not a readable EDF/BDF/GDF file (BioSig: {})", path.string(),
                                 message && *message ? trim(message) : std::string_view("no message")));
  }
  if (hdr->TYPE != EDF && hdr->TYPE != BDF && hdr->TYPE != GDF && hdr->TYPE != GDF1) {
    throw ParseError(fmt::format("{}: BioSig reads it as {}, not EDF/BDF/GDF", path.string(),
                                 GetFileTypeString(hdr->TYPE)));
  }
  if (!hdr->FILE.LittleEndian) {
    throw ParseError(fmt::format("{}: big-endian sample data is not supported", path.string()));
  }
  if (hdr->NRec < 0) throw unknown_records_error(path);
  if (hdr->SPR == 0 || !(hdr->SampleRate > 0) || !std::isfinite(hdr->SampleRate)) {
    throw ParseError(fmt::format("{}: no sampling rate (no samples per data record, or duration 0)", path.string()));
  }
  // Check the size before anything is allocated for the samples the header announces.
  std::error_code ec;
  std::uintmax_t size = fs::file_size(path, ec);
  std::uint64_t record_bytes = hdr->AS.bpb;
  if (!ec && record_bytes > 0 &&
      (size < hdr->HeadLen || (size - hdr->HeadLen) / record_bytes < std::uint64_t(hdr->NRec))) {
    throw truncated_error(path, hdr->NRec, record_bytes, hdr->HeadLen, size);
  }
  return hdr;
}

// The physical dimensions as the EDF/BDF header writes them (BioSig maps them
// to ISO 11073 codes and loses the ones it does not know), and whether the
// file is EDF+D (discontinuous). Empty when the header is not EDF-shaped.
struct EdfHeaderText {
  std::vector<std::string> units;
  bool discontinuous = false;
};

EdfHeaderText read_edf_header_text(const fs::path& path, std::size_t channels) {
  EdfHeaderText out;
  std::ifstream in(path, std::ios::binary);
  std::string buffer(256 * (channels + 1), '\0');
  in.read(buffer.data(), std::streamsize(buffer.size()));
  std::string_view bytes = buffer;
  if (std::size_t(in.gcount()) != bytes.size() || trim(bytes.substr(252, 4)) != std::to_string(channels)) return out;
  out.discontinuous = bytes.substr(192, 5) == "EDF+D";
  std::size_t units_at = 256 + channels * (16 + 80);
  for (std::size_t k = 0; k < channels; ++k) out.units.emplace_back(trim(bytes.substr(units_at + 8 * k, 8)));
  return out;
}

// A data channel: where its samples lie in a data record and how to scale them.
struct Channel {
  std::size_t index;  // in hdr->CHANNEL (1-based in the event table's CHN)
  std::size_t byte;   // first byte in a data record
  std::uint32_t samples_per_record;
  std::uint16_t type;  // GDF data type code
  double cal, off;     // physical = digital × cal + off
};

// Bytes of one sample of GDF data type `type` (GDF 2 spec, table of data
// types: 1–8 integers, 16/17 IEEE floats, 255+n signed and 511+n unsigned
// n-bit integers); 0 for types this reader does not decode.
std::size_t sample_bytes(std::uint16_t type) {
  switch (type) {
    case 1: case 2: return 1;
    case 3: case 4: return 2;
    case 5: case 6: case 16: return 4;
    case 7: case 8: case 17: return 8;
    case 255 + 24: case 511 + 24: return 3;  // BDF's 24-bit samples
    default: return 0;
  }
}

// Channels of one rate and the Signal they fill.
struct RateGroup {
  std::uint32_t samples_per_record;
  std::vector<Channel> channels;
  Signal signal;
};

Channel data_channel(HDRTYPE* hdr, std::size_t k, const std::string& where) {
  const CHANNEL_TYPE& c = hdr->CHANNEL[k];
  std::size_t bytes = sample_bytes(c.GDFTYP);
  if (bytes == 0 || c.bi8 % 8 != 0) {
    throw ParseError(fmt::format("{}: sample data type {} is not supported", where, c.GDFTYP));
  }
  if (std::uint64_t(c.bi) + std::uint64_t(c.SPR) * bytes > hdr->AS.bpb) {
    throw ParseError(fmt::format("{}: its samples do not fit in a data record", where));
  }
  return {k, c.bi, c.SPR, c.GDFTYP, c.Cal, c.Off};
}

std::vector<RateGroup> plan_signals(HDRTYPE* hdr, const fs::path& path, RecordSink& sink) {
  EdfHeaderText text;
  if (hdr->TYPE == EDF || hdr->TYPE == BDF) text = read_edf_header_text(path, hdr->NS);
  if (text.discontinuous) {
    sink.issue({ImportIssue::Kind::note, path.string(), "EDF+D (discontinuous): data records are read as contiguous"});
  }
  std::vector<RateGroup> groups;
  for (std::size_t k = 0; k < hdr->NS; ++k) {
    const CHANNEL_TYPE& channel = hdr->CHANNEL[k];
    if (channel.OnOff != 1) continue;  // EDF+ "EDF Annotations", time axes
    std::string where = fmt::format("{}: signal {} ({})", path.string(), k, trim(channel.Label));
    if (channel.SPR == 0) {
      sink.issue({ImportIssue::Kind::skipped_record, where, "sparsely sampled channels are not imported"});
      continue;
    }
    const char* dimension = PhysDim3(channel.PhysDimCode);
    std::string unit = k < text.units.size() ? text.units[k] : (dimension ? dimension : "");
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const RateGroup& g) { return g.samples_per_record == channel.SPR; });
    if (group == groups.end()) group = groups.insert(groups.end(), RateGroup{channel.SPR, {}, {}});
    group->channels.push_back(data_channel(hdr, k, where));
    group->signal.channels.push_back({std::string(trim(channel.Label)), channel_unit_to_ucum(unit, where, sink)});
  }
  for (auto& group : groups) {
    group.signal.sample_rate_hz = hdr->SampleRate * group.samples_per_record / hdr->SPR;
    group.signal.kind = signal_kind(group.signal.channels);
    group.signal.source = path.stem().string();
    group.signal.samples.resize(group.channels.size());
    for (auto& samples : group.signal.samples) {
      samples.reserve(std::size_t(hdr->NRec) * group.samples_per_record);
    }
  }
  return groups;
}

template <typename T, std::size_t Bytes = sizeof(T)>
void scale(const unsigned char* in, std::size_t n, const Channel& c, std::vector<float>& out) {
  for (std::size_t i = 0; i < n; ++i, in += Bytes) {
    std::uint64_t bits = 0;
    for (std::size_t b = 0; b < Bytes; ++b) bits |= std::uint64_t(in[b]) << (8 * b);  // little-endian
    T value;
    if constexpr (std::is_floating_point_v<T>) {
      using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
      Bits exact = Bits(bits);
      std::memcpy(&value, &exact, sizeof(T));
    } else if constexpr (Bytes == 3 && std::is_signed_v<T>) {
      value = T(std::int32_t(std::uint32_t(bits) << 8) >> 8);  // sign-extend 24 bits
    } else {
      value = T(bits);
    }
    out.push_back(float(double(value) * c.cal + c.off));
  }
}

void decode(const unsigned char* in, const Channel& c, std::vector<float>& out) {
  std::size_t n = c.samples_per_record;
  switch (c.type) {
    case 1: return scale<std::int8_t>(in, n, c, out);
    case 2: return scale<std::uint8_t>(in, n, c, out);
    case 3: return scale<std::int16_t>(in, n, c, out);
    case 4: return scale<std::uint16_t>(in, n, c, out);
    case 5: return scale<std::int32_t>(in, n, c, out);
    case 6: return scale<std::uint32_t>(in, n, c, out);
    case 7: return scale<std::int64_t>(in, n, c, out);
    case 8: return scale<std::uint64_t>(in, n, c, out);
    case 16: return scale<float>(in, n, c, out);
    case 17: return scale<double>(in, n, c, out);
    case 255 + 24: return scale<std::int32_t, 3>(in, n, c, out);
    case 511 + 24: return scale<std::uint32_t, 3>(in, n, c, out);
    default: return;
  }
}

// The data records, read straight from the file in chunks: BioSig 2.5's
// sread reads past the end of its own buffer (valgrind shows it on every
// file; on large reads it crashes), so only its header parsing is used.
void read_samples(HDRTYPE* hdr, const fs::path& path, std::vector<RateGroup>& groups, const ImportOptions& options) {
  const std::uint64_t records = std::uint64_t(hdr->NRec);
  const std::size_t record_bytes = hdr->AS.bpb;
  if (record_bytes == 0 || records == 0) return;
  // Whole records at a time, never more than the file holds (checked in open_file).
  const std::size_t chunk =
      std::size_t(std::min<std::uint64_t>(records, std::max<std::size_t>(1, kChunkBytes / record_bytes)));
  std::vector<unsigned char> buffer(chunk * record_bytes);
  std::ifstream in(path, std::ios::binary);
  in.seekg(std::streamoff(hdr->HeadLen));
  for (std::uint64_t first = 0; first < records;) {
    std::size_t n = std::size_t(std::min<std::uint64_t>(chunk, records - first));
    in.read(reinterpret_cast<char*>(buffer.data()), std::streamsize(n * record_bytes));
    if (std::size_t(in.gcount()) != n * record_bytes) {
      throw ParseError(fmt::format("{}: truncated: data record {} of {} is missing", path.string(),
                                   first + std::size_t(in.gcount()) / record_bytes + 1, records));
    }
    for (std::size_t r = 0; r < n; ++r) {
      const unsigned char* record = buffer.data() + r * record_bytes;
      for (auto& group : groups) {
        for (std::size_t c = 0; c < group.channels.size(); ++c) {
          decode(record + group.channels[c].byte, group.channels[c], group.signal.samples[c]);
        }
      }
    }
    first += n;
    if (options.progress) options.progress(first * record_bytes, records * record_bytes);
  }
}

// EDF+ annotations and GDF events, on the fastest Signal.
void read_events(HDRTYPE* hdr, const fs::path& path, RateGroup& group, RecordSink& sink) {
  std::size_t count = biosig_get_number_of_events(hdr);
  if (count == 0) return;
  double event_rate = hdr->EVENT.SampleRate > 0 ? hdr->EVENT.SampleRate : hdr->SampleRate;
  std::vector<Annotation> annotations;
  for (std::size_t i = 0; i < count; ++i) {
    uint16_t type = 0, channel = 0;
    uint32_t position = 0, duration = 0;
    const char* description = nullptr;
    biosig_get_nth_event(hdr, i, &type, &position, &channel, &duration, nullptr, &description);
    if (!description || !*description) description = GetEventDescription(hdr, i);  // GDF's standard codes
    Annotation annotation;
    annotation.sample = std::llround(position * group.signal.sample_rate_hz / event_rate);
    annotation.code = description && *description ? std::string(description) : fmt::format("event 0x{:04x}", type);
    if (duration > 0) annotation.text = fmt::format("duration {:g} s", duration / event_rate);
    auto it = std::find_if(group.channels.begin(), group.channels.end(),
                           [&](const Channel& c) { return c.index + 1 == channel; });
    annotation.channel = channel == 0 || it == group.channels.end() ? -1 : int(it - group.channels.begin());
    annotations.push_back(std::move(annotation));
  }
  add_annotations(group.signal, annotations, path.string(), sink);
}

// EDF and GDF give the start as local clock time; GDF may also give the zone.
Instant start_of(HDRTYPE* hdr, const fs::path& path, const ImportOptions& options, RecordSink& sink) {
  if (hdr->T0 == 0) {
    sink.issue({ImportIssue::Kind::note, path.string(),
                "the file gives no start time; it is placed at 1970-01-01T00:00:00Z"});
    return Instant{};
  }
  auto ms = std::chrono::milliseconds(std::llround(gdf_time2t_time(hdr->T0) * 1000));
  if (hdr->tzmin != 0) return Instant{ms - std::chrono::minutes(hdr->tzmin)};
  return recording_start(LocalTime{ms}, options, path.string());
}

class BiosigImporter final : public Importer {
 public:
  std::string_view name() const override { return "biosig"; }
  std::string_view version() const override { return "1"; }

  bool accepts(const fs::path&, std::string_view head, const ImportOptions&) const override {
    return is_edf_bdf_gdf(head);
  }

  void read(const fs::path& path, const ImportOptions& options, RecordSink& sink) const override {
    Handle hdr = open_file(path);
    std::vector<RateGroup> groups = plan_signals(hdr.get(), path, sink);
    if (groups.empty()) {
      sink.issue({ImportIssue::Kind::skipped_record, path.string(), "the file holds no signal channels"});
      return;
    }
    Instant start = start_of(hdr.get(), path, options, sink);
    read_samples(hdr.get(), path, groups, options);
    auto fastest = std::max_element(groups.begin(), groups.end(), [](const RateGroup& a, const RateGroup& b) {
      return a.samples_per_record < b.samples_per_record;
    });
    read_events(hdr.get(), path, *fastest, sink);
    for (auto& group : groups) {
      group.signal.start = start;
      sink.signal(group.signal);
    }
  }
};

}  // namespace

bool is_edf_bdf_gdf(std::string_view head) {
  return head.substr(0, 8) == "0       " || head.substr(0, 8) == "\xFF" "BIOSEMI" || head.substr(0, 4) == "GDF ";
}

std::unique_ptr<Importer> make_biosig_importer() { return std::make_unique<BiosigImporter>(); }

}  // namespace medtwin
