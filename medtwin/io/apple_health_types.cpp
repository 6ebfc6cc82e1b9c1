#include "medtwin/io/apple_health_types.hpp"

#include <array>
#include <unordered_map>

#include "medtwin/core/units.hpp"

namespace medtwin::apple_health {
namespace {

// Quantity types other sources also measure, so they share one series each.
// Codes as in ../shared/data/fhir/healthkit_fhir_mapping/HKSampleMapping.json
// where it names a LOINC code; the rest are medtwin metrics.
const std::unordered_map<std::string_view, Metric>& metric_table() {
  static const std::unordered_map<std::string_view, Metric> table = {
      {"HKQuantityTypeIdentifierActiveEnergyBurned", metrics::active_energy()},
      {"HKQuantityTypeIdentifierAppleExerciseTime", metrics::active_minutes()},
      {"HKQuantityTypeIdentifierAppleSleepingWristTemperature", metrics::wrist_temperature()},
      {"HKQuantityTypeIdentifierAppleStandTime", metrics::stand_time()},
      {"HKQuantityTypeIdentifierBasalEnergyBurned", metrics::basal_energy()},
      {"HKQuantityTypeIdentifierBloodGlucose", metrics::blood_glucose()},
      {"HKQuantityTypeIdentifierBloodPressureDiastolic", metrics::diastolic_bp()},
      {"HKQuantityTypeIdentifierBloodPressureSystolic", metrics::systolic_bp()},
      {"HKQuantityTypeIdentifierBodyFatPercentage", metrics::body_fat()},
      {"HKQuantityTypeIdentifierBodyMass", metrics::body_weight()},
      {"HKQuantityTypeIdentifierBodyMassIndex", metrics::body_mass_index()},
      {"HKQuantityTypeIdentifierBodyTemperature", metrics::body_temperature()},
      {"HKQuantityTypeIdentifierDistanceWalkingRunning", metrics::distance()},
      {"HKQuantityTypeIdentifierFlightsClimbed", metrics::flights_climbed()},
      {"HKQuantityTypeIdentifierHeartRate", metrics::heart_rate()},
      {"HKQuantityTypeIdentifierHeartRateVariabilitySDNN", metrics::hrv_sdnn()},
      {"HKQuantityTypeIdentifierHeight", metrics::body_height()},
      {"HKQuantityTypeIdentifierLeanBodyMass", metrics::lean_body_mass()},
      {"HKQuantityTypeIdentifierOxygenSaturation", metrics::oxygen_saturation()},
      {"HKQuantityTypeIdentifierRespiratoryRate", metrics::respiratory_rate()},
      {"HKQuantityTypeIdentifierRestingHeartRate", metrics::resting_heart_rate()},
      {"HKQuantityTypeIdentifierStepCount", metrics::steps()},
      {"HKQuantityTypeIdentifierVO2Max", metrics::vo2_max()},
      {"HKQuantityTypeIdentifierWaistCircumference", metrics::waist_circumference()},
      {"HKQuantityTypeIdentifierWalkingHeartRateAverage", metrics::walking_heart_rate()},
  };
  return table;
}

constexpr std::array kIdentifierPrefixes = {
    std::string_view{"HKQuantityTypeIdentifier"}, std::string_view{"HKCategoryTypeIdentifier"},
    std::string_view{"HKCorrelationTypeIdentifier"}, std::string_view{"HKWorkoutActivityType"},
    std::string_view{"HKCategoryValue"}, std::string_view{"HKDataType"},
};

// HealthKit writes molar units with the molar mass: "mmol<180.1558800000541>/L".
std::string without_molar_mass(std::string_view unit) {
  auto open = unit.find('<');
  auto close = unit.find('>', open);
  if (open == std::string_view::npos || close == std::string_view::npos) return std::string(unit);
  return std::string(unit.substr(0, open)).append(unit.substr(close + 1));
}

}  // namespace

const Metric* canonical_metric(std::string_view hk_type) {
  const auto& table = metric_table();
  auto it = table.find(hk_type);
  return it == table.end() ? nullptr : &it->second;
}

std::string_view without_healthkit_prefix(std::string_view identifier) {
  for (auto prefix : kIdentifierPrefixes)
    if (identifier.size() > prefix.size() && identifier.starts_with(prefix)) return identifier.substr(prefix.size());
  return identifier;
}

Code healthkit_code(std::string_view identifier) {
  return Code{std::string(systems::healthkit), std::string(identifier),
              std::string(without_healthkit_prefix(identifier))};
}

const Code* sleep_stage(std::string_view value) {
  static const std::array<std::pair<std::string_view, Code>, 7> stages = {{
      {"HKCategoryValueSleepAnalysisInBed", sleep_stages::in_bed()},
      {"HKCategoryValueSleepAnalysisAsleepUnspecified", sleep_stages::asleep()},
      {"HKCategoryValueSleepAnalysisAsleep", sleep_stages::asleep()},  // before iOS 16
      {"HKCategoryValueSleepAnalysisAwake", sleep_stages::awake()},
      {"HKCategoryValueSleepAnalysisAsleepCore", sleep_stages::light()},
      {"HKCategoryValueSleepAnalysisAsleepDeep", sleep_stages::deep()},
      {"HKCategoryValueSleepAnalysisAsleepREM", sleep_stages::rem()},
  }};
  for (const auto& [name, code] : stages)
    if (name == value) return &code;
  return nullptr;
}

UnitConversion unit_conversion(std::string_view hk_unit, const Metric* metric) {
  std::string written = without_molar_mass(hk_unit);
  // HealthKit's BMI unit is the dimensionless "count"; the value is in kg/m².
  if (metric && written == "count" && metric->code == metrics::body_mass_index().code) return {metric->unit};
  auto ucum = to_ucum(written);
  if (!ucum) return UnitConversion{std::string(hk_unit), 1, 0, false, false};
  UnitConversion conversion{*ucum};
  conversion.fraction_percent = *ucum == "%";
  if (!metric || metric->unit == *ucum) return conversion;
  // Every conversion to a metric's unit is affine: find it from two points.
  auto at0 = to_metric_unit(0, *ucum, *metric);
  auto at1 = to_metric_unit(1, *ucum, *metric);
  if (!at0 || !at1) {
    conversion.known = false;
    return conversion;
  }
  conversion.unit = metric->unit;
  conversion.offset = *at0;
  conversion.scale = *at1 - *at0;
  return conversion;
}

}  // namespace medtwin::apple_health
