#include "medtwin/twin/risk_inputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/units.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// ---- code lists (docs/risk.md; none is exhaustive) ----

// Smoking-status answers (LOINC 72166-2): the US Core smoking-status value set
// (SNOMED CT, US Core STU3.1.1 ValueSet us-core-observation-smokingstatus), the
// HL7 IPS current-smoking-status value set (adds 230063004, 230060001) and the
// LOINC answer list LL2201-3 of the same eight answers.
struct Answer {
  std::string_view code;
  std::string_view display;
};
constexpr std::array<Answer, 12> kCurrentSmoker{{
    {"449868002", "Current every day smoker"},
    {"428041000124106", "Current some day smoker"},
    {"77176002", "Smoker, current status unknown"},
    {"428071000124103", "Current heavy tobacco smoker"},
    {"428061000124105", "Current light tobacco smoker"},
    {"230063004", "Heavy cigarette smoker"},  // IPS
    {"230060001", "Light cigarette smoker"},  // IPS
    {"LA18976-3", "Current every day smoker"},
    {"LA18977-1", "Current some day smoker"},
    {"LA18979-7", "Smoker, current status unknown"},
    {"LA18981-3", "Heavy tobacco smoker"},
    {"LA18982-1", "Light tobacco smoker"},
}};
constexpr std::array<Answer, 5> kNotSmoker{{
    {"8517006", "Former smoker"},
    {"266919005", "Never smoker"},
    {"8392000", "Non-smoker"},
    {"LA15920-4", "Former smoker"},
    {"LA18978-9", "Never smoker"},
}};

// A condition: SNOMED CT concepts (the parent and the descendants common in
// records, e.g. those Synthea writes), ICD-10 / ICD-10-CM category prefixes,
// and words matched in the display text of any record.
struct ConditionList {
  std::vector<std::string_view> snomed;
  std::vector<std::string_view> icd10_prefixes;
  std::vector<std::string_view> words;
  std::vector<std::string_view> not_words;  // a display with one of these is not the condition
};

const ConditionList& diabetes_codes() {
  static const ConditionList list{
      {"73211009",          // Diabetes mellitus
       "46635009",          // Type 1 diabetes mellitus
       "44054006",          // Type 2 diabetes mellitus
       "8801005",           // Secondary diabetes mellitus
       "237599002",         // Insulin treated type 2 diabetes mellitus
       "81531005",          // Type 2 diabetes mellitus in obese
       "359642000",         // Type 2 diabetes mellitus in nonobese
       "127013003",         // Disorder of kidney due to diabetes mellitus
       "422034002",         // Retinopathy due to type 2 diabetes mellitus
       "1551000119108",     // Nonproliferative retinopathy due to type 2 diabetes mellitus
       "368581000119106",   // Neuropathy due to type 2 diabetes mellitus
       "90781000119102",    // Microalbuminuria due to type 2 diabetes mellitus
       "157141000119108",   // Proteinuria due to type 2 diabetes mellitus
       "97331000119101"},   // Macular edema and retinopathy due to type 2 diabetes mellitus
      {"E10", "E11", "E12", "E13", "E14"},  // ICD-10 E10–E14 diabetes mellitus (E12, E14: WHO ICD-10 only)
      {"DIABETES MELLITUS", "TYPE 1 DIABETES", "TYPE 2 DIABETES", "DIABETIC"},
      {"PREDIABETES", "PRE-DIABETES", "GESTATIONAL", "INSIPIDUS", "NON-DIABETIC", "NONDIABETIC", "FAMILY HISTORY",
       "SCREENING", "RULE OUT"}};
  return list;
}
const ConditionList& heart_failure_codes() {
  static const ConditionList list{
      {"84114007",    // Heart failure
       "42343007",    // Congestive heart failure
       "88805009",    // Chronic congestive heart failure
       "48447003",    // Chronic heart failure
       "56675007",    // Acute heart failure
       "10633002",    // Acute congestive heart failure
       "85232009",    // Left heart failure
       "128404006",   // Right heart failure
       "703272007",   // Heart failure with reduced ejection fraction
       "446221000"},  // Heart failure with normal ejection fraction
      {"I50"},        // ICD-10 I50 heart failure
      {"HEART FAILURE", "CARDIAC FAILURE"},
      {"FAMILY HISTORY", "SCREENING", "RULE OUT", "AT RISK"}};
  return list;
}

