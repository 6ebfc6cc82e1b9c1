#include "medtwin/io/wfdb_signal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "medtwin/core/error.hpp"
#include "medtwin/io/matlab_v4.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

// How a format packs values: `values` samples in `bytes` bytes, and the value
// WFDB reserves for "no sample here".
struct Layout {
  int format;
  std::uint64_t bytes;
  std::uint64_t values;
  std::int32_t invalid;
};

constexpr Layout kLayouts[] = {
    {16, 2, 1, -32768},   {61, 2, 1, -32768},      {160, 2, 1, -32768}, {80, 1, 1, -128},
    {24, 3, 1, -8388608}, {32, 4, 1, INT32_MIN},   {212, 3, 2, -2048},  {310, 4, 3, -512},
    {311, 4, 3, -512},
};

// Read size: a multiple of every layout's group (1, 2, 3, 4 bytes).
constexpr std::size_t kMaxFrameValues = 1 << 20;  // far beyond any real record
constexpr std::size_t kChunkBytes = 12 * 65536;

const Layout* find_layout(int format) {
  for (const auto& layout : kLayouts)
    if (layout.format == format) return &layout;
  return nullptr;
}

// Bytes a partial group needs for its first `values` samples (WFDB writes a
// lone 212 sample as 2 bytes; a 311 group's second sample ends in byte 3).
std::uint64_t partial_bytes(const Layout& layout, std::uint64_t values) {
  if (values == 0) return 0;
  if (layout.format == 311 && values == 2) return 3;
  if (layout.format == 310 && values == 2) return 4;
  return 2;
}

std::uint64_t bytes_for(const Layout& layout, std::uint64_t values) {
  return values / layout.values * layout.bytes + partial_bytes(layout, values % layout.values);
}

std::uint64_t values_in(const Layout& layout, std::uint64_t bytes) {
  std::uint64_t values = bytes / layout.bytes * layout.values;
  for (std::uint64_t extra = layout.values - 1; extra > 0; --extra) {
    if (partial_bytes(layout, extra) <= bytes % layout.bytes) return values + extra;
  }
  return values;
}

std::int32_t sign_extend(std::uint32_t value, int bits) {
  std::uint32_t sign = 1u << (bits - 1);
  return std::int32_t((value ^ sign) - sign);
}

std::uint32_t le16(const unsigned char* p) { return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8; }

// Decodes `groups` whole groups of `layout` from `in` into `out`.
void decode(const Layout& layout, const unsigned char* in, std::size_t groups, std::int32_t* out) {
  switch (layout.format) {
    case 16:
      for (std::size_t g = 0; g < groups; ++g, in += 2) *out++ = sign_extend(le16(in), 16);
      break;
    case 61:
      for (std::size_t g = 0; g < groups; ++g, in += 2) *out++ = sign_extend(std::uint32_t(in[0]) << 8 | in[1], 16);
      break;
    case 160:  // offset binary
      for (std::size_t g = 0; g < groups; ++g, in += 2) *out++ = std::int32_t(le16(in)) - 32768;
      break;
    case 80:  // offset binary
      for (std::size_t g = 0; g < groups; ++g, ++in) *out++ = std::int32_t(in[0]) - 128;
      break;
    case 24:
      for (std::size_t g = 0; g < groups; ++g, in += 3) *out++ = sign_extend(le16(in) | std::uint32_t(in[2]) << 16, 24);
      break;
    case 32:
      for (std::size_t g = 0; g < groups; ++g, in += 4) *out++ = std::int32_t(le16(in) | le16(in + 2) << 16);
      break;
    case 212:  // byte 1 holds the high nibbles: sample 0's in bits 0–3, sample 1's in bits 4–7
      for (std::size_t g = 0; g < groups; ++g, in += 3) {
        *out++ = sign_extend(in[0] | std::uint32_t(in[1] & 0x0f) << 8, 12);
        *out++ = sign_extend(in[2] | std::uint32_t(in[1] & 0xf0) << 4, 12);
      }
      break;
    case 310:  // two 16-bit words: samples 0 and 1 in bits 1–10, sample 2 split over bits 11–15 of both
      for (std::size_t g = 0; g < groups; ++g, in += 4) {
        std::uint32_t a = le16(in), b = le16(in + 2);
        *out++ = sign_extend((a >> 1) & 0x3ff, 10);
        *out++ = sign_extend((b >> 1) & 0x3ff, 10);
        *out++ = sign_extend((a >> 11) | (b >> 11) << 5, 10);
      }
      break;
    case 311:  // one 32-bit word: samples in bits 0–9, 10–19, 20–29
      for (std::size_t g = 0; g < groups; ++g, in += 4) {
        std::uint32_t w = le16(in) | le16(in + 2) << 16;
        *out++ = sign_extend(w & 0x3ff, 10);
        *out++ = sign_extend((w >> 10) & 0x3ff, 10);
        *out++ = sign_extend((w >> 20) & 0x3ff, 10);
      }
      break;
    default:
      break;
  }
}

