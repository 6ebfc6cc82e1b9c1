#include "medtwin/core/time.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

using std::chrono::milliseconds;

// A timestamp split into its parts; `offset` is set only when a zone was written.
struct TimestampParts {
  LocalTime local;
  std::optional<std::chrono::minutes> offset;
};

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  bool accept(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // Exactly `n` digits.
  int digits(int n) {
    int value = 0;
    for (int i = 0; i < n; ++i) {
      char c = peek();
      if (c < '0' || c > '9') fail();
      value = value * 10 + (c - '0');
      ++pos_;
    }
    return value;
  }
  // Fraction of a second after '.', any number of digits, to milliseconds.
  int fraction_ms() {
    int ms = 0, scale = 100;
    bool any = false;
    while (peek() >= '0' && peek() <= '9') {
      ms += (peek() - '0') * scale;
      scale /= 10;
      ++pos_;
      any = true;
    }
    if (!any) fail();
    return ms;
  }
  [[noreturn]] void fail() const {
    throw ParseError(fmt::format("'{}' is not an ISO 8601 timestamp (at character {})", text_, pos_ + 1));
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

TimestampParts parse_parts(std::string_view text) {
  Cursor c(text);
  int year = c.digits(4);
  if (!c.accept('-')) c.fail();
  int month = c.digits(2);
  if (!c.accept('-')) c.fail();
  int day = c.digits(2);
  auto ymd = std::chrono::year{year} / month / day;
  if (!ymd.ok()) throw ParseError(fmt::format("'{}' is not a valid calendar date", text));
  milliseconds time_of_day{0};
  if (c.accept('T') || (c.peek() == ' ' && text.size() > 11 && text[11] >= '0' && text[11] <= '9' && c.accept(' '))) {
    int hour = c.digits(2);
    if (!c.accept(':')) c.fail();
    int minute = c.digits(2);
    int second = 0, ms = 0;
    if (c.accept(':')) {
      second = c.digits(2);
      if (c.accept('.') || c.accept(',')) ms = c.fraction_ms();
    }
    if (hour > 24 || minute > 59 || second > 60) throw ParseError(fmt::format("'{}' has an invalid time of day", text));
    time_of_day = std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second} + milliseconds{ms};
  }
  TimestampParts parts{LocalTime{std::chrono::local_days{ymd}.time_since_epoch() + time_of_day}, std::nullopt};
  c.accept(' ');
  if (c.accept('Z') || c.accept('z')) {
    parts.offset = std::chrono::minutes{0};
  } else if (c.peek() == '+' || c.peek() == '-') {
    int sign = c.peek() == '-' ? -1 : 1;
    c.accept(c.peek());
    int hours = c.digits(2);
    int minutes = 0;
    if (c.accept(':')) minutes = c.digits(2);
    else if (!c.done()) minutes = c.digits(2);
    if (hours > 18 || minutes > 59) throw ParseError(fmt::format("'{}' has an invalid zone offset", text));
    parts.offset = std::chrono::minutes{sign * (hours * 60 + minutes)};
  }
  if (!c.done()) c.fail();
  return parts;
}

Instant apply_offset(const TimestampParts& parts) {
  return Instant{parts.local.time_since_epoch() - *parts.offset};
}

}  // namespace

Instant parse_instant(std::string_view text) {
  auto parts = parse_parts(text);
  if (!parts.offset) {
    throw ParseError(fmt::format("timestamp '{}' has no time zone; give one (e.g. 'Z' or '+02:00') or a --tz", text));
  }
  return apply_offset(parts);
}

Instant parse_instant_or_local(std::string_view text, const std::optional<std::string>& tz) {
  auto parts = parse_parts(text);
  if (parts.offset) return apply_offset(parts);
  if (!tz) {
    throw ParseError(fmt::format("timestamp '{}' has no time zone; pass --tz ZONE (e.g. --tz Europe/Amsterdam)", text));
  }
  return to_instant(parts.local, *tz);
}

const std::string& require_time_zone(const std::optional<std::string>& tz, const std::string& file) {
  if (!tz) {
    throw ParseError(fmt::format(
        "{}: timestamps in this file have no time zone; pass --tz ZONE (e.g. --tz Europe/Amsterdam)", file));
  }
  return *tz;
}

