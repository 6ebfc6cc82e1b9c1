#include "medtwin/io/wfdb_header.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "medtwin/core/error.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

// Every format code header(5)/signal(5) define; which ones we decode is the
// signal reader's business, but anything else is a malformed header.
constexpr std::array kKnownFormats = {0, 8, 16, 24, 32, 61, 80, 160, 212, 310, 311, 508, 516, 524};

struct Token {
  std::string_view text;
  long column;  // 1-based
};

// One line being read, for numbers and locations in messages.
class Line {
 public:
  Line(std::string_view text, long number, const std::string& file) : text_(text), number_(number), file_(file) {
    for (std::size_t i = 0; i < text.size();) {
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      std::size_t start = i;
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      if (i > start) tokens_.push_back({text.substr(start, i - start), long(start) + 1});
    }
  }

  std::size_t size() const { return tokens_.size(); }
  const Token& operator[](std::size_t i) const { return tokens_[i]; }
  // The text from token `i` to the end of the line (a description may hold spaces).
  std::string_view rest(std::size_t i) const {
    return trim(text_.substr(std::size_t(tokens_[i].column - 1)));
  }

  [[noreturn]] void fail(const Token& token, const std::string& what) const {
    throw ParseError(located(file_, number_, token.column, what));
  }
  [[noreturn]] void fail(const std::string& what) const { throw ParseError(located(file_, number_, 1, what)); }

  // A whole-token number, or a prefix of it when `end` is given (set to what follows).
  template <typename T>
  T number(const Token& token, std::string_view field, std::string_view text, std::string_view* end = nullptr) const {
    T value{};
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    bool whole = ptr == text.data() + text.size();
    if (ec != std::errc() || (!end && !whole)) {
      fail(token, fmt::format("{}: expected a number, found '{}'", field, token.text));
    }
    if constexpr (std::is_floating_point_v<T>) {
      if (!std::isfinite(value)) fail(token, fmt::format("{}: '{}' is not a finite number", field, token.text));
    }
    if (end) *end = text.substr(std::size_t(ptr - text.data()));
    return value;
  }
  template <typename T>
  T number(const Token& token, std::string_view field) const {
    return number<T>(token, field, token.text);
  }

  long number_in_file() const { return number_; }

 private:
  std::string_view text_;
  long number_;
  const std::string& file_;
  std::vector<Token> tokens_;
};

// "[[HH:]MM:]SS[.sss]" → time of day.
std::chrono::milliseconds parse_time(const Line& line, const Token& token) {
  std::vector<std::string_view> parts;
  for (std::string_view text = token.text;;) {
    auto colon = text.find(':');
    parts.push_back(text.substr(0, colon));
    if (colon == std::string_view::npos) break;
    text.remove_prefix(colon + 1);
  }
  if (parts.size() > 3) line.fail(token, fmt::format("base time: '{}' is not HH:MM:SS", token.text));
  // Right-aligned: "MM:SS" has no hours, "SS" neither minutes.
  double seconds = line.number<double>(token, "base time", parts.back());
  int minutes = parts.size() >= 2 ? line.number<int>(token, "base time", parts[parts.size() - 2]) : 0;
  int hours = parts.size() == 3 ? line.number<int>(token, "base time", parts[0]) : 0;
  if (hours < 0 || hours >= 24 || minutes < 0 || minutes >= 60 || seconds < 0 || seconds >= 61) {
    line.fail(token, fmt::format("base time: '{}' is not a time of day", token.text));
  }
  return std::chrono::milliseconds(std::llround((hours * 3600 + minutes * 60 + seconds) * 1000));
}

// "DD/MM/YYYY" (WFDB), or "YYYY-MM-DD" as the CinC 2017 headers write it.
std::chrono::year_month_day parse_date(const Line& line, const Token& token) {
  bool iso = token.text.find('-') != std::string_view::npos;
  char separator = iso ? '-' : '/';
  std::array<int, 3> parts{};
  std::string_view text = token.text;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto cut = text.find(separator);
    if ((i < 2) == (cut == std::string_view::npos)) {
      line.fail(token, fmt::format("base date: '{}' is not DD/MM/YYYY", token.text));
    }
    parts[i] = line.number<int>(token, "base date", text.substr(0, cut));
    text = cut == std::string_view::npos ? std::string_view{} : text.substr(cut + 1);
  }
  auto [day, month, year] = iso ? std::array{parts[2], parts[1], parts[0]} : parts;
  std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month(unsigned(month)),
                                   std::chrono::day(unsigned(day))};
  if (month < 1 || day < 1 || !date.ok()) line.fail(token, fmt::format("base date: '{}' is not a date", token.text));
  return date;
}

