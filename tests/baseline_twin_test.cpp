// End-to-end tests of the personal baseline twin through the medtwin command:
// the issue's forecast targets on the Fitabase cohort (`backtest --all`),
// forecasts and their intervals, too little history, idempotent re-import,
// and the sleep twin on the shared actigraphy sample.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "cli_support.hpp"

namespace medtwin::testing {
namespace {

namespace fs = std::filesystem;

std::string db_flag(const ScratchDir& dir) { return "--db " + quoted(dir / "t.db"); }

// Imports the whole shared Fitabase folder (35 persons, 12 March – 12 May 2016).
void import_fitabase(const ScratchDir& dir) {
  auto r = run_medtwin("import " + quoted(shared_data("wearables/fitbit_fitabase")) + " --tz America/New_York " +
                       db_flag(dir));
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

nlohmann::json run_json(const std::string& args) {
  auto r = run_medtwin(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json{};
}

// One metric's backtest pooled over persons: every scored day counts once,
// so each person's mean is weighted by their number of scored days.
struct Pooled {
  double n = 0, mae = 0, mae_persistence = 0, mae_mean7 = 0, coverage80 = 0, coverage95 = 0;
  void add(const nlohmann::json& row) {
    const double k = row.at("n").get<double>();
    n += k;
    mae += k * row.at("mae").get<double>();
    mae_persistence += k * row.at("mae_persistence").get<double>();
    mae_mean7 += k * row.at("mae_mean7").get<double>();
    coverage80 += k * row.at("coverage80").get<double>();
    coverage95 += k * row.at("coverage95").get<double>();
  }
  Pooled mean() const {
    return {n, mae / n, mae_persistence / n, mae_mean7 / n, coverage80 / n, coverage95 / n};
  }
};

std::map<std::string, Pooled> pool(const nlohmann::json& rows, const std::string& model) {
  std::map<std::string, Pooled> sums;
  for (const auto& row : rows)
    if (row.at("model") == model && row.at("n").get<int>() > 0) sums[row.at("metric").get<std::string>()].add(row);
  std::map<std::string, Pooled> out;
  for (const auto& [metric, s] : sums) out[metric] = s.mean();
  return out;
}

void print_pooled(const std::map<std::string, Pooled>& pooled, const std::string& model) {
  std::printf("backtest --all, model %s, pooled over persons (n-weighted):\n", model.c_str());
  std::printf("  %-18s %6s %10s %12s %10s %7s %7s\n", "metric", "n", "mae", "persistence", "mean7", "cov80", "cov95");
  for (const auto& [metric, p] : pooled)
    std::printf("  %-18s %6.0f %10.4g %12.4g %10.4g %6.1f%% %6.1f%%\n", metric.c_str(), p.n, p.mae, p.mae_persistence,
                p.mae_mean7, 100 * p.coverage80, 100 * p.coverage95);
}

std::chrono::sys_days parse_date(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  EXPECT_EQ(std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d), 3) << text;
  return std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d};
}

// The issue's targets, pooled over the Fitabase cohort for `level`, the
// default per-person forecaster: beat the 7-day mean on MAE, 80% intervals
// that cover 75–85% of the days and 95% intervals that cover at least 85%.
// Targets, not tolerances: a miss is reported, never loosened.
TEST(BaselineTwinCli, FitabaseBacktestMeetsTheIssueTargets) {
  ScratchDir dir;
  import_fitabase(dir);
  const auto rows = run_json("backtest --all --json " + db_flag(dir));
  ASSERT_TRUE(rows.is_array());
  const auto pooled = pool(rows, "level");
  print_pooled(pooled, "level");
  for (const char* metric : {"steps", "sleep_hours"}) {
    SCOPED_TRACE(metric);
    ASSERT_TRUE(pooled.contains(metric));
    const auto& p = pooled.at(metric);
    EXPECT_GE(p.n, 100) << "too few scored days to judge coverage";
    EXPECT_LT(p.mae, p.mae_mean7);
    EXPECT_GE(p.coverage80, 0.75);
    EXPECT_LE(p.coverage80, 0.85);
    EXPECT_GE(p.coverage95, 0.85);
  }
}

TEST(BaselineTwinCli, ReimportLeavesTheBacktestUnchanged) {
  ScratchDir dir;
  import_fitabase(dir);
  const auto first = run_medtwin("backtest --all --json " + db_flag(dir));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  import_fitabase(dir);
  const auto again = run_medtwin("backtest --all --json " + db_flag(dir));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, first.out);
}

// Person 1503960366 has data from 25 March to 11 May 2016 (12 May: no step
// recorded, the tracker was not worn).
TEST(BaselineTwinCli, ForecastHasOrderedIntervalsOnTheDaysAfterTheData) {
  ScratchDir dir;
  import_fitabase(dir);
  const auto f = run_json("forecast 1503960366 --days 7 --json " + db_flag(dir));
  ASSERT_TRUE(f.contains("forecasts")) << f.dump();
  const auto today = parse_date(f.at("today"));
  std::set<std::string> metrics;
  for (const auto& m : f.at("forecasts")) {
    const auto metric = m.at("metric").get<std::string>();
    SCOPED_TRACE(metric);
    metrics.insert(metric);
    ASSERT_EQ(m.at("days").size(), 7u);
    for (std::size_t h = 0; h < 7; ++h) {
      const auto& d = m.at("days")[h];
      EXPECT_EQ(parse_date(d.at("date")), today + std::chrono::days(h + 1));
      ASSERT_TRUE(d.at("point").is_number() && d.at("lo95").is_number() && d.at("hi95").is_number()) << d.dump();
      const double lo95 = d.at("lo95"), lo80 = d.at("lo80"), point = d.at("point"), hi80 = d.at("hi80"),
                   hi95 = d.at("hi95");
      EXPECT_LE(lo95, lo80) << d.dump();
      EXPECT_LE(lo80, point) << d.dump();
      EXPECT_LE(point, hi80) << d.dump();
      EXPECT_LE(hi80, hi95) << d.dump();
    }
  }
  EXPECT_TRUE(metrics.contains("steps"));
  EXPECT_TRUE(metrics.contains("sleep_hours"));
}

TEST(BaselineTwinCli, ThreeDaysOfDataAreNotForecast) {
  ScratchDir dir;
  std::ofstream(dir / "dailyActivity_merged.csv")
      << "Id,ActivityDate,TotalSteps,TotalDistance,TrackerDistance,LoggedActivitiesDistance,VeryActiveDistance,"
         "ModeratelyActiveDistance,LightActiveDistance,SedentaryActiveDistance,VeryActiveMinutes,FairlyActiveMinutes,"
         "LightlyActiveMinutes,SedentaryMinutes,Calories\n"
         "1,4/12/2016,13162,8.5,8.5,0,1.88,0.55,6.06,0,25,13,328,728,1985\n"
         "1,4/13/2016,10735,6.97,6.97,0,1.57,0.69,4.71,0,21,19,217,776,1797\n"
         "1,4/14/2016,10460,6.74,6.74,0,2.44,0.4,3.91,0,30,11,181,1218,1776\n";
  auto imported = run_medtwin("import " + quoted(dir / "dailyActivity_merged.csv") +
                              " --tz America/New_York --person shorty " + db_flag(dir));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const std::string why = "not enough history to forecast steps (needs 14 days with data, has 3)";
  for (const char* command : {"forecast shorty", "twin shorty"}) {
    auto r = run_medtwin(std::string(command) + " " + db_flag(dir));
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
    EXPECT_NE(r.out.find(why), std::string::npos) << command << ": " << r.out;
    EXPECT_EQ(r.out.find("2016-04-15 "), std::string::npos) << command << ": a forecast was made:\n" << r.out;
  }
  const auto json = run_json("forecast shorty --json " + db_flag(dir));
  EXPECT_TRUE(json.at("forecasts").empty()) << json.dump();
  EXPECT_EQ(json.at("today"), "2016-04-14");
  EXPECT_NE(std::find(json.at("not_forecast").begin(), json.at("not_forecast").end(), why),
            json.at("not_forecast").end())
      << json.dump();
}

TEST(BaselineTwinCli, UnknownPersonIsAnError) {
  ScratchDir dir;
  import_fitabase(dir);
  for (const char* command : {"forecast nobody", "twin nobody", "backtest nobody", "sleep nobody"}) {
    auto r = run_medtwin(std::string(command) + " " + db_flag(dir));
    EXPECT_NE(r.exit_code, 0) << command;
    EXPECT_NE(r.err.find("no person named 'nobody'"), std::string::npos) << command << ": " << r.err;
  }
}

// The sleep twin on pyActigraphy's test sample (8 days of 1-min Actiwatch
// counts, January 2018: Europe/London is UTC, so local clock = file clock).
class SleepTwinCli : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = run_medtwin("import " + quoted(shared_data("wearables/actigraphy/pyActigraphy_test_sample.AWD")) +
                         " --tz Europe/London --person aw " + db_flag(dir_));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  CommandResult sleep(const std::string& options) { return run_medtwin("sleep aw " + options + " " + db_flag(dir_)); }
  ScratchDir dir_;
};

