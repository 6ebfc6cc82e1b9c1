#include "medtwin/core/codes.hpp"

#include "medtwin/core/error.hpp"
#include "medtwin/core/units.hpp"

namespace medtwin {

Code parse_code_token(std::string_view token) {
  auto bar = token.rfind('|');
  if (bar == std::string_view::npos) throw ParseError("code '" + std::string(token) + "' is not of the form system|code");
  return Code{std::string(token.substr(0, bar)), std::string(token.substr(bar + 1)), ""};
}

namespace {
Metric loinc(const char* code, const char* display, const char* unit) {
  return Metric{Code{std::string(systems::loinc), code, display}, unit};
}
Metric local(const char* code, const char* display, const char* unit) {
  return Metric{Code{std::string(systems::medtwin), code, display}, unit};
}
Code stage(const char* code, const char* display) { return Code{std::string(systems::medtwin), code, display}; }
}  // namespace

namespace metrics {
Metric active_energy() { return loinc("41981-2", "Calories burned", "kcal"); }
Metric af_burden() { return local("af-burden", "Atrial fibrillation burden", "%"); }
Metric basal_energy() { return local("basal-energy", "Basal energy burned", "kcal"); }
Metric blood_glucose() { return loinc("41653-7", "Glucose in capillary blood by glucometer", "mg/dL"); }
Metric body_fat() { return loinc("41982-0", "Percentage of body fat measured", "%"); }
Metric body_height() { return loinc("8302-2", "Body height", "cm"); }
Metric body_mass_index() { return loinc("39156-5", "Body mass index", "kg/m2"); }
Metric body_temperature() { return loinc("8310-5", "Body temperature", "Cel"); }
Metric body_weight() { return loinc("29463-7", "Body weight", "kg"); }
Metric diastolic_bp() { return loinc("8462-4", "Diastolic blood pressure", "mm[Hg]"); }
Metric distance() { return loinc("41953-1", "Walking distance", "km"); }
Metric fairly_active_minutes() { return local("fairly-active-minutes", "Fairly active minutes", "min"); }
Metric fasting_glucose() { return loinc("1558-6", "Fasting glucose [Mass/volume] in Serum or Plasma", "mg/dL"); }
Metric flights_climbed() { return loinc("100304-5", "Flights climbed", "{count}"); }
Metric hdl_cholesterol() { return loinc("2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma", "mg/dL"); }
Metric heart_rate() { return loinc("8867-4", "Heart rate", "/min"); }
Metric hrv_rmssd() { return local("hrv-rmssd", "Heart rate variability RMSSD", "ms"); }
Metric hrv_sdnn() { return loinc("80404-7", "R-R interval standard deviation", "ms"); }
Metric instantaneous_heart_rate() { return local("instantaneous-heart-rate", "Beat-to-beat heart rate", "/min"); }
Metric interstitial_glucose() { return loinc("99504-3", "Glucose [Mass/volume] in Interstitial fluid", "mg/dL"); }
Metric lean_body_mass() { return loinc("91557-9", "Lean body weight", "kg"); }
Metric lightly_active_minutes() { return local("lightly-active-minutes", "Lightly active minutes", "min"); }
Metric oxygen_saturation() { return loinc("59408-5", "Oxygen saturation by pulse oximetry", "%"); }
Metric respiratory_rate() { return loinc("9279-1", "Respiratory rate", "/min"); }
Metric resting_heart_rate() { return loinc("40443-4", "Resting heart rate", "/min"); }
Metric pr_interval() { return loinc("8625-6", "P-R interval", "ms"); }
Metric qrs_duration() { return loinc("8633-0", "QRS duration", "ms"); }
Metric qt_interval() { return loinc("8634-8", "Q-T interval", "ms"); }
Metric qtc_bazett() { return loinc("8636-3", "Q-T interval corrected", "ms"); }  // the method is not in the code; ours is Bazett
Metric qtc_fridericia() { return local("qtc-fridericia", "Q-T interval corrected (Fridericia)", "ms"); }
Metric rr_interval() { return local("rr-interval", "R-R interval", "ms"); }
Metric sedentary_minutes() { return local("sedentary-minutes", "Sedentary minutes", "min"); }
Metric supraventricular_ectopic_beats() {
  return local("supraventricular-ectopic-beats", "Supraventricular ectopic beats", "{count}");
}
Metric ventricular_ectopic_beats() { return local("ventricular-ectopic-beats", "Ventricular ectopic beats", "{count}"); }
Metric sleep_stage() {
  return Metric{Code{std::string(systems::snomed), "258158006", "Sleep"}, ""};
}
Metric sleep_duration() { return loinc("93832-4", "Sleep duration", "h"); }
Metric smoking_status() { return loinc("72166-2", "Tobacco smoking status", ""); }
Metric stand_time() { return local("stand-time", "Standing time", "min"); }
Metric steps() { return loinc("55423-8", "Number of steps", "{steps}"); }
Metric systolic_bp() { return loinc("8480-6", "Systolic blood pressure", "mm[Hg]"); }
Metric time_in_bed() { return local("time-in-bed", "Time in bed", "h"); }
Metric total_cholesterol() { return loinc("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL"); }
Metric total_energy() { return local("total-energy", "Total energy expenditure", "kcal"); }
Metric very_active_minutes() { return local("very-active-minutes", "Very active minutes", "min"); }
Metric vo2_max() { return local("vo2-max", "Estimated maximal oxygen uptake", "mL/(kg.min)"); }
Metric waist_circumference() { return loinc("8280-0", "Waist circumference", "cm"); }
Metric walking_heart_rate() { return local("walking-heart-rate", "Walking heart rate average", "/min"); }
Metric wrist_temperature() { return local("sleeping-wrist-temperature", "Wrist temperature during sleep", "Cel"); }
Metric active_minutes() { return local("active-minutes", "Active minutes", "min"); }
}  // namespace metrics

namespace {
constexpr NamedMetric kMetrics[] = {
    {"active_energy", metrics::active_energy},
    {"active_minutes", metrics::active_minutes},
    {"af_burden", metrics::af_burden},
    {"basal_energy", metrics::basal_energy},
    {"blood_glucose", metrics::blood_glucose},
    {"body_fat", metrics::body_fat},
    {"body_height", metrics::body_height},
    {"body_mass_index", metrics::body_mass_index},
    {"body_temperature", metrics::body_temperature},
    {"body_weight", metrics::body_weight},
    {"diastolic_bp", metrics::diastolic_bp},
    {"distance", metrics::distance},
    {"fairly_active_minutes", metrics::fairly_active_minutes},
    {"fasting_glucose", metrics::fasting_glucose},
    {"flights_climbed", metrics::flights_climbed},
    {"hdl_cholesterol", metrics::hdl_cholesterol},
    {"heart_rate", metrics::heart_rate},
    {"hrv_rmssd", metrics::hrv_rmssd},
    {"hrv_sdnn", metrics::hrv_sdnn},
    {"instantaneous_heart_rate", metrics::instantaneous_heart_rate},
    {"interstitial_glucose", metrics::interstitial_glucose},
    {"lean_body_mass", metrics::lean_body_mass},
    {"lightly_active_minutes", metrics::lightly_active_minutes},
    {"oxygen_saturation", metrics::oxygen_saturation},
    {"pr_interval", metrics::pr_interval},
    {"qrs_duration", metrics::qrs_duration},
    {"qt_interval", metrics::qt_interval},
    {"qtc_bazett", metrics::qtc_bazett},
    {"qtc_fridericia", metrics::qtc_fridericia},
    {"respiratory_rate", metrics::respiratory_rate},
    {"resting_heart_rate", metrics::resting_heart_rate},
    {"rr_interval", metrics::rr_interval},
    {"sedentary_minutes", metrics::sedentary_minutes},
    {"sleep_duration", metrics::sleep_duration},
    {"sleep_stage", metrics::sleep_stage},
    {"smoking_status", metrics::smoking_status},
    {"stand_time", metrics::stand_time},
    {"steps", metrics::steps},
    {"supraventricular_ectopic_beats", metrics::supraventricular_ectopic_beats},
    {"systolic_bp", metrics::systolic_bp},
    {"time_in_bed", metrics::time_in_bed},
    {"total_cholesterol", metrics::total_cholesterol},
    {"total_energy", metrics::total_energy},
    {"ventricular_ectopic_beats", metrics::ventricular_ectopic_beats},
    {"very_active_minutes", metrics::very_active_minutes},
    {"vo2_max", metrics::vo2_max},
    {"waist_circumference", metrics::waist_circumference},
    {"walking_heart_rate", metrics::walking_heart_rate},
    {"wrist_temperature", metrics::wrist_temperature},
};
}  // namespace

std::span<const NamedMetric> all_metrics() { return kMetrics; }

std::optional<Metric> find_metric(std::string_view name) {
  for (const auto& named : kMetrics)
    if (named.name == name) return named.metric();
  return std::nullopt;
}

std::optional<double> to_metric_unit(double value, std::string_view unit, const Metric& metric) {
  if (unit == metric.unit) return value;
  if (metric.code == metrics::blood_glucose().code || metric.code == metrics::fasting_glucose().code ||
      metric.code == metrics::interstitial_glucose().code)
    return convert_glucose(value, unit, metric.unit);
  if (metric.code == metrics::total_cholesterol().code || metric.code == metrics::hdl_cholesterol().code)
    return convert_cholesterol(value, unit, metric.unit);
  return convert_unit(value, unit, metric.unit);
}

namespace sleep_stages {
Code in_bed() { return stage("sleep-in-bed", "In bed"); }
Code asleep() { return stage("sleep-asleep", "Asleep, stage unknown"); }
Code awake() { return stage("sleep-awake", "Awake"); }
Code light() { return stage("sleep-light", "Light sleep (N1/N2)"); }
Code deep() { return stage("sleep-deep", "Deep sleep (N3)"); }
Code rem() { return stage("sleep-rem", "REM sleep"); }
Code restless() { return stage("sleep-restless", "Restless (Fitbit classic)"); }
}  // namespace sleep_stages

}  // namespace medtwin