// name nsig [fs[/counterfreq[(basecount)]] [nsamp [basetime [basedate]]]]; returns nsig.
int parse_record_line(const Line& line, WfdbHeader& header) {
  const Token& name = line[0];
  if (name.text.find('/') != std::string_view::npos) {
    line.fail(name, "multi-segment WFDB records (name/segments) are not supported yet");
  }
  header.record = std::string(name.text);
  if (line.size() < 2) line.fail("record line: the number of signals is missing");
  int nsig = line.number<int>(line[1], "number of signals");
  if (nsig < 0) line.fail(line[1], "number of signals: must not be negative");
  if (line.size() > 2) {
    std::string_view rest;
    header.frequency = line.number<double>(line[2], "sampling frequency", line[2].text, &rest);
    if (header.frequency <= 0) line.fail(line[2], "sampling frequency: must be positive");
    if (!rest.empty() && rest.front() == '/') {
      header.counter_frequency = line.number<double>(line[2], "counter frequency", rest.substr(1), &rest);
    }
    if (!rest.empty() && (rest.front() != '(' || rest.back() != ')')) {
      line.fail(line[2], fmt::format("sampling frequency: unexpected '{}'", rest));
    }
  }
  if (line.size() > 3) {
    auto samples = line.number<std::int64_t>(line[3], "number of samples");
    if (samples < 0) line.fail(line[3], "number of samples: must not be negative");
    if (samples > 0) header.samples = samples;
  }
  if (line.size() > 4) {
    if (line[4].text.find('-') != std::string_view::npos) {  // CinC 2017: "2014-05-16 11:05:25"
      header.base_date = parse_date(line, line[4]);
      if (line.size() > 5) header.base_time = parse_time(line, line[5]);
    } else {
      header.base_time = parse_time(line, line[4]);
      if (line.size() > 5) header.base_date = parse_date(line, line[5]);
    }
  }
  return nsig;
}

// format[xspf][:skew][+offset]
void parse_format(const Line& line, const Token& token, WfdbSignalSpec& spec) {
  std::string_view rest;
  spec.format = line.number<int>(token, "format", token.text, &rest);
  if (std::find(kKnownFormats.begin(), kKnownFormats.end(), spec.format) == kKnownFormats.end()) {
    line.fail(token, fmt::format("format: {} is not a WFDB signal format", spec.format));
  }
  if (!rest.empty() && rest.front() == 'x') {
    spec.samples_per_frame = line.number<int>(token, "samples per frame", rest.substr(1), &rest);
    if (spec.samples_per_frame < 1 || spec.samples_per_frame > 65536) {
      line.fail(token, "samples per frame: must be between 1 and 65536");
    }
  }
  if (!rest.empty() && rest.front() == ':') {
    spec.skew = line.number<int>(token, "skew", rest.substr(1), &rest);
    if (spec.skew < 0) line.fail(token, "skew: must not be negative");
  }
  if (!rest.empty() && rest.front() == '+') {
    spec.byte_offset = line.number<std::int64_t>(token, "byte offset", rest.substr(1), &rest);
    if (spec.byte_offset < 0) line.fail(token, "byte offset: must not be negative");
  }
  if (!rest.empty()) line.fail(token, fmt::format("format: unexpected '{}' in '{}'", rest, token.text));
}

