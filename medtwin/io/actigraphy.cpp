#include "medtwin/io/actigraphy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>

#include "medtwin/core/error.hpp"
#include "medtwin/core/units.hpp"
#include "medtwin/io/text.hpp"
#include "medtwin/io/xml_stream.hpp"

namespace medtwin {
namespace {

namespace fs = std::filesystem;

constexpr const char* kKind = "actigraphy";
constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

SignalChannel activity_channel() { return {"activity", "{count}"}; }

// A sample value: a number a float can hold.
std::optional<float> to_sample(std::string_view text) {
  auto value = to_number(text);
  if (!value || std::abs(*value) > std::numeric_limits<float>::max()) return std::nullopt;
  return float(*value);
}

// ---------------------------------------------------------------- AWD

// Header line 4: epoch length code (pyActigraphy awd.py, GGIR convertEpochData).
struct EpochCode {
  std::string_view code;
  int seconds;
};
constexpr EpochCode kEpochCodes[] = {{"1", 15}, {"2", 30}, {"4", 60}, {"8", 120},
                                     {"20", 300}, {"81", 2}, {"C1", 5}, {"C2", 10}};

// Header line 6: the serial number's first letter names the model and the
// channel it records beside activity (pyActigraphy awd.py).
struct Device {
  char letter;
  const char* model;
  SignalChannel second;  // label empty: none
};
const std::array<Device, 8> kDevices = {{
    {'D', "Actiwatch-7", {"light", "lx"}},
    {'I', "Actiwatch-Insomnia", {"pressure", "1"}},
    {'L', "Actiwatch-L", {"light", "lx"}},
    {'M', "Actiwatch-Mini", {}},
    {'P', "Actiwatch-L-Plus", {"light", "lx"}},
    {'S', "Actiwatch-S", {"sound", "1"}},
    {'T', "Actiwatch-T", {"temperature", "Cel"}},
    {'V', "Actiwatch-4", {}},
}};

const Device* device_of(std::string_view serial) {
  if (serial.empty()) return nullptr;
  char letter = char(std::toupper(static_cast<unsigned char>(serial.front())));
  for (const auto& device : kDevices)
    if (device.letter == letter) return &device;
  return nullptr;
}

constexpr int kAwdHeaderLines = 7;

struct AwdEpoch {
  float activity = 0;
  std::optional<float> second;
  bool marker = false;
};

// "498", "498 M", "498 , 0,00 M" (a second value with a decimal comma).
std::optional<AwdEpoch> parse_awd_epoch(std::string_view line) {
  AwdEpoch epoch;
  line = trim(line);
  if (line.size() > 1 && line.back() == 'M' && (line[line.size() - 2] == ' ' || line[line.size() - 2] == ',')) {
    epoch.marker = true;
    line = trim(line.substr(0, line.size() - 1));
  }
  std::string_view first = line, rest;
  if (auto comma = line.find(','); comma != std::string_view::npos) {
    first = trim(line.substr(0, comma));
    rest = trim(line.substr(comma + 1));
  } else if (auto blank = line.find_first_of(" \t"); blank != std::string_view::npos) {
    first = line.substr(0, blank);
    rest = trim(line.substr(blank));
  }
  auto activity = to_sample(first);
  if (!activity) return std::nullopt;
  epoch.activity = *activity;
  if (!rest.empty()) {
    std::string decimal(rest);
    std::replace(decimal.begin(), decimal.end(), ',', '.');
    epoch.second = to_sample(decimal);
    if (!epoch.second) return std::nullopt;
  }
  return epoch;
}

class AwdReader {
 public:
  AwdReader(std::istream& in, const std::string& name, const ImportOptions& options, RecordSink& sink)
      : in_(in), name_(name), options_(options), sink_(sink) {}

