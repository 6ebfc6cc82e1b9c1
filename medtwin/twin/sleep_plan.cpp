#include "medtwin/twin/sleep_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

[[noreturn]] void bad(std::string_view text, std::string_view why) {
  throw ParseError(fmt::format("sleep plan '{}': {} (expected HH:MM-HH:MM, e.g. 23:30-07:00)", text, why));
}

std::chrono::minutes parse_clock(std::string_view all, std::string_view part) {
  const auto colon = part.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || part.size() != colon + 3) bad(all, "a time is not HH:MM");
  // Digits only: from_chars would take a sign ("07:-5" as 06:55).
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!std::all_of(part.begin(), part.begin() + colon, digit) || !std::all_of(part.begin() + colon + 1, part.end(), digit))
    bad(all, "a time is not HH:MM");
  int hours = -1, minutes = -1;
  const auto h = std::from_chars(part.data(), part.data() + colon, hours);
  const auto m = std::from_chars(part.data() + colon + 1, part.data() + part.size(), minutes);
  if (h.ec != std::errc{} || h.ptr != part.data() + colon || m.ec != std::errc{} || m.ptr != part.data() + part.size())
    bad(all, "a time is not HH:MM");
  if (hours > 23 || minutes > 59) bad(all, "a time is outside 00:00-23:59");
  return std::chrono::hours(hours) + std::chrono::minutes(minutes);
}

}  // namespace

std::chrono::minutes SleepPlan::length() const {
  const auto d = offset - onset;
  return d > std::chrono::minutes::zero() ? d : d + std::chrono::hours(24);
}

SleepPlan parse_sleep_plan(std::string_view text) {
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) bad(text, "no '-' between the two times");
  SleepPlan plan{parse_clock(text, text.substr(0, dash)), parse_clock(text, text.substr(dash + 1))};
  if (plan.onset == plan.offset) bad(text, "the night has no length");
  return plan;
}

}  // namespace medtwin
