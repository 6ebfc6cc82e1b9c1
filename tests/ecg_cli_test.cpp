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
  // The reference: 2239 N, 33 A (S), 1 V.
  EXPECT_NEAR(json["beat_classes"]["S"].get<double>(), 33, 5);
  EXPECT_LE(json["beat_classes"]["V"].get<double>(), 3);
  EXPECT_GE(json["intervals"]["p_wave_share"].get<double>(), 0.95);  // sinus rhythm: a P wave before each QRS
  const double pr = json["intervals"]["pr_ms"].get<double>();
  EXPECT_TRUE(pr >= 120 && pr <= 220) << pr;  // normal PR 120–200 ms (AHA/ACCF/HRS 2009), 220 for age > 60
  EXPECT_GE(json["usable_fraction"].get<double>(), 0.99);
  EXPECT_TRUE(json["label"].is_null());  // 30 minutes: episodes, not one label
}

TEST(EcgCli, LabelsShortStrips) {
  const auto af = run_medtwin("ecg " + quoted(shared_data("ecg/cinc2017/records/A00004.hea")) + " --json");
  ASSERT_EQ(af.exit_code, 0) << af.err;
  EXPECT_EQ(nlohmann::json::parse(af.out)["label"], "af");  // the Challenge's reference: A
  const auto normal = run_medtwin("ecg " + quoted(shared_data("ecg/cinc2017/records/A00006.hea")) + " --json");
  ASSERT_EQ(normal.exit_code, 0) << normal.err;
  EXPECT_EQ(nlohmann::json::parse(normal.out)["label"], "normal");  // reference: N
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
  int rows = 0, ventricular = 0;
  while (std::getline(in, line)) {
    ++rows;
    ventricular += line.back() == 'V';
  }
  EXPECT_GT(rows, 1800);  // 201 has 1963 reference beats
  EXPECT_GT(ventricular, 150);  // and 198 ventricular ectopic beats
}

TEST(EcgCli, PlotsOnEcgPaper) {
  ScratchDir dir;
  const auto svg = dir / "strip.svg";
  const auto r = run_medtwin("ecg " + record("201") + " --plot " + quoted(svg) + " --plot-start 60 --plot-seconds 20");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(svg);
  std::stringstream text;
  text << in.rdbuf();
  const std::string plot = text.str();
  EXPECT_EQ(plot.rfind("<svg", 0), 0u);
  EXPECT_NE(plot.find("</svg>"), std::string::npos);
  auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = plot.find(what); at != std::string::npos; at = plot.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("class=\"trace\""), 2u);  // 20 s: two rows of 10 s
  EXPECT_GT(count("class=\"beat\""), 15u);  // about 1.5 beats per second in 201
  EXPECT_FALSE(std::filesystem::exists(dir / "strip.svg.partial"));
  const auto late = run_medtwin("ecg " + record("201") + " --plot " + quoted(dir / "late.svg") + " --plot-start 99999");
  EXPECT_NE(late.exit_code, 0);
  EXPECT_NE(late.err.find("no samples from"), std::string::npos) << late.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "late.svg"));
}

TEST(EcgCli, KeepsResultsInTheTwinOnce) {
  ScratchDir dir;
  const std::string db = " --db " + quoted(dir / "twin.db");
  auto r = run_medtwin("ecg " + record("100") + " --person ann" + db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("recording imported"), std::string::npos) << r.err;
  r = run_medtwin("series ann" + db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("8867-4"), std::string::npos) << r.out;       // heart rate over the recording
  EXPECT_NE(r.out.find("rr-interval"), std::string::npos) << r.out;  // every normal-to-normal interval
  EXPECT_NE(r.out.find("8636-3"), std::string::npos) << r.out;       // QTc
  EXPECT_NE(r.out.find("ventricular-ectopic-beats"), std::string::npos) << r.out;
  r = run_medtwin("ecg " + record("100") + " --person ann" + db);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("already imported, 0 results added"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stored before"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("ann"), std::string::npos) << r.err;  // no names in what could end up in a log
  r = run_medtwin("ecg " + record("100") + " --lead V5 --person ann" + db);  // another lead: its own results
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("0 results added"), std::string::npos) << r.err;
}

// A record of `seconds` of one constant lead (format 16) in `dir`.
std::filesystem::path flat_record(const ScratchDir& dir, int seconds) {
  std::ofstream(dir / "flat.hea") << "flat 1 360 " << seconds * 360 << "\nflat.dat 16 200 16 0 0 0 0 ECG\n";
  std::ofstream dat(dir / "flat.dat", std::ios::binary);
  const std::string zeros(static_cast<std::size_t>(seconds * 360 * 2), '\0');
  dat << zeros;
  return dir / "flat.hea";
}

TEST(EcgCli, FlatShortOrMisdeclaredRecordsGetNotesNotBeats) {
  ScratchDir dir;
  auto r = run_medtwin("ecg " + quoted(flat_record(dir, 3)) + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["beats"], 0);
  EXPECT_EQ(json["usable_fraction"], 0.0);
  EXPECT_TRUE(json["af_burden"].is_null());  // no call, not 0 %
  EXPECT_NE(r.out.find("no heartbeats found"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rhythm label: needs at least 9 s of ECG, got 3.0 s"), std::string::npos) << r.out;
  // MIT-BIH 100 with its header claiming 1000 Hz instead of 360 Hz.
  for (const char* part : {"100.dat", "100.atr"})
    std::filesystem::copy_file(shared_data(std::string("ecg/mitdb/") + part), dir / part);
  std::ifstream header(shared_data("ecg/mitdb/100.hea"));
  std::stringstream text;
  text << header.rdbuf();
  std::string misdeclared = text.str();
  misdeclared.replace(misdeclared.find(" 360 "), 5, " 1000 ");
  std::ofstream(dir / "100.hea") << misdeclared;
  r = run_medtwin("ecg " + quoted(dir / "100.hea") + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json = nlohmann::json::parse(r.out);
  EXPECT_LT(json["usable_fraction"].get<double>(), 0.5);  // beats at 27 /min and 25 ms QRS: not a usable ECG
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