// Where each value of a frame goes.
struct Slot {
  std::size_t signal;
  double baseline;
  double gain;
};

// One signal file, the signals it interleaves, and where its samples start.
struct FileGroup {
  std::string file;
  const Layout* layout = nullptr;
  std::vector<Slot> slots;  // one per value in a frame
  WfdbFile source;
  std::uint64_t data_start = 0;
  std::uint64_t data_bytes = 0;  // bytes available from data_start
};

std::string read_exactly(WfdbFile& source, std::uint64_t bytes) {
  std::string out(bytes, '\0');
  source.stream->read(out.data(), std::streamsize(bytes));
  if (std::uint64_t(source.stream->gcount()) != bytes) {
    throw ParseError(fmt::format("{}: file ends inside its MATLAB v4 header", source.name));
  }
  return out;
}

// PhysioNet .mat records hold the frames as the columns of one v4 matrix;
// check it agrees with the header and find where the samples start.
void locate_matlab_data(FileGroup& group, std::int64_t byte_offset) {
  std::string fixed = read_exactly(group.source, 20);
  std::uint64_t size = matlab_v4_header_size(fixed, group.source.name);
  MatlabV4Matrix matrix = parse_matlab_v4_header(fixed + read_exactly(group.source, size - 20), group.source.name);
  using Element = MatlabV4Matrix::Element;
  int format = group.layout->format;
  bool agrees = (matrix.element == Element::int16 && format == (matrix.big_endian ? 61 : 16)) ||
                (matrix.element == Element::int32 && !matrix.big_endian && format == 32);
  if (!agrees) {
    throw ParseError(fmt::format("{}: the MATLAB matrix holds {}{} but the header says format {}", group.source.name,
                                 matrix.big_endian ? "big-endian " : "", to_string(matrix.element), format));
  }
  std::size_t per_frame = group.slots.size();
  if (matrix.rows != per_frame && !(per_frame == 1 && matrix.columns == 1)) {
    throw ParseError(fmt::format("{}: the MATLAB matrix is {} × {}; expected {} rows, one per sample of a frame",
                                 group.source.name, matrix.rows, matrix.columns, per_frame));
  }
  if (byte_offset != 0 && std::uint64_t(byte_offset) != matrix.data_offset) {
    throw ParseError(fmt::format("{}: the header's byte offset {} is not where the MATLAB data starts ({})",
                                 group.source.name, byte_offset, matrix.data_offset));
  }
  group.data_start = matrix.data_offset;
  group.data_bytes = std::min(matrix.data_bytes, group.source.size - std::min(group.source.size, matrix.data_offset));
}

std::vector<FileGroup> group_by_file(const WfdbHeader& header, const WfdbFileOpener& open) {
  std::vector<FileGroup> groups;
  for (std::size_t i = 0; i < header.signals.size(); ++i) {
    const WfdbSignalSpec& spec = header.signals[i];
    auto it = std::find_if(groups.begin(), groups.end(), [&](const FileGroup& g) { return g.file == spec.file; });
    if (it == groups.end()) {
      const Layout* layout = find_layout(spec.format);
      if (!layout) {
        throw ParseError(located(header.name, spec.line, 1,
                                 fmt::format("signal format {} is not supported (supported: 16, 24, 32, 61, 80, "
                                             "160, 212, 310, 311)",
                                             spec.format)));
      }
      groups.push_back({spec.file, layout, {}, {}, 0, 0});
      it = std::prev(groups.end());
    } else if (it->layout->format != spec.format) {
      throw ParseError(located(header.name, spec.line, 1,
                               fmt::format("signals in file {} use formats {} and {}; one file has one format",
                                           spec.file, it->layout->format, spec.format)));
    }
    if (it->slots.size() + std::size_t(spec.samples_per_frame) > kMaxFrameValues) {
      throw ParseError(located(header.name, spec.line, 1,
                               fmt::format("a frame of file {} would hold more than {} samples", spec.file,
                                           kMaxFrameValues)));
    }
    for (int k = 0; k < spec.samples_per_frame; ++k) it->slots.push_back({i, double(spec.baseline), spec.gain});
  }
  for (auto& group : groups) {
    group.source = open(group.file);
    // The first signal of a file says where its samples start (signal(5)).
    auto first = std::find_if(header.signals.begin(), header.signals.end(),
                              [&](const WfdbSignalSpec& s) { return s.file == group.file; });
    if (has_extension(group.file, ".mat")) {
      locate_matlab_data(group, first->byte_offset);
    } else {
      group.data_start = std::uint64_t(first->byte_offset);
      group.data_bytes = group.source.size - std::min(group.source.size, group.data_start);
      group.source.stream->seekg(std::streamoff(group.data_start));
    }
  }
  return groups;
}