  void run() {
    std::array<std::string, kAwdHeaderLines> header;
    for (int i = 0; i < kAwdHeaderLines; ++i) {
      if (!next_line(header[i])) {
        if (i == 0) throw ParseError(fmt::format("{}: the file is empty", name_));
        throw ParseError(located(name_, line_, fmt::format("the header ends after {} of its 7 lines", i)));
      }
    }
    Signal signal;
    signal.kind = kKind;
    signal.start = start_of(header);
    int epoch = epoch_seconds(trim(header[3]));
    signal.sample_rate_hz = 1.0 / epoch;
    const Device* device = device_of(trim(header[5]));
    signal.source = device ? device->model : "Actiwatch";
    read_epochs(signal);
    signal.channels.push_back(activity_channel());
    if (has_second_) {
      signal.channels.push_back(device && !device->second.label.empty() ? device->second
                                                                         : SignalChannel{"channel 2", "1"});
    } else {
      signal.samples.pop_back();
    }
    announce_person(trim(header[0]), trim(header[6]));
    sink_.signal(signal);
    if (options_.progress) options_.progress(1, 1);
  }

 private:
  bool next_line(std::string& line) {
    if (!std::getline(in_, line)) return false;
    ++line_;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_ == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    return true;
  }

  Instant start_of(const std::array<std::string, kAwdHeaderLines>& header) const {
    std::string text = fmt::format("{} {}", trim(header[1]), trim(header[2]));
    LocalTime local;
    try {
      local = parse_local_time(text, "%d-%b-%Y %H:%M");
    } catch (const ParseError&) {
      throw ParseError(
          located(name_, 2, fmt::format("start '{}' is not a date and time like 01-Jan-2018 08:30", text)));
    }
    return to_instant(local, require_time_zone(options_.time_zone, name_));
  }

  int epoch_seconds(std::string_view code) const {
    for (const auto& known : kEpochCodes)
      if (known.code == code) return known.seconds;
    throw ParseError(located(name_, 4, fmt::format("epoch code '{}' is not one of 1, 2, 4, 8, 20, 81, C1, C2", code)));
  }

  void read_epochs(Signal& signal) {
    signal.samples.assign(2, {});
    std::string line;
    while (next_line(line)) {
      if (trim(line).empty()) continue;
      auto epoch = parse_awd_epoch(line);
      if (!epoch) throw ParseError(located(name_, line_, "expected an activity count, optionally ', light' and 'M'"));
      auto sample = std::int64_t(signal.samples[0].size());
      signal.samples[0].push_back(epoch->activity);
      signal.samples[1].push_back(epoch->second.value_or(kMissing));
      has_second_ = has_second_ || epoch->second.has_value();
      if (epoch->marker) signal.annotations.push_back({sample, -1, "M", "event marker"});
    }
    if (signal.samples[0].empty()) throw ParseError(fmt::format("{}: no epochs after the header", name_));
  }

  void announce_person(std::string_view subject, std::string_view sex) {
    if (subject.empty()) return;
    PersonInfo info;
    info.source_id = subject;
    info.sex = parse_sex(sex);
    sink_.person(info);
  }

  std::istream& in_;
  const std::string& name_;
  const ImportOptions& options_;
  RecordSink& sink_;
  long line_ = 0;
  bool has_second_ = false;
};

// ---------------------------------------------------------------- MTN

struct MtnChannel {
  std::string name;
  std::string units;
  std::string epoch;   // seconds, as written
  std::string offset;  // seconds from =StartTime, as written
  std::vector<float> values;
  long line = 0;       // where its data starts
};

// Collects properties and channels from the change log.
class MtnParser final : public ExpatReader {
 public:
  explicit MtnParser(const std::string& name) : ExpatReader(name, true) {}

  void parse(std::istream& in) {
    std::string chunk(64 * 1024, '\0');
    for (;;) {
      in.read(chunk.data(), std::streamsize(chunk.size()));
      auto n = std::size_t(in.gcount());
      feed(std::string_view(chunk.data(), n), n == 0);
      if (n == 0) return;
    }
  }

  const std::map<std::string, std::string>& properties() const { return properties_; }
  const std::map<std::string, MtnChannel>& channels() const { return channels_; }

 private:
  void on_text(std::string_view text) override {
    if (in_property_ || in_channel_) text_.append(text);
  }

  void on_start(std::string_view element, const char** attributes) override {
    bool under_change = !path_.empty() && path_.back() == "change";
    path_.emplace_back(element);
    text_.clear();
    if (element == "property" && under_change) {
      in_property_ = true;
      property_ = {};
      deleted_ = attribute(attributes, "delete") == "yes";
    } else if (element == "channel" && under_change) {
      in_channel_ = true;
      channel_ = {};
    } else if (element == "data" && in_channel_) {
      std::string_view encoding = attribute(attributes, "encoding");
      if (!encoding.empty() && encoding != "text")
        fail(fmt::format("channel data encoding '{}' is not supported", encoding));
      channel_.line = line();
    }
  }

