#include "medtwin/twin/sleep_plan.hpp"

#include <gtest/gtest.h>

#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

using namespace std::chrono_literals;

TEST(SleepPlan, ParsesANightAcrossMidnight) {
  const auto p = parse_sleep_plan("23:30-07:00");
  EXPECT_EQ(p.onset, 23h + 30min);
  EXPECT_EQ(p.offset, 7h);
  EXPECT_EQ(p.length(), 7h + 30min);
  EXPECT_EQ(parse_sleep_plan("01:00-06:00").length(), 5h);
  EXPECT_EQ(parse_sleep_plan("9:15-10:00").length(), 45min);
}

TEST(SleepPlan, RejectsWhatIsNotAPlan) {
  for (const char* text : {"", "23:30", "23:30-", "24:00-07:00", "23:60-07:00", "23:30-07:00x", "ab:cd-07:00",
                           "07:00-07:00", "-1:00-07:00", "123:00-07:00", "01:00--1:00", "01:00-07:-5", "9:15-1:-1", "+1:00-07:00"}) {
    EXPECT_THROW(parse_sleep_plan(text), ParseError) << text;
  }
  try {
    parse_sleep_plan("25:00-07:00");
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "sleep plan '25:00-07:00': a time is outside 00:00-23:59 (expected HH:MM-HH:MM, e.g. 23:30-07:00)");
  }
}

}  // namespace
}  // namespace medtwin