const ConditionList& myocardial_infarction_codes() {
  static const ConditionList list{
      {"22298006",    // Myocardial infarction
       "57054005",    // Acute myocardial infarction
       "401303003",   // Acute ST segment elevation myocardial infarction
       "401314000",   // Acute non-ST segment elevation myocardial infarction
       "70422006",    // Acute subendocardial infarction
       "1755008",     // Old myocardial infarction
       "399211009",   // History of myocardial infarction
       "233843008"},  // Silent myocardial infarction
      {"I21", "I22", "I25.2", "I252"},  // acute MI, subsequent MI, old MI
      {"MYOCARDIAL INFARCTION", "HEART ATTACK", "STEMI", "NSTEMI"},
      {"FAMILY HISTORY", "SCREENING", "RULE OUT"}};
  return list;
}

// A drug class by RxNorm ingredient (RXCUI of term type IN) and name. Records
// usually carry a clinical drug (SCD, e.g. 316049 "Hydrochlorothiazide 25 MG
// Oral Tablet"), not the ingredient, so the name in the display is what
// matches most records; brand names are not listed.
struct Ingredient {
  std::string_view rxcui;
  std::string_view name;  // upper case, as matched in displays
};

// Blood-pressure-lowering drugs: ACE inhibitors, angiotensin-receptor blockers,
// thiazide and thiazide-like diuretics, calcium-channel blockers, beta
// blockers, mineralocorticoid-receptor antagonists, loop diuretics, alpha
// blockers, central alpha-2 agonists and direct vasodilators — the classes of
// the 2017 ACC/AHA high blood pressure guideline's oral antihypertensive table
// (Whelton et al., Hypertension 71:e13, Table 18).
constexpr std::array<Ingredient, 42> kAntihypertensives{{
    {"18867", "BENAZEPRIL"}, {"1998", "CAPTOPRIL"}, {"3827", "ENALAPRIL"}, {"50166", "FOSINOPRIL"},
    {"29046", "LISINOPRIL"}, {"30131", "MOEXIPRIL"}, {"54552", "PERINDOPRIL"}, {"35208", "QUINAPRIL"},
    {"35296", "RAMIPRIL"}, {"38454", "TRANDOLAPRIL"},  // ACE inhibitors
    {"1091643", "AZILSARTAN"}, {"214354", "CANDESARTAN"}, {"83515", "EPROSARTAN"}, {"83818", "IRBESARTAN"},
    {"52175", "LOSARTAN"}, {"321064", "OLMESARTAN"}, {"73494", "TELMISARTAN"}, {"69749", "VALSARTAN"},  // ARBs
    {"2409", "CHLORTHALIDONE"}, {"5487", "HYDROCHLOROTHIAZIDE"}, {"5764", "INDAPAMIDE"},
    {"6916", "METOLAZONE"},  // thiazides
    {"17767", "AMLODIPINE"}, {"4316", "FELODIPINE"}, {"7417", "NIFEDIPINE"}, {"3443", "DILTIAZEM"},
    {"11170", "VERAPAMIL"},  // calcium-channel blockers
    {"1202", "ATENOLOL"}, {"19484", "BISOPROLOL"}, {"20352", "CARVEDILOL"}, {"6185", "LABETALOL"},
    {"6918", "METOPROLOL"}, {"31555", "NEBIVOLOL"}, {"8787", "PROPRANOLOL"},  // beta blockers
    {"9997", "SPIRONOLACTONE"}, {"298869", "EPLERENONE"},                    // MRAs
    {"4603", "FUROSEMIDE"}, {"1808", "BUMETANIDE"}, {"38413", "TORSEMIDE"},  // loop diuretics
    {"49276", "DOXAZOSIN"}, {"2599", "CLONIDINE"}, {"5470", "HYDRALAZINE"},  // alpha blocker, central, vasodilator
}};

