#include "medtwin/cardio/risk_scores.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "medtwin/core/error.hpp"
#include "medtwin/core/units.hpp"

namespace medtwin::cardio {
namespace {

// Hand computations below were done from the published formulas with Python 3
// (math.log, math.exp) and the coefficient tables cited in risk_scores.cpp; they
// check the wiring of terms (treatment branches, interactions), so the only
// tolerance is floating-point rounding.
constexpr double float_tolerance = 1e-9;

bool contains(const std::vector<std::string>& list, const std::string& text) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
}

// ---------------------------------------------------------------------------
// Pooled Cohort Equations

// The guideline's example profile (Goff et al. 2013, example column of the
// equation-parameter table): 55 y, TC 213 mg/dL, HDL 50 mg/dL, untreated SBP
// 120 mmHg, non-smoker, no diabetes.
PooledCohortInput guideline_example(Sex sex, Race race) {
  PooledCohortInput in;
  in.sex = sex;
  in.race = race;
  in.age_years = 55;
  in.total_cholesterol_mg_dl = 213;
  in.hdl_cholesterol_mg_dl = 50;
  in.systolic_bp_mmhg = 120;
  in.treated_hypertension = false;
  in.current_smoker = false;
  in.diabetes = false;
  return in;
}

struct PublishedExample {
  Sex sex;
  Race race;
  double individual_sum;  // "Individual Sum", published to 2 decimals
  double risk_percent;    // published 10-year risk, 1 decimal
};

TEST(PooledCohortTest, ReproducesTheGuidelineWorkedExample) {
  // Goff et al. 2013: white women −29.67 → 2.1 %, African-American women
  // 86.16 → 3.0 %, white men 60.69 → 5.3 %, African-American men 18.97 → 6.1 %.
  const PublishedExample examples[] = {{Sex::female, Race::white, -29.67, 2.1},
                                       {Sex::female, Race::african_american, 86.16, 3.0},
                                       {Sex::male, Race::white, 60.69, 5.3},
                                       {Sex::male, Race::african_american, 18.97, 6.1}};
  for (const auto& example : examples) {
    const RiskResult r = pooled_cohort_ascvd_10y(guideline_example(example.sex, example.race));
    SCOPED_TRACE(r.equation);
    ASSERT_TRUE(r.risk.has_value());
    ASSERT_TRUE(r.missing.empty());
    EXPECT_TRUE(r.outside_derivation.empty());
    EXPECT_EQ(r.horizon_years, 10);
    // The published risk is rounded to 0.1 percentage point.
    EXPECT_NEAR(*r.risk * 100, example.risk_percent, 0.1);
    // The table rounds each coefficient × value term (≤ 7 terms) to 2 decimals.
    EXPECT_NEAR(*r.linear_predictor, example.individual_sum, 7 * 0.005);
  }
}

TEST(PooledCohortTest, AgreesWithAnIndependentImplementation) {
  // Values asserted by the PooledCohort R package (B. Jaeger,
  // github.com/bcjaeger/PooledCohort, tests/testthat/test-predict_10yr_ascvd_risk.R),
  // rounded to 0.1 % as the ACC/AHA online estimator shows them: the example
  // profile with treated SBP, and with current smoking; the untreated example
  // there is 5.4 % for white men (the guideline's table, 5.3 %, sums rounded
  // terms). Tolerance: half the rounding step.
  struct Case {
    Sex sex;
    Race race;
    bool treated, smoker;
    double risk_percent;
  };
  const Case cases[] = {{Sex::female, Race::african_american, true, false, 4.6},
                        {Sex::female, Race::white, true, false, 2.8},
                        {Sex::male, Race::african_american, true, false, 9.9},
                        {Sex::male, Race::white, true, false, 6.3},
                        {Sex::female, Race::african_american, false, true, 5.9},
                        {Sex::female, Race::white, false, true, 5.0},
                        {Sex::male, Race::african_american, false, true, 10.3},
                        {Sex::male, Race::white, false, true, 10.0},
                        {Sex::male, Race::white, false, false, 5.4}};
  for (const auto& c : cases) {
    PooledCohortInput in = guideline_example(c.sex, c.race);
    in.treated_hypertension = c.treated;
    in.current_smoker = c.smoker;
    const RiskResult r = pooled_cohort_ascvd_10y(in);
    SCOPED_TRACE(r.equation + (c.treated ? ", treated" : "") + (c.smoker ? ", smoker" : ""));
    EXPECT_NEAR(*r.risk * 100, c.risk_percent, 0.05);
  }
}

TEST(PooledCohortTest, MatchesAHandComputationWithEveryTerm) {
  // 62 y, TC 240, HDL 42, treated SBP 148, smoker, diabetes: every term of
  // every equation is non-zero, including the treated-SBP branch.
  struct Expected {
    Sex sex;
    Race race;
    double lp, risk;
  };
  const Expected expected[] = {{Sex::female, Race::white, -26.7442320389, 0.3224562959},
                               {Sex::female, Race::african_american, 89.3813193738, 0.5343119873},
                               {Sex::male, Race::white, 63.1406147749, 0.4704296962},
                               {Sex::male, Race::african_american, 21.4662418952, 0.5315521301}};
  for (const auto& e : expected) {
    PooledCohortInput in = guideline_example(e.sex, e.race);
    in.age_years = 62;
    in.total_cholesterol_mg_dl = 240;
    in.hdl_cholesterol_mg_dl = 42;
    in.systolic_bp_mmhg = 148;
    in.treated_hypertension = true;
    in.current_smoker = true;
    in.diabetes = true;
    const RiskResult r = pooled_cohort_ascvd_10y(in);
    SCOPED_TRACE(r.equation);
    ASSERT_TRUE(r.risk.has_value());
    EXPECT_NEAR(*r.linear_predictor, e.lp, float_tolerance);
    EXPECT_NEAR(*r.risk, e.risk, float_tolerance);
  }
}

TEST(PooledCohortTest, OtherRacesUseTheWhiteEquationsAndSaySo) {
  const RiskResult white = pooled_cohort_ascvd_10y(guideline_example(Sex::male, Race::white));
  const RiskResult other = pooled_cohort_ascvd_10y(guideline_example(Sex::male, Race::other));
  ASSERT_TRUE(other.risk.has_value());
  EXPECT_DOUBLE_EQ(*other.risk, *white.risk);
  EXPECT_EQ(other.equation, "white men");
  EXPECT_TRUE(contains(other.outside_derivation, "race"));
}

TEST(PooledCohortTest, MissingInputsAreNamedAndNoRiskIsGiven) {
  PooledCohortInput in = guideline_example(Sex::unknown, Race::white);
  in.hdl_cholesterol_mg_dl.reset();
  in.diabetes.reset();
  const RiskResult r = pooled_cohort_ascvd_10y(in);
  EXPECT_FALSE(r.risk.has_value());
  EXPECT_FALSE(r.linear_predictor.has_value());
  EXPECT_EQ(r.missing, (std::vector<std::string>{"hdl_cholesterol_mg_dl", "sex", "diabetes"}));

  PooledCohortInput unknown_race = guideline_example(Sex::female, Race::unknown);
  EXPECT_EQ(pooled_cohort_ascvd_10y(unknown_race).missing, std::vector<std::string>{"race"});
}

TEST(PooledCohortTest, ValuesOutsideTheDerivationRangesAreFlaggedNotClamped) {
  PooledCohortInput in = guideline_example(Sex::female, Race::white);
  in.age_years = 35;
  in.total_cholesterol_mg_dl = 340;
  const RiskResult r = pooled_cohort_ascvd_10y(in);
  ASSERT_TRUE(r.risk.has_value());
  ASSERT_EQ(r.outside_derivation.size(), 2u);
  EXPECT_TRUE(contains(r.outside_derivation, "age_years 35 y is outside 40–79 y"));
  EXPECT_TRUE(contains(r.outside_derivation, "total_cholesterol_mg_dl 340 mg/dL is outside 130–320 mg/dL"));
  // Not clamped: the flagged risk differs from the one at the range's edge.
  PooledCohortInput edge = in;
  edge.age_years = 40;
  edge.total_cholesterol_mg_dl = 320;
  EXPECT_NE(*r.risk, *pooled_cohort_ascvd_10y(edge).risk);

  for (double sbp : {85.0, 205.0}) {
    PooledCohortInput bp = guideline_example(Sex::male, Race::white);
    bp.systolic_bp_mmhg = sbp;
    EXPECT_TRUE(contains(pooled_cohort_ascvd_10y(bp).outside_derivation, "systolic_bp_mmhg"));
  }
  PooledCohortInput hdl = guideline_example(Sex::male, Race::white);
  hdl.hdl_cholesterol_mg_dl = 15;
  EXPECT_TRUE(contains(pooled_cohort_ascvd_10y(hdl).outside_derivation, "hdl_cholesterol_mg_dl"));
}

TEST(PooledCohortTest, ImpossibleValuesThrowNamingTheField) {
  PooledCohortInput in = guideline_example(Sex::female, Race::white);
  in.hdl_cholesterol_mg_dl = 0;
  try {
    pooled_cohort_ascvd_10y(in);
    FAIL() << "HDL 0 accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("hdl_cholesterol_mg_dl"), std::string::npos) << e.what();
  }
  in = guideline_example(Sex::female, Race::white);
  in.systolic_bp_mmhg = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(pooled_cohort_ascvd_10y(in), Error);
  // Checked even when other inputs are missing.
  in.sex = Sex::unknown;
  EXPECT_THROW(pooled_cohort_ascvd_10y(in), Error);
}

TEST(PooledCohortTest, RiskRisesWithAgeBloodPressureAndSmoking) {
  // On the guideline's example profile, for every equation. (The equations
  // are not monotone everywhere: at 79 the white men's smoking term,
  // 7.837 − 1.795·ln 79, is −0.006 — see the model card.)
  for (Sex sex : {Sex::female, Sex::male}) {
    for (Race race : {Race::white, Race::african_american}) {
      const PooledCohortInput base = guideline_example(sex, race);
      double previous = 0;
      for (int age = 40; age <= 79; ++age) {
        PooledCohortInput in = base;
        in.age_years = age;
        const double risk = *pooled_cohort_ascvd_10y(in).risk;
        EXPECT_GT(risk, previous) << "age " << age;
        previous = risk;
      }
      previous = 0;
      for (int sbp = 90; sbp <= 200; sbp += 5) {
        PooledCohortInput in = base;
        in.systolic_bp_mmhg = sbp;
        const double risk = *pooled_cohort_ascvd_10y(in).risk;
        EXPECT_GT(risk, previous) << "SBP " << sbp;
        previous = risk;
      }
      PooledCohortInput smoker = base;
      smoker.current_smoker = true;
      EXPECT_GT(*pooled_cohort_ascvd_10y(smoker).risk, *pooled_cohort_ascvd_10y(base).risk);
      PooledCohortInput treated = base;
      treated.treated_hypertension = true;
      EXPECT_GT(*pooled_cohort_ascvd_10y(treated).risk, *pooled_cohort_ascvd_10y(base).risk);
    }
  }
}

TEST(RiskScoreUnitsTest, CholesterolInMmolPerLitreGivesTheSameRisk) {
  // 213 mg/dL entered in mmol/L gives the guideline's example back.
  PooledCohortInput in = guideline_example(Sex::male, Race::white);
  in.total_cholesterol_mg_dl = *convert_cholesterol(213 / 38.665, "mmol/L", "mg/dL");
  EXPECT_NEAR(*pooled_cohort_ascvd_10y(in).risk,
              *pooled_cohort_ascvd_10y(guideline_example(Sex::male, Race::white)).risk, 1e-12);
}

// ---------------------------------------------------------------------------
// CHARGE-AF

ChargeAfInput charge_profile() {
  // 65 y, white, 170 cm, 80 kg, 140/80 mmHg, on antihypertensives, nothing else.
  ChargeAfInput in;
  in.race = Race::white;
  in.age_years = 65;
  in.height_cm = 170;
  in.weight_kg = 80;
  in.systolic_bp_mmhg = 140;
  in.diastolic_bp_mmhg = 80;
  in.current_smoker = false;
  in.antihypertensive_medication = true;
  in.diabetes = false;
  in.heart_failure = false;
  in.myocardial_infarction = false;
  return in;
}

TEST(ChargeAfTest, MatchesHandComputations) {
  // 0.508·65/5 + 0.465 + 0.248·170/10 + 0.115·80/15 + 0.197·140/20
  //   − 0.101·80/10 + 0.349 = 12.8183333; 1 − 0.9718412736^exp(12.8183333 − 12.58156).
  const RiskResult r = charge_af_5y(charge_profile());
  ASSERT_TRUE(r.risk.has_value());
  EXPECT_EQ(r.horizon_years, 5);
  EXPECT_TRUE(r.outside_derivation.empty());
  EXPECT_NEAR(*r.linear_predictor, 12.8183333333, 1e-9);
  EXPECT_NEAR(*r.risk, 0.0355462937, float_tolerance);

  // 72 y, African American, 160 cm, 95 kg, 150/90, smoker, diabetes, heart
  // failure and myocardial infarction, no antihypertensives.
  ChargeAfInput in = charge_profile();
  in.race = Race::african_american;
  in.age_years = 72;
  in.height_cm = 160;
  in.weight_kg = 95;
  in.systolic_bp_mmhg = 150;
  in.diastolic_bp_mmhg = 90;
  in.current_smoker = true;
  in.antihypertensive_medication = false;
  in.diabetes = true;
  in.heart_failure = true;
  in.myocardial_infarction = true;
  const RiskResult high = charge_af_5y(in);
  EXPECT_NEAR(*high.linear_predictor, 14.3730333333, 1e-9);
  EXPECT_NEAR(*high.risk, 0.1574545652, float_tolerance);
}

TEST(ChargeAfTest, AtTheCohortMeanTheRiskIsOneMinusBaselineSurvival) {
  // Shift height so the linear predictor lands on the published mean 12.58156:
  // there the 5-year risk is 1 − 0.9718412736 by the formula's definition.
  ChargeAfInput in = charge_profile();
  const double lp = *charge_af_5y(in).linear_predictor;
  in.height_cm = *in.height_cm - (lp - 12.58156) / 0.248 * 10;
  const RiskResult r = charge_af_5y(in);
  EXPECT_NEAR(*r.linear_predictor, 12.58156, 1e-9);
  EXPECT_NEAR(*r.risk, 1 - 0.9718412736, 1e-9);
}

TEST(ChargeAfTest, MissingInputsAreNamed) {
  ChargeAfInput in = charge_profile();
  in.race = Race::unknown;
  in.weight_kg.reset();
  in.heart_failure.reset();
  const RiskResult r = charge_af_5y(in);
  EXPECT_FALSE(r.risk.has_value());
  EXPECT_EQ(r.missing, (std::vector<std::string>{"weight_kg", "race", "heart_failure"}));
}

TEST(ChargeAfTest, OutOfRangeIsFlaggedAndImpossibleValuesThrow) {
  ChargeAfInput in = charge_profile();
  in.age_years = 40;
  const RiskResult young = charge_af_5y(in);
  ASSERT_TRUE(young.risk.has_value());
  EXPECT_TRUE(contains(young.outside_derivation, "age_years 40 y is outside 46–94 y"));
  in = charge_profile();
  in.race = Race::other;
  EXPECT_TRUE(contains(charge_af_5y(in).outside_derivation, "race"));
  in = charge_profile();
  in.height_cm = -170;
  EXPECT_THROW(charge_af_5y(in), Error);
}

TEST(ChargeAfTest, RiskRisesWithAgeBloodPressureSmokingAndHistory) {
  const double base = *charge_af_5y(charge_profile()).risk;
  double previous = 0;
  for (int age = 46; age <= 94; ++age) {
    ChargeAfInput in = charge_profile();
    in.age_years = age;
    const double risk = *charge_af_5y(in).risk;
    EXPECT_GT(risk, previous) << "age " << age;
    previous = risk;
  }
  ChargeAfInput in = charge_profile();
  in.systolic_bp_mmhg = 160;
  EXPECT_GT(*charge_af_5y(in).risk, base);
  in = charge_profile();
  in.current_smoker = true;
  EXPECT_GT(*charge_af_5y(in).risk, base);
  in = charge_profile();
  in.heart_failure = true;
  EXPECT_GT(*charge_af_5y(in).risk, base);
  // The published diastolic coefficient is negative (−0.101 per 10 mmHg).
  in = charge_profile();
  in.diastolic_bp_mmhg = 95;
  EXPECT_LT(*charge_af_5y(in).risk, base);
}

// ---------------------------------------------------------------------------
// PCP-HF

PcpHfInput pcp_profile(Sex sex, Race race) {
  // 60 y, treated SBP 135, untreated fasting glucose 110, TC 210, HDL 48,
  // BMI 29, smoker, QRS 100 ms.
  PcpHfInput in;
  in.sex = sex;
  in.race = race;
  in.age_years = 60;
  in.systolic_bp_mmhg = 135;
  in.treated_hypertension = true;
  in.fasting_glucose_mg_dl = 110;
  in.treated_glucose = false;
  in.total_cholesterol_mg_dl = 210;
  in.hdl_cholesterol_mg_dl = 48;
  in.bmi_kg_m2 = 29;
  in.current_smoker = true;
  in.qrs_duration_ms = 100;
  return in;
}

TEST(PcpHfTest, MatchesHandComputations) {
  struct Expected {
    Sex sex;
    Race race;
    double lp_a, risk_a, lp_b, risk_b;
  };
  const Expected expected[] = {
      {Sex::male, Race::white, 173.8204769420, 0.1102798970, 171.1231282992, 0.0078427857},
      {Sex::female, Race::white, 102.1631681073, 0.0716828113, 99.5837302660, 0.0056235052},
      {Sex::male, Race::african_american, 30.6439825551, 0.1093419592, 28.3158952729, 0.0112244342},
      {Sex::female, Race::african_american, 236.2698573042, 0.0708476953, 234.3152760274, 0.0103529195}};
  for (const auto& e : expected) {
    const RiskResult a = pcp_hf_10y(pcp_profile(e.sex, e.race));
    SCOPED_TRACE(a.equation);
    ASSERT_TRUE(a.risk.has_value());
    EXPECT_EQ(a.horizon_years, 10);
    EXPECT_NEAR(*a.linear_predictor, e.lp_a, float_tolerance);
    EXPECT_NEAR(*a.risk, e.risk_a, float_tolerance);
    // 48 y, untreated SBP 118, treated glucose 132, TC 185, HDL 61, BMI 24,
    // non-smoker, QRS 88 ms: the other branch of each treatment term.
    PcpHfInput b = pcp_profile(e.sex, e.race);
    b.age_years = 48;
    b.systolic_bp_mmhg = 118;
    b.treated_hypertension = false;
    b.fasting_glucose_mg_dl = 132;
    b.treated_glucose = true;
    b.total_cholesterol_mg_dl = 185;
    b.hdl_cholesterol_mg_dl = 61;
    b.bmi_kg_m2 = 24;
    b.current_smoker = false;
    b.qrs_duration_ms = 88;
    const RiskResult rb = pcp_hf_10y(b);
    EXPECT_NEAR(*rb.linear_predictor, e.lp_b, float_tolerance);
    EXPECT_NEAR(*rb.risk, e.risk_b, float_tolerance);
  }
}

TEST(PcpHfTest, ATypicalCohortMemberLandsNearThePublishedMeanSum) {
  // Sanity check of the transcribed coefficients against the published means
  // (a wrong digit in a large coefficient moves Σβx by whole units): a
  // 52-year-old (the derivation sample's mean age) with untreated SBP 125,
  // glucose 95, TC 205, HDL 50, BMI 27.5, non-smoker, QRS 92 ms should sit
  // within ±0.5 of each group's mean coefficient × value.
  const double published_mean[] = {171.59, 99.7321, 28.7369, 233.978};
  const std::pair<Sex, Race> groups[] = {{Sex::male, Race::white},
                                         {Sex::female, Race::white},
                                         {Sex::male, Race::african_american},
                                         {Sex::female, Race::african_american}};
  for (int g = 0; g < 4; ++g) {
    PcpHfInput in = pcp_profile(groups[g].first, groups[g].second);
    in.age_years = 52;
    in.systolic_bp_mmhg = 125;
    in.treated_hypertension = false;
    in.fasting_glucose_mg_dl = 95;
    in.total_cholesterol_mg_dl = 205;
    in.hdl_cholesterol_mg_dl = 50;
    in.bmi_kg_m2 = 27.5;
    in.current_smoker = false;
    in.qrs_duration_ms = 92;
    const RiskResult r = pcp_hf_10y(in);
    SCOPED_TRACE(r.equation);
    EXPECT_NEAR(*r.linear_predictor, published_mean[g], 0.5);
  }
}

TEST(PcpHfTest, OnlyTheInputsOfTheSelectedEquationAreRequired) {
  // African-American women: no HDL term; white women: no total-cholesterol term.
  PcpHfInput in = pcp_profile(Sex::female, Race::african_american);
  in.hdl_cholesterol_mg_dl.reset();
  EXPECT_TRUE(pcp_hf_10y(in).risk.has_value());
  in = pcp_profile(Sex::female, Race::white);
  in.total_cholesterol_mg_dl.reset();
  EXPECT_TRUE(pcp_hf_10y(in).risk.has_value());
  // White men use both.
  in = pcp_profile(Sex::male, Race::white);
  in.total_cholesterol_mg_dl.reset();
  in.qrs_duration_ms.reset();
  const RiskResult r = pcp_hf_10y(in);
  EXPECT_FALSE(r.risk.has_value());
  EXPECT_EQ(r.missing, (std::vector<std::string>{"total_cholesterol_mg_dl", "qrs_duration_ms"}));
  // Unknown sex: the equation is unknown, so both cholesterols are asked for.
  in = pcp_profile(Sex::unknown, Race::african_american);
  in.total_cholesterol_mg_dl.reset();
  in.hdl_cholesterol_mg_dl.reset();
  EXPECT_EQ(pcp_hf_10y(in).missing,
            (std::vector<std::string>{"sex", "total_cholesterol_mg_dl", "hdl_cholesterol_mg_dl"}));
}

TEST(PcpHfTest, OutOfRangeIsFlaggedAndImpossibleValuesThrow) {
  PcpHfInput in = pcp_profile(Sex::male, Race::white);
  in.age_years = 25;
  const RiskResult r = pcp_hf_10y(in);
  ASSERT_TRUE(r.risk.has_value());
  EXPECT_TRUE(contains(r.outside_derivation, "age_years 25 y is outside 30–79 y"));
  in = pcp_profile(Sex::male, Race::other);
  const RiskResult other = pcp_hf_10y(in);
  EXPECT_EQ(other.equation, "white men");
  EXPECT_TRUE(contains(other.outside_derivation, "race"));
  in = pcp_profile(Sex::male, Race::white);
  in.qrs_duration_ms = 0;
  EXPECT_THROW(pcp_hf_10y(in), Error);
  // Also for an input the selected equation does not use.
  in = pcp_profile(Sex::female, Race::white);
  in.total_cholesterol_mg_dl = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(pcp_hf_10y(in), Error);
}

TEST(PcpHfTest, RiskRisesWithAgeBloodPressureSmokingGlucoseAndQrs) {
  for (Sex sex : {Sex::female, Sex::male}) {
    for (Race race : {Race::white, Race::african_american}) {
      const PcpHfInput base = pcp_profile(sex, race);
      const double base_risk = *pcp_hf_10y(base).risk;
      SCOPED_TRACE(pcp_hf_10y(base).equation);
      double previous = 0;
      for (int age = 30; age <= 79; ++age) {
        PcpHfInput in = base;
        in.age_years = age;
        const double risk = *pcp_hf_10y(in).risk;
        EXPECT_GT(risk, previous) << "age " << age;
        previous = risk;
      }
      PcpHfInput in = base;
      in.systolic_bp_mmhg = 160;
      EXPECT_GT(*pcp_hf_10y(in).risk, base_risk);
      in = base;
      in.current_smoker = false;
      EXPECT_LT(*pcp_hf_10y(in).risk, base_risk);
      in = base;
      in.fasting_glucose_mg_dl = 160;
      EXPECT_GT(*pcp_hf_10y(in).risk, base_risk);
      in = base;
      in.qrs_duration_ms = 130;
      EXPECT_GT(*pcp_hf_10y(in).risk, base_risk);
    }
  }
}

}  // namespace
}  // namespace medtwin::cardio
