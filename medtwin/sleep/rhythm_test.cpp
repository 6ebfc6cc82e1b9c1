#include "medtwin/sleep/rhythm.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "medtwin/core/error.hpp"
#include "medtwin/sleep/test_data.hpp"

namespace medtwin::sleep {
namespace {

using namespace std::chrono_literals;
using namespace test_data;

// One row of reference_pyActigraphy_formulas_IS_IV_L5_M10_RA.csv.
struct Reference {
  std::string file, epoch, start;
  long n_epochs = 0;
  bool binarize = false;
  double is = 0, iv = 0, l5 = 0, m10 = 0, ra = 0;
  std::chrono::minutes l5_start{}, m10_start{};
};

// "0 days 23:03:00" (a pandas Timedelta) → minutes after midnight.
std::chrono::minutes clock_minutes(const std::string& text) {
  int days = 0, h = 0, m = 0, s = 0;
  if (std::sscanf(text.c_str(), "%d days %d:%d:%d", &days, &h, &m, &s) != 4) throw Error("bad time " + text);
  return std::chrono::minutes(days * 1440 + h * 60 + m);
}

std::vector<Reference> read_references() {
  std::ifstream in(shared_data("wearables/actigraphy/reference_pyActigraphy_formulas_IS_IV_L5_M10_RA.csv"));
  std::string line;
  std::getline(in, line);  // header
  std::vector<Reference> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
    if (f.size() != 12) throw Error("reference row with " + std::to_string(f.size()) + " fields: " + line);
    rows.push_back({f[0], f[1], f[3], std::stol(f[2]), f[4] == "True", std::stod(f[5]), std::stod(f[6]),
                    std::stod(f[7]), std::stod(f[9]), std::stod(f[11]), clock_minutes(f[8]), clock_minutes(f[10])});
  }
  return rows;
}

// Double arithmetic over ≤ 2·10⁴ values: agreement far better than 1e-9.
constexpr double relative_tolerance = 1e-9;

void expect_close(double computed, double reference, const std::string& what) {
  EXPECT_NEAR(computed, reference, relative_tolerance * std::abs(reference)) << what;
}

TEST(NonparametricRhythm, ReproducesPyActigraphyReferences) {
  const auto references = read_references();
  ASSERT_EQ(references.size(), 4u);
  const TimeZoneHistory utc;
  const RhythmOptions py{std::chrono::minutes(60), RhythmFormula::pyactigraphy};
  for (const auto& ref : references) {
    const std::string what = ref.file + (ref.binarize ? " binarized" : " raw");
    ActivitySeries series = read_awd_file(ref.file);
    ASSERT_EQ(long(series.counts.size()), ref.n_epochs) << what;
    ASSERT_EQ(series.epoch, 60s) << what;
    EXPECT_EQ(format_instant(series.start).substr(0, 16), ref.start.substr(0, 10) + "T" + ref.start.substr(11, 5));
    if (ref.binarize) series = binarize(series, 4);  // the reference's threshold 4
    const NonparametricRhythm r = nonparametric_rhythm(series, utc, py);
    expect_close(r.is, ref.is, what + " IS");
    expect_close(r.iv, ref.iv, what + " IV");
    expect_close(r.l5.mean, ref.l5, what + " L5");
    expect_close(r.m10.mean, ref.m10, what + " M10");
    expect_close(r.ra, ref.ra, what + " RA");
    EXPECT_EQ(hhmm(r.m10.start), hhmm(ref.m10_start)) << what;
    if (hhmm(r.l5.start) != hhmm(ref.l5_start)) {
      // Only where two windows tie exactly: the reference's start must then be
      // a window with the same mean (see TieAtL5OfExample01).
      const auto day = average_day(series, utc);
      double sum = 0;
      for (long k = 0; k < 300; ++k) sum += day[(ref.l5_start.count() + k) % day.size()];
      expect_close(sum / 300, r.l5.mean, what + " L5 at the reference's start");
    }
    const NonparametricRhythm c = nonparametric_rhythm(series, utc);
    std::printf("%-29s %-3s IS %.10f (rel err %.1e; classical %.6f)  IV %.10f (rel err %.1e; classical %.6f)\n"
                "%33s L5 %.10f @%s (rel err %.1e)  M10 %.10f @%s (rel err %.1e)  RA %.10f (rel err %.1e)\n",
                ref.file.c_str(), ref.binarize ? "bin" : "raw", r.is, std::abs(r.is / ref.is - 1), c.is, r.iv,
                std::abs(r.iv / ref.iv - 1), c.iv, "", r.l5.mean, hhmm(r.l5.start).c_str(),
                std::abs(r.l5.mean / ref.l5 - 1), r.m10.mean, hhmm(r.m10.start).c_str(),
                std::abs(r.m10.mean / ref.m10 - 1), r.ra, std::abs(r.ra / ref.ra - 1));
  }
}

// pyActigraphy reports L5 of example_01 (binarized) starting at 02:03; the
// windows starting at 02:02 and 02:03 hold exactly the same sum (410/13 in
// exact arithmetic: the two ends differ by minutes with equal profile values),
// and the reference's pick of the later one comes from the rounding of its
// summation. medtwin takes the earliest of tied windows.
TEST(NonparametricRhythm, TieAtL5OfExample01) {
  const ActivitySeries series = binarize(read_awd_file("pyActigraphy_example_01.AWD"), 4);
  const TimeZoneHistory utc;
  const auto day = average_day(series, utc);
  ASSERT_EQ(day.size(), 1440u);
  EXPECT_EQ(day[2 * 60 + 2], day[7 * 60 + 2]);  // the minute leaving and the minute entering the window
  const ActivityWindow l5 = least_active_window(series, utc);
  EXPECT_EQ(hhmm(l5.start), "02:02");
  EXPECT_NEAR(l5.mean * 300 * 13, 410, 1e-9);
}

// Two days of hourly bins, hand-computed. Day 1 active (1) in hours 0–11,
// rest (0) in 12–23; day 2 active all day. Grand mean x̄ = 36/48 = 0.75;
// profile 1 (hours 0–11), 0.5 (12–23): Σ_h (x̄_h − x̄)² = 24 × 0.0625 = 1.5;
// Σ_i (x_i − x̄)² = 36 × 0.0625 + 12 × 0.5625 = 9.
//   classical IS = n Σ_h / (p Σ_i) = 48 × 1.5 / (24 × 9) = 1/3
//   pyActigraphy IS = (1.5 / 23) / (9 / 47) = 0.3405797…
// Successive differences: one step (11→12) and one (23→24): Σ d² = 2.
//   classical IV = n Σ d² / ((n − 1) Σ_i) = 48 × 2 / (47 × 9) = 0.2269503…
//   pyActigraphy IV = (2 / 47) / (9 / 47) = 2/9
TEST(NonparametricRhythm, HandComputedIsIv) {
  ActivitySeries s{at("2024-01-01T00:00:00Z"), 60min, {}};
  for (int h = 0; h < 48; ++h) s.counts.push_back(h < 12 || h >= 24 ? 1 : 0);
  const TimeZoneHistory utc;
  const RhythmOptions classical, py{60min, RhythmFormula::pyactigraphy};
  EXPECT_NEAR(interdaily_stability(s, utc, classical), 1.0 / 3, 1e-15);
  EXPECT_NEAR(interdaily_stability(s, utc, py), (1.5 / 23) / (9.0 / 47), 1e-15);
  EXPECT_NEAR(intradaily_variability(s, classical), 48.0 * 2 / (47 * 9), 1e-15);
  EXPECT_NEAR(intradaily_variability(s, py), 2.0 / 9, 1e-15);
}

// The same daily pattern every day gives IS = 1; strictly alternating hours
// give the largest IV, 4 (classical formula).
TEST(NonparametricRhythm, AnalyticExtremes) {
  const TimeZoneHistory utc;
  const ActivitySeries regular = rest_activity_days(at("2024-01-01T00:00:00Z"), 7, 23 * 60, 7 * 60);
  EXPECT_NEAR(interdaily_stability(regular, utc), 1.0, 1e-12);
  ActivitySeries alternating{at("2024-01-01T00:00:00Z"), 60min, {}};
  for (int h = 0; h < 48; ++h) alternating.counts.push_back(h % 2);
  // Σ d² = 47, Σ (x − ½)² = 12, n = 48: IV = 48 × 47 / (47 × 12) = 4.
  EXPECT_NEAR(intradaily_variability(alternating), 4.0, 1e-12);
}

// pyActigraphy's IV is the classical one times (n − 1)/n on the same bins
// (when no bin is partial or missing).
TEST(NonparametricRhythm, IvVariantsDifferByNOverNMinusOne) {
  const ActivitySeries s = read_awd_file("pyActigraphy_test_sample.AWD");
  ActivitySeries whole = s;
  whole.counts.resize(s.counts.size() / 60 * 60);  // complete hours only: both formulas use the same bins
  const double n = double(whole.counts.size() / 60);
  EXPECT_NEAR(intradaily_variability(whole, {60min, RhythmFormula::pyactigraphy}),
              intradaily_variability(whole) * (n - 1) / n, 1e-12);
}

// Binning by clock hour uses the person's local time: the same activity read
// in Europe/Berlin (UTC+1 in winter) has its rest window one hour later.
TEST(NonparametricRhythm, L5StartIsLocalClockTime) {
  // Rest (5 h, as long as the L5 window) 22:00–03:00 UTC = 23:00–04:00 in
  // Berlin (CET, winter).
  const ActivitySeries s = rest_activity_days(at("2024-01-08T00:00:00Z"), 5, 22 * 60, 3 * 60);
  EXPECT_EQ(hhmm(least_active_window(s, TimeZoneHistory()).start), "22:00");
  const TimeZoneHistory berlin({{s.start, "Europe/Berlin"}});
  EXPECT_EQ(hhmm(least_active_window(s, berlin).start), "23:00");
  EXPECT_EQ(least_active_window(s, berlin).mean, 0.0);
}

// Across the spring DST change the rest period stays at 23:00–04:00 on the
// local clock (its UTC time moves an hour): L5 still finds 23:00 and IS stays 1.
TEST(NonparametricRhythm, DstChangeKeepsLocalRhythm) {
  const ActivitySeries s =
      rest_activity_days(at("2024-03-27T00:00:00Z"), 8, 23 * 60, 4 * 60, 0, 100, "Europe/Berlin");
  const TimeZoneHistory berlin({{s.start, "Europe/Berlin"}});
  EXPECT_EQ(hhmm(least_active_window(s, berlin).start), "23:00");
  EXPECT_EQ(least_active_window(s, berlin).mean, 0.0);
  const double is_local = interdaily_stability(s, berlin);
  const double is_utc = interdaily_stability(s, TimeZoneHistory());
  EXPECT_NEAR(is_local, 1.0, 1e-12);
  EXPECT_LT(is_utc, 0.95);  // binned on UTC, the days before and after the change disagree
  std::printf("IS across DST: %.6f on the local clock, %.6f on UTC\n", is_local, is_utc);
}

TEST(NonparametricRhythm, RejectsBadInput) {
  const TimeZoneHistory utc;
  ActivitySeries empty{at("2024-01-01T00:00:00Z"), 1min, {}};
  EXPECT_NE(error_of([&] { interdaily_stability(empty, utc); }).find("IS: the activity series is empty"),
            std::string::npos);
  ActivitySeries nan = rest_activity_days(at("2024-01-01T00:00:00Z"), 3, 0, 60);
  for (double& c : nan.counts) c = std::nan("");
  EXPECT_NE(error_of([&] { least_active_window(nan, utc); }).find("every epoch"), std::string::npos);
  ActivitySeries odd = rest_activity_days(at("2024-01-01T00:00:00Z"), 3, 0, 60);
  odd.epoch = 7min;
  EXPECT_NE(error_of([&] { intradaily_variability(odd); }).find("divide one hour"), std::string::npos);
  ActivitySeries short_series = rest_activity_days(at("2024-01-01T00:00:00Z"), 2, 0, 60);
  short_series.counts.resize(std::size_t(1.3 * 1440));
  EXPECT_NE(error_of([&] { interdaily_stability(short_series, utc); })
                .find("not enough data for IS: needs at least 2 days of non-missing epochs, got 1.30"),
            std::string::npos);
  // One day with the hour 03:00–04:00 missing on that day: no average for it.
  ActivitySeries gap = rest_activity_days(at("2024-01-01T00:00:00Z"), 1, 0, 60);
  gap.counts.resize(1500, 100);
  for (int m = 180; m < 240; ++m) gap.counts[std::size_t(m)] = std::nan("");
  EXPECT_NE(error_of([&] { least_active_window(gap, utc); }).find("no epoch at local time 03:00:00"),
            std::string::npos);
  const ActivitySeries flat = rest_activity_days(at("2024-01-01T00:00:00Z"), 3, 0, 60, 5, 5);
  EXPECT_NE(error_of([&] { interdaily_stability(flat, utc); }).find("constant activity"), std::string::npos);
  EXPECT_NE(error_of([&] { relative_amplitude({0, 0ms}, {0, 0ms}); }).find("M10 > 0"), std::string::npos);
}

}  // namespace
}  // namespace medtwin::sleep