// Glucose-lowering drugs: biguanide, sulfonylureas, glinides, thiazolidinediones,
// DPP-4 inhibitors, GLP-1 receptor agonists, SGLT2 inhibitors, alpha-glucosidase
// inhibitor and insulins (ADA Standards of Care, Pharmacologic Approaches to
// Glycemic Treatment).
constexpr std::array<Ingredient, 23> kGlucoseLowering{{
    {"6809", "METFORMIN"},
    {"4821", "GLIPIZIDE"}, {"4815", "GLYBURIDE"}, {"25789", "GLIMEPIRIDE"}, {"73044", "REPAGLINIDE"},
    {"274332", "NATEGLINIDE"},
    {"33738", "PIOGLITAZONE"}, {"84108", "ROSIGLITAZONE"},
    {"593411", "SITAGLIPTIN"}, {"857974", "SAXAGLIPTIN"}, {"1100699", "LINAGLIPTIN"}, {"1368001", "ALOGLIPTIN"},
    {"475968", "LIRAGLUTIDE"}, {"60548", "EXENATIDE"}, {"1551291", "DULAGLUTIDE"}, {"1991302", "SEMAGLUTIDE"},
    {"2601723", "TIRZEPATIDE"},
    {"1545653", "EMPAGLIFLOZIN"}, {"1488564", "DAPAGLIFLOZIN"}, {"1373458", "CANAGLIFLOZIN"},
    {"16681", "ACARBOSE"},
    {"274783", "INSULIN GLARGINE"}, {"", "INSULIN"},  // every insulin by name
}};

// ---- helpers ----

std::string day_text(Instant t) {
  const year_month_day d{floor<days>(t)};
  return fmt::format("{:04}-{:02}-{:02}", int(d.year()), unsigned(d.month()), unsigned(d.day()));
}

bool contains(std::string_view text, std::string_view word) { return text.find(word) != std::string_view::npos; }

template <std::size_t N>
const Answer* listed(const std::array<Answer, N>& list, std::string_view code) {
  for (const auto& a : list)
    if (a.code == code) return &a;
  return nullptr;
}

bool is_icd10(std::string_view system) {
  return contains(system, "icd-10") || contains(system, "icd10");
}

std::string code_text(const Code& c) {
  if (c.code.empty()) return c.display;
  return c.display.empty() ? c.code : c.code + " " + c.display;
}

// By code, else by the words of the display: a descendant concept the list
// lacks ("Type 2 diabetes mellitus with …") still names the condition.
bool matches(const ConditionList& list, const Code& code) {
  if (code.system == systems::snomed &&
      std::find(list.snomed.begin(), list.snomed.end(), code.code) != list.snomed.end())
    return true;
  if (is_icd10(code.system)) {
    const std::string icd = to_upper(code.code);
    if (std::any_of(list.icd10_prefixes.begin(), list.icd10_prefixes.end(),
                    [&](std::string_view p) { return icd.rfind(p, 0) == 0; }))
      return true;
  }
  const std::string display = to_upper(code.display);
  auto has = [&](std::string_view w) { return contains(display, w); };
  return std::any_of(list.words.begin(), list.words.end(), has) &&
         std::none_of(list.not_words.begin(), list.not_words.end(), has);
}

template <std::size_t N>
const Ingredient* ingredient_of(const std::array<Ingredient, N>& list, const Code& code) {
  if (code.system == systems::rxnorm)
    for (const auto& i : list)
      if (!i.rxcui.empty() && i.rxcui == code.code) return &i;
  const std::string display = to_upper(code.display);
  for (const auto& i : list)
    if (contains(display, i.name)) return &i;
  return nullptr;
}

std::string detail(const Event& e, const char* key) {
  const auto details = nlohmann::json::parse(e.details_json, nullptr, false);
  if (!details.is_object() || !details.contains(key) || !details[key].is_string()) return "";
  return details[key].get<std::string>();
}

// Refuted or entered in error: not the person's condition at all.
bool refuted(const Event& e) {
  const std::string v = detail(e, "verificationStatus");
  return v == "refuted" || v == "entered-in-error";
}

// Whether a condition still holds at `as_of` (for diabetes; heart failure and MI count as history).
bool active(const Event& e, Instant as_of) {
  const std::string s = detail(e, "clinicalStatus");
  if (s == "inactive" || s == "resolved" || s == "remission") return false;
  return !e.end || *e.end > as_of;
}

// Whether a medication is taken at `as_of`: started, not ended, not stopped.
bool current(const Event& e, Instant as_of) {
  const std::string s = detail(e, "status");
  if (s == "stopped" || s == "cancelled" || s == "entered-in-error" || s == "not-taken" || s == "on-hold" ||
      s == "draft")
    return false;
  if (e.end) return *e.end >= as_of;
  return s != "completed";
}

RiskInput number(double value, std::string unit, std::string source) {
  return RiskInput{value, std::move(unit), std::move(source)};
}
RiskInput yes_no(bool value, std::string source, bool assumed = false) {
  return RiskInput{value, "", std::move(source), assumed};
}

