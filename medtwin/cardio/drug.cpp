#include "medtwin/cardio/drug.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

[[noreturn]] void bad(const Drug& drug, const std::string& field, double value, const char* expected) {
  throw Error("drug " + (drug.name.empty() ? std::string("(unnamed)") : drug.name) + ": " + field + " is " +
              number(value) + ", expected " + expected);
}

void require_positive(const Drug& drug, const std::string& field, double value) {
  if (!std::isfinite(value) || value <= 0) bad(drug, field, value, "a positive number");
}

void validate_concentration(const Drug& drug, double concentration_nm) {
  if (!std::isfinite(concentration_nm) || concentration_nm < 0)
    bad(drug, "concentration (nM)", concentration_nm, "a finite number >= 0");
}

// The *_scale factor of OrdParams a current's block multiplies (hERG: gkr_scale).
double& scale_of(OrdParams& p, Current current) {
  switch (current) {
    case Current::ina:
      return p.gna_scale;
    case Current::inal:
      return p.gnal_scale;
    case Current::ical:
      return p.pca_scale;
    case Current::ito:
      return p.gto_scale;
    case Current::iks:
      return p.gks_scale;
    case Current::ik1:
      return p.gk1_scale;
    case Current::herg:
      return p.gkr_scale;
  }
  throw Error("unknown current");  // unreachable: every enumerator is handled
}

}  // namespace

std::string_view to_string(Current current) {
  static constexpr std::array<std::string_view, kCurrentCount> names = {"INa", "INaL", "ICaL", "Ito",
                                                                        "IKs", "IK1",  "hERG"};
  return names[static_cast<std::size_t>(current)];
}

void validate(const Drug& drug) {
  if (drug.cmax_nm) require_positive(drug, "Cmax (nM)", *drug.cmax_nm);
  for (Current c : kAllCurrents) {
    if (!drug[c]) continue;
    require_positive(drug, std::string(to_string(c)) + " IC50 (nM)", drug[c]->ic50_nm);
    require_positive(drug, std::string(to_string(c)) + " Hill coefficient", drug[c]->hill);
  }
  if (const auto& b = drug.herg_binding) {
    if (!std::isfinite(b->kmax) || b->kmax < 0) bad(drug, "hERG Kmax", b->kmax, "a finite number >= 0");
    require_positive(drug, "hERG Ku (1/ms)", b->ku);
    require_positive(drug, "hERG n", b->n);
    require_positive(drug, "hERG halfmax (nM^n)", b->halfmax);
    if (!std::isfinite(b->vhalf)) bad(drug, "hERG Vhalf (mV)", b->vhalf, "a finite number");
  }
}

double pore_block_factor(const HillBlock& hill, double concentration_nm) {
  if (concentration_nm <= 0) return 1;
  return 1 / (1 + std::pow(concentration_nm / hill.ic50_nm, hill.hill));
}

bool uses_dynamic_herg(const OrdParams& base, const Drug& drug) {
  return base.ikr == IkrFormulation::cipa2017_dynamic_herg && drug.herg_binding.has_value();
}

OrdParams with_drug(const OrdParams& base, const Drug& drug, double concentration_nm) {
  validate(drug);
  validate_concentration(drug, concentration_nm);
  OrdParams p = base;
  const bool dynamic = uses_dynamic_herg(base, drug);
  for (Current c : kAllCurrents) {
    if (c == Current::herg && dynamic) continue;
    if (drug[c]) scale_of(p, c) *= pore_block_factor(*drug[c], concentration_nm);
  }
  if (dynamic) {
    const HergBinding& b = *drug.herg_binding;
    p.herg.kmax = b.kmax;
    p.herg.ku = b.ku;
    p.herg.hill_n = b.n;
    p.herg.halfmax = b.halfmax;
    p.herg.vhalf = b.vhalf;
  }
  return p;
}

OrdState with_drug_concentration(OrdState state, double concentration_nm) {
  if (!std::isfinite(concentration_nm) || concentration_nm < 0)
    throw Error("drug concentration is " + number(concentration_nm) + " nM, expected a finite number >= 0");
  state[ord::D] = concentration_nm;
  return state;
}

std::vector<std::string> drug_notes(const OrdParams& base, const Drug& drug) {
  std::vector<std::string> notes;
  const bool dynamic = uses_dynamic_herg(base, drug);
  for (Current c : kAllCurrents) {
    if (c == Current::herg && dynamic) continue;
    if (!drug[c]) notes.push_back("no IC50 for " + std::string(to_string(c)) + ": treated as unblocked");
  }
  if (dynamic)
    notes.push_back("hERG: dynamic drug binding (Li et al. 2017 Markov model); the hERG IC50 is not used");
  else if (drug.herg_binding)
    notes.push_back("hERG: binding parameters need the CiPA IKr model; pore block used instead");
  else if (base.ikr == IkrFormulation::cipa2017_dynamic_herg && drug[Current::herg])
    notes.push_back("hERG: no dynamic binding parameters; pore block on the conductance used instead");
  return notes;
}

}  // namespace medtwin::cardio
