// Drug block of the ORd / ORd-CiPA myocyte (ord_model.hpp) for in-silico drug
// testing under CiPA.
//  - Pore block (Li et al. 2017, Circ Arrhythm Electrophysiol 10:e004628,
//    Methods "Drug effects"; Dutta et al. 2017, Front Physiol 8:616): a
//    current's conductance is multiplied by 1/(1 + (D/IC50)^h), D the free
//    drug concentration (nM), IC50 (nM) and h the Hill coefficient fitted to
//    patch-clamp dose–response data.
//  - Dynamic hERG binding (Li et al. 2017): with the CiPA model and a drug's
//    binding parameters (Kmax, Ku, n, halfmax, Vhalf) IKr block is not a
//    factor but the drug-bound states of the hERG Markov chain, driven by the
//    state ord::D.
// Pure: parameters in, parameters out.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "medtwin/cardio/ord_model.hpp"

namespace medtwin::cardio {

// The seven currents CiPA characterises (Li et al. 2017, Table 1 / Crumb et
// al. 2016). Order matters: it indexes Drug::block.
enum class Current { ina = 0, inal, ical, ito, iks, ik1, herg };
inline constexpr std::size_t kCurrentCount = 7;
inline constexpr std::array<Current, kCurrentCount> kAllCurrents = {
    Current::ina, Current::inal, Current::ical, Current::ito, Current::iks, Current::ik1, Current::herg};

// "INa", "INaL", "ICaL", "Ito", "IKs", "IK1", "hERG" (CiPA table spelling).
std::string_view to_string(Current current);

// Hill dose–response of one current.
struct HillBlock {
  double ic50_nm = 0;  // nM, concentration of half block
  double hill = 1;     // Hill coefficient h, dimensionless
};

// Drug–hERG binding of the CiPA hERG Markov model (Li et al. 2017; the columns
// of CiPA's hERG_dynamic_pars_optimal.csv). The trapping rate Kt is a model
// constant (HergParams::kt).
struct HergBinding {
  double kmax = 0;     // maximal drug effect, dimensionless
  double ku = 0;       // unbinding rate, 1/ms
  double n = 1;        // Hill coefficient of binding
  double halfmax = 1;  // nM^n
  double vhalf = 0;    // mV, half-trapping potential
};

struct Drug {
  std::string name;
  std::optional<double> cmax_nm;  // EFTPC (free Cmax), nM; needed for doses given as multiples of Cmax
  std::array<std::optional<HillBlock>, kCurrentCount> block;  // by Current; none = no data
  std::optional<HergBinding> herg_binding;

  std::optional<HillBlock>& operator[](Current c) { return block[static_cast<std::size_t>(c)]; }
  const std::optional<HillBlock>& operator[](Current c) const { return block[static_cast<std::size_t>(c)]; }
};

// Throws medtwin::Error naming the drug and the field when an IC50 is not a
// positive finite number, a Hill coefficient is not positive, Cmax is not
// positive, or a binding parameter is out of range.
void validate(const Drug& drug);

// 1/(1 + (D/IC50)^h): the fraction of conductance left at concentration D (nM).
double pore_block_factor(const HillBlock& hill, double concentration_nm);

// Whether IKr block of `drug` goes through the hERG Markov drug binding: the
// CiPA IKr formulation and binding parameters both present.
bool uses_dynamic_herg(const OrdParams& base, const Drug& drug);

// The model with `drug` at `concentration_nm` (nM, ≥ 0): every current with an
// IC50 gets its *_scale multiplied by the pore-block factor; hERG goes through
// the Markov binding (HergParams Kmax…Vhalf) when uses_dynamic_herg, else
// through gkr_scale. Currents without data are left unblocked (see
// drug_notes). Validates the drug. Pair it with with_drug_concentration on the
// state: the Markov binding reads the concentration from ord::D.
OrdParams with_drug(const OrdParams& base, const Drug& drug, double concentration_nm);

// `state` with ord::D = concentration_nm (nM).
OrdState with_drug_concentration(OrdState state, double concentration_nm);

// What the user should know about how the drug is modelled: currents without
// an IC50 ("no IC50 for IKs: treated as unblocked") and how hERG is handled.
std::vector<std::string> drug_notes(const OrdParams& base, const Drug& drug);

}  // namespace medtwin::cardio
