#include "medtwin/core/time.hpp"

#include <gtest/gtest.h>

#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

using namespace std::chrono_literals;

Instant utc(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return Instant{std::chrono::sys_days{std::chrono::year{y} / m / d}.time_since_epoch() + std::chrono::hours{hh} +
                 std::chrono::minutes{mm} + std::chrono::seconds{ss}};
}

TEST(Time, ParsesIso8601WithZones) {
  EXPECT_EQ(parse_instant("2024-01-01T10:00:00Z"), utc(2024, 1, 1, 10));
  EXPECT_EQ(parse_instant("2024-01-01T10:00:00+02:00"), utc(2024, 1, 1, 8));
  EXPECT_EQ(parse_instant("2024-01-01T10:00:00-0530"), utc(2024, 1, 1, 15, 30));
  EXPECT_EQ(parse_instant("2024-01-01T10:00:00.250Z"), utc(2024, 1, 1, 10) + 250ms);
  EXPECT_EQ(parse_instant("2024-01-01T10:00:00.123456Z"), utc(2024, 1, 1, 10) + 123ms);
}

TEST(Time, ParsesAppleHealthTimestamps) {
  EXPECT_EQ(parse_instant("2024-01-01 01:01:36 +0200"), utc(2023, 12, 31, 23, 1, 36));
}

TEST(Time, RejectsTimestampWithoutZoneNamingTheFix) {
  try {
    parse_instant("2024-01-01T10:00:00");
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("no time zone"), std::string::npos);
  }
  EXPECT_THROW(parse_instant_or_local("2024-01-01T10:00:00", std::nullopt), ParseError);
}

TEST(Time, RejectsMalformedAndImpossibleDates) {
  EXPECT_THROW(parse_instant("2024-13-01T00:00:00Z"), ParseError);
  EXPECT_THROW(parse_instant("2023-02-29T00:00:00Z"), ParseError);
  EXPECT_THROW(parse_instant("yesterday"), ParseError);
  EXPECT_THROW(parse_instant("2024-01-01T10:00:00Zjunk"), ParseError);
  EXPECT_THROW(parse_instant(""), ParseError);
}

TEST(Time, LocalTimeInZoneFollowsDaylightSaving) {
  // Amsterdam: CET (+1) in winter, CEST (+2) in summer.
  EXPECT_EQ(parse_instant_or_local("2024-01-15T12:00:00", "Europe/Amsterdam"), utc(2024, 1, 15, 11));
  EXPECT_EQ(parse_instant_or_local("2024-07-15T12:00:00", "Europe/Amsterdam"), utc(2024, 7, 15, 10));
}

TEST(Time, ParsesUsStyleLocalTimes) {
  auto t = parse_local_time("4/12/2016 1:30:00 PM", "%m/%d/%Y %I:%M:%S %p");
  EXPECT_EQ(to_instant(t, "UTC"), utc(2016, 4, 12, 13, 30));
}

TEST(Time, FormatsRoundTrip) {
  Instant t = utc(2024, 2, 29, 23, 59, 58) + 7ms;
  EXPECT_EQ(format_instant(t), "2024-02-29T23:59:58.007Z");
  EXPECT_EQ(parse_instant(format_instant(t)), t);
}

TEST(Time, ZoneHistoryPicksTheZoneInForce) {
  TimeZoneHistory zones({{utc(2024, 3, 1), "America/New_York"}, {utc(2024, 1, 1), "Europe/Amsterdam"}});
  EXPECT_EQ(zones.zone_at(utc(2023, 6, 1)), "Europe/Amsterdam");  // before the first: the first
  EXPECT_EQ(zones.zone_at(utc(2024, 2, 1)), "Europe/Amsterdam");
  EXPECT_EQ(zones.zone_at(utc(2024, 3, 1)), "America/New_York");
  EXPECT_EQ(TimeZoneHistory{}.zone_at(utc(2024, 1, 1)), "UTC");
}

TEST(Time, UnknownZoneIsAClearError) {
  EXPECT_FALSE(is_known_time_zone("Mars/Olympus"));
  EXPECT_THROW(to_instant(LocalTime{}, "Mars/Olympus"), Error);
}

TEST(RequireTimeZone, TellsToPassTz) {
  EXPECT_EQ(require_time_zone(std::string("UTC"), "f.csv"), "UTC");
  try {
    require_time_zone(std::nullopt, "f.csv");
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("--tz"), std::string::npos);
  }
}

}  // namespace
}  // namespace medtwin
