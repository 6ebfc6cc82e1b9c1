// `medtwin ecg FILE`: the report of a shared MIT-BIH record, its machine
// forms, and bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "cli_support.hpp"

namespace medtwin::testing {
namespace {

std::string record(const char* name) { return quoted(shared_data(std::string("ecg/mitdb/") + name + ".hea")); }

TEST(EcgCli, ReportsRecord100) {
  const auto r = run_medtwin("ecg " + record("100") + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["lead"], "MLII");
  EXPECT_EQ(json["sample_rate_hz"], 360.0);
  EXPECT_NEAR(json["beats"].get<double>(), 2273, 3);  // the reference annotates 2273 beats
  EXPECT_NEAR(json["heart_rate"]["mean"].get<double>(), 75.5, 1);
  EXPECT_TRUE(json["episodes"].empty());  // sinus rhythm throughout
  EXPECT_GT(json["hrv"]["sdnn"].get<double>(), 0);
}

TEST(EcgCli, FindsTheAfOf201AndWritesBeats) {
  ScratchDir dir;
  const auto beats = dir / "beats.csv";
  const auto r = run_medtwin("ecg " + record("201") + " --beats " + quoted(beats));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Atrial fibrillation:"), std::string::npos);
  std::ifstream in(beats);
  std::string header, line;
  std::getline(in, header);
  EXPECT_EQ(header, "sample,time_s,class");
  int rows = 0;
  while (std::getline(in, line)) ++rows;
  EXPECT_GT(rows, 1800);  // 201 has 1963 reference beats
}

TEST(EcgCli, BadInputIsOneClearLine) {
  auto r = run_medtwin("ecg " + record("100") + " --lead V9");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("no lead 'V9' in the recording (it has: MLII, V5)"), std::string::npos) << r.err;
  r = run_medtwin("ecg " + quoted(shared_data("wearables/fitbit_fitabase/period2_2016-04-12_2016-05-12/dailySteps_merged.csv")));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("holds no ECG"), std::string::npos) << r.err;
  r = run_medtwin("ecg /nonexistent.hea");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("/nonexistent.hea"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace medtwin::testing