double number_after(const std::string& text, const std::string& label) {
  std::smatch m;
  const std::regex pattern(label + " ([-0-9.]+)");
  EXPECT_TRUE(std::regex_search(text, m, pattern)) << label << " not in: " << text;
  return m.empty() ? std::nan("") : std::stod(m[1]);
}

// Classical IS/IV (Witting et al. 1990), unbinarised counts, 1-h bins; L5,
// M10 and RA as pyActigraphy computes them (reference CSV in the shared data).
// Expected values: docs/models/actigraphy.md, "Validation against the shared
// references" (IS 0.493442, IV 0.954916, L5 13.115 @ 23:54, M10 255.6987 @
// 05:34, RA 0.9024231). Tolerances are half a unit of the printed last digit.
TEST_F(SleepTwinCli, RhythmLineHasTheClassicalValues) {
  auto r = sleep("");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NEAR(number_after(r.out, "IS"), 0.493442, 0.0005) << r.out;
  EXPECT_NEAR(number_after(r.out, "IV"), 0.954916, 0.0005) << r.out;
  EXPECT_NEAR(number_after(r.out, "L5"), 13.115, 0.0051) << r.out;  // %.4g: 13.12 (13.115 rounds either way)
  EXPECT_NEAR(number_after(r.out, "M10"), 255.6987, 0.05) << r.out;
  EXPECT_NEAR(number_after(r.out, "RA"), 0.9024231, 0.0005) << r.out;
  EXPECT_NE(r.out.find("from 23:54"), std::string::npos) << r.out;  // L5 start
  EXPECT_NE(r.out.find("from 05:34"), std::string::npos) << r.out;  // M10 start
}

