#include "medtwin/twin/sleep_plan.hpp"

#include <fmt/format.h>


#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin {
namespace {

[[noreturn]] void bad(std::string_view text, std::string_view why) {
  throw ParseError(fmt::format("sleep plan '{}': {} (expected HH:MM-HH:MM, e.g. 23:30-07:00)", text, why));
}

std::chrono::minutes clock_of(std::string_view all, std::string_view part) {
  const ClockTime t = parse_clock(part);
  if (t.error == ClockError::not_hh_mm) bad(all, "a time is not HH:MM");
  if (t.error == ClockError::out_of_range) bad(all, "a time is outside 00:00-23:59");
  return t.after_midnight;
}

}  // namespace

std::chrono::minutes SleepPlan::length() const {
  const auto d = offset - onset;
  return d > std::chrono::minutes::zero() ? d : d + std::chrono::hours(24);
}

SleepPlan parse_sleep_plan(std::string_view text) {
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) bad(text, "no '-' between the two times");
  SleepPlan plan{clock_of(text, text.substr(0, dash)), clock_of(text, text.substr(dash + 1))};
  if (plan.onset == plan.offset) bad(text, "the night has no length");
  return plan;
}

}  // namespace medtwin