  void on_end(std::string_view element) override {
    path_.pop_back();
    if (in_property_) {
      if (element == "name") property_.first = trim(text_);
      else if (element == "content") property_.second = trim(text_);
      else if (element == "property") {
        in_property_ = false;
        if (deleted_) properties_.erase(property_.first);
        else properties_[property_.first] = property_.second;
      }
    } else if (in_channel_) {
      if (element == "name") channel_.name = trim(text_);
      else if (element == "units") channel_.units = trim(text_);
      else if (element == "epoch") channel_.epoch = trim(text_);
      else if (element == "offset") channel_.offset = trim(text_);
      else if (element == "data") parse_values();
      else if (element == "channel") {
        in_channel_ = false;
        channels_[to_lower(channel_.name)] = std::move(channel_);
      }
    }
    text_.clear();
  }

  // "0,0,15,22,\n14,…": numbers separated by commas and line breaks.
  void parse_values() {
    std::string_view text = text_;
    while (!text.empty()) {
      auto end = text.find_first_of(",\r\n");
      std::string_view token = trim(text.substr(0, end));
      text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
      if (token.empty()) continue;
      auto value = to_sample(token);
      if (!value) {
        throw ParseError(
            located(name(), channel_.line, fmt::format("channel '{}': a value is not a number", channel_.name)));
      }
      channel_.values.push_back(*value);
    }
  }

  std::vector<std::string> path_;
  std::string text_;
  bool in_property_ = false, in_channel_ = false, deleted_ = false;
  std::pair<std::string, std::string> property_;
  MtnChannel channel_;
  std::map<std::string, std::string> properties_;
  std::map<std::string, MtnChannel> channels_;
};

// MotionWatch units as UCUM: "Triaxial-Counts" → {count}, "lux" → lx.
std::string mtn_unit(std::string_view units) {
  std::string unit = to_lower(units);
  if (unit.find("count") != std::string::npos) return "{count}";
  if (unit == "lux") return "lx";
  return to_ucum(units).value_or(std::string(units));
}

class MtnReader {
 public:
  MtnReader(const std::string& name, const ImportOptions& options, RecordSink& sink)
      : name_(name), options_(options), sink_(sink) {}

  void run(const MtnParser& parsed) {
    const auto& properties = parsed.properties();
    const auto& channels = parsed.channels();
    auto motion = channels.find("motion");
    if (motion == channels.end() || motion->second.values.empty())
      throw ParseError(fmt::format("{}: no 'motion' channel with data", name_));
    LocalTime start = start_of(properties);
    announce_person(properties);
    auto source = properties.find("=Device");
    std::string device = source == properties.end() || source->second.empty() ? "MotionWatch" : source->second;

    Signal signal = make_signal(motion->second, start, device);
    signal.channels.push_back(activity_channel());
    signal.samples.push_back(motion->second.values);
    for (const auto& [key, channel] : channels) {
      if (key == "motion") continue;
      SignalChannel described{key, mtn_unit(channel.units)};
      if (aligned(channel, motion->second)) {
        signal.channels.push_back(described);
        signal.samples.push_back(channel.values);
      } else {
        Signal own = make_signal(channel, start, device);
        own.channels.push_back(described);
        own.samples.push_back(channel.values);
        sink_.signal(own);
      }
    }
    sink_.signal(signal);
    if (options_.progress) options_.progress(1, 1);
  }

 private:
  static bool aligned(const MtnChannel& a, const MtnChannel& b) {
    return a.epoch == b.epoch && a.offset == b.offset && a.values.size() == b.values.size();
  }

  double seconds(const MtnChannel& channel, const std::string& text, std::string_view what, double low,
                 double high) const {
    auto value = to_number(text);
    if (!value || *value < low || *value > high) {
      throw ParseError(located(name_, channel.line,
                               fmt::format("channel '{}': {} '{}' is not a number of seconds from {} to {}",
                                           channel.name, what, text, low, high)));
    }
    return *value;
  }

