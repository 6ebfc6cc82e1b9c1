// `medtwin drug-test`: the 12 CiPA training drugs must land in their published
// TdP risk category (Li et al. 2019, Clin Pharmacol Ther 105:466–475; the
// categories of CiPA_training_drugs.csv), and bad input must fail cleanly.
//
// Protocol: the CiPA protocol paces 1000 beats per dose; here kBeats per dose
// keep the test within its CI budget (~3 min on 2 cores). The shorter
// protocol gives the same class for every drug as the full one; both sets of
// figures are in docs/models/cipa_drug_block.md, which says how to rerun them.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_support.hpp"

namespace medtwin::testing {
namespace {

constexpr int kBeats = 200;  // 1000 in the CiPA protocol; the classes agree (model card)

struct TrainingDrug {
  const char* name;
  const char* risk;  // Li et al. 2019 / CiPA_training_drugs.csv: 2 high, 1 intermediate, 0 low
};

class CipaTrainingDrug : public ::testing::TestWithParam<TrainingDrug> {};

TEST_P(CipaTrainingDrug, LandsInItsPublishedCategory) {
  const TrainingDrug& drug = GetParam();
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_medtwin(std::string("drug-test ") + drug.name + " --json --beats " + std::to_string(kBeats) +
                             " --cipa-data " + cipa_data());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(r.out);
  std::printf("%-15s TdP metric %.4f µC/µF  %-12s (published %s)  %.1f s\n", drug.name,
              json["tdp_metric"].get<double>(), json["risk"].get<std::string>().c_str(), drug.risk, seconds);
  EXPECT_EQ(json["risk"], drug.risk) << "TdP metric " << json["tdp_metric"];
  ASSERT_EQ(json["doses"].size(), 4u);
  EXPECT_TRUE(json["probabilities"].is_null());  // the shared data hold no parameter samples
}

INSTANTIATE_TEST_SUITE_P(Li2019, CipaTrainingDrug,
                         ::testing::Values(TrainingDrug{"quinidine", "high"}, TrainingDrug{"bepridil", "high"},
                                           TrainingDrug{"dofetilide", "high"}, TrainingDrug{"sotalol", "high"},
                                           TrainingDrug{"chlorpromazine", "intermediate"},
                                           TrainingDrug{"cisapride", "intermediate"},
                                           TrainingDrug{"terfenadine", "intermediate"},
                                           TrainingDrug{"ondansetron", "intermediate"},
                                           TrainingDrug{"diltiazem", "low"}, TrainingDrug{"mexiletine", "low"},
                                           TrainingDrug{"ranolazine", "low"}, TrainingDrug{"verapamil", "low"}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(DrugTestCli, UserTableWithSamplesAndPlot) {
  ScratchDir dir;
  std::ofstream(dir / "mine.csv") << "drug,hERG_IC50,hERG_h,ICaL_IC50,ICaL_h\nmine,30,1,NA,NA\n";
  std::ofstream(dir / "samples.csv") << "hERG_IC50,hERG_h\n30,1\n3000,1\n";
  const auto r =
      run_medtwin("drug-test " + quoted(dir / "mine.csv") + " --cmax 10 --doses 1,4 --beats 3 --json" + " --samples " +
                  quoted(dir / "samples.csv") + " --plot " + quoted(dir / "ap.svg") + " --cipa-data " + cipa_data());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["drug"], "mine");
  EXPECT_EQ(json["doses"][1]["concentration_nm"], 40.0);
  EXPECT_EQ(json["probabilities"]["samples"], 2);
  EXPECT_NE(json["notes"].dump().find("no IC50 for ICaL: treated as unblocked"), std::string::npos);
  std::stringstream svg;
  svg << std::ifstream(dir / "ap.svg").rdbuf();
  EXPECT_NE(svg.str().find("<polyline"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "ap.svg.partial"));
}

TEST(DrugTestCli, BadInputFailsWithOneLine) {
  ScratchDir dir;
  std::ofstream(dir / "bad.csv") << "drug,hERG_IC50,hERG_h\nmine,-3,1\n";
  const auto bad = run_medtwin("drug-test " + quoted(dir / "bad.csv") + " --cmax 1");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("bad.csv:2:2: hERG_IC50 must be positive"), std::string::npos) << bad.err;
  const auto unknown = run_medtwin("drug-test aspirin --cipa-data " + cipa_data());
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("'aspirin' is not in"), std::string::npos) << unknown.err;
  std::ofstream(dir / "nocmax.csv") << "drug,hERG_IC50,hERG_h\nmine,30,1\n";
  const auto no_cmax = run_medtwin("drug-test " + quoted(dir / "nocmax.csv"));
  EXPECT_EQ(no_cmax.exit_code, 1);
  EXPECT_NE(no_cmax.err.find("no free Cmax"), std::string::npos) << no_cmax.err;
  const auto doses = run_medtwin("drug-test dofetilide --doses 1,x --cipa-data " + cipa_data());
  EXPECT_EQ(doses.exit_code, 1);
  EXPECT_NE(doses.err.find("--doses"), std::string::npos) << doses.err;
}

}  // namespace
}  // namespace medtwin::testing
