#include "medtwin/io/fhir_codes.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "medtwin/core/units.hpp"
#include "medtwin/io/text.hpp"

namespace medtwin::fhir {
namespace {

struct Alias {
  std::string system;
  std::string code;
  Metric metric;
};

// The canonical metrics by their own code, then the MDC device codes (IEEE
// 11073-10101 nomenclature, as used by the HL7 Personal Health Device IG) of
// the same quantities. Built once; read-only afterwards.
const std::vector<Alias>& aliases() {
  static const std::vector<Alias> table = [] {
    std::vector<Alias> list;
    // Only LOINC-coded metrics: other sources' FHIR never uses medtwin's own codes.
    for (const auto& named : all_metrics()) {
      Metric m = named.metric();
      if (m.code.system == systems::loinc) list.push_back({m.code.system, m.code.code, m});
    }
    const std::pair<std::string_view, Metric (*)()> mdc[] = {
        {"147842", metrics::heart_rate},         // MDC_ECG_HEART_RATE
        {"149530", metrics::heart_rate},         // MDC_PULS_OXIM_PULS_RATE
        {"149546", metrics::heart_rate},         // MDC_PULS_RATE_NON_INV
        {"150021", metrics::systolic_bp},        // MDC_PRESS_BLD_NONINV_SYS
        {"150022", metrics::diastolic_bp},       // MDC_PRESS_BLD_NONINV_DIA
        {"150364", metrics::body_temperature},   // MDC_TEMP_BODY
        {"150456", metrics::oxygen_saturation},  // MDC_PULS_OXIM_SAT_O2
        {"151562", metrics::respiratory_rate},   // MDC_RESP_RATE
        {"160184", metrics::blood_glucose},      // MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD
        {"188736", metrics::body_weight},        // MDC_MASS_BODY_ACTUAL
        {"188740", metrics::body_height},        // MDC_LEN_BODY_ACTUAL
        {"188748", metrics::body_fat},           // MDC_BODY_FAT
        {"188752", metrics::body_mass_index},    // MDC_RATIO_MASS_BODY_LEN_SQ
    };
    for (const auto& [code, make] : mdc) list.push_back({std::string(systems::mdc), std::string(code), make()});
    return list;
  }();
  return table;
}

// Whether `text` holds `word` (upper case), ASCII case ignored.
bool contains_word(std::string_view text, std::string_view word) {
  return to_upper(text).find(word) != std::string::npos;
}

}  // namespace

const Metric* canonical_metric(std::string_view system, std::string_view code) {
  for (const auto& alias : aliases())
    if (alias.code == code && alias.system == system) return &alias.metric;
  return nullptr;
}

bool is_blood_pressure_panel(const Code& code) {
  // 85354-9: panel with all children optional (vital-signs profile); 55284-4: older panel (Synthea).
  return code.system == systems::loinc && (code.code == "85354-9" || code.code == "55284-4");
}

bool is_ecg(const Code& code) {
  if (code.system == systems::mdc) {
    // MDC_ECG_ELEC_POTL (131328) and its leads occupy 131328…131583 (partition 2, terms 0x100–0x1FF).
    int term = 0;
    auto [end, error] = std::from_chars(code.code.data(), code.code.data() + code.code.size(), term);
    if (error == std::errc() && end == code.code.data() + code.code.size() && term >= 131328 && term <= 131583)
      return true;
  }
  // 11524-6 EKG study, 34534-8 12 lead EKG panel.
  if (code.system == systems::loinc && (code.code == "11524-6" || code.code == "34534-8")) return true;
  return contains_word(code.display, "ECG") || contains_word(code.display, "EKG");
}

bool is_ppg(const Code& code) { return code.system == systems::mdc && code.code == "150452"; }

}  // namespace medtwin::fhir