std::string observation_source(const Observation& o) {
  std::string s = fmt::format("observation {}, LOINC {}", day_text(o.start), o.code.code);
  if (!o.source.empty()) s += " (" + o.source + ")";
  return s;
}

// ---- observations ----

struct Wanted {
  Metric metric;
  const char* field;
  const char* label;
  std::chrono::days look_back;  // 0: no limit
};

// The observation's value in the metric's unit (glucose and cholesterol also from mmol/L).
std::optional<double> in_metric_unit(const Observation& o, const Metric& m) {
  if (!o.value) return std::nullopt;
  return to_metric_unit(*o.value, o.unit, m);
}

// The latest usable value of `w` within its look-back before `as_of`.
const Observation* latest(const std::vector<Observation>& obs, const Wanted& w, Instant as_of,
                          std::vector<std::string>& notes, std::optional<double>& value) {
  const Observation* best = nullptr;
  for (const auto& o : obs) {
    if (!(o.code == w.metric.code) || o.start > as_of) continue;
    if (w.look_back.count() > 0 && o.start < as_of - w.look_back) continue;
    if (best && o.start < best->start) continue;
    auto v = in_metric_unit(o, w.metric);
    if (!v) {
      notes.push_back(fmt::format("{} of {} '{}' on {}: unit not understood, not used", w.label,
                                  o.value ? fmt::format("{:g}", *o.value) : "(no value)", o.unit, day_text(o.start)));
      continue;
    }
    best = &o, value = v;
  }
  return best;
}

std::optional<double> age_years(const PersonRecord& p, Instant as_of) {
  if (!p.birth_date) return std::nullopt;
  const year_month_day today{floor<days>(as_of)};
  const auto& born = *p.birth_date;
  int age = int(today.year()) - int(born.year());
  if (today.month() < born.month() || (today.month() == born.month() && today.day() < born.day())) --age;
  return age;
}

void add_numbers(RiskInputs& in, const std::vector<Observation>& obs) {
  const Wanted wanted[] = {
      {metrics::total_cholesterol(), "total_cholesterol_mg_dl", "total cholesterol", kLabLookBack},
      {metrics::hdl_cholesterol(), "hdl_cholesterol_mg_dl", "HDL cholesterol", kLabLookBack},
      {metrics::fasting_glucose(), "fasting_glucose_mg_dl", "fasting glucose", kLabLookBack},
      {metrics::systolic_bp(), "systolic_bp_mmhg", "systolic blood pressure", kVitalsLookBack},
      {metrics::diastolic_bp(), "diastolic_bp_mmhg", "diastolic blood pressure", kVitalsLookBack},
      {metrics::qrs_duration(), "qrs_duration_ms", "QRS duration", kLabLookBack},
      {metrics::body_height(), "height_cm", "height", days{0}},
      {metrics::body_weight(), "weight_kg", "weight", kVitalsLookBack},
  };
  for (const auto& w : wanted) {
    std::optional<double> v;
    if (const auto* o = latest(obs, w, in.as_of, in.notes, v))
      in.values[w.field] = number(*v, display_unit(w.metric.unit), observation_source(*o));
  }
  // BMI: computed from the latest weight and height unless a stored BMI is more recent.
  std::optional<double> bmi, weight, height;
  const auto* stored = latest(obs, {metrics::body_mass_index(), "bmi_kg_m2", "BMI", kVitalsLookBack}, in.as_of, in.notes, bmi);
  const auto* w = latest(obs, {metrics::body_weight(), "", "weight", kVitalsLookBack}, in.as_of, in.notes, weight);
  const auto* h = latest(obs, {metrics::body_height(), "", "height", days{0}}, in.as_of, in.notes, height);
  if (w && h && (!stored || w->start >= stored->start) && *height > 0) {
    const double m = *height / 100;  // cm → m
    in.values["bmi_kg_m2"] = number(*weight / (m * m), "kg/m2",
                                    fmt::format("computed from weight ({}) and height ({})", day_text(w->start), day_text(h->start)));
  } else if (stored) {
    in.values["bmi_kg_m2"] = number(*bmi, "kg/m2", observation_source(*stored));
  }
}

// The same notes appear once per query of a metric (BMI reuses weight and height).
void dedupe(std::vector<std::string>& notes) {
  std::vector<std::string> out;
  for (auto& n : notes)
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(std::move(n));
  notes = std::move(out);
}

