#include "medtwin/cardio/ord_phenotype.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

// Female relative to male expression (Yang & Clancy 2012, from the human
// ventricular mRNA data of Gaborit et al. 2010), endo and epi; Ito acts on the
// weight of its slow inactivation, as in their model. NCX +15 % in females:
// Fogli Iseppe et al. 2021. Mid-myocardial cells were not part of those data:
// they take the endocardial factors (an assumption, docs/models/ord_phenotypes.md).
struct SexFactors {
  double gkr, gks, gk1, ito_slow, gncx;
};
constexpr SexFactors kFemaleEndo{0.79, 0.83, 0.86, 0.64, 1.15};
constexpr SexFactors kFemaleEpi{0.875 / 1.09, 0.87 / 1.04, 0.74 / 0.98, 0.26 / 0.6, 1.15};

void apply_female(OrdParams& p) {
  const SexFactors& f = p.cell_type == CellType::epi ? kFemaleEpi : kFemaleEndo;
  p.gkr_scale *= f.gkr;
  p.gks_scale *= f.gks;
  p.gk1_scale *= f.gk1;
  p.ito_slow_scale *= f.ito_slow;
  p.gncx_scale *= f.gncx;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

double default_long_qt_severity(LongQtType type) {
  switch (type) {
    case LongQtType::lqt1:
    case LongQtType::lqt2: return 0.5;
    case LongQtType::lqt3: return 3;
    case LongQtType::none: return 0;
  }
  return 0;
}

OrdParams with_phenotype(OrdParams params, const Phenotype& phenotype) {
  if (!(phenotype.potassium_mm >= 1 && phenotype.potassium_mm <= 10))
    throw Error("phenotype: extracellular K+ must be within 1–10 mM, got " + std::to_string(phenotype.potassium_mm));
  params.ko = phenotype.potassium_mm;
  if (phenotype.sex == Sex::female) apply_female(params);
  const double s = phenotype.long_qt_severity;
  switch (phenotype.long_qt) {
    case LongQtType::lqt1:
    case LongQtType::lqt2:
      if (!(s >= 0 && s < 1))
        throw Error("phenotype: the fraction of current lost in " + std::string(long_qt_name(phenotype.long_qt)) +
                    " must be within [0, 1), got " + std::to_string(s));
      (phenotype.long_qt == LongQtType::lqt1 ? params.gks_scale : params.gkr_scale) *= 1 - s;
      break;
    case LongQtType::lqt3:
      if (!(s >= 1 && s <= 100))
        throw Error("phenotype: the late INa factor of LQT3 must be within [1, 100], got " + std::to_string(s));
      params.gnal_scale *= s;
      break;
    case LongQtType::none: break;
  }
  return params;
}

LongQtType parse_long_qt(std::string_view text) {
  const std::string t = lower(text);
  if (t == "lqt1" || t == "1") return LongQtType::lqt1;
  if (t == "lqt2" || t == "2") return LongQtType::lqt2;
  if (t == "lqt3" || t == "3") return LongQtType::lqt3;
  if (t == "none") return LongQtType::none;
  throw Error("long-QT type: expected LQT1, LQT2, LQT3 or none, got '" + std::string(text) + "'");
}

std::string_view long_qt_name(LongQtType type) {
  switch (type) {
    case LongQtType::lqt1: return "LQT1";
    case LongQtType::lqt2: return "LQT2";
    case LongQtType::lqt3: return "LQT3";
    case LongQtType::none: return "none";
  }
  return "none";
}

std::string describe(const Phenotype& phenotype) {
  std::string out = phenotype.sex == Sex::female || phenotype.sex == Sex::male ? std::string(to_string(phenotype.sex))
                                                                             : "sex unspecified";
  if (phenotype.long_qt != LongQtType::none) {
    out += ", " + std::string(long_qt_name(phenotype.long_qt));
    const double s = phenotype.long_qt_severity;
    char buffer[64];
    if (phenotype.long_qt == LongQtType::lqt3)
      std::snprintf(buffer, sizeof buffer, " (late INa ×%.3g)", s);
    else
      std::snprintf(buffer, sizeof buffer, " (%.0f %% of %s lost)", 100 * s,
                    phenotype.long_qt == LongQtType::lqt1 ? "IKs" : "IKr");
    out += buffer;
  }
  char k[48];
  std::snprintf(k, sizeof k, ", K+o %.3g mM", phenotype.potassium_mm);
  return out + k;
}

}  // namespace medtwin::cardio
