// Phenotypes of the ORd / ORd-CiPA cell (ord_model.hpp): who the heart
// belongs to, expressed as changes of the model's parameters.
//  - sex: female ion-channel expression relative to male, the factors of Yang
//    & Clancy 2012 (Front Physiol 3:360) with the female NCX of Fogli Iseppe
//    et al. 2021 (Clin Pharmacol Ther, doi:10.1002/cpt.2240); male is the published model;
//  - long-QT genotypes as the current each one changes: LQT1 loses IKs
//    (KCNQ1), LQT2 loses IKr (KCNH2), LQT3 gains late INa (SCN5A);
//  - extracellular K+ (hypokalaemia lowers it), which every K+ current and the
//    Na/K pump see through the model's own equations.
// Heart rate is the pacing protocol's cycle length (ord_pacing.hpp), not a
// parameter. Pure functions; docs/models/ord_phenotypes.md has the sources.
#pragma once

#include <string>
#include <string_view>

#include "medtwin/cardio/ord_model.hpp"
#include "medtwin/core/records.hpp"

namespace medtwin::cardio {

enum class LongQtType { none, lqt1, lqt2, lqt3 };

struct Phenotype {
  Sex sex = Sex::unknown;  // core/records.hpp; unknown and other: the published model
  LongQtType long_qt = LongQtType::none;
  // LQT1/LQT2: the fraction of IKs/IKr lost; LQT3: the factor by which late
  // INa grows. Mutations differ; these are the defaults of
  // default_long_qt_severity, set them to the carrier's own when known.
  double long_qt_severity = 0;
  double potassium_mm = 5.4;  // extracellular K+, mM (ORd's 5.4 when not measured)
};

// The default severity per genotype: LQT1 and LQT2 lose half the current (one
// of two alleles), LQT3 has 3× the late INa. Conventions, not a mutation.
double default_long_qt_severity(LongQtType type);

// The parameters of params with the phenotype applied (the cell type is
// params.cell_type: sex factors differ between endo-, epi- and mid-myocardial
// cells). Throws Error on a severity or K+ out of range.
OrdParams with_phenotype(OrdParams params, const Phenotype& phenotype);

// "LQT1"/"1" … or "none" (case-insensitive); throws Error naming the accepted words.
LongQtType parse_long_qt(std::string_view text);
std::string_view long_qt_name(LongQtType type);
std::string describe(const Phenotype& phenotype);

}  // namespace medtwin::cardio
