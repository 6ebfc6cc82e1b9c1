// `medtwin glucose simulate` end to end: the bundled sample scenario on the
// bundled virtual patients reproduces simglucose's bolus day, and bad input
// is one line naming the file and the field.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_support.hpp"

namespace medtwin::testing {
namespace {

std::string sample() { return quoted(std::filesystem::path(MEDTWIN_SOURCE_DIR) / "data/samples/glucose_day.json"); }

// The sample is the scenario of glucose/MANIFEST.txt with meal boluses: the
// last minute's glucose is simglucose's.
TEST(GlucoseCli, SampleDayMatchesSimglucose) {
  const auto r = run_medtwin("glucose simulate " + sample() + " --patient adult#003 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["series"].size(), 1441u);
  std::ifstream ref(shared_data("glucose/reference/all30_bolus_BG_1min.csv"));
  std::string header, line, last;
  std::getline(ref, header);
  while (std::getline(ref, line))
    if (!line.empty()) last = line;
  std::vector<std::string> names, values;
  for (std::stringstream h(header); std::getline(h, line, ',');) names.push_back(line);
  for (std::stringstream v(last); std::getline(v, line, ',');) values.push_back(line);
  const auto column = std::find(names.begin(), names.end(), "adult#003") - names.begin();
  EXPECT_NEAR(j["series"][1440]["glucose_mg_dl"].get<double>(), std::stod(values[column]), 1e-6);
  const auto& o = j["outcomes"];
  EXPECT_GT(o["time_in_range_70_180"].get<double>(), 0);
  EXPECT_LE(o["time_in_range_70_180"].get<double>(), 100);
}

TEST(GlucoseCli, TextCsvAndPlot) {
  ScratchDir dir;
  const auto text = run_medtwin("glucose simulate " + sample() + " --plot " + quoted(dir / "g.svg"));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("time in range 70–180"), std::string::npos) << text.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "g.svg"));
  const auto csv = run_medtwin("glucose simulate " + sample() + " --csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')), "t_min,time,glucose_mg_dl,carbs_announced_g,insulin_u_per_min");
  EXPECT_NE(csv.out.find("\n420,07:00,"), std::string::npos);
}

TEST(GlucoseCli, BadInputIsOneLine) {
  ScratchDir dir;
  std::ofstream(dir / "bad.json") << R"({"meals": [{"time": "07:00", "carbs_g": -10}]})";
  const auto bad = run_medtwin("glucose simulate " + quoted(dir / "bad.json"));
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("bad.json: meals[0].carbs_g: must be > 0"), std::string::npos) << bad.err;
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1);
  const auto unknown = run_medtwin("glucose simulate " + sample() + " --patient adult#042");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("no virtual patient 'adult#042'"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace medtwin::testing

namespace medtwin::testing {
namespace {

// A CGMacros participant imported, then calibrated and forecast through the CLI.
TEST(GlucoseTwinCli, CalibrateAndForecastAPerson) {
  ScratchDir dir;
  std::string db = "--db " + quoted(dir / "t.db") + " ";
  auto file = quoted(shared_data("cgm/cgmacros/cgm/CGMacros-002.csv"));
  ASSERT_EQ(run_medtwin(db + "import " + file + " --tz UTC --person ana").exit_code, 0);
  EXPECT_NE(run_medtwin(db + "import " + file + " --tz UTC --person ana").out.find("0 rows added"), std::string::npos);

  auto calibrated = run_medtwin(db + "glucose calibrate ana --sensor 'Libre Pro' --json");
  ASSERT_EQ(calibrated.exit_code, 0) << calibrated.err;
  auto c = nlohmann::json::parse(calibrated.out);
  EXPECT_EQ(c["sensor"], "Libre Pro");
  EXPECT_GT(c["meals_fitted"].get<int>(), 30);
  EXPECT_LT(c["forecast_30_min"]["rmse"].get<double>(), c["forecast_30_min"]["persistence_rmse"].get<double>());

  auto forecast = run_medtwin(db + "glucose forecast ana --json --meals " +
                              quoted(std::filesystem::path(MEDTWIN_SOURCE_DIR) / "data/samples/glucose_day.json"));
  ASSERT_EQ(forecast.exit_code, 0) << forecast.err;
  auto f = nlohmann::json::parse(forecast.out);
  ASSERT_EQ(f["forecasts"].size(), 2u);
  for (const auto& h : f["forecasts"]) {
    EXPECT_LE(h["low"].get<double>(), h["mg_dl"].get<double>());
    EXPECT_GE(h["high"].get<double>(), h["mg_dl"].get<double>());
  }
  EXPECT_GT(f["plan"]["peak_mg_dl"].get<double>(), 120);

  auto person_trial = run_medtwin(db + "glucose trial " +
                                  quoted(std::filesystem::path(MEDTWIN_SOURCE_DIR) / "data/samples/glucose_day.json") +
                                  " --person ana --samples 50 --json");
  ASSERT_EQ(person_trial.exit_code, 0) << person_trial.err;
  EXPECT_EQ(nlohmann::json::parse(person_trial.out)["patients"].size(), 50u);

  auto unknown = run_medtwin(db + "glucose forecast nobody");
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_NE(unknown.err.find("no person named 'nobody'"), std::string::npos);
}

}  // namespace
}  // namespace medtwin::testing

namespace medtwin::testing {
namespace {

TEST(GlucoseCli, ASensorPutsTheControllerOnTheCgm) {
  ScratchDir dir;
  std::ofstream(dir / "loop.json") << R"({"meals": [{"time": "07:00", "carbs_g": 50}], "meal_boluses": true,
                                          "sensor": {"name": "Dexcom", "seed": 1}, "pump": "Insulet"})";
  auto csv = run_medtwin("glucose simulate " + quoted(dir / "loop.json") + " --csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')), "t_min,time,glucose_mg_dl,cgm_mg_dl,carbs_announced_g,insulin_u_per_min");
  auto text = run_medtwin("glucose simulate " + quoted(dir / "loop.json"));
  EXPECT_NE(text.out.find("sensor Dexcom (seed 1), pump Insulet"), std::string::npos) << text.out;
  std::ofstream(dir / "bad.json") << R"({"sensor": "Libre"})";
  auto bad = run_medtwin("glucose simulate " + quoted(dir / "bad.json"));
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("no 'Libre' (known: Dexcom, GuardianRT, Navigator)"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace medtwin::testing

namespace medtwin::testing {
namespace {

TEST(GlucoseCli, TheHovorkaModelRunsAScenario) {
  ScratchDir dir;
  std::ofstream(dir / "day.json") << R"({"meals": [{"time": "07:00", "carbs_g": 50}],
                                         "meal_boluses": {"carb_ratio_g_per_unit": 25, "correction_factor_mg_dl_per_unit": 40}})";
  auto json = run_medtwin("glucose simulate " + quoted(dir / "day.json") + " --model hovorka2004 --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto r = nlohmann::json::parse(json.out);
  EXPECT_EQ(r["model"], "Hovorka 2004 model, Table 1 parameters");
  EXPECT_NEAR(r["series"][0]["glucose_mg_dl"].get<double>(), 100, 1e-9);
  auto own_rule = run_medtwin("glucose simulate " + quoted(std::filesystem::path(MEDTWIN_SOURCE_DIR) /
                                                           "data/samples/glucose_day.json") +
                              " --model hovorka2004");
  EXPECT_NE(own_rule.err.find("has no carb ratio of its own"), std::string::npos) << own_rule.err;
}

TEST(GlucoseCli, TrialTablesOutcomesByArm) {
  ScratchDir dir;
  const auto day = std::filesystem::path(MEDTWIN_SOURCE_DIR) / "data/samples/glucose_day.json";
  std::ofstream(dir / "no_boluses.json") << R"({"meals": [{"time": "07:00", "carbs_g": 50}, {"time": "12:00", "carbs_g": 70},
                                                {"time": "19:00", "carbs_g": 80}]})";
  auto json = run_medtwin("glucose trial " + quoted(day) + " " + quoted(dir / "no_boluses.json") + " --cohort adults --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto r = nlohmann::json::parse(json.out);
  EXPECT_EQ(r["patients"].size(), 10u);
  ASSERT_EQ(r["arms"].size(), 2u);
  auto tir = [&](int arm) { return r["arms"][arm]["outcomes"]["time in range 70-180 (%)"]; };
  EXPECT_LT(tir(1)["mean"].get<double>(), tir(0)["mean"].get<double>());  // without meal boluses, less time in range
  EXPECT_LT(tir(1)["difference_from_first"]["high"].get<double>(), 0);
  auto csv = run_medtwin("glucose trial " + quoted(day) + " --cohort child#004 --csv");
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 2) << csv.out;
}

}  // namespace
}  // namespace medtwin::testing
