#include "medtwin/twin/heart_inputs.hpp"

#include <gtest/gtest.h>

#include "medtwin/core/codes.hpp"

namespace medtwin {
namespace {

using namespace std::chrono_literals;

const Instant kDay{std::chrono::sys_days{std::chrono::year{2024} / 3 / 1}};

Observation qtc(const Metric& m, Instant t, double value, std::string unit = "ms") {
  return Observation{m.code, value, std::nullopt, std::move(unit), t, t, "medtwin ecg"};
}

PersonRecord woman() {
  PersonRecord p;
  p.name = "ann", p.sex = Sex::female;
  return p;
}

TEST(HeartInputs, TakesTheLatestRecordingPreferringFridericia) {
  const auto in = heart_inputs_from_records(
      woman(), {qtc(metrics::qtc_bazett(), kDay + 24h, 470), qtc(metrics::qtc_fridericia(), kDay, 441),
                qtc(metrics::qtc_fridericia(), kDay + 24h, 452), qtc(metrics::heart_rate(), kDay + 72h, 60, "/min")});
  EXPECT_EQ(in.sex, Sex::female);
  ASSERT_TRUE(in.qtc_ms);
  EXPECT_DOUBLE_EQ(*in.qtc_ms, 452);
  EXPECT_NE(in.qtc_source.find("QTc Fridericia of 2024-03-02"), std::string::npos) << in.qtc_source;
  // A newer recording with Bazett only wins over an older Fridericia.
  const auto newer = heart_inputs_from_records(
      woman(), {qtc(metrics::qtc_fridericia(), kDay, 441), qtc(metrics::qtc_bazett(), kDay + 48h, 470)});
  EXPECT_DOUBLE_EQ(*newer.qtc_ms, 470);
}

TEST(HeartInputs, FallsBackToBazettAndConvertsSeconds) {
  const auto in = heart_inputs_from_records(woman(), {qtc(metrics::qtc_bazett(), kDay, 0.43, "s")});
  ASSERT_TRUE(in.qtc_ms);
  EXPECT_NEAR(*in.qtc_ms, 430, 1e-9);
  EXPECT_NE(in.qtc_source.find("QTc Bazett"), std::string::npos);
}

TEST(HeartInputs, NoQtcLeavesItMissing) {
  EXPECT_FALSE(heart_inputs_from_records(woman(), {qtc(metrics::qtc_bazett(), kDay, 400, "mmol/L")}).qtc_ms);
}

}  // namespace
}  // namespace medtwin
