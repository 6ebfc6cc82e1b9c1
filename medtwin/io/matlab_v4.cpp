#include "medtwin/io/matlab_v4.hpp"

#include <fmt/format.h>

#include <array>

#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

constexpr std::uint64_t kFixedBytes = 20;
constexpr std::uint32_t kMaxNameBytes = 1 << 16;

std::uint32_t read_u32(std::string_view bytes, std::size_t at, bool big_endian) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    auto byte = std::uint32_t(static_cast<unsigned char>(bytes[at + (big_endian ? i : 3 - i)]));
    value = (value << 8) | byte;
  }
  return value;
}

// The type word MOPT is written in the file's own byte order; only M = 0
// (IEEE little-endian) and M = 1 (IEEE big-endian) give values below 2000.
bool is_big_endian(std::string_view fixed, const std::string& name) {
  if (read_u32(fixed, 0, false) < 1000) return false;
  std::uint32_t type = read_u32(fixed, 0, true);
  if (type >= 1000 && type < 2000) return true;
  throw ParseError(fmt::format("{}: not a MATLAB v4 matrix (type word {} is not IEEE data)", name,
                               read_u32(fixed, 0, false)));
}

}  // namespace

std::uint64_t matlab_v4_header_size(std::string_view fixed, const std::string& name) {
  if (fixed.size() < kFixedBytes) throw ParseError(fmt::format("{}: too short for a MATLAB v4 header", name));
  std::uint32_t name_bytes = read_u32(fixed, 16, is_big_endian(fixed, name));
  if (name_bytes == 0 || name_bytes > kMaxNameBytes) {
    throw ParseError(fmt::format("{}: MATLAB v4 name length {} is not plausible", name, name_bytes));
  }
  return kFixedBytes + name_bytes;
}

MatlabV4Matrix parse_matlab_v4_header(std::string_view bytes, const std::string& name) {
  std::uint64_t size = matlab_v4_header_size(bytes, name);
  if (bytes.size() < size) throw ParseError(fmt::format("{}: MATLAB v4 header is truncated", name));
  MatlabV4Matrix matrix;
  matrix.big_endian = is_big_endian(bytes, name);
  std::uint32_t type = read_u32(bytes, 0, matrix.big_endian) % 1000;
  unsigned reserved = type / 100, precision = (type / 10) % 10, kind = type % 10;
  if (reserved != 0 || kind != 0) {
    throw ParseError(fmt::format("{}: MATLAB v4 matrix of type {:04} is not a full numeric matrix", name, type));
  }
  static constexpr std::array kElements = {MatlabV4Matrix::Element::float64, MatlabV4Matrix::Element::float32,
                                           MatlabV4Matrix::Element::int32,   MatlabV4Matrix::Element::int16,
                                           MatlabV4Matrix::Element::uint16,  MatlabV4Matrix::Element::uint8};
  static constexpr std::array<std::uint64_t, 6> kElementBytes = {8, 4, 4, 2, 2, 1};
  if (precision >= kElements.size()) {
    throw ParseError(fmt::format("{}: MATLAB v4 precision code {} is unknown", name, precision));
  }
  matrix.element = kElements[precision];
  matrix.rows = read_u32(bytes, 4, matrix.big_endian);
  matrix.columns = read_u32(bytes, 8, matrix.big_endian);
  if (read_u32(bytes, 12, matrix.big_endian) != 0) {
    throw ParseError(fmt::format("{}: MATLAB v4 matrix is complex; a signal must be real", name));
  }
  std::string_view text = bytes.substr(kFixedBytes, size - kFixedBytes);
  matrix.name = std::string(text.substr(0, text.find('\0')));
  matrix.data_offset = size;
  matrix.data_bytes = std::uint64_t(matrix.rows) * matrix.columns * kElementBytes[precision];
  return matrix;
}

std::string_view to_string(MatlabV4Matrix::Element element) {
  switch (element) {
    case MatlabV4Matrix::Element::float64: return "float64";
    case MatlabV4Matrix::Element::float32: return "float32";
    case MatlabV4Matrix::Element::int32: return "int32";
    case MatlabV4Matrix::Element::int16: return "int16";
    case MatlabV4Matrix::Element::uint16: return "uint16";
    case MatlabV4Matrix::Element::uint8: return "uint8";
  }
  return "unknown";
}

}  // namespace medtwin
