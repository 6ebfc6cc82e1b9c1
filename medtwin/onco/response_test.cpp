#include "medtwin/onco/response.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

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
  EXPECT_EQ(classify(c, 0, 0, 0), Response::stable);        // nothing measurable, then or now
  EXPECT_EQ(classify(c, 0, 0, 12), Response::progressive);  // new disease
  EXPECT_THROW(classify(c, -1, 1, 1), Error);
}

// The thresholds coded here are the shared criteria file's.
TEST(Response, ThresholdsAreTheSharedCriteria) {
  std::ifstream in(std::string(MEDTWIN_SHARED_DATA) + "/oncology/response_criteria.json");
  ASSERT_TRUE(in) << "../shared/data/oncology/response_criteria.json missing";
  const auto j = nlohmann::json::parse(in);
  const auto& recist = j["RECIST_1_1"];
  EXPECT_EQ(recist["PR"]["change_vs_baseline_SLD"], "<= -30%");
  EXPECT_EQ(recist["PD"]["change_vs_nadir_SLD"], ">= +20%");
  EXPECT_EQ(recist["PD"]["and_absolute_increase_mm"], 5);
  const auto& rano = j["RANO_2010_HGG"];
  EXPECT_EQ(rano["PR"]["change_vs_baseline_SPD"], "<= -50%");
  EXPECT_EQ(rano["PD"]["change_vs_nadir_SPD"], ">= +25%");
  // and the classifier sits exactly on them
  EXPECT_EQ(classify(Criteria::recist_1_1, 100, 100, 70), Response::partial);
  EXPECT_EQ(classify(Criteria::rano, 100, 100, 50), Response::partial);
  EXPECT_EQ(classify(Criteria::rano, 100, 80, 100), Response::progressive);
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