void add_smoking(RiskInputs& in, const std::vector<Observation>& obs) {
  const Code code = metrics::smoking_status().code;
  const Observation* best = nullptr;
  for (const auto& o : obs) {
    if (!(o.code == code) || !o.value_code || o.start > in.as_of || o.start < in.as_of - kVitalsLookBack) continue;
    if (!best || o.start >= best->start) best = &o;
  }
  if (!best) return;
  const Code& answer = *best->value_code;
  auto source = [&](const Answer* a) {
    Code shown = *best->value_code;
    if (a && shown.display.empty()) shown.display = std::string(a->display);
    return observation_source(*best) + ": " + code_text(shown);
  };
  if (const auto* a = listed(kCurrentSmoker, answer.code)) in.values["current_smoker"] = yes_no(true, source(a));
  else if (const auto* b = listed(kNotSmoker, answer.code)) in.values["current_smoker"] = yes_no(false, source(b));
  else in.notes.push_back("smoking status " + source(nullptr) + " does not say whether the person smokes now: not used");
}

void add_non_fasting_glucose_notes(RiskInputs& in, const std::vector<Observation>& obs) {
  if (in.values.count("fasting_glucose_mg_dl")) return;
  for (const auto& o : obs) {
    const bool glucose = o.code.system == systems::loinc && (o.code.code == "2345-7" || o.code.code == "2339-0" ||
                                                            o.code == metrics::blood_glucose().code);
    if (!glucose || !o.value || o.start > in.as_of || o.start < in.as_of - kLabLookBack) continue;
    in.notes.push_back(fmt::format("glucose {:.0f} {} on {} (LOINC {}) is not known to be fasting: not used as fasting glucose",
                                   *o.value, o.unit, day_text(o.start), o.code.code));
  }
}

void add_condition(RiskInputs& in, const std::vector<Event>& conditions, const char* field, const ConditionList& list,
                   bool history_counts, const char* what) {
  std::size_t on_record = 0;
  for (const auto& e : conditions) {
    if (e.start > in.as_of || refuted(e)) continue;
    ++on_record;
    if (!matches(list, e.code) || (!history_counts && !active(e, in.as_of))) continue;
    in.values[field] = yes_no(true, fmt::format("condition {}, since {}", code_text(e.code), day_text(e.start)));
    return;
  }
  if (on_record > 0)
    in.values[field] = yes_no(false, fmt::format("no {} among the person's {} condition records", what, on_record), true);
}

template <std::size_t N>
void add_medication(RiskInputs& in, const std::vector<Event>& medications, const char* field,
                    const std::array<Ingredient, N>& list, const char* what) {
  std::size_t on_record = 0;
  for (const auto& e : medications) {
    if (e.start > in.as_of) continue;
    ++on_record;
    const auto* ingredient = ingredient_of(list, e.code);
    if (!ingredient || !current(e, in.as_of)) continue;
    in.values[field] = yes_no(true, fmt::format("medication {}, since {}", code_text(e.code), day_text(e.start)));
    return;
  }
  if (on_record > 0)
    in.values[field] = yes_no(false, fmt::format("no current {} among the person's {} medication records", what, on_record), true);
}

void add_insulin(RiskInputs& in, const std::vector<Event>& insulin) {
  const Event* last = nullptr;
  for (const auto& e : insulin)
    if (e.start <= in.as_of && e.start >= in.as_of - kInsulinLookBack && (!last || e.start > last->start)) last = &e;
  if (last) in.values["treated_glucose"] = yes_no(true, fmt::format("insulin dose on {}", day_text(last->start)));
}

std::vector<Event> of_kind(const std::vector<Event>& events, std::string_view kind) {
  std::vector<Event> out;
  for (const auto& e : events)
    if (e.kind == kind) out.push_back(e);
  return out;
}

// ---- scores ----

const RiskInput* find(const RiskInputs& in, std::string_view field) {
  if (field == "antihypertensive_medication") field = "treated_hypertension";  // CHARGE-AF's name
  auto it = in.values.find(field);
  return it == in.values.end() ? nullptr : &it->second;
}

