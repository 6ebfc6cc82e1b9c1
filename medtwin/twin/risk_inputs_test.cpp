#include "medtwin/twin/risk_inputs.hpp"

#include <gtest/gtest.h>

#include "medtwin/core/codes.hpp"

namespace medtwin {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;
using std::chrono::year;

Instant on(std::chrono::year_month_day day) { return Instant{sys_days{day}} + 12h; }

const Instant kAsOf = on(year{2024} / 6 / 30);

Observation numeric(const Metric& m, Instant t, double value, std::string unit = "") {
  return Observation{m.code, value, std::nullopt, unit.empty() ? m.unit : unit, t, t, "lab"};
}

Observation smoking(const std::string& snomed, Instant t) {
  return Observation{metrics::smoking_status().code, std::nullopt, Code{std::string(systems::snomed), snomed, ""}, "", t, t, ""};
}

Event event(const char* kind, std::string system, std::string code, std::string display, Instant start,
            std::string details = "{}") {
  Event e;
  e.kind = kind, e.code = Code{std::move(system), std::move(code), std::move(display)}, e.start = start;
  e.details_json = std::move(details);
  return e;
}

PersonRecord woman_born(std::chrono::year_month_day birth) {
  PersonRecord p;
  p.name = "ann", p.sex = Sex::female, p.birth_date = birth;
  return p;
}

// The guideline's worked example (Goff et al. 2013): 55 y, TC 213, HDL 50, SBP 120 untreated, non-smoker, no diabetes.
std::vector<Observation> worked_example_labs() {
  const Instant t = on(year{2024} / 5 / 2);
  return {numeric(metrics::total_cholesterol(), t, 213), numeric(metrics::hdl_cholesterol(), t, 50),
          numeric(metrics::systolic_bp(), t, 120), smoking("266919005", t)};
}
std::vector<Event> unrelated_records() {
  const Instant t = on(year{2020} / 1 / 10);
  return {event(event_kinds::condition, std::string(systems::snomed), "10509002", "Acute bronchitis", t),
          event(event_kinds::medication, std::string(systems::rxnorm), "313782", "Acetaminophen 325 MG Oral Tablet", t)};
}

double number(const RiskInputs& in, const char* field) { return std::get<double>(in.values.at(field).value); }
bool flag(const RiskInputs& in, const char* field) { return std::get<bool>(in.values.at(field).value); }

TEST(RiskInputs, WorkedExampleFromRecordsGivesThePublishedRisk) {
  auto in = risk_inputs_from_records(woman_born(year{1969} / 1 / 1), worked_example_labs(), unrelated_records(), kAsOf);
  apply_overrides(in, RiskOverrides{cardio::Race::white, {}, {}, {}, {}, {}, {}});
  EXPECT_EQ(number(in, "age_years"), 55);
  EXPECT_FALSE(flag(in, "current_smoker"));
  EXPECT_FALSE(flag(in, "diabetes"));
  EXPECT_TRUE(in.values.at("diabetes").assumed);  // a condition list without diabetes
  EXPECT_FALSE(flag(in, "treated_hypertension"));
  EXPECT_TRUE(in.values.at("treated_hypertension").assumed);
  EXPECT_EQ(in.values.at("total_cholesterol_mg_dl").source, "observation 2024-05-02, LOINC 2093-3 (lab)");
  const auto scores = risk_scores(in);
  ASSERT_EQ(scores.size(), 3u);
  ASSERT_EQ(scores[0].id, "pce");
  ASSERT_TRUE(scores[0].result.risk);
  // Published 2.1 % (white women), printed to 0.1 percentage point.
  EXPECT_NEAR(100 * *scores[0].result.risk, 2.1, 0.05);
  EXPECT_EQ(scores[0].result.equation, "white women");
  EXPECT_EQ(scores[0].inputs.size(), 9u);  // every PCE input known
}

TEST(RiskInputs, AgeIsInCompletedYears) {
  const auto p = woman_born(year{1969} / 7 / 1);
  EXPECT_EQ(number(risk_inputs_from_records(p, {}, {}, on(year{2024} / 6 / 30)), "age_years"), 54);
  EXPECT_EQ(number(risk_inputs_from_records(p, {}, {}, on(year{2024} / 7 / 1)), "age_years"), 55);
}

TEST(RiskInputs, TakesTheLatestValueWithinTheLookBackAndBeforeAsOf) {
  const std::vector<Observation> obs{
      numeric(metrics::hdl_cholesterol(), on(year{2018} / 1 / 1), 40),  // > 5 years before: too old
      numeric(metrics::total_cholesterol(), on(year{2021} / 1 / 1), 180),
      numeric(metrics::total_cholesterol(), on(year{2023} / 1 / 1), 200),
      numeric(metrics::total_cholesterol(), on(year{2024} / 8 / 1), 260),  // after as-of
      numeric(metrics::systolic_bp(), on(year{2022} / 1 / 1), 150),      // > 2 years before: too old
  };
  const auto in = risk_inputs_from_records(woman_born(year{1969} / 1 / 1), obs, {}, kAsOf);
  EXPECT_EQ(number(in, "total_cholesterol_mg_dl"), 200);
  EXPECT_FALSE(in.values.count("hdl_cholesterol_mg_dl"));
  EXPECT_FALSE(in.values.count("systolic_bp_mmhg"));
  // No condition or medication records at all: those inputs stay missing.
  EXPECT_FALSE(in.values.count("diabetes"));
  EXPECT_FALSE(in.values.count("treated_hypertension"));
  const auto pce = risk_scores(in)[0].result;
  EXPECT_FALSE(pce.risk);
  EXPECT_NE(std::find(pce.missing.begin(), pce.missing.end(), "hdl_cholesterol_mg_dl"), pce.missing.end());
}

TEST(RiskInputs, CholesterolInMmolPerLitreIsConverted) {
  const std::vector<Observation> obs{numeric(metrics::total_cholesterol(), on(year{2024} / 1 / 1), 5.5, "mmol/L"),
                                     numeric(metrics::hdl_cholesterol(), on(year{2024} / 1 / 1), 1.3, "mmol/L")};
  const auto in = risk_inputs_from_records(woman_born(year{1969} / 1 / 1), obs, {}, kAsOf);
  EXPECT_NEAR(number(in, "total_cholesterol_mg_dl"), 5.5 * 38.665, 1e-9);  // cholesterol 386.65 g/mol
  EXPECT_NEAR(number(in, "hdl_cholesterol_mg_dl"), 1.3 * 38.665, 1e-9);
}

TEST(RiskInputs, OnlyFastingGlucoseIsUsed) {
  Observation random{Code{std::string(systems::loinc), "2345-7", "Glucose"}, 140.0, std::nullopt, "mg/dL",
                     on(year{2024} / 1 / 1), on(year{2024} / 1 / 1), "lab"};
  auto in = risk_inputs_from_records(woman_born(year{1969} / 1 / 1), {random}, {}, kAsOf);
  EXPECT_FALSE(in.values.count("fasting_glucose_mg_dl"));
  ASSERT_EQ(in.notes.size(), 1u);
  EXPECT_NE(in.notes[0].find("not known to be fasting"), std::string::npos);
  in = risk_inputs_from_records(woman_born(year{1969} / 1 / 1),
                                {random, numeric(metrics::fasting_glucose(), on(year{2023} / 1 / 1), 99)}, {}, kAsOf);
  EXPECT_EQ(number(in, "fasting_glucose_mg_dl"), 99);
  EXPECT_TRUE(in.notes.empty());
}

TEST(RiskInputs, SmokingStatusCodes) {
  auto status = [](const std::string& code) {
    return risk_inputs_from_records(woman_born(year{1969} / 1 / 1), {smoking(code, on(year{2024} / 1 / 1))}, {}, kAsOf);
  };
  for (const char* current : {"449868002", "428041000124106", "77176002", "428071000124103", "428061000124105"})
    EXPECT_TRUE(flag(status(current), "current_smoker")) << current;
  for (const char* not_now : {"8517006", "266919005", "8392000"}) EXPECT_FALSE(flag(status(not_now), "current_smoker")) << not_now;
  const auto unknown = status("266927001");  // Unknown if ever smoked
  EXPECT_FALSE(unknown.values.count("current_smoker"));
  EXPECT_EQ(unknown.notes.size(), 1u);
  EXPECT_NE(status("8517006").values.at("current_smoker").source.find("Former smoker"), std::string::npos);
}

TEST(RiskInputs, Conditions) {
  const Instant t = on(year{2015} / 3 / 1);
  const auto snomed = std::string(systems::snomed);
  auto with = [&](std::vector<Event> events) {
    return risk_inputs_from_records(woman_born(year{1960} / 1 / 1), {}, events, kAsOf);
  };
  EXPECT_TRUE(flag(with({event(event_kinds::condition, snomed, "44054006", "Type 2 diabetes mellitus", t)}), "diabetes"));
  EXPECT_TRUE(flag(with({event(event_kinds::condition, "http://hl7.org/fhir/sid/icd-10-cm", "E11.9", "", t)}), "diabetes"));
  EXPECT_TRUE(flag(with({event(event_kinds::condition, "", "", "Type 1 diabetes", t)}), "diabetes"));
  // A descendant the list lacks still names the condition.
  EXPECT_TRUE(flag(with({event(event_kinds::condition, snomed, "1234567", "Type 2 diabetes mellitus with complication", t)}),
                   "diabetes"));
  EXPECT_FALSE(flag(with({event(event_kinds::condition, snomed, "1234568", "Family history of diabetes mellitus", t)}),
                    "diabetes"));
  // Prediabetes is not diabetes; resolved or refuted diabetes does not count.
  EXPECT_FALSE(flag(with({event(event_kinds::condition, snomed, "15777000", "Prediabetes", t)}), "diabetes"));
  EXPECT_FALSE(flag(with({event(event_kinds::condition, "", "", "Prediabetes", t)}), "diabetes"));
  EXPECT_FALSE(flag(with({event(event_kinds::condition, snomed, "44054006", "", t, R"({"clinicalStatus":"resolved"})")}),
                    "diabetes"));
  EXPECT_FALSE(flag(with({event(event_kinds::condition, snomed, "44054006", "", t, R"({"verificationStatus":"refuted"})"),
                          event(event_kinds::condition, snomed, "10509002", "", t)}),
                    "diabetes"));
  // A myocardial infarction is history: a resolved one still counts.
  const auto mi = with({event(event_kinds::condition, snomed, "22298006", "", t, R"({"clinicalStatus":"resolved"})")});
  EXPECT_TRUE(flag(mi, "myocardial_infarction"));
  EXPECT_FALSE(flag(mi, "heart_failure"));
  EXPECT_TRUE(flag(with({event(event_kinds::condition, snomed, "88805009", "", t)}), "heart_failure"));
  // A condition after as-of is not known yet.
  EXPECT_FALSE(flag(with({event(event_kinds::condition, snomed, "44054006", "", on(year{2024} / 8 / 1)),
                          event(event_kinds::condition, snomed, "10509002", "", t)}),
                    "diabetes"));
}

TEST(RiskInputs, Medications) {
  const Instant t = on(year{2020} / 2 / 22);
  const auto rxnorm = std::string(systems::rxnorm);
  auto with = [&](std::vector<Event> events) {
    return risk_inputs_from_records(woman_born(year{1960} / 1 / 1), {}, events, kAsOf);
  };
  // Synthea's clinical-drug code (not an ingredient): matched by name.
  const auto hctz = with({event(event_kinds::medication, rxnorm, "316049", "Hydrochlorothiazide 25 MG", t, R"({"status":"active"})")});
  EXPECT_TRUE(flag(hctz, "treated_hypertension"));
  EXPECT_FALSE(flag(hctz, "treated_glucose"));
  EXPECT_TRUE(flag(with({event(event_kinds::medication, rxnorm, "29046", "", t)}), "treated_hypertension"));  // lisinopril
  EXPECT_FALSE(flag(with({event(event_kinds::medication, rxnorm, "29046", "", t, R"({"status":"stopped"})")}),
                    "treated_hypertension"));
  auto ended = event(event_kinds::medication, rxnorm, "29046", "", t);
  ended.end = on(year{2021} / 1 / 1);
  EXPECT_FALSE(flag(with({ended}), "treated_hypertension"));
  EXPECT_TRUE(flag(with({event(event_kinds::medication, rxnorm, "860975", "24 HR metformin hydrochloride 500 MG", t)}),
                   "treated_glucose"));
  EXPECT_TRUE(flag(with({event(event_kinds::insulin, "", "", "", on(year{2024} / 6 / 1))}), "treated_glucose"));
}

TEST(RiskInputs, BmiFromTheMoreRecentOfStoredBmiAndWeight) {
  const auto p = woman_born(year{1969} / 1 / 1);
  const auto height = numeric(metrics::body_height(), on(year{2010} / 1 / 1), 170);  // height: no look-back
  const auto weight = numeric(metrics::body_weight(), on(year{2024} / 3 / 1), 72.25);
  const auto bmi = numeric(metrics::body_mass_index(), on(year{2024} / 1 / 1), 30);
  auto in = risk_inputs_from_records(p, {height, weight, bmi}, {}, kAsOf);
  EXPECT_NEAR(number(in, "bmi_kg_m2"), 72.25 / (1.7 * 1.7), 1e-12);  // 25.0
  in = risk_inputs_from_records(p, {height, numeric(metrics::body_mass_index(), on(year{2024} / 5 / 1), 30), weight}, {}, kAsOf);
  EXPECT_EQ(number(in, "bmi_kg_m2"), 30);
}

TEST(RiskInputs, CommandLineOverridesAndKeepsTheStoredValue) {
  auto in = risk_inputs_from_records(woman_born(year{1969} / 1 / 1), worked_example_labs(), unrelated_records(), kAsOf);
  RiskOverrides o;
  o.current_smoker = true, o.race = cardio::Race::african_american;
  apply_overrides(in, o);
  EXPECT_TRUE(flag(in, "current_smoker"));
  EXPECT_TRUE(in.values.at("current_smoker").from_command_line);
  ASSERT_EQ(in.overridden.size(), 1u);  // race was not stored
  EXPECT_EQ(in.overridden[0].field, "current_smoker");
  EXPECT_FALSE(std::get<bool>(in.overridden[0].stored.value));
  // PooledCohort R package, smoking African-American woman of the example profile: 5.9 % (model card).
  EXPECT_NEAR(100 * *risk_scores(in)[0].result.risk, 5.9, 0.05);
}

TEST(RiskInputs, AnImpossibleStoredValueFailsOnlyItsScores) {
  auto obs = worked_example_labs();
  obs.push_back(numeric(metrics::hdl_cholesterol(), on(year{2024} / 6 / 1), 0));  // a mistyped result
  auto in = risk_inputs_from_records(woman_born(year{1969} / 1 / 1), obs, unrelated_records(), kAsOf);
  apply_overrides(in, RiskOverrides{cardio::Race::white, {}, {}, {}, {}, {}, {}});
  const auto scores = risk_scores(in);
  EXPECT_FALSE(scores[0].error.empty());
  EXPECT_NE(scores[0].error.find("hdl"), std::string::npos) << scores[0].error;
  EXPECT_TRUE(scores[1].error.empty());  // CHARGE-AF has no HDL term
}

TEST(RiskInputs, PriorDiseaseIsFlaggedWhereTheEquationDoesNotApply) {
  auto in = risk_inputs_from_records(woman_born(year{1969} / 1 / 1), worked_example_labs(), unrelated_records(), kAsOf);
  RiskOverrides o;
  o.race = cardio::Race::white, o.myocardial_infarction = true, o.heart_failure = true;
  apply_overrides(in, o);
  const auto scores = risk_scores(in);
  auto flagged = [](const RiskScore& s, std::string_view field) {
    return std::any_of(s.result.outside_derivation.begin(), s.result.outside_derivation.end(),
                       [&](const std::string& f) { return f.rfind(field, 0) == 0; });
  };
  EXPECT_TRUE(flagged(scores[0], "myocardial_infarction"));
  EXPECT_FALSE(flagged(scores[1], "myocardial_infarction"));  // CHARGE-AF takes MI and HF as predictors
  EXPECT_TRUE(flagged(scores[2], "heart_failure"));
}

}  // namespace
}  // namespace medtwin
