// Apple HealthKit identifiers and unit strings → medtwin metrics and UCUM, for
// the Apple Health importer. Types are HealthKit's HKQuantityTypeIdentifier… /
// HKCategoryTypeIdentifier… names; units are HKUnit strings as export.xml
// writes them ("count/min", "lb", "mmol<180.1558800000541>/L", "%").
#pragma once

#include <string>
#include <string_view>

#include "medtwin/core/codes.hpp"

namespace medtwin::apple_health {

// The canonical metric a HealthKit quantity type lands in, or nullptr when the
// type is kept under systems::healthkit.
const Metric* canonical_metric(std::string_view hk_type);

// A HealthKit identifier without its prefix ("HKWorkoutActivityTypeRunning" →
// "Running", "HKCategoryValueAppleStandHourStood" → "AppleStandHourStood").
std::string_view without_healthkit_prefix(std::string_view identifier);

// A HealthKit identifier as a code of systems::healthkit, displayed without its prefix.
Code healthkit_code(std::string_view identifier);

// The sleep stage of an HKCategoryValueSleepAnalysis… value; nullptr if unknown.
const Code* sleep_stage(std::string_view value);

// value_in_unit = value * scale + offset, after the percent rule below.
struct UnitConversion {
  // UCUM unit of the result. When !known: the unit as written, or its UCUM
  // form when only the conversion to the target is impossible.
  std::string unit;
  double scale = 1;
  double offset = 0;
  // HealthKit writes percentages as fractions (0.97 with unit "%"): values in
  // [0, 1] are scaled to 0–100. Larger values were written as percent already.
  bool fraction_percent = false;
  bool known = true;  // false: unknown unit, or not convertible to the target

  double apply(double value) const {
    if (fraction_percent && value >= 0 && value <= 1) value *= 100;
    return value * scale + offset;
  }
};

// How a value written in HealthKit's `hk_unit` becomes a value in the unit of
// `metric`; with no metric, the value stays in the unit's own UCUM form.
UnitConversion unit_conversion(std::string_view hk_unit, const Metric* metric);

}  // namespace medtwin::apple_health
