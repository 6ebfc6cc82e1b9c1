// WFDB annotation files in MIT format (the WFDB annot(5) manual page): a
// stream of 16-bit little-endian words, each a 6-bit type code and a 10-bit
// time increment, with pseudo-codes SKIP (59), NUM (60), SUB (61), CHN (62)
// and AUX (63) that modify the annotation before them, ending with a zero word.
// Type codes become the standard mnemonics ("N", "V", "+", …; codes WFDB
// leaves undefined read "[42]"), AUX strings ("(AFIB") the annotation's text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "medtwin/core/records.hpp"

namespace medtwin {

struct WfdbAnnotations {
  // `sample` counts frames of the record (or ticks of `frequency` when set);
  // `channel` is WFDB's chan field (0 unless a CHN says otherwise).
  std::vector<Annotation> annotations;
  // From a leading "## time resolution: F" note (files written at a
  // resolution other than the record's frame rate); that note is not kept.
  std::optional<double> frequency;
  bool terminated = true;  // false when the bytes ran out before the end word
};

// Decodes an annotation file's bytes; `name` appears in error messages.
// Throws ParseError when the bytes end inside a word, a SKIP or an AUX string.
WfdbAnnotations parse_wfdb_annotations(std::string_view bytes, const std::string& name);

// The mnemonic of annotation type `code` (0–63): "N" for 1, "+" for 28, …
std::string wfdb_annotation_mnemonic(int code);

}  // namespace medtwin
