#include "medtwin/metabolic/closed_loop.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace medtwin::metabolic {
namespace {

const InsulinPumpParams kInsulet{"Insulet", 0, 30, 0.05, 0, 30, 0.05};  // simglucose pump_params.csv

TEST(InsulinPump, RoundsToIncrementsOfPicomolesAndLimits) {
  EXPECT_DOUBLE_EQ(pump_basal_rate(kInsulet, 0.021125), 0.021125);  // 126.75 pmol/min: a whole number of increments
  EXPECT_NEAR(pump_bolus_rate(kInsulet, 1.0 / 6000 * 0.125), 0.1 / 6000, 1e-15);  // 0.125 pmol: half rounds to even (0.1)
  EXPECT_EQ(pump_bolus_rate(kInsulet, 45), 30);
  EXPECT_EQ(pump_basal_rate(kInsulet, -1), 0);
}

TEST(CgmSensor, HoldsItsReadingBetweenSamplesAndClipsToItsRange) {
  CgmSensorParams dexcom{"Dexcom", 0.7, -0.5444, 15.9574, 1.6898, -5.47, 3, 39, 600};
  CgmSensor sensor(dexcom, 1);
  double first = sensor.measure(0, 100);
  EXPECT_EQ(sensor.measure(1, 250), first);
  EXPECT_EQ(sensor.measure(2, 250), first);
  EXPECT_NE(sensor.measure(3, 250), first);
  EXPECT_EQ(sensor.measure(6, 10), 39);
  EXPECT_EQ(sensor.measure(9, 900), 600);
}

TEST(CgmSensor, TheSameSeedGivesTheSameNoise) {
  CgmSensorParams navigator{"Navigator", 0.7, -0.5444, 15.9574, 1.6898, -5.47, 1, 32, 600};
  CgmNoise a(navigator, 42), b(navigator, 42), c(navigator, 43);
  bool differs = false;
  for (int i = 0; i < 400; ++i) {  // across several 150-minute batches
    double x = a.next();
    EXPECT_EQ(x, b.next());
    differs |= x != c.next();
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace medtwin::metabolic
