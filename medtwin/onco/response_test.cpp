#include "medtwin/onco/response.hpp"

#include <gtest/gtest.h>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

TEST(Response, RecistThresholds) {
  const auto c = Criteria::recist_1_1;
  EXPECT_EQ(classify(c, 100, 100, 70), Response::partial);   // −30 %
  EXPECT_EQ(classify(c, 100, 100, 71), Response::stable);
  EXPECT_EQ(classify(c, 100, 50, 60), Response::progressive);  // +20 % and +10 mm from the nadir
  EXPECT_EQ(classify(c, 100, 20, 24), Response::partial);      // +20 % but only +4 mm
  EXPECT_EQ(classify(c, 100, 60, 0), Response::complete);
  EXPECT_THROW(classify(c, -1, 1, 1), Error);
}

TEST(Response, RanoThresholds) {
  const auto c = Criteria::rano;
  EXPECT_EQ(classify(c, 400, 400, 200), Response::partial);  // −50 %
  EXPECT_EQ(classify(c, 400, 400, 201), Response::stable);
  EXPECT_EQ(classify(c, 400, 200, 250), Response::progressive);  // +25 % from the nadir
  EXPECT_EQ(classify(c, 400, 200, 249), Response::stable);  // +24.5 % from the nadir, −38 % from baseline
  EXPECT_DOUBLE_EQ(lesion_measure(c, 10), 400);
  EXPECT_DOUBLE_EQ(lesion_measure(Criteria::recist_1_1, 10), 20);
}

TEST(Response, ASeriesIsJudgedAgainstItsBaselineAndNadir) {
  // radii 10 → 7 (SPD −51 %) → 6 → 7 (SPD +36 % from the nadir)
  const auto r = classify_series(Criteria::rano, {10, 7, 6, 7});
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0], Response::stable);
  EXPECT_EQ(r[1], Response::partial);
  EXPECT_EQ(r[2], Response::partial);
  EXPECT_EQ(r[3], Response::progressive);
}

TEST(Response, DaysGainedIsTheDelayBehindTheUntreatedControl) {
  const std::vector<double> days{0, 100, 200}, radii{10, 20, 30};
  EXPECT_DOUBLE_EQ(days_gained(days, radii, 200, 25), 50);  // the control was 25 mm on day 150
  EXPECT_DOUBLE_EQ(days_gained(days, radii, 200, 30), 0);
  EXPECT_THROW(days_gained(days, radii, 200, 31), Error);
  EXPECT_DOUBLE_EQ(days_gained(days, radii, 200, 5), 200);  // at least back to the control's start
}

}  // namespace
}  // namespace medtwin::onco
