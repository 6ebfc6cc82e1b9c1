#include "medtwin/twin/glucose_trial.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

const std::filesystem::path kTables = std::filesystem::path(MEDTWIN_SOURCE_DIR) / "data/simglucose";

TEST(GlucoseTrial, CohortsByGroupOrName) {
  auto all = load_virtual_patients(kTables);
  EXPECT_EQ(select_cohort(all, "all").size(), 30u);
  EXPECT_EQ(select_cohort(all, "adults").size(), 10u);
  EXPECT_EQ(select_cohort(all, "children").front().params.name, "child#001");
  auto two = select_cohort(all, "adult#003,child#010");
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1].params.name, "child#010");
  EXPECT_EQ(select_cohort(all, " adult#003 , child#010").size(), 2u);
  EXPECT_THROW(select_cohort(all, "adult#003,"), ParseError);
  EXPECT_THROW(select_cohort(all, "adult#003,adult#003"), ParseError);
  EXPECT_THROW(select_cohort(all, "grown-ups"), NotFound);
}

TEST(GlucoseTrial, AnArmAgainstItselfDiffersByNothingAndMoreCarbsRaiseGlucose) {
  auto cohort = select_cohort(load_virtual_patients(kTables), "adults");
  auto day = parse_glucose_scenario(R"({"meals": [{"time": "08:00", "carbs_g": 60}], "meal_boluses": true})", "a.json");
  auto more = parse_glucose_scenario(R"({"meals": [{"time": "08:00", "carbs_g": 90}], "meal_boluses": false})", "b.json");
  auto r = run_glucose_trial({resolve_arm("a", day, kTables), resolve_arm("a again", day, kTables),
                              resolve_arm("b", more, kTables)},
                             cohort, 2);
  ASSERT_EQ(r.outcomes.size(), 3u);
  const std::size_t mean_glucose = 5;  // trial_outcomes() order
  ASSERT_STREQ(trial_outcomes()[mean_glucose].name, "mean glucose (mg/dL)");
  EXPECT_EQ(r.differences[1][mean_glucose].mean, 0);
  EXPECT_EQ(r.summaries[0][mean_glucose].mean, r.summaries[1][mean_glucose].mean);
  EXPECT_GT(r.differences[2][mean_glucose].low, 0);  // unbolused and larger: higher for every adult
}

TEST(GlucoseTrial, OnePatientHasNoSpreadOrInterval) {
  auto one = select_cohort(load_virtual_patients(kTables), "adult#001");
  auto day = parse_glucose_scenario(R"({"meals": [{"time": "08:00", "carbs_g": 60}]})", "a.json");
  auto r = run_glucose_trial({resolve_arm("a", day, kTables), resolve_arm("b", day, kTables)}, one, 1);
  EXPECT_TRUE(std::isnan(r.summaries[0][0].sd));
  EXPECT_TRUE(std::isnan(r.differences[1][0].low));
}

}  // namespace
}  // namespace medtwin