  Signal make_signal(const MtnChannel& channel, LocalTime start, const std::string& device) const {
    constexpr double kDay = 86400;
    double epoch = seconds(channel, channel.epoch, "epoch", 0.001, kDay);
    double offset = channel.offset.empty() ? 0 : seconds(channel, channel.offset, "offset", -365 * kDay, 365 * kDay);
    Signal signal;
    signal.kind = kKind;
    signal.sample_rate_hz = 1.0 / epoch;
    auto offset_ms = std::chrono::milliseconds{std::llround(offset * 1000)};
    signal.start = to_instant(start + offset_ms, require_time_zone(options_.time_zone, name_));
    signal.source = device;
    return signal;
  }

  LocalTime start_of(const std::map<std::string, std::string>& properties) const {
    auto found = properties.find("=StartTime");
    if (found == properties.end()) throw ParseError(fmt::format("{}: no =StartTime property", name_));
    try {
      return parse_local_time(found->second);
    } catch (const ParseError&) {
      throw ParseError(fmt::format("{}: =StartTime '{}' is not a date and time like 2018-05-23 17:30:00", name_,
                                   found->second));
    }
  }

  void announce_person(const std::map<std::string, std::string>& properties) {
    auto id = properties.find("+UserID");
    if (id == properties.end() || id->second.empty()) return;
    PersonInfo info;
    info.source_id = id->second;
    if (auto sex = properties.find("+Sex"); sex != properties.end()) info.sex = parse_sex(sex->second);
    if (auto dob = properties.find("+DOB"); dob != properties.end() && !dob->second.empty()) {
      try {
        auto day = std::chrono::floor<std::chrono::days>(parse_local_time(dob->second));
        info.birth_date = std::chrono::year_month_day{day};
      } catch (const ParseError&) {
        sink_.issue(
            {ImportIssue::Kind::skipped_record, name_ + ": +DOB", "date of birth is not a date like 1980-01-01"});
      }
    }
    sink_.person(info);
  }

  const std::string& name_;
  const ImportOptions& options_;
  RecordSink& sink_;
};

std::ifstream open(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NotFound(fmt::format("{}: cannot open file", path.string()));
  return in;
}

class AwdImporter final : public Importer {
 public:
  std::string_view name() const override { return "actiwatch-awd"; }
  std::string_view version() const override { return "1"; }
  bool accepts(const fs::path& path, std::string_view head, const ImportOptions&) const override {
    if (!has_extension(path, ".awd")) return false;
    // Line 2 holds the start date, "01-Jan-2018".
    auto first_end = head.find('\n');
    if (first_end == std::string_view::npos) return false;
    std::string_view date = trim(head.substr(first_end + 1, head.find('\n', first_end + 1) - first_end - 1));
    if (date.ends_with('\r')) date.remove_suffix(1);
    return date.size() == 11 && date[2] == '-' && date[6] == '-';
  }
  void read(const fs::path& path, const ImportOptions& options, RecordSink& sink) const override {
    auto in = open(path);
    read_awd(in, path.filename().string(), options, sink);
  }
};

class MtnImporter final : public Importer {
 public:
  std::string_view name() const override { return "motionwatch-mtn"; }
  std::string_view version() const override { return "1"; }
  bool accepts(const fs::path& path, std::string_view head, const ImportOptions&) const override {
    return has_extension(path, ".mtn") && head.find("<motionfile") != std::string_view::npos;
  }
  void read(const fs::path& path, const ImportOptions& options, RecordSink& sink) const override {
    auto in = open(path);
    read_mtn(in, path.filename().string(), options, sink);
  }
};

}  // namespace

void read_awd(std::istream& in, const std::string& name, const ImportOptions& options, RecordSink& sink) {
  AwdReader(in, name, options, sink).run();
}

void read_mtn(std::istream& in, const std::string& name, const ImportOptions& options, RecordSink& sink) {
  MtnParser parser(name);
  parser.parse(in);
  MtnReader(name, options, sink).run(parser);
}

std::unique_ptr<Importer> make_awd_importer() { return std::make_unique<AwdImporter>(); }
std::unique_ptr<Importer> make_mtn_importer() { return std::make_unique<MtnImporter>(); }

}  // namespace medtwin