std::optional<double> number_of(const RiskInputs& in, std::string_view field) {
  const auto* v = find(in, field);
  if (!v || !std::holds_alternative<double>(v->value)) return std::nullopt;
  return std::get<double>(v->value);
}
std::optional<bool> flag_of(const RiskInputs& in, std::string_view field) {
  const auto* v = find(in, field);
  if (!v || !std::holds_alternative<bool>(v->value)) return std::nullopt;
  return std::get<bool>(v->value);
}
Sex sex_of(const RiskInputs& in) {
  const auto* v = find(in, "sex");
  return v && std::holds_alternative<std::string>(v->value) ? parse_sex(std::get<std::string>(v->value)) : Sex::unknown;
}
cardio::Race race_of(const RiskInputs& in) {
  const auto* v = find(in, "race");
  if (!v || !std::holds_alternative<std::string>(v->value)) return cardio::Race::unknown;
  for (auto r : {cardio::Race::white, cardio::Race::african_american, cardio::Race::other})
    if (to_string(r) == std::get<std::string>(v->value)) return r;
  return cardio::Race::unknown;
}

struct ScoreSpec {
  const char* id;
  const char* name;
  const char* outcome;
  std::vector<std::string_view> fields;
  cardio::RiskResult (*compute)(const RiskInputs&);
};

cardio::RiskResult pce(const RiskInputs& in) {
  cardio::PooledCohortInput x;
  x.sex = sex_of(in), x.race = race_of(in), x.age_years = number_of(in, "age_years");
  x.total_cholesterol_mg_dl = number_of(in, "total_cholesterol_mg_dl");
  x.hdl_cholesterol_mg_dl = number_of(in, "hdl_cholesterol_mg_dl");
  x.systolic_bp_mmhg = number_of(in, "systolic_bp_mmhg");
  x.treated_hypertension = flag_of(in, "treated_hypertension");
  x.current_smoker = flag_of(in, "current_smoker"), x.diabetes = flag_of(in, "diabetes");
  return cardio::pooled_cohort_ascvd_10y(x);
}

cardio::RiskResult charge_af(const RiskInputs& in) {
  cardio::ChargeAfInput x;
  x.race = race_of(in), x.age_years = number_of(in, "age_years");
  x.height_cm = number_of(in, "height_cm"), x.weight_kg = number_of(in, "weight_kg");
  x.systolic_bp_mmhg = number_of(in, "systolic_bp_mmhg"), x.diastolic_bp_mmhg = number_of(in, "diastolic_bp_mmhg");
  x.current_smoker = flag_of(in, "current_smoker");
  x.antihypertensive_medication = flag_of(in, "antihypertensive_medication");
  x.diabetes = flag_of(in, "diabetes"), x.heart_failure = flag_of(in, "heart_failure");
  x.myocardial_infarction = flag_of(in, "myocardial_infarction");
  return cardio::charge_af_5y(x);
}

cardio::RiskResult pcp_hf(const RiskInputs& in) {
  cardio::PcpHfInput x;
  x.sex = sex_of(in), x.race = race_of(in), x.age_years = number_of(in, "age_years");
  x.systolic_bp_mmhg = number_of(in, "systolic_bp_mmhg");
  x.treated_hypertension = flag_of(in, "treated_hypertension");
  x.fasting_glucose_mg_dl = number_of(in, "fasting_glucose_mg_dl");
  x.treated_glucose = flag_of(in, "treated_glucose");
  x.total_cholesterol_mg_dl = number_of(in, "total_cholesterol_mg_dl");
  x.hdl_cholesterol_mg_dl = number_of(in, "hdl_cholesterol_mg_dl");
  x.bmi_kg_m2 = number_of(in, "bmi_kg_m2"), x.current_smoker = flag_of(in, "current_smoker");
  x.qrs_duration_ms = number_of(in, "qrs_duration_ms");
  return cardio::pcp_hf_10y(x);
}

const std::vector<ScoreSpec>& score_specs() {
  static const std::vector<ScoreSpec> specs{
      {"pce", "Pooled Cohort Equations", "first hard ASCVD event (heart attack, coronary death, stroke)",
       {"sex", "race", "age_years", "total_cholesterol_mg_dl", "hdl_cholesterol_mg_dl", "systolic_bp_mmhg",
        "treated_hypertension", "current_smoker", "diabetes"},
       pce},
      {"charge_af", "CHARGE-AF", "atrial fibrillation",
       {"race", "age_years", "height_cm", "weight_kg", "systolic_bp_mmhg", "diastolic_bp_mmhg", "current_smoker",
        "antihypertensive_medication", "diabetes", "heart_failure", "myocardial_infarction"},
       charge_af},
      {"pcp_hf", "PCP-HF", "heart failure",
       {"sex", "race", "age_years", "systolic_bp_mmhg", "treated_hypertension", "fasting_glucose_mg_dl",
        "treated_glucose", "total_cholesterol_mg_dl", "hdl_cholesterol_mg_dl", "bmi_kg_m2", "current_smoker",
        "qrs_duration_ms"},
       pcp_hf},
  };
  return specs;
}

