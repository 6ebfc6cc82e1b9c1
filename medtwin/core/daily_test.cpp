#include "medtwin/core/daily.hpp"

#include <gtest/gtest.h>

#include "medtwin/core/codes.hpp"

namespace medtwin {
namespace {

Observation steps(const char* start, const char* end, double value) {
  return Observation{metrics::steps().code, value, std::nullopt, "{steps}", parse_instant(start), parse_instant(end), "test"};
}

std::chrono::year_month_day day(int y, int m, int d) { return std::chrono::year{y} / m / d; }

TEST(Daily, SumsSplitIntervalsAcrossLocalMidnight) {
  // 23:00–01:00 Amsterdam time (UTC+1 in January): half on each local day.
  std::vector<Observation> series{steps("2024-01-14T22:00:00Z", "2024-01-15T00:00:00Z", 1000)};
  auto days = aggregate_daily(series, TimeZoneHistory({{Instant{}, "Europe/Amsterdam"}}), DailyAggregate::sum);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].day, day(2024, 1, 14));
  EXPECT_DOUBLE_EQ(days[0].value, 500);
  EXPECT_EQ(days[1].day, day(2024, 1, 15));
  EXPECT_DOUBLE_EQ(days[1].value, 500);
}

TEST(Daily, DayBoundaryMovesWhenThePersonTravels) {
  std::vector<Observation> series{steps("2024-03-10T03:00:00Z", "2024-03-10T03:00:00Z", 10)};
  // 03:00 UTC is 04:00 in Amsterdam (10 March) but 22:00 on 9 March in New York (EST, UTC-5).
  auto home = aggregate_daily(series, TimeZoneHistory({{Instant{}, "Europe/Amsterdam"}}), DailyAggregate::sum);
  auto away = aggregate_daily(series, TimeZoneHistory({{Instant{}, "Europe/Amsterdam"},
                                                       {parse_instant("2024-03-05T00:00:00Z"), "America/New_York"}}),
                              DailyAggregate::sum);
  EXPECT_EQ(home.at(0).day, day(2024, 3, 10));
  EXPECT_EQ(away.at(0).day, day(2024, 3, 9));
}

TEST(Daily, MeanMinMaxLastCount) {
  std::vector<Observation> hr;
  for (double v : {60.0, 70.0, 50.0}) {
    hr.push_back(Observation{metrics::heart_rate().code, v, std::nullopt, "/min",
                             parse_instant("2024-01-01T08:00:00Z") + std::chrono::minutes(int(v)),
                             parse_instant("2024-01-01T08:00:00Z") + std::chrono::minutes(int(v)), "test"});
  }
  TimeZoneHistory utc;
  EXPECT_DOUBLE_EQ(aggregate_daily(hr, utc, DailyAggregate::mean).at(0).value, 60);
  EXPECT_DOUBLE_EQ(aggregate_daily(hr, utc, DailyAggregate::min).at(0).value, 50);
  EXPECT_DOUBLE_EQ(aggregate_daily(hr, utc, DailyAggregate::max).at(0).value, 70);
  EXPECT_DOUBLE_EQ(aggregate_daily(hr, utc, DailyAggregate::last).at(0).value, 70);  // latest start
  EXPECT_DOUBLE_EQ(aggregate_daily(hr, utc, DailyAggregate::count).at(0).value, 3);
}

}  // namespace
}  // namespace medtwin
