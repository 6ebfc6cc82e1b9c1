// Coded concepts and the one vocabulary every importer maps to, so that the
// same metric from Apple Health, Fitbit, FHIR or a CSV lands in one series.
// LOINC where a code exists (sources: ../shared/data/fhir/wearable_fhir_codes.tsv,
// HL7 FHIR R4 vital-signs profiles); the medtwin system for the rest.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace medtwin {

namespace systems {
inline constexpr std::string_view loinc = "http://loinc.org";
inline constexpr std::string_view snomed = "http://snomed.info/sct";
inline constexpr std::string_view rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr std::string_view ucum = "http://unitsofmeasure.org";
inline constexpr std::string_view mdc = "urn:iso:std:iso:11073:10101";
// Concepts no public vocabulary covers (vendor scores, sleep stages, …).
inline constexpr std::string_view medtwin = "https://medtwin.org/code";
// Apple HealthKit identifiers kept as they are when no mapping exists.
inline constexpr std::string_view healthkit = "com.apple.health";
}  // namespace systems

struct Code {
  std::string system;
  std::string code;
  std::string display;  // informative only; never part of identity

  bool operator==(const Code& o) const { return system == o.system && code == o.code; }
  // "system|code", the token form of FHIR search.
  std::string token() const { return system + "|" + code; }
};

Code parse_code_token(std::string_view token);

// A canonical metric: its code and the UCUM unit its series are stored in.
struct Metric {
  Code code;
  std::string unit;
};

// The canonical metrics importers share (alphabetical by name).
namespace metrics {
Metric active_energy();         // LOINC 41981-2, kcal
Metric active_minutes();        // medtwin active-minutes, min
Metric af_burden();             // medtwin af-burden, % (share of a recording in atrial fibrillation)
Metric basal_energy();          // medtwin basal-energy, kcal
Metric blood_glucose();         // LOINC 41653-7 (capillary), mg/dL
Metric body_fat();              // LOINC 41982-0, %
Metric body_height();           // LOINC 8302-2, cm
Metric body_mass_index();       // LOINC 39156-5, kg/m2
Metric body_temperature();      // LOINC 8310-5, Cel
Metric body_weight();           // LOINC 29463-7, kg
Metric diastolic_bp();          // LOINC 8462-4, mm[Hg]
Metric distance();              // LOINC 41953-1 (distance walked/run), km
Metric fairly_active_minutes();  // medtwin fairly-active-minutes, min (Fitbit "fairly"/"moderately active")
Metric fasting_glucose();       // LOINC 1558-6 (fasting, serum or plasma), mg/dL
Metric flights_climbed();       // LOINC 100304-5, {count}
Metric hdl_cholesterol();       // LOINC 2085-9 (serum or plasma), mg/dL
Metric heart_rate();            // LOINC 8867-4, /min
Metric hrv_rmssd();             // medtwin hrv-rmssd, ms
Metric hrv_sdnn();              // LOINC 80404-7, ms
Metric instantaneous_heart_rate();  // medtwin instantaneous-heart-rate, /min (one per beat)
Metric interstitial_glucose();  // LOINC 99504-3 (CGM sensor reading; HL7 CGM IG), mg/dL
Metric lean_body_mass();        // LOINC 91557-9, kg
Metric lightly_active_minutes();  // medtwin lightly-active-minutes, min (Fitbit "lightly active")
Metric oxygen_saturation();     // LOINC 59408-5, %
Metric pr_interval();           // LOINC 8625-6, ms
Metric qrs_duration();          // LOINC 8633-0, ms
Metric qt_interval();           // LOINC 8634-8, ms
Metric qtc_bazett();            // LOINC 8636-3 (QT corrected, as ECG machines report it: Bazett), ms
Metric qtc_fridericia();        // medtwin qtc-fridericia, ms
Metric respiratory_rate();      // LOINC 9279-1, /min
Metric resting_heart_rate();    // LOINC 40443-4, /min
Metric rr_interval();           // medtwin rr-interval, ms (one per beat)
Metric sedentary_minutes();     // medtwin sedentary-minutes, min (Fitbit "sedentary")
Metric sleep_stage();           // SNOMED 258158006, coded value (see sleep_stages)
Metric sleep_duration();        // LOINC 93832-4, h
Metric smoking_status();        // LOINC 72166-2, coded value (SNOMED CT smoking-status findings)
Metric stand_time();            // medtwin stand-time, min (Apple Watch stand minutes)
Metric steps();                 // LOINC 55423-8, {steps}
Metric supraventricular_ectopic_beats();  // medtwin supraventricular-ectopic-beats, {count} per recording
Metric systolic_bp();           // LOINC 8480-6, mm[Hg]
Metric time_in_bed();           // medtwin time-in-bed, h (per night or day)
Metric total_cholesterol();     // LOINC 2093-3 (serum or plasma), mg/dL
Metric total_energy();          // medtwin total-energy, kcal (basal + active; Fitbit "Calories")
Metric ventricular_ectopic_beats();  // medtwin ventricular-ectopic-beats, {count} per recording
Metric very_active_minutes();   // medtwin very-active-minutes, min (Fitbit "very active")
Metric vo2_max();               // medtwin vo2-max, mL/(kg.min) (estimated VO2max)
Metric waist_circumference();   // LOINC 8280-0, cm
Metric walking_heart_rate();    // medtwin walking-heart-rate, /min (daily walking average)
Metric wrist_temperature();     // medtwin sleeping-wrist-temperature, Cel
}  // namespace metrics

// Every canonical metric under the name mapping files use ("heart_rate"),
// sorted by name: the one list to extend when a metric is added above.
struct NamedMetric {
  std::string_view name;
  Metric (*metric)();
};
std::span<const NamedMetric> all_metrics();
std::optional<Metric> find_metric(std::string_view name);

// `value` written in UCUM `unit`, in the metric's unit: same-dimension units
// convert; glucose (blood, fasting, interstitial) and cholesterol (total, HDL) also
// mmol/L ↔ mg/dL. nullopt when impossible.
std::optional<double> to_metric_unit(double value, std::string_view unit, const Metric& metric);

// Coded values of the sleep-stage series (medtwin system).
namespace sleep_stages {
Code in_bed();
Code asleep();  // asleep, stage unknown
Code awake();
Code light();   // Apple "core", Fitbit "light", N1+N2
Code deep();    // N3
Code rem();
Code restless();  // Fitbit "classic" restless; Fitbit counts it as awake in its totals
}  // namespace sleep_stages

}  // namespace medtwin