std::uint64_t frames_in(const FileGroup& group) {
  return values_in(*group.layout, group.data_bytes) / group.slots.size();
}

// Reads the frames of one file into `out`, adding to each signal's checksum.
void read_group(FileGroup& group, std::uint64_t frames, std::vector<WfdbSignalSamples>& out,
                std::vector<std::uint32_t>& sums, const std::function<void(std::uint64_t)>& advance) {
  const Layout& layout = *group.layout;
  std::uint64_t values_left = frames * group.slots.size();
  std::uint64_t bytes_left = bytes_for(layout, values_left);
  // Small files need no full-size chunk (rounded up to whole groups for the padding).
  std::size_t chunk = std::size_t(std::min<std::uint64_t>(kChunkBytes, bytes_left + layout.bytes));
  chunk -= chunk % layout.bytes;
  std::vector<unsigned char> bytes(chunk);
  std::vector<std::int32_t> raw(chunk / layout.bytes * layout.values);
  std::size_t slot = 0;
  const float missing = std::numeric_limits<float>::quiet_NaN();
  while (values_left > 0) {
    std::size_t want = std::size_t(std::min<std::uint64_t>(chunk, bytes_left));
    group.source.stream->read(reinterpret_cast<char*>(bytes.data()), std::streamsize(want));
    if (std::size_t(group.source.stream->gcount()) != want) {
      throw ParseError(fmt::format("{}: file ended early while reading samples", group.source.name));
    }
    std::size_t groups = (want + layout.bytes - 1) / layout.bytes;
    std::fill(bytes.begin() + std::ptrdiff_t(want), bytes.begin() + std::ptrdiff_t(groups * layout.bytes), 0);
    decode(layout, bytes.data(), groups, raw.data());
    std::size_t n = std::size_t(std::min<std::uint64_t>(values_left, groups * layout.values));
    for (std::size_t i = 0; i < n; ++i) {
      const Slot& target = group.slots[slot];
      std::int32_t v = raw[i];
      sums[target.signal] += std::uint32_t(v);
      out[target.signal].values.push_back(v == layout.invalid ? missing : float((v - target.baseline) / target.gain));
      if (++slot == group.slots.size()) slot = 0;
    }
    values_left -= n;
    bytes_left -= want;
    advance(want);
  }
}

}  // namespace

bool wfdb_format_supported(int format) { return find_layout(format) != nullptr; }

std::vector<WfdbSignalSamples> read_wfdb_samples(const WfdbHeader& header, const WfdbFileOpener& open,
                                                 const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  std::vector<FileGroup> groups = group_by_file(header, open);
  std::uint64_t frames = 0;
  if (header.samples) {
    frames = std::uint64_t(*header.samples);
    for (const auto& group : groups) {
      std::uint64_t needed = bytes_for(*group.layout, frames * group.slots.size());
      if (frames_in(group) < frames) {
        throw ParseError(fmt::format("{}: truncated: the header announces {} samples per signal ({} bytes of data) "
                                     "but the file holds {} bytes",
                                     group.source.name, frames, needed, group.data_bytes));
      }
    }
  } else if (!groups.empty()) {
    frames = std::numeric_limits<std::uint64_t>::max();
    for (const auto& group : groups) frames = std::min(frames, frames_in(group));
  }
  std::vector<WfdbSignalSamples> out(header.signals.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].values.reserve(std::size_t(frames) * std::size_t(header.signals[i].samples_per_frame));
  }
  std::uint64_t total = 0, done = 0;
  for (const auto& group : groups) total += bytes_for(*group.layout, frames * group.slots.size());
  std::vector<std::uint32_t> sums(header.signals.size(), 0);
  for (auto& group : groups) {
    read_group(group, frames, out, sums, [&](std::uint64_t bytes) {
      done += bytes;
      if (progress) progress(done, total);
    });
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const WfdbSignalSpec& spec = header.signals[i];
    // PhysioNet's .mat headers (CinC 2017) write 0 where no checksum was computed.
    bool given = spec.checksum && !(has_extension(spec.file, ".mat") && *spec.checksum == 0);
    std::uint16_t sum = std::uint16_t(sums[i]);
    if (given && std::uint16_t(*spec.checksum) != sum) out[i].checksum_mismatch = std::int16_t(sum);
  }
  return out;
}

}  // namespace medtwin