struct FieldText {
  std::string_view field, label, supply;
};

constexpr FieldText kFields[] = {
    {"sex", "sex", "the person's sex in their record (e.g. FHIR Patient.gender)"},
    {"race", "race", "--race white|african-american|other (never stored)"},
    {"age_years", "age", "a birth date in the person's record (e.g. FHIR Patient.birthDate)"},
    {"total_cholesterol_mg_dl", "total cholesterol", "a total cholesterol result (LOINC 2093-3) of the last 5 years"},
    {"hdl_cholesterol_mg_dl", "HDL cholesterol", "an HDL cholesterol result (LOINC 2085-9) of the last 5 years"},
    {"systolic_bp_mmhg", "systolic blood pressure",
     "a blood pressure reading (LOINC 8480-6, or a panel 85354-9/55284-4) of the last 2 years"},
    {"diastolic_bp_mmhg", "diastolic blood pressure",
     "a blood pressure reading (LOINC 8462-4, or a panel 85354-9/55284-4) of the last 2 years"},
    {"fasting_glucose_mg_dl", "fasting glucose", "a fasting glucose result (LOINC 1558-6) of the last 5 years"},
    {"height_cm", "height", "a height measurement (LOINC 8302-2)"},
    {"weight_kg", "weight", "a weight measurement (LOINC 29463-7) of the last 2 years"},
    {"bmi_kg_m2", "BMI", "a BMI (LOINC 39156-5) or weight of the last 2 years and a height"},
    {"qrs_duration_ms", "QRS duration",
     "a QRS duration (LOINC 8633-0) of the last 5 years, e.g. from `medtwin ecg FILE --person PERSON`"},
    {"current_smoker", "current smoker", "--smoker yes|no, or a smoking status (LOINC 72166-2) of the last 2 years"},
    {"treated_hypertension", "on blood-pressure medication",
     "--treated-hypertension yes|no, or the person's medication records"},
    {"antihypertensive_medication", "on blood-pressure medication",
     "--treated-hypertension yes|no, or the person's medication records"},
    {"treated_glucose", "on glucose-lowering medication",
     "--treated-glucose yes|no, or the person's medication (or insulin) records"},
    {"diabetes", "diabetes", "--diabetes yes|no, or the person's condition records"},
    {"heart_failure", "heart failure (history)", "--heart-failure yes|no, or the person's condition records"},
    {"myocardial_infarction", "myocardial infarction (history)",
     "--myocardial-infarction yes|no, or the person's condition records"},
};

const FieldText* field_text(std::string_view field) {
  for (const auto& f : kFields)
    if (f.field == field) return &f;
  return nullptr;
}

// The PCE and PCP-HF were derived on people free of cardiovascular disease
// (Goff et al. 2013; Khan et al. 2019): after an MI (or, for PCP-HF, with heart
// failure already) they do not apply. Flagged like any input outside the
// derivation population; the number is still shown.
void flag_prior_disease(RiskScore& s, const RiskInputs& in) {
  if (s.id == "charge_af") return;
  if (flag_of(in, "myocardial_infarction").value_or(false))
    s.result.outside_derivation.push_back(
        "myocardial_infarction: derived on people without cardiovascular disease; does not apply after a myocardial "
        "infarction");
  if (s.id == "pcp_hf" && flag_of(in, "heart_failure").value_or(false))
    s.result.outside_derivation.push_back("heart_failure: predicts new heart failure; the person already has it");
}

void set(RiskInputs& in, const std::string& field, RiskInput value) {
  value.from_command_line = true;
  if (auto it = in.values.find(field); it != in.values.end() && !it->second.from_command_line)
    in.overridden.push_back({field, it->second});
  in.values[field] = std::move(value);
}

}  // namespace

std::string_view to_string(cardio::Race race) {
  switch (race) {
    case cardio::Race::white: return "white";
    case cardio::Race::african_american: return "african-american";
    case cardio::Race::other: return "other";
    case cardio::Race::unknown: break;
  }
  return "unknown";
}

std::string_view risk_input_label(std::string_view field) {
  const auto* f = field_text(field);
  return f ? f->label : field;
}

