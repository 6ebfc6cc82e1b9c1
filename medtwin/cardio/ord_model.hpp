// The O'Hara–Rudy (ORd) human ventricular myocyte model: O'Hara, Virág, Varró &
// Rudy 2011, "Simulation of the undiseased human cardiac ventricular action
// potential", PLoS Comput Biol 7:e1002061 (equations from its Text S1
// supplement), in two variants:
//  - ord2011: the published model (IKr as Hodgkin–Huxley gates xrf, xrs);
//  - cipa2017: the FDA CiPA v1 model of Li et al. 2017 (Circ Arrhythm
//    Electrophysiol 10:e004628): IKr is the temperature-dependent hERG Markov
//    model with drug-bound states, and INaL, ICaL, IKs, IK1 are rescaled by
//    the factors optimised by Dutta et al. 2017 (Front Physiol 8:616).
// Pure: parameters in, derivatives and currents out. The pacing protocol and
// the integrators live in ord_pacing.hpp.
// Units: time ms, voltage mV, concentrations mM, currents µA/µF (= A/F),
// fluxes mM/ms, conductances mS/µF, permeabilities cm/s (ORd convention).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

namespace medtwin::cardio {

enum class CellType { endo = 0, epi = 1, mid = 2 };  // ORd "celltype" 0, 1, 2
enum class IkrFormulation { ord2011_hodgkin_huxley, cipa2017_dynamic_herg };

// One transition rate of the hERG Markov model: k = A·exp(B·V)·q^((T−20)/10)
// (Li et al. 2017, online supplement, hERG model equations).
struct HergRate {
  double a = 0;  // 1/ms
  double b = 0;  // 1/mV
  double q = 1;  // Q10 temperature coefficient
};

// hERG Markov model of Li et al. 2017 (states IC1, IC2, C1, C2, O, IO and the
// drug-bound Obound, IObound, Cbound). Default values: CiPA
// newordherg_pars.txt (FDA/CiPA @ e881df67), the fit of Li et al. 2017.
struct HergParams {
  HergRate c1_c2{0.0264, 4.631e-05, 4.843};        // A1, B1, q1
  HergRate c2_c1{4.986e-06, -0.004226, 4.23};      // A2, B2, q2
  HergRate ic2_io{0.001214, 0.008516, 4.962};      // A3, B3, q3
  HergRate io_ic2{1.854e-05, -0.04641, 3.769};     // A4, B4, q4
  HergRate ic1_ic2{0.0007868, 1.535e-08, 4.942};   // A11, B11, q11
  HergRate ic2_ic1{5.455e-06, -0.1688, 4.156};     // A21, B21, q21
  HergRate c2_o{0.005509, 7.771e-09, 4.22};        // A31, B31, q31
  HergRate o_c2{0.001416, -0.02877, 1.459};        // A41, B41, q41
  HergRate c1_ic1{0.4492, 0.008595, 5.0};          // A51, B51, q51
  HergRate c2_ic2{0.3181, 3.613e-08, 4.663};       // A52, B52, q52
  HergRate o_io{0.149, 0.004668, 2.412};           // A53, B53, q53
  HergRate ic1_c1{0.01241, 0.1725, 5.568};         // A61, B61, q61
  HergRate ic2_c2{0.3226, -0.0006575, 5.0};        // A62, B62, q62
  HergRate io_o{0.008978, -0.02215, 5.682};        // A63, B63, q63
  double temperature_c = 37;  // T, °C (the rates are fitted at 20 °C reference)
  // Drug binding (Li et al. 2017: Kmax, Ku, n, halfmax, Vhalf per drug, e.g.
  // hERG_dynamic_pars_optimal.csv; Kt is the trapping rate). No drug: Kmax = Ku = 0.
  double kmax = 0;           // maximal drug effect, dimensionless
  double ku = 0;             // unbinding rate, 1/ms
  double hill_n = 1;         // Hill coefficient n
  double halfmax = 1;        // nM^n
  double kt = 3.5e-5;        // 1/ms (newordherg_pars.txt)
  double vhalf = 1;          // mV, half-trapping potential
};

// Fixed parameters of one cell. Build with ord_cipa_params() or
// ord2011_params(); the *_scale factors (1 = none) are the CiPA "fc" factors
// of newordherg_pars.txt, for drug block or population variability, applied on
// top of the variant's conductances.
struct OrdParams {
  CellType cell_type = CellType::endo;
  IkrFormulation ikr = IkrFormulation::cipa2017_dynamic_herg;
  // Extracellular concentrations, mM (O'Hara 2011, Text S1 p. 5).
  double nao = 140;
  double cao = 1.8;
  double ko = 5.4;
  // Base conductances for the endocardial cell before transmural factors.
  double gna = 75;          // mS/µF (O'Hara 2011 Text S1, INa)
  double gnal = 0.0075;     // mS/µF (INaL); CiPA ×2.661 (Dutta 2017)
  double gto = 0.02;        // mS/µF (Ito)
  double pca = 0.0001;      // cm/s (ICaL); CiPA ×1.007 (Dutta 2017)
  double gkr = 0.046;       // mS/µF (IKr, on xr); CiPA 0.04658545 on the Markov O (FDA/CiPA code)
  double gks = 0.0034;      // mS/µF (IKs); CiPA ×1.870 (Dutta 2017)
  double gk1 = 0.1908;      // mS/µF (IK1); CiPA ×1.698 (Dutta 2017)
  // Block / variability factors (newordherg_pars.txt GNafc … Gtofc).
  double gna_scale = 1;
  double gnal_scale = 1;
  double gto_scale = 1;
  double pca_scale = 1;
  double gkr_scale = 1;
  double gks_scale = 1;
  double gk1_scale = 1;
  // Phenotype factors (ord_phenotype.hpp): INaCa maximal rate, and the
  // weight of Ito's slow inactivation component (Yang & Clancy 2012).
  double gncx_scale = 1;
  double ito_slow_scale = 1;
  HergParams herg;  // used by IkrFormulation::cipa2017_dynamic_herg only
};

// The published ORd 2011 model for one cell type.
OrdParams ord2011_params(CellType cell_type);
// The CiPA v1 ORd model (Li et al. 2017, conductances of Dutta et al. 2017).
OrdParams ord_cipa_params(CellType cell_type);

// State vector. The first 49 entries follow the names and order of CiPA's
// newordherg_states_CL2000.txt; xrf, xrs are the ORd 2011 IKr gates. Each
// formulation leaves the other's IKr states untouched (derivative 0).
namespace ord {
enum Index : std::size_t {
  v,        // membrane potential, mV
  nai,      // myoplasmic Na+, mM
  nass,     // subspace Na+, mM
  ki,       // myoplasmic K+, mM
  kss,      // subspace K+, mM
  cai,      // myoplasmic Ca2+, mM
  cass,     // subspace Ca2+, mM
  cansr,    // network SR Ca2+, mM
  cajsr,    // junctional SR Ca2+, mM
  m,        // INa activation
  hf,       // INa fast inactivation
  hs,       // INa slow inactivation
  j,        // INa recovery from inactivation
  hsp,      // INa slow inactivation, CaMK-phosphorylated
  jp,       // INa recovery, phosphorylated
  mL,       // INaL activation
  hL,       // INaL inactivation
  hLp,      // INaL inactivation, phosphorylated
  a,        // Ito activation
  iF,       // Ito fast inactivation
  iS,       // Ito slow inactivation
  ap,       // Ito activation, phosphorylated
  iFp,      // Ito fast inactivation, phosphorylated
  iSp,      // Ito slow inactivation, phosphorylated
  d,        // ICaL activation
  ff,       // ICaL fast voltage inactivation
  fs,       // ICaL slow voltage inactivation
  fcaf,     // ICaL fast Ca-dependent inactivation
  fcas,     // ICaL slow Ca-dependent inactivation
  jca,      // ICaL recovery from Ca-dependent inactivation
  nca,      // fraction of ICaL channels in Ca-dependent inactivation mode
  ffp,      // ICaL fast inactivation, phosphorylated
  fcafp,    // ICaL fast Ca-dependent inactivation, phosphorylated
  xs1,      // IKs activation 1
  xs2,      // IKs activation 2
  xk1,      // IK1 activation
  Jrelnp,   // SR release flux, non-phosphorylated, mM/ms
  Jrelp,    // SR release flux, phosphorylated, mM/ms
  CaMKt,    // fraction of trapped (autonomous) CaMKII
  IC1,      // hERG Markov occupancies (Li 2017), fractions
  IC2,
  C1,
  C2,
  O,
  IO,
  IObound,
  Obound,
  Cbound,
  D,        // drug concentration, nM: an input held constant (dD/dt = 0)
  xrf,      // ORd 2011 IKr fast activation
  xrs,      // ORd 2011 IKr slow activation
  count
};
}  // namespace ord

inline constexpr std::size_t kOrdStateCount = ord::count;
using OrdState = std::array<double, kOrdStateCount>;

// Names of the states, in Index order (CiPA spelling).
std::string_view ord_state_name(std::size_t index);

inline constexpr std::size_t kHergStates = 9;  // IC1 … Cbound
using HergMatrix = std::array<double, kHergStates * kHergStates>;

// Membrane currents (µA/µF) and Ca2+ fluxes (mM/ms) at one state.
struct OrdCurrents {
  double ina = 0, inal = 0, ito = 0;
  double ical = 0, icana = 0, icak = 0;  // ICaL through Ca, Na and K
  double ikr = 0, iks = 0, ik1 = 0;
  double inaca_i = 0, inaca_ss = 0, inak = 0;
  double inab = 0, icab = 0, ikb = 0, ipca = 0;
  double istim = 0;
  double jrel = 0, jup = 0, jtr = 0;
  // The currents whose integral is qNet (Dutta et al. 2017, Eq. 1).
  double qnet_sum() const { return inal + ical + ikr + iks + ik1 + ito; }
  // Total ionic current, stimulus excluded.
  double ion_total() const {
    return ina + inal + ito + ical + icana + icak + ikr + iks + ik1 + inaca_i + inaca_ss + inak +
           inab + icab + ikb + ipca;
  }
};

// How OrdModel evaluates the functions of V alone (gate steady states and time
// constants, hERG rates, GHK and exchanger/pump voltage factors):
//  - exact: the formulas, at every call;
//  - lookup_table: tabulated once when the model is built (−150…+100 mV every
//    0.05 mV, ≈ 2.7 MB, 2–3 ms) and interpolated linearly, the standard
//    technique of cardiac codes; outside the grid, the formulas. Changes
//    APD90 by < 0.01 ms (docs/models/ord_cipa.md).
enum class VoltageFunctions { exact, lookup_table };

// The model prepared for repeated evaluation: parameters plus the constants
// derived from them (temperature factors of the hERG rates, the optional
// voltage lookup table). Immutable, so one OrdModel may serve many threads;
// copies share the table.
class OrdModel {
 public:
  explicit OrdModel(const OrdParams& p, VoltageFunctions functions = VoltageFunctions::exact);
  const OrdParams& params() const { return p_; }
  VoltageFunctions voltage_functions() const {
    return table_ ? VoltageFunctions::lookup_table : VoltageFunctions::exact;
  }
  // See ord_rhs below.
  void rhs(const OrdState& y, double istim, OrdState& dydt, std::span<double> tau = {},
           OrdCurrents* currents = nullptr) const;
  // Transition matrix of the hERG Markov chain at membrane potential v (mV)
  // and drug concentration (nM): dx/dt = Q·x for x = (IC1, IC2, C1, C2, O, IO,
  // IObound, Obound, Cbound), row-major.
  HergMatrix herg_matrix(double v, double drug_nm) const;

