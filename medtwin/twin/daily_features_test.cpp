#include "medtwin/twin/daily_features.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "medtwin/core/codes.hpp"

namespace medtwin {
namespace {

using namespace std::chrono_literals;
using std::chrono::local_days;
using std::chrono::sys_days;

Instant utc(sys_days day, std::chrono::minutes clock = 0min) { return Instant{day} + clock; }

Observation numeric(const Metric& m, Instant start, Instant end, double value, std::string source = "watch") {
  return Observation{m.code, value, std::nullopt, m.unit, start, end, std::move(source)};
}

Observation stage(const Code& s, Instant start, Instant end) {
  const Metric m = metrics::sleep_stage();
  return Observation{m.code, std::nullopt, s, "", start, end, "watch"};
}

// The feature's value on a local day, NaN when absent.
double on(const std::vector<DailySeries>& features, std::string_view name, std::chrono::year_month_day day) {
  const auto* f = find_feature(features, name);
  if (!f) return NAN;
  const auto i = (local_days{sys_days{day}.time_since_epoch()} - f->first_day).count();
  return i >= 0 && i < static_cast<long>(f->values.size()) ? f->values[static_cast<std::size_t>(i)] : NAN;
}

constexpr auto d1 = std::chrono::year{2024} / 3 / 4;
constexpr auto d2 = std::chrono::year{2024} / 3 / 5;
const TimeZoneHistory utc_zone;

TEST(DailyFeatures, TwoDevicesAreNotAdded) {
  const std::vector<Observation> obs{numeric(metrics::steps(), utc(sys_days{d1}, 600min), utc(sys_days{d1}, 660min), 8000),
                                     numeric(metrics::steps(), utc(sys_days{d1}, 600min), utc(sys_days{d1}, 660min), 6000, "phone")};
  EXPECT_DOUBLE_EQ(on(daily_features(obs, utc_zone), feature::steps, d1), 8000);
}

TEST(DailyFeatures, DailyTotalAndHourlyPiecesOfOneSourceAreTheSameQuantity) {
  std::vector<Observation> obs{numeric(metrics::total_energy(), utc(sys_days{d1}), utc(sys_days{d2}), 1000)};
  for (int h = 0; h < 11; ++h)
    obs.push_back(numeric(metrics::total_energy(), utc(sys_days{d1}, h * 60min), utc(sys_days{d1}, (h + 1) * 60min), 100));
  obs.push_back(numeric(metrics::steps(), utc(sys_days{d1}), utc(sys_days{d2}), 5000));
  EXPECT_DOUBLE_EQ(on(daily_features(obs, utc_zone), feature::total_energy, d1), 1100);
}

TEST(DailyFeatures, ContradictoryDuplicatesKeepTheLargerCount) {
  // A partial day in one export, the full day in the next.
  const std::vector<Observation> obs{numeric(metrics::steps(), utc(sys_days{d1}), utc(sys_days{d2}), 224),
                                     numeric(metrics::steps(), utc(sys_days{d1}), utc(sys_days{d2}), 13162)};
  EXPECT_DOUBLE_EQ(on(daily_features(obs, utc_zone), feature::steps, d1), 13162);
}

TEST(DailyFeatures, ADayWithoutStepsWasNotWorn) {
  const std::vector<Observation> obs{numeric(metrics::steps(), utc(sys_days{d1}), utc(sys_days{d2}), 0),
                                     numeric(metrics::total_energy(), utc(sys_days{d1}), utc(sys_days{d2}), 1400),
                                     numeric(metrics::steps(), utc(sys_days{d2}), utc(sys_days{d2}, 24h), 9000),
                                     numeric(metrics::total_energy(), utc(sys_days{d2}), utc(sys_days{d2}, 24h), 2300)};
  const auto f = daily_features(obs, utc_zone);
  EXPECT_TRUE(std::isnan(on(f, feature::steps, d1)));
  EXPECT_TRUE(std::isnan(on(f, feature::total_energy, d1)));
  EXPECT_DOUBLE_EQ(on(f, feature::total_energy, d2), 2300);
}

TEST(DailyFeatures, TravelMovesTheDayBoundary) {
  // In Amsterdam until 2024-03-04 12:00 UTC, then New York.
  const TimeZoneHistory zones({{utc(sys_days{d1} - std::chrono::days(30)), "Europe/Amsterdam"},
                               {utc(sys_days{d1}, 720min), "America/New_York"}});
  // 03:00 UTC on the 5th is 22:00 on the 4th in New York.
  const std::vector<Observation> obs{numeric(metrics::steps(), utc(sys_days{d2}, 180min), utc(sys_days{d2}, 190min), 700),
                                     numeric(metrics::steps(), utc(sys_days{d1}, 60min), utc(sys_days{d1}, 70min), 300)};
  const auto f = daily_features(obs, zones);
  EXPECT_DOUBLE_EQ(on(f, feature::steps, d1), 1000);
  EXPECT_TRUE(std::isnan(on(f, feature::steps, d2)));
}

TEST(DailyFeatures, SleepBelongsToTheWakeDayWithItsClockTimes) {
  // 23:00 on the 4th to 07:00 on the 5th: 7 h light + 1 h deep, one 30-min wake inside.
  const Instant onset = utc(sys_days{d1}, 23h);
  const std::vector<Observation> obs{stage(sleep_stages::light(), onset, onset + 3h),
                                     stage(sleep_stages::awake(), onset + 3h, onset + 3h + 30min),
                                     stage(sleep_stages::deep(), onset + 3h + 30min, onset + 4h + 30min),
                                     stage(sleep_stages::rem(), onset + 4h + 30min, onset + 8h)};
  const auto f = daily_features(obs, utc_zone);
  EXPECT_DOUBLE_EQ(on(f, feature::sleep_hours, d2), 7.5);
  EXPECT_DOUBLE_EQ(on(f, feature::sleep_onset, d2), -1);
  EXPECT_DOUBLE_EQ(on(f, feature::sleep_offset, d2), 7);
  EXPECT_DOUBLE_EQ(on(f, feature::sleep_midpoint, d2), 3);
  EXPECT_DOUBLE_EQ(on(f, feature::deep_sleep_hours, d2), 1);
  EXPECT_DOUBLE_EQ(on(f, feature::rem_sleep_hours, d2), 3.5);
  EXPECT_NEAR(on(f, feature::sleep_efficiency, d2), 7.5 / 8, 1e-12);
  EXPECT_TRUE(std::isnan(on(f, feature::sleep_hours, d1)));
}

TEST(DailyFeatures, NightlySleepTotalsBelongToTheWakeDay) {
  // A sleep log 23:00–07:00: 7.5 h asleep in 8 h in bed.
  const Instant onset = utc(sys_days{d1}, 23h);
  std::vector<Observation> obs{numeric(metrics::sleep_duration(), onset, onset + 8h, 7.5),
                               numeric(metrics::time_in_bed(), onset, onset + 8h, 8)};
  auto f = daily_features(obs, utc_zone);
  EXPECT_DOUBLE_EQ(on(f, feature::sleep_hours, d2), 7.5);
  EXPECT_DOUBLE_EQ(on(f, feature::sleep_efficiency, d2), 7.5 / 8);
  EXPECT_TRUE(std::isnan(on(f, feature::sleep_hours, d1)));
  // A 1-h nap that afternoon adds to the day's sleep, as Fitbit counts it.
  obs.push_back(numeric(metrics::sleep_duration(), onset + 15h, onset + 16h, 1));
  f = daily_features(obs, utc_zone);
  EXPECT_DOUBLE_EQ(on(f, feature::sleep_hours, d2), 8.5);
}

TEST(DailyFeatures, RmssdFromBeatToBeatIntervals) {
  // Alternating 800/820 ms: every successive difference is 20 ms; one 1500 ms
  // artefact (an 83% jump) is left out with both of its pairs.
  std::vector<Observation> obs;
  Instant t = utc(sys_days{d1}, 120min);
  for (int i = 0; i < 300; ++i) {
    const double rr = i == 150 ? 1500 : (i % 2 ? 820 : 800);
    t += std::chrono::milliseconds(static_cast<long>(rr));
    obs.push_back(numeric(metrics::rr_interval(), t, t, rr));
  }
  EXPECT_NEAR(on(daily_features(obs, utc_zone), feature::hrv_rmssd, d1), 20, 1e-12);
}

TEST(DailyFeatures, RestingHeartRateFromSamplesWhenNoDeviceReportsIt) {
  std::vector<Observation> obs;
  for (int i = 0; i < 100; ++i) {
    const Instant t = utc(sys_days{d1}, i * 10min);
    obs.push_back(numeric(metrics::heart_rate(), t, t, 50 + i));  // 50..149 bpm
  }
  EXPECT_NEAR(on(daily_features(obs, utc_zone), feature::resting_hr, d1), 54.95, 1e-9);  // type-7 5th percentile
}

TEST(DailyFeatures, NothingUsableGivesNoFeatures) {
  EXPECT_TRUE(daily_features({}, utc_zone).empty());
}

}  // namespace
}  // namespace medtwin
