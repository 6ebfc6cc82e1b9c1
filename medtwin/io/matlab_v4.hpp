// The header of one matrix in a MATLAB Level 4 MAT-file (MATLAB "MAT-File
// Format", Level 4 section): five 32-bit integers (type MOPT, rows, columns,
// imaginary flag, name length), then the name, then the data in column-major
// order. PhysioNet stores WFDB signals this way (CinC 2017: one int16 matrix
// "val" referenced by the .hea as format 16 at byte offset 24).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace medtwin {

struct MatlabV4Matrix {
  enum class Element { float64, float32, int32, int16, uint16, uint8 };
  bool big_endian = false;
  Element element = Element::float64;
  std::uint32_t rows = 0;
  std::uint32_t columns = 0;
  std::string name;
  std::uint64_t data_offset = 0;  // bytes from the start of the file to the data
  std::uint64_t data_bytes = 0;   // rows × columns × element size
};

// Bytes needed to read the header whose first 20 bytes are `fixed` (at least
// 20 bytes): 20 plus the name length. Throws ParseError if it is not a v4 header.
std::uint64_t matlab_v4_header_size(std::string_view fixed, const std::string& name);

// Parses a v4 matrix header from the start of `bytes` (which must hold
// matlab_v4_header_size bytes). Only real, full, numeric matrices are accepted;
// anything else throws ParseError naming `name` and the field.
MatlabV4Matrix parse_matlab_v4_header(std::string_view bytes, const std::string& name);

std::string_view to_string(MatlabV4Matrix::Element element);

}  // namespace medtwin
