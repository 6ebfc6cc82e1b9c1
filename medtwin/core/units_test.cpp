#include "medtwin/core/units.hpp"

#include <gtest/gtest.h>

namespace medtwin {
namespace {

TEST(Units, MapsVendorSpellingsToUcum) {
  EXPECT_EQ(to_ucum("count/min"), "/min");
  EXPECT_EQ(to_ucum("degC"), "Cel");
  EXPECT_EQ(to_ucum("lb"), "[lb_av]");
  EXPECT_EQ(to_ucum("mmHg"), "mm[Hg]");
  EXPECT_EQ(to_ucum("kcal"), "kcal");
  EXPECT_EQ(to_ucum("furlongs/fortnight"), std::nullopt);
}

TEST(Units, ConvertsWithinADimension) {
  EXPECT_NEAR(*convert_unit(1, "[lb_av]", "kg"), 0.45359237, 1e-12);
  EXPECT_NEAR(*convert_unit(98.6, "[degF]", "Cel"), 37.0, 1e-9);
  EXPECT_NEAR(*convert_unit(37, "Cel", "[degF]"), 98.6, 1e-9);
  EXPECT_NEAR(*convert_unit(1, "kJ", "kcal"), 1 / 4.184, 1e-12);
  EXPECT_NEAR(*convert_unit(90, "min", "h"), 1.5, 1e-12);
  EXPECT_NEAR(*convert_unit(1, "[mi_i]", "km"), 1.609344, 1e-12);
  EXPECT_EQ(convert_unit(1, "kg", "m"), std::nullopt);
}

TEST(Units, ConvertsGlucoseBetweenMassAndMolarConcentration) {
  EXPECT_NEAR(*convert_glucose(180.156, "mg/dL", "mmol/L"), 10.0, 1e-9);
  EXPECT_NEAR(*convert_glucose(5.5, "mmol/L", "mg/dL"), 99.0858, 1e-4);
  EXPECT_NEAR(*convert_cholesterol(5.5, "mmol/L", "mg/dL"), 212.6575, 1e-9);  // 5.5 × 386.65 / 10
  EXPECT_NEAR(*convert_cholesterol(213, "mg/dL", "mmol/L"), 213 / 38.665, 1e-12);
}

TEST(Units, DisplayUnits) {
  EXPECT_EQ(display_unit("{steps}"), "steps");
  EXPECT_EQ(display_unit("Cel"), "°C");
  EXPECT_EQ(display_unit("1"), "");
  EXPECT_EQ(display_unit("/min"), "/min");
  EXPECT_EQ(display_unit("mm[Hg]"), "mmHg");
}

}  // namespace
}  // namespace medtwin