// A 5-h night (01:00–06:00) instead of the habitual one: the two-process
// model (Borbély 1982) must wake the person with more sleep pressure and more
// sleep debt than the habitual night does.
TEST_F(SleepTwinCli, PlannedShortNightPrintsAScenario) {
  auto r = sleep("--plan 01:00-06:00");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_NE(r.out.find("Scenario: tonight"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("01:00 → 06:00"), std::string::npos) << r.out;
  // Rows: local date, time, planned state, S, alertness, debt, usual state, S, alertness, debt.
  const std::regex row(R"((\S+ \S+) +(asleep|awake) +([-0-9.]+) +([-0-9.]+) +([-0-9.]+) +(asleep|awake) +([-0-9.]+) +([-0-9.]+) +([-0-9.]+))");
  int rows = 0;
  bool slept = false, checked = false;
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), row); it != std::sregex_iterator(); ++it, ++rows) {
    const auto& m = *it;
    if (m[2] == "asleep") slept = true;
    if (slept && m[2] == "awake" && !checked) {  // the first row after the planned night
      checked = true;
      EXPECT_GT(std::stod(m[3]), std::stod(m[7])) << "sleep pressure, " << m[0];
      EXPECT_GT(std::stod(m[5]), std::stod(m[9])) << "sleep debt, " << m[0];
    }
  }
  EXPECT_GE(rows, 8) << r.out;  // every 3 h over at least a day
  EXPECT_TRUE(checked) << "no awake row after the planned night:\n" << r.out;
}

TEST_F(SleepTwinCli, BadPlanIsRejected) {
  auto r = sleep("--plan 25:00-07:00");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("sleep plan '25:00-07:00': a time is outside 00:00-23:59"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

}  // namespace
}  // namespace medtwin::testing