std::string_view risk_input_supply(std::string_view field) {
  const auto* f = field_text(field);
  return f ? f->supply : std::string_view{};
}

RiskInputs risk_inputs_from_records(const PersonRecord& person, const std::vector<Observation>& observations,
                                    const std::vector<Event>& events, Instant as_of) {
  RiskInputs in;
  in.person = person.name;
  in.as_of = as_of;
  if (person.sex == Sex::female || person.sex == Sex::male)
    in.values["sex"] = RiskInput{std::string(to_string(person.sex)), "", "person record"};
  if (auto age = age_years(person, as_of)) {
    const sys_days born{*person.birth_date};
    in.values["age_years"] = number(*age, "y", "birth date " + day_text(Instant{born}) + " (person record)");
  }
  add_numbers(in, observations);
  add_smoking(in, observations);
  add_non_fasting_glucose_notes(in, observations);
  const auto conditions = of_kind(events, event_kinds::condition);
  add_condition(in, conditions, "diabetes", diabetes_codes(), false, "diabetes");
  add_condition(in, conditions, "heart_failure", heart_failure_codes(), true, "heart failure");
  add_condition(in, conditions, "myocardial_infarction", myocardial_infarction_codes(), true, "myocardial infarction");
  const auto medications = of_kind(events, event_kinds::medication);
  add_medication(in, medications, "treated_hypertension", kAntihypertensives, "blood-pressure-lowering drug");
  add_medication(in, medications, "treated_glucose", kGlucoseLowering, "glucose-lowering drug");
  if (!flag_of(in, "treated_glucose").value_or(false)) add_insulin(in, of_kind(events, event_kinds::insulin));
  dedupe(in.notes);
  return in;
}

RiskInputs gather_risk_inputs(Store& store, const std::string& person, Instant as_of) {
  const auto record = store.find_person(person);
  if (!record) throw NotFound(fmt::format("no person named '{}' (see `medtwin persons`)", person));
  const Instant until = as_of + std::chrono::milliseconds(1);  // TimeRange::to is exclusive
  std::vector<Observation> obs;
  const Code codes[] = {metrics::total_cholesterol().code, metrics::hdl_cholesterol().code,
                        metrics::fasting_glucose().code,   metrics::systolic_bp().code,
                        metrics::diastolic_bp().code,      metrics::qrs_duration().code,
                        metrics::body_height().code,       metrics::body_weight().code,
                        metrics::body_mass_index().code,   metrics::smoking_status().code,
                        metrics::blood_glucose().code,     Code{std::string(systems::loinc), "2345-7", ""},
                        Code{std::string(systems::loinc), "2339-0", ""}};
  for (const auto& code : codes) {
    const auto some = store.observations(ObservationQuery{person, code, TimeRange{std::nullopt, until}});
    obs.insert(obs.end(), some.begin(), some.end());
  }
  std::vector<Event> events;
  for (const char* kind : {event_kinds::condition, event_kinds::medication, event_kinds::insulin}) {
    const auto some = store.events(EventQuery{person, std::string(kind), TimeRange{std::nullopt, until}});
    events.insert(events.end(), some.begin(), some.end());
  }
  return risk_inputs_from_records(*record, obs, events, as_of);
}

void apply_overrides(RiskInputs& in, const RiskOverrides& o) {
  if (o.race) set(in, "race", RiskInput{std::string(to_string(*o.race)), "", "command line"});
  const std::pair<const std::optional<bool>*, const char*> flags[] = {
      {&o.current_smoker, "current_smoker"},   {&o.treated_hypertension, "treated_hypertension"},
      {&o.treated_glucose, "treated_glucose"}, {&o.diabetes, "diabetes"},
      {&o.heart_failure, "heart_failure"},     {&o.myocardial_infarction, "myocardial_infarction"}};
  for (const auto& [value, field] : flags)
    if (*value) set(in, field, yes_no(**value, "command line"));
}

std::vector<RiskScore> risk_scores(const RiskInputs& in) {
  std::vector<RiskScore> out;
  for (const auto& spec : score_specs()) {
    RiskScore s{spec.id, spec.name, spec.outcome, {}, {}, {}};
    for (auto field : spec.fields)
      if (const auto* v = find(in, field)) s.inputs.emplace_back(std::string(field), *v);
    try {
      s.result = spec.compute(in);
    } catch (const Error& e) {
      s.error = e.what();
    }
    flag_prior_disease(s, in);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace medtwin