// gain[(baseline)][/units]; returns the baseline when written.
std::optional<int> parse_gain(const Line& line, const Token& token, WfdbSignalSpec& spec) {
  std::string_view rest;
  std::optional<int> baseline;
  spec.gain = line.number<double>(token, "gain", token.text, &rest);
  if (spec.gain == 0) spec.gain = 200;  // header(5): 0 means uncalibrated; WFDB's default gain
  if (!rest.empty() && rest.front() == '(') {
    baseline = line.number<int>(token, "baseline", rest.substr(1), &rest);
    if (rest.empty() || rest.front() != ')') line.fail(token, "baseline: missing ')'");
    rest.remove_prefix(1);
  }
  if (!rest.empty() && rest.front() == '/') {
    spec.units = std::string(rest.substr(1));
    rest = {};
  }
  if (!rest.empty()) line.fail(token, fmt::format("gain: unexpected '{}' in '{}'", rest, token.text));
  return baseline;
}

WfdbSignalSpec parse_signal_line(const Line& line, std::size_t index) {
  WfdbSignalSpec spec;
  spec.line = int(line.number_in_file());
  spec.file = std::string(line[0].text);
  if (line.size() < 2) line.fail(line[0], "signal line: the format is missing");
  parse_format(line, line[1], spec);
  std::optional<int> baseline;
  if (line.size() > 2) baseline = parse_gain(line, line[2], spec);
  if (line.size() > 3) spec.adc_resolution = line.number<int>(line[3], "ADC resolution");
  if (line.size() > 4) spec.adc_zero = line.number<int>(line[4], "ADC zero");
  if (line.size() > 5) spec.initial_value = line.number<int>(line[5], "initial value");
  if (line.size() > 6) spec.checksum = line.number<int>(line[6], "checksum");
  if (line.size() > 7) spec.block_size = line.number<int>(line[7], "block size");
  spec.baseline = baseline.value_or(spec.adc_zero);
  spec.description = line.size() > 8 ? std::string(line.rest(8)) : fmt::format("signal {}", index);
  return spec;
}

// Calls `each(line, number)` for every line that is neither blank nor a
// comment, and `comment(text)` for comments; stops when `each` returns false.
template <typename Each, typename Comment>
void for_each_line(std::string_view text, Each each, Comment comment) {
  long number = 0;
  while (!text.empty()) {
    auto newline = text.find('\n');
    std::string_view raw = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    ++number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view stripped = trim(raw);
    if (stripped.empty()) continue;
    if (stripped.front() == '#') {
      comment(trim(stripped.substr(1)));
    } else if (!each(raw, number)) {
      return;
    }
  }
}

}  // namespace

WfdbHeader parse_wfdb_header(std::string_view text, const std::string& name) {
  WfdbHeader header;
  header.name = name;
  std::optional<int> expected;  // signal lines still to come, once the record line is read
  long last_line = 0;
  for_each_line(
      text,
      [&](std::string_view raw, long number) {
        Line line(raw, number, name);
        last_line = number;
        if (!expected) {
          expected = parse_record_line(line, header);
        } else if (*expected > 0) {
          header.signals.push_back(parse_signal_line(line, header.signals.size()));
          --*expected;
        }
        // Lines after the last signal that are not comments carry nothing WFDB reads.
        return true;
      },
      [&](std::string_view comment) { header.comments.emplace_back(comment); });
  if (!expected) throw ParseError(located(name, 1, "no WFDB record line (expected 'name nsig [fs [nsamp]]')"));
  if (*expected > 0) {
    throw ParseError(located(name, last_line,
                             fmt::format("the record line announces {} signals but only {} follow",
                                         header.signals.size() + std::size_t(*expected), header.signals.size())));
  }
  return header;
}

bool looks_like_wfdb_header(std::string_view head) {
  bool ok = false;
  try {
    for_each_line(
        head,
        [&](std::string_view raw, long number) {
          WfdbHeader header;
          parse_record_line(Line(raw, number, header.name), header);
          ok = true;
          return false;
        },
        [](std::string_view) {});
  } catch (const ParseError&) {
    ok = false;
  }
  return ok;
}

WfdbHeader read_wfdb_header(const std::filesystem::path& path) {
  constexpr std::uintmax_t kMaxHeaderBytes = 16 << 20;  // real headers are a few kB
  std::error_code ec;
  if (std::filesystem::file_size(path, ec) > kMaxHeaderBytes && !ec) {
    throw ParseError(fmt::format("{}: too large for a WFDB header", path.string()));
  }
  return parse_wfdb_header(read_file(path), path.string());
}

}  // namespace medtwin