LocalTime parse_local_time(std::string_view text, const char* format) {
  if (!format) {
    auto parts = parse_parts(text);
    return parts.local;
  }
  // strptime instead of date::parse: the latter trips GCC 12's maybe-uninitialized.
  std::tm parts{};
  std::string copy(text);
  const char* end = strptime(copy.c_str(), format, &parts);
  if (!end || *end != '\0') throw ParseError(fmt::format("'{}' does not match the time format '{}'", text, format));
  auto ymd = std::chrono::year{parts.tm_year + 1900} / (parts.tm_mon + 1) / parts.tm_mday;
  if (!ymd.ok()) throw ParseError(fmt::format("'{}' is not a valid calendar date", text));
  return LocalTime{std::chrono::local_days{ymd}.time_since_epoch() + std::chrono::hours{parts.tm_hour} +
                   std::chrono::minutes{parts.tm_min} + std::chrono::seconds{parts.tm_sec}};
}

Instant to_instant(LocalTime t, std::string_view tz) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(std::string(tz));
  } catch (const std::exception&) {
    throw Error(fmt::format("unknown time zone '{}' (expected an IANA name such as Europe/Amsterdam)", tz));
  }
  date::local_time<milliseconds> local{t.time_since_epoch()};
  auto info = zone->get_info(local);
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:  // the earlier of the two readings
      return Instant{local.time_since_epoch() - info.first.offset};
    case date::local_info::nonexistent:  // in the gap: read with the offset before the change
    default:
      return Instant{local.time_since_epoch() - info.first.offset};
  }
}

LocalTime to_local(Instant t, std::string_view tz) {
  const date::time_zone* zone = date::locate_zone(std::string(tz));
  date::sys_time<milliseconds> sys{t.time_since_epoch()};
  return LocalTime{zone->to_local(sys).time_since_epoch()};
}

bool is_known_time_zone(std::string_view tz) {
  try {
    date::locate_zone(std::string(tz));
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

Instant earliest_plausible_instant() {
  using namespace std::chrono;
  return Instant{sys_days{year{1800} / January / 1}.time_since_epoch()};
}

bool is_plausible_instant(Instant t) {
  using namespace std::chrono;
  static const Instant end{sys_days{year{2300} / January / 1}.time_since_epoch()};
  return t >= earliest_plausible_instant() && t < end;
}

ClockTime parse_clock(std::string_view part) {
  const auto colon = part.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || part.size() != colon + 3)
    return {std::chrono::minutes{0}, ClockError::not_hh_mm};
  // Digits only: from_chars would take a sign ("07:-5" as 06:55).
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!std::all_of(part.begin(), part.begin() + colon, digit) || !std::all_of(part.begin() + colon + 1, part.end(), digit))
    return {std::chrono::minutes{0}, ClockError::not_hh_mm};
  int hours = -1, minutes = -1;
  std::from_chars(part.data(), part.data() + colon, hours);
  std::from_chars(part.data() + colon + 1, part.data() + part.size(), minutes);
  if (hours > 23 || minutes > 59) return {std::chrono::minutes{0}, ClockError::out_of_range};
  return {std::chrono::hours(hours) + std::chrono::minutes(minutes), ClockError::none};
}

std::string format_local_day(std::chrono::local_days day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{day.time_since_epoch()}};
  return fmt::format("{:04}-{:02}-{:02}", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
}

std::string format_instant(Instant t) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss<milliseconds> hms{t - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count());
}

TimeZoneHistory::TimeZoneHistory(std::vector<TimeZoneSpan> spans) : spans_(std::move(spans)) {
  std::sort(spans_.begin(), spans_.end(), [](const auto& a, const auto& b) { return a.from < b.from; });
}

const std::string& TimeZoneHistory::zone_at(Instant t) const {
  static const std::string utc = "UTC";
  if (spans_.empty()) return utc;
  auto after = std::upper_bound(spans_.begin(), spans_.end(), t, [](Instant x, const auto& s) { return x < s.from; });
  return after == spans_.begin() ? spans_.front().tz : std::prev(after)->tz;
}

}  // namespace medtwin