 private:
  struct VoltageTable;  // defined in ord_model.cpp
  OrdParams p_;
  std::array<double, 14> herg_a_{};  // A·q^((T−20)/10) of each hERG rate, 1/ms
  std::shared_ptr<const VoltageTable> table_;  // null: exact evaluation
};

// Right-hand side dy/dt at time t (the model is autonomous: t is unused but kept
// for integrator interfaces; builds an OrdModel per call, use OrdModel::rhs in loops) with stimulus current istim (µA/µF, negative
// depolarises). When tau is non-empty (kOrdStateCount values) it receives, for
// every Hodgkin–Huxley gate (and nca, Jrelnp, Jrelp, which relax linearly
// too), its time constant (ms) such that dy/dt = (y∞ − y)/τ; for cass, nass,
// kss the relaxation time of their diffusion to the myoplasm (the dominant,
// linear part of their own dependence); 0 for every other state. This is what
// the (generalised) Rush–Larsen update needs. When currents is non-null it
// receives the currents.
void ord_rhs(double t, const OrdState& y, const OrdParams& p, double istim, OrdState& dydt,
             std::span<double> tau = {}, OrdCurrents* currents = nullptr);

// The currents alone.
OrdCurrents ord_currents(const OrdState& y, const OrdParams& p, double istim);

// A resting initial state: ORd/CiPA initial concentrations (CellML
// ohara_rudy_cipa_v1_2017 initial values) with every gate at its steady state
// at the resting potential and no drug. Meant to be paced to steady state.
OrdState ord_initial_state(const OrdParams& p);

// Parse CiPA's "name value" text files (one pair per line; blank lines
// ignored). Throws ParseError on an unknown name, a duplicate, or a value that
// is not a finite number. file_name is used in messages only.
struct CipaParameterFile {
  OrdParams params;                  // CiPA model for the file's celltype and fc factors
  double stimulus_amplitude = -80;   // "amp", µA/µF
};
CipaParameterFile ord_parse_cipa_parameters(std::string_view text,
                                            std::string_view file_name = "newordherg_pars.txt");
// States named in the text overwrite those of base; the rest keep base's values.
OrdState ord_parse_cipa_states(std::string_view text, const OrdState& base,
                               std::string_view file_name = "newordherg_states.txt");

}  // namespace medtwin::cardio
