// Lead choice on records of more than two leads (medtwin/twin/ecg_report.hpp):
// MIT-BIH 100's two leads hidden among a disconnected lead and a noise lead,
// in an order that puts them last, must be found — MLII first as lead II —
// and give the same beats as the two-lead record itself.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "cli_support.hpp"
#include "mitdb_support.hpp"
#include "medtwin/twin/ecg_report.hpp"

namespace medtwin::testing {
namespace {

TEST(EcgLeadChoice, FindsTheTwoGoodLeadsOfFour) {
  const Signal two = read_mitdb_signal(shared_data("ecg/mitdb/100.hea"));
  Signal four = two;
  const std::size_t n = two.samples[0].size();
  std::mt19937 random(3);
  std::normal_distribution<float> noise(0, 0.5f);  // mV: a lead full of muscle noise
  std::vector<float> noisy(n);
  for (float& v : noisy) v = noise(random);
  four.channels = {{"V2", "mV"}, {"V3", "mV"}, two.channels[1], two.channels[0]};  // V5, then MLII
  four.samples = {std::vector<float>(n, 0.0f), noisy, two.samples[1], two.samples[0]};

  const EcgReport chosen = analyse_ecg(four, std::nullopt);
  const EcgReport reference = analyse_ecg(two, std::nullopt);
  EXPECT_EQ(chosen.lead, "MLII");
  EXPECT_EQ(chosen.second_lead, "V5");
  EXPECT_EQ(chosen.r_peaks, reference.r_peaks);
  // --lead still picks one lead alone.
  const EcgReport alone = analyse_ecg(four, std::string("V5"));
  EXPECT_EQ(alone.lead, "V5");
  EXPECT_FALSE(alone.two_leads);
}

}  // namespace
}  // namespace medtwin::testing
