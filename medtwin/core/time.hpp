// Time inside medtwin: UTC instants with millisecond resolution. Local time and
// time zones appear only when reading outside formats and when grouping by the
// person's local day (see daily.hpp).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace medtwin {

using Instant = std::chrono::sys_time<std::chrono::milliseconds>;
using LocalTime = std::chrono::local_time<std::chrono::milliseconds>;

// Milliseconds since the Unix epoch, the store's representation.
inline std::int64_t to_epoch_ms(Instant t) { return t.time_since_epoch().count(); }
inline Instant from_epoch_ms(std::int64_t ms) { return Instant{std::chrono::milliseconds{ms}}; }
inline Instant current_instant() { return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()); }

// An ISO 8601 / RFC 3339 timestamp as written in FHIR, Open mHealth and most
// exports: "2024-01-01T10:00:00Z", "...+02:00", "...+0200", fractional seconds
// allowed, 'T' or ' ' between date and time. Throws ParseError if the text has
// no zone (then `parse_local_time` + a zone must be used) or is malformed.
// Apple Health's "2024-01-01 01:01:36 +0200" is read too.
Instant parse_instant(std::string_view text);

// A timestamp that may lack a zone: with a zone it is exact; without one it is
// read as local time in `tz` (an IANA name). Throws ParseError when there is
// no zone and no tz, naming what to pass.
Instant parse_instant_or_local(std::string_view text, const std::optional<std::string>& tz);

// The zone for a file written in local time: `tz` (from --tz), or a
// ParseError naming the file and telling the user to pass --tz.
const std::string& require_time_zone(const std::optional<std::string>& tz, const std::string& file);

// A zone-less date and time ("2016-04-12", "2016-04-12T08:00:00",
// "4/12/2016 12:00:00 AM" with format "%m/%d/%Y %I:%M:%S %p"), as local time.
LocalTime parse_local_time(std::string_view text, const char* format = nullptr);

// Local time in the IANA zone `tz` to an instant. Non-existent local times
// (spring forward) map forward; ambiguous ones (fall back) to the earlier.
Instant to_instant(LocalTime t, std::string_view tz);
LocalTime to_local(Instant t, std::string_view tz);

// True when `tz` names a zone in the system's tz database.
bool is_known_time_zone(std::string_view tz);

// Whether `t` lies in 1800–2299: the years health data can come from, and a
// range where calendar and time-zone arithmetic stay exact.
bool is_plausible_instant(Instant t);
// 1800-01-01T00:00Z, the first plausible instant.
Instant earliest_plausible_instant();

// "2024-01-01T08:00:00.000Z"
std::string format_instant(Instant t);
// A local calendar day as YYYY-MM-DD.
std::string format_local_day(std::chrono::local_days day);

// A time of day "HH:MM" (hours of one or two digits, minutes of two; digits
// only, no sign or blank) as minutes after midnight.
enum class ClockError { none, not_hh_mm, out_of_range };
struct ClockTime {
  std::chrono::minutes after_midnight{0};
  ClockError error = ClockError::none;
};
ClockTime parse_clock(std::string_view text);

// One time zone that holds from an instant on, until the next entry.
struct TimeZoneSpan {
  Instant from;
  std::string tz;  // IANA name
};

// A person's time zones over time, ordered by `from`. The first zone also
// covers every instant before it; an empty history means UTC.
class TimeZoneHistory {
 public:
  TimeZoneHistory() = default;
  explicit TimeZoneHistory(std::vector<TimeZoneSpan> spans);
  const std::string& zone_at(Instant t) const;
  const std::vector<TimeZoneSpan>& spans() const { return spans_; }

 private:
  std::vector<TimeZoneSpan> spans_;
};

}  // namespace medtwin
