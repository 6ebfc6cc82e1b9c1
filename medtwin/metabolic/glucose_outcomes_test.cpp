#include "medtwin/metabolic/glucose_outcomes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "medtwin/core/error.hpp"

namespace medtwin::metabolic {
namespace {

TEST(GlucoseOutcomes, RangesMeanGmiAndCv) {
  const std::vector<double> bg{50, 65, 100, 150, 180, 200, 260, 100};
  const GlucoseOutcomes o = glucose_outcomes(bg);
  EXPECT_EQ(o.readings, 8);
  EXPECT_DOUBLE_EQ(o.mean_mg_dl, 1105.0 / 8);
  EXPECT_DOUBLE_EQ(o.time_in_range, 50);   // 100, 150, 180, 100
  EXPECT_DOUBLE_EQ(o.time_below_70, 25);   // 50, 65
  EXPECT_DOUBLE_EQ(o.time_below_54, 12.5); // 50
  EXPECT_DOUBLE_EQ(o.time_above_180, 25);  // 200, 260
  EXPECT_DOUBLE_EQ(o.time_above_250, 12.5);
  EXPECT_NEAR(o.gmi_percent, 3.31 + 0.02392 * 138.125, 1e-12);
  double ss = 0;
  for (double v : bg) ss += (v - o.mean_mg_dl) * (v - o.mean_mg_dl);
  EXPECT_NEAR(o.cv_percent, 100 * std::sqrt(ss / 8) / o.mean_mg_dl, 1e-12);
}

// Kovatchev's risk is zero near 112.5 mg/dL (f = 0), symmetric in the log
// scale, and 100 at the extremes of the range (f(20) ≈ −f(600) ≈ ±3.16).
TEST(GlucoseOutcomes, KovatchevRiskFunction) {
  EXPECT_NEAR(glucose_risk(112.5).low + glucose_risk(112.5).high, 0, 0.01);
  EXPECT_GT(glucose_risk(70).low, 0);
  EXPECT_EQ(glucose_risk(70).high, 0);
  EXPECT_GT(glucose_risk(250).high, 0);
  EXPECT_EQ(glucose_risk(250).low, 0);
  EXPECT_NEAR(glucose_risk(20).low, 100, 2);
  EXPECT_NEAR(glucose_risk(600).high, 100, 2);
  const std::vector<double> bg{70, 250};
  const GlucoseOutcomes o = glucose_outcomes(bg);
  EXPECT_DOUBLE_EQ(o.lbgi, glucose_risk(70).low / 2);  // averaged over all readings
  EXPECT_DOUBLE_EQ(o.hbgi, glucose_risk(250).high / 2);
}

TEST(GlucoseOutcomes, BadReadingsAreErrors) {
  EXPECT_THROW(glucose_outcomes(std::vector<double>{}), Error);
  EXPECT_THROW(glucose_outcomes(std::vector<double>{100, 0}), Error);
  EXPECT_THROW(glucose_outcomes(std::vector<double>{100, std::nan("")}), Error);
}

}  // namespace
}  // namespace medtwin::metabolic
