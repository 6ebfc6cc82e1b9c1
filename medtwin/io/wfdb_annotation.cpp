#include "medtwin/io/wfdb_annotation.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

// Annotation type codes of WFDB's ecgcodes.h and their mnemonics (annot(5),
// PhysioBank's annotation table); empty where WFDB defines no code.
constexpr std::array<std::string_view, 42> kMnemonics = {
    "NOTQRS", "N", "L", "R", "a", "V", "F", "J", "A", "S", "E", "j", "/", "Q", "~", "",   "|", "",  "s", "T", "*",
    "D",      "\"", "=", "p", "B", "^", "t", "+", "u", "?", "!", "[", "]", "e", "n", "@", "x", "f", "(", ")", "r"};

constexpr int kSkip = 59, kNum = 60, kSub = 61, kChn = 62, kAux = 63;
constexpr int kNote = 22;
constexpr std::string_view kResolutionNote = "## time resolution: ";

class Reader {
 public:
  Reader(std::string_view bytes, const std::string& name) : bytes_(bytes), name_(name) {}

  bool done() const { return at_ == bytes_.size(); }
  std::size_t offset() const { return at_; }

  unsigned word(const char* inside) {
    need(2, inside);
    unsigned value = unsigned(byte(at_)) | unsigned(byte(at_ + 1)) << 8;
    at_ += 2;
    return value;
  }

  std::string_view take(std::size_t n, const char* inside) {
    need(n, inside);
    std::string_view out = bytes_.substr(at_, n);
    at_ += n;
    return out;
  }

 private:
  unsigned char byte(std::size_t i) const { return static_cast<unsigned char>(bytes_[i]); }
  void need(std::size_t n, const char* inside) const {
    if (bytes_.size() - at_ < n) {
      throw ParseError(fmt::format("{}: byte {}: file ends inside {} (needs {} bytes, {} left)", name_, at_, inside,
                                   n, bytes_.size() - at_));
    }
  }

  std::string_view bytes_;
  const std::string& name_;
  std::size_t at_ = 0;
};

// A leading NOTE "## time resolution: F" gives the annotation clock; drop it.
void take_resolution_note(WfdbAnnotations& out) {
  if (out.annotations.empty()) return;
  const Annotation& first = out.annotations.front();
  if (first.sample != 0 || first.code != wfdb_annotation_mnemonic(kNote)) return;
  if (first.text.rfind(kResolutionNote, 0) != 0) return;
  std::string_view number = std::string_view(first.text).substr(kResolutionNote.size());
  double frequency = 0;
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), frequency);
  if (ec != std::errc() || !std::isfinite(frequency) || frequency <= 0) return;
  out.frequency = frequency;
  out.annotations.erase(out.annotations.begin());
}

}  // namespace

std::string wfdb_annotation_mnemonic(int code) {
  if (code >= 0 && std::size_t(code) < kMnemonics.size() && !kMnemonics[std::size_t(code)].empty()) {
    return std::string(kMnemonics[std::size_t(code)]);
  }
  return fmt::format("[{}]", code);
}

WfdbAnnotations parse_wfdb_annotations(std::string_view bytes, const std::string& name) {
  WfdbAnnotations out;
  Reader in(bytes, name);
  std::int64_t time = 0;
  int channel = 0;  // WFDB carries chan over from one annotation to the next
  out.terminated = false;
  while (!in.done()) {
    unsigned w = in.word("an annotation word");
    int type = int(w >> 10);
    unsigned value = w & 0x3ff;
    if (type == 0 && value == 0) {
      out.terminated = true;
      break;
    }
    Annotation* last = out.annotations.empty() ? nullptr : &out.annotations.back();
    switch (type) {
      case kSkip: {  // a 32-bit interval follows, high 16-bit word first
        std::uint32_t high = in.word("a SKIP interval"), low = in.word("a SKIP interval");
        time += std::int32_t(high << 16 | low);
        break;
      }
      case kNum:  // the number field: not kept
      case kSub:  // the subtype field: not kept
        break;
      case kChn:
        channel = int(value);
        if (last) last->channel = channel;
        break;
      case kAux: {  // `value` bytes of text, padded to an even count
        std::string_view text = in.take(value + (value & 1), "an AUX string");
        text = text.substr(0, std::min<std::size_t>(value, text.find('\0')));
        if (last) last->text = std::string(text);
        break;
      }
      default:
        time += value;
        out.annotations.push_back({time, channel, wfdb_annotation_mnemonic(type), ""});
        break;
    }
  }
  take_resolution_note(out);
  return out;
}

}  // namespace medtwin
