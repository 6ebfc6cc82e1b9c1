#include "medtwin/twin/glucose_scenario.hpp"

#include <gtest/gtest.h>

#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

TEST(GlucoseScenario, ReadsMealsBolusesBasalAndRule) {
  const auto s = parse_glucose_scenario(R"({
    "description": "two days",
    "duration_hours": 48,
    "meals": [{"time": "07:00", "carbs_g": 50}, {"day": 2, "time": "12:30", "carbs_g": 70}],
    "boluses": [{"time": "22:00", "units": 1.5}],
    "basal_units_per_hour": 0.9,
    "meal_boluses": {"carb_ratio_g_per_unit": 12, "correction_factor_mg_dl_per_unit": 40}})",
                                        "s.json");
  EXPECT_EQ(s.description, "two days");
  EXPECT_EQ(s.scenario.minutes, 2880);
  ASSERT_EQ(s.scenario.meals.size(), 2u);
  EXPECT_EQ(s.scenario.meals[1].minute, 1440 + 750);
  EXPECT_EQ(s.scenario.boluses[0].minute, 1320);
  EXPECT_DOUBLE_EQ(*s.scenario.basal_u_per_min, 0.015);
  ASSERT_TRUE(s.scenario.meal_bolus);
  EXPECT_EQ(s.scenario.meal_bolus->carb_ratio_g_per_u, 12);
  EXPECT_EQ(s.scenario.meal_bolus->target_mg_dl, 140);
  EXPECT_FALSE(s.meal_boluses_from_patient);
  EXPECT_TRUE(parse_glucose_scenario(R"({"meal_boluses": true})", "t.json").meal_boluses_from_patient);
}

TEST(GlucoseScenario, ReadsTheSensorAndPump) {
  auto s = parse_glucose_scenario(R"({"sensor": {"name": "Dexcom", "seed": 7}, "pump": "Cozmo"})", "t.json");
  ASSERT_TRUE(s.sensor);
  EXPECT_EQ(s.sensor->name, "Dexcom");
  EXPECT_EQ(s.sensor->seed, 7u);
  EXPECT_EQ(s.pump, "Cozmo");
  auto navigator = parse_glucose_scenario(R"({"sensor": "Navigator"})", "t.json");
  EXPECT_EQ(navigator.sensor->seed, 0u);
  EXPECT_TRUE(navigator.meal_boluses_from_patient);  // the controller boluses unless told not to
  EXPECT_FALSE(parse_glucose_scenario(R"({"sensor": "Navigator", "meal_boluses": false})", "t.json").meal_boluses_from_patient);
}

TEST(GlucoseScenario, ErrorsNameFileAndPath) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"meals": [{"time": "07:00", "carbs_g": -5}]})", "s.json: meals[0].carbs_g: must be > 0"},
      {R"({"boluses": [{"time": "07:00", "units": 5000}]})", "s.json: boluses[0].units: must be > 0 and at most 50"},
      {R"({"meals": [{"time": "+7:00", "carbs_g": 5}]})", "s.json: meals[0].time: '+7:00' is not a time of day"},
      {R"({"meals": [{"time": "7am", "carbs_g": 5}]})", "s.json: meals[0].time: '7am' is not a time of day HH:MM"},
      {R"({"basal_mU_per_min": 15})", "s.json: basal_mU_per_min: unknown key"},
      {R"({"boluses": [{"time": "07:00", "mU": 5}]})", "s.json: boluses[0].mU: unknown key"},
      {R"({"meals": [{"time": "07:00", "carbs_g": 5}, {"time": "07:00", "carbs_g": 9}]})",
       "s.json: meals[1]: another meal is announced in the same minute"},
      {R"({"duration_hours": 1, "meals": [{"time": "07:00", "carbs_g": 5}]})", "s.json: meals[0]: minute 420 is outside"},
      {R"({"meals": 5})", "s.json: meals: expected a list"},
      {R"({"meals": [)", "s.json: not valid JSON"},
      {R"({"duration_hours": 4855e555555})", "s.json: not valid JSON"},  // found by the fuzzer
      {R"({"meals": [{"day": 99999999999, "time": "07:00", "carbs_g": 5}]})", "s.json: meals[0].day: expected a day number"},
      {R"({"sensor": {"name": "Dexcom", "seed": 1.5}})", "s.json: sensor.seed: expected a whole number"},
      {R"({"sensor": {"seed": 1}})", "s.json: sensor: missing name"},
      {R"({"sensor": ""})", "s.json: sensor: expected a name"},
      {R"({"pump": "Insulet"})", "s.json: pump: a pump is driven by the controller, which needs a sensor"},
      {R"({"sensor": "Dexcom", "boluses": [{"time": "07:00", "units": 1}]})", "s.json: boluses: with a sensor"}};
  for (const auto& [text, message] : cases) {
    try {
      parse_glucose_scenario(text, "s.json");
      ADD_FAILURE() << "no error for " << text;
    } catch (const ParseError& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace medtwin
