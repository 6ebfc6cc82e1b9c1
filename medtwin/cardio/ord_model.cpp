// ORd 2011 / ORd-CiPA 2017 right-hand side: one function per current, in the
// order of O'Hara et al. 2011 Text S1 (page numbers cite that supplement).
#include "medtwin/cardio/ord_model.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

// Physical constants (Text S1 p. 2).
constexpr double kR = 8314.0;   // J/(kmol·K)
constexpr double kT = 310.0;    // K
constexpr double kF = 96485.0;  // C/mol
constexpr double kRTF = kR * kT / kF;  // mV

// Cell geometry (Text S1 p. 6; ORd uses 3.14 for π).
constexpr double kLength = 0.01;    // cm
constexpr double kRadius = 0.0011;  // cm
constexpr double kVcell = 1000 * 3.14 * kRadius * kRadius * kLength;                  // µL
constexpr double kAgeo = 2 * 3.14 * kRadius * kRadius + 2 * 3.14 * kRadius * kLength;  // cm²
constexpr double kAcap = 2 * kAgeo;         // cm², capacitive area
constexpr double kVmyo = 0.68 * kVcell;     // µL
constexpr double kVnsr = 0.0552 * kVcell;   // µL
constexpr double kVjsr = 0.0048 * kVcell;   // µL
constexpr double kVss = 0.02 * kVcell;      // µL

// Transmural factor: value for endo, epi, mid (Text S1, each current).
double by_cell(CellType c, double endo, double epi, double mid) {
  switch (c) {
    case CellType::epi: return epi;
    case CellType::mid: return mid;
    case CellType::endo: break;
  }
  return endo;
}

// A Hodgkin–Huxley gate: steady state and time constant (ms).
struct Gate {
  double inf;
  double tau;
};

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(x)); }

// The functions of V alone (given the parameters) that the currents use, one
// column each: what OrdModel's voltage lookup table holds. Each current's
// *_voltage function below fills its columns with the exact formulas.
enum VoltageTerm : std::size_t {
  kMInf, kMTau, kHInf, kHfTau, kHsTau, kJTau, kHspInf,               // INa
  kMLInf, kHLInf, kHLpInf,                                           // INaL
  kAInf, kATau, kIInf, kIFTau, kISTau, kAif, kApInf, kIpTauFactor,   // Ito
  kDInf, kDTau, kFInf, kFfTau, kFsTau, kFcafTau, kFcasTau, kAfcaf,   // ICaL
  kGhk1In, kGhk1Out, kGhk2In, kGhk2Out,                              // GHK factors, z = 1, 2
  kXrInf, kXrfTau, kXrsTau, kAxrf, kRkr,                             // IKr, ORd 2011
  kXs1Inf, kXs1Tau, kXs2Tau,                                         // IKs
  kXk1Inf, kXk1Tau, kRk1,                                            // IK1
  kXkb,                                                              // IKb
  kNacaHna, kNacaInvHca, kNacaK3p, kNacaK3pp, kNacaK8,               // INaCa
  kNakInvKnai, kNakB2, kNakA3,                                       // INaK
  kHergRate0,                                                        // 14 hERG rates, 1/ms
  kHergTrap = kHergRate0 + 14,                                       // hERG trapping factor
  kVoltageTermCount
};
// Rows padded to a multiple of 4 doubles, so that interpolating a whole row is
// a loop of fixed, even length the compiler vectorises.
constexpr std::size_t kVoltageRow = (kVoltageTermCount + 3) / 4 * 4;
using VoltageTerms = std::array<double, kVoltageRow>;

// Everything a current needs: the state, derived potentials, the functions of
// V, and where to write derivatives of its gates.
struct Cell {
  const OrdState& y;
  const OrdParams& p;
  OrdState& dydt;
  std::span<double> tau;
  const VoltageTerms& vt;
  double v;
  double vfrt;    // V·F/(RT), dimensionless
  double ena, ek, eks;
  double camk_f;  // fraction of CaMK-phosphorylated channels (Text S1 p. 16)

  void relax(std::size_t i, Gate g) {
    dydt[i] = (g.inf - y[i]) / g.tau;
    if (!tau.empty()) tau[i] = g.tau;
  }
};

// Goldman–Hodgkin–Katz flux factor z·V·F²/(RT)·(ci·e^{zVF/RT} − γ·co)/(e^{zVF/RT} − 1)
// in C/mol·mM (Text S1 Eq. for ΦCaL, ΦCaNa, ΦCaK, INab, ICab), split as
// in·ci − out·γ·co with in = z·F·x/(1 − e^{−x}), out = z·F·x/(e^x − 1), x = z·V·F/(RT);
// both tend to z·F at V = 0 (l'Hôpital), where the quotients are 0/0.
void ghk_voltage(double z, double vfrt, double& in, double& out) {
  const double x = z * vfrt;
  if (std::abs(x) < 1e-9) {
    in = out = z * kF;
    return;
  }
  in = z * kF * x / -std::expm1(-x);
  out = z * kF * x / std::expm1(x);
}

double ghk(const VoltageTerms& t, int z, double ci, double co_gamma) {
  return z == 1 ? t[kGhk1In] * ci - t[kGhk1Out] * co_gamma : t[kGhk2In] * ci - t[kGhk2Out] * co_gamma;
}

// CaMKII (Text S1 p. 16, after Hund & Rudy 2004).
double camk(Cell& c) {
  constexpr double kCaMKo = 0.05, kKmCaM = 0.0015, kaCaMK = 0.05, kbCaMK = 0.00068, kKmCaMK = 0.15;
  const double bound = kCaMKo * (1 - c.y[ord::CaMKt]) / (1 + kKmCaM / c.y[ord::cass]);
  const double active = bound + c.y[ord::CaMKt];
  c.dydt[ord::CaMKt] = kaCaMK * bound * active - kbCaMK * c.y[ord::CaMKt];
  return 1 / (1 + kKmCaMK / active);
}

// INa, fast sodium current (Text S1 p. 6–7): gate kinetics.
void ina_voltage(double v, VoltageTerms& t) {
  t[kMTau] = 1 / (6.765 * std::exp((v + 11.64) / 34.77) + 8.552 * std::exp(-(v + 77.42) / 5.955));
  t[kMInf] = sigmoid(-(v + 39.57) / 9.871);
  t[kHInf] = sigmoid((v + 82.90) / 6.086);
  t[kHfTau] = 1 / (1.432e-5 * std::exp(-(v + 1.196) / 6.285) + 6.149 * std::exp((v + 0.5096) / 20.27));
  t[kHsTau] = 1 / (0.009794 * std::exp(-(v + 17.95) / 28.05) + 0.3343 * std::exp((v + 5.730) / 56.66));
  t[kJTau] = 2.038 + 1 / (0.02136 * std::exp(-(v + 100.6) / 8.281) + 0.3052 * std::exp((v + 0.9941) / 38.45));
  t[kHspInf] = sigmoid((v + 89.1) / 6.086);
}

double i_na(Cell& c) {
  const VoltageTerms& t = c.vt;
  c.relax(ord::m, {t[kMInf], t[kMTau]});
  c.relax(ord::hf, {t[kHInf], t[kHfTau]});
  c.relax(ord::hs, {t[kHInf], t[kHsTau]});
  c.relax(ord::j, {t[kHInf], t[kJTau]});
  c.relax(ord::hsp, {t[kHspInf], 3 * t[kHsTau]});
  c.relax(ord::jp, {t[kHInf], 1.46 * t[kJTau]});
  constexpr double kAhf = 0.99, kAhs = 1 - kAhf;
  const double h = kAhf * c.y[ord::hf] + kAhs * c.y[ord::hs];
  const double hp = kAhf * c.y[ord::hf] + kAhs * c.y[ord::hsp];
  const double m3 = c.y[ord::m] * c.y[ord::m] * c.y[ord::m];
  return c.p.gna * c.p.gna_scale * (c.v - c.ena) * m3 *
         ((1 - c.camk_f) * h * c.y[ord::j] + c.camk_f * hp * c.y[ord::jp]);
}

// INaL, late sodium current (Text S1 p. 7); epi ×0.6. Activation shares τm of INa.
void inal_voltage(double v, VoltageTerms& t) {
  t[kMLInf] = sigmoid(-(v + 42.85) / 5.264);
  t[kHLInf] = sigmoid((v + 87.61) / 7.488);
  t[kHLpInf] = sigmoid((v + 93.81) / 7.488);
}

double i_nal(Cell& c) {
  const VoltageTerms& t = c.vt;
  constexpr double kThL = 200;  // ms
  c.relax(ord::mL, {t[kMLInf], t[kMTau]});
  c.relax(ord::hL, {t[kHLInf], kThL});
  c.relax(ord::hLp, {t[kHLpInf], 3 * kThL});
  const double g = c.p.gnal * c.p.gnal_scale * by_cell(c.p.cell_type, 1, 0.6, 1);
  return g * (c.v - c.ena) * c.y[ord::mL] *
         ((1 - c.camk_f) * c.y[ord::hL] + c.camk_f * c.y[ord::hLp]);
}

// Ito, transient outward K+ current (Text S1 p. 8); epi and mid ×4.
void ito_voltage(double v, CellType cell, VoltageTerms& t) {
  t[kATau] = 1.0515 / (1 / (1.2089 * (1 + std::exp(-(v - 18.4099) / 29.3814))) +
                       3.5 / (1 + std::exp((v + 100) / 29.3814)));
  t[kAInf] = sigmoid(-(v - 14.34) / 14.82);
  t[kIInf] = sigmoid((v + 43.94) / 5.711);
  const double delta_epi = cell == CellType::epi ? 1 - 0.95 * sigmoid(-(v + 70) / 5) : 1.0;
  t[kIFTau] = (4.562 + 1 / (0.3933 * std::exp(-(v + 100) / 100) + 0.08004 * std::exp((v + 50) / 16.59))) * delta_epi;
  t[kISTau] = (23.62 + 1 / (0.001416 * std::exp(-(v + 96.52) / 59.05) + 1.780e-8 * std::exp((v + 114.1) / 8.079))) * delta_epi;
  t[kAif] = sigmoid((v - 213.6) / 151.2);
  t[kApInf] = sigmoid(-(v - 24.34) / 14.82);
  const double dti_develop = 1.354 + 1e-4 / (std::exp((v - 167.4) / 15.89) + std::exp(-(v - 12.23) / 0.2154));
  const double dti_recover = 1 - 0.5 * sigmoid((v + 70) / 20);
  t[kIpTauFactor] = dti_develop * dti_recover;
}

double i_to(Cell& c) {
  const VoltageTerms& t = c.vt;
  c.relax(ord::a, {t[kAInf], t[kATau]});
  c.relax(ord::iF, {t[kIInf], t[kIFTau]});
  c.relax(ord::iS, {t[kIInf], t[kISTau]});
  const double aif = t[kAif];
  const double i = aif * c.y[ord::iF] + (1 - aif) * c.p.ito_slow_scale * c.y[ord::iS];
  c.relax(ord::ap, {t[kApInf], t[kATau]});
  c.relax(ord::iFp, {t[kIInf], t[kIpTauFactor] * t[kIFTau]});
  c.relax(ord::iSp, {t[kIInf], t[kIpTauFactor] * t[kISTau]});
  const double ip = aif * c.y[ord::iFp] + (1 - aif) * c.p.ito_slow_scale * c.y[ord::iSp];
  const double g = c.p.gto * c.p.gto_scale * by_cell(c.p.cell_type, 1, 4, 4);
  return g * (c.v - c.ek) * ((1 - c.camk_f) * c.y[ord::a] * i + c.camk_f * c.y[ord::ap] * ip);
}

// ICaL with its Na+ and K+ components (Text S1 p. 9–11); PCa epi ×1.2, mid ×2.5.
void ical_voltage(double v, VoltageTerms& t) {
  t[kDInf] = sigmoid(-(v + 3.940) / 4.230);
  t[kDTau] = 0.6 + 1 / (std::exp(-0.05 * (v + 6)) + std::exp(0.09 * (v + 14)));
  t[kFInf] = sigmoid((v + 19.58) / 3.696);
  t[kFfTau] = 7 + 1 / (0.0045 * std::exp(-(v + 20) / 10) + 0.0045 * std::exp((v + 20) / 10));
  t[kFsTau] = 1000 + 1 / (0.000035 * std::exp(-(v + 5) / 4) + 0.000035 * std::exp((v + 5) / 6));
  t[kFcafTau] = 7 + 1 / (0.04 * std::exp(-(v - 4) / 7) + 0.04 * std::exp((v - 4) / 7));
  t[kFcasTau] = 100 + 1 / (0.00012 * std::exp(-v / 3) + 0.00012 * std::exp(v / 7));
  t[kAfcaf] = 0.3 + 0.6 * sigmoid((v - 10) / 10);
}

void i_cal(Cell& c, OrdCurrents& out) {
  const VoltageTerms& t = c.vt;
  const auto& y = c.y;
  const double fss = t[kFInf];
  c.relax(ord::d, {t[kDInf], t[kDTau]});
  c.relax(ord::ff, {fss, t[kFfTau]});
  c.relax(ord::fs, {fss, t[kFsTau]});
  constexpr double kAff = 0.6, kAfs = 1 - kAff;
  const double f = kAff * y[ord::ff] + kAfs * y[ord::fs];
  const double afcaf = t[kAfcaf];
  c.relax(ord::fcaf, {fss, t[kFcafTau]});
  c.relax(ord::fcas, {fss, t[kFcasTau]});
  const double fca = afcaf * y[ord::fcaf] + (1 - afcaf) * y[ord::fcas];
  constexpr double kTjca = 75;  // ms
  c.relax(ord::jca, {fss, kTjca});
  c.relax(ord::ffp, {fss, 2.5 * t[kFfTau]});
  const double fp = kAff * y[ord::ffp] + kAfs * y[ord::fs];
  c.relax(ord::fcafp, {fss, 2.5 * t[kFcafTau]});
  const double fcap = afcaf * y[ord::fcafp] + (1 - afcaf) * y[ord::fcas];
  // nca: dn/dt = anca·k2n − n·km2n, linear in n, so also a relaxation.
  constexpr double kKmn = 0.002, kK2n = 1000;  // mM, 1/ms
  const double km2n = y[ord::jca];              // 1/ms
  const double q = 1 + kKmn / y[ord::cass];
  const double q2 = q * q;
  c.relax(ord::nca, {kK2n / (kK2n + km2n * q2 * q2), 1 / km2n});  // y∞ = anca·k2n/km2n

  const double phi_ca = ghk(t, 2, y[ord::cass], 0.341 * c.p.cao);
  const double phi_na = ghk(t, 1, 0.75 * y[ord::nass], 0.75 * c.p.nao);
  const double phi_k = ghk(t, 1, 0.75 * y[ord::kss], 0.75 * c.p.ko);
  // ghk() is in C/mol·mM; PCa (cm/s) times it gives µA/µF with ORd's unit convention.
  const double pca = c.p.pca * c.p.pca_scale * by_cell(c.p.cell_type, 1, 1.2, 2.5);
  const double pcap = 1.1 * pca;
  const double nca = y[ord::nca];
  const double gate = y[ord::d] * (f * (1 - nca) + y[ord::jca] * fca * nca);
  const double gate_p = y[ord::d] * (fp * (1 - nca) + y[ord::jca] * fcap * nca);
  const double open = (1 - c.camk_f) * pca * gate + c.camk_f * pcap * gate_p;
  out.ical = open * phi_ca;
  out.icana = 0.00125 * open * phi_na;
  out.icak = 3.574e-4 * open * phi_k;
}

// IKr, ORd 2011 Hodgkin–Huxley form (Text S1 p. 11); epi ×1.3, mid ×0.8.
void ikr_hh_voltage(double v, VoltageTerms& t) {
  t[kXrInf] = sigmoid(-(v + 8.337) / 6.789);
  t[kXrfTau] = 12.98 + 1 / (0.3652 * std::exp((v - 31.66) / 3.869) + 4.123e-5 * std::exp(-(v - 47.78) / 20.38));
  t[kXrsTau] = 1.865 + 1 / (0.06629 * std::exp((v - 34.70) / 7.355) + 1.128e-5 * std::exp(-(v - 29.74) / 25.94));
  t[kAxrf] = sigmoid((v + 54.81) / 38.21);
  t[kRkr] = sigmoid((v + 55) / 75) * sigmoid((v - 10) / 30);
}

double i_kr_hh(Cell& c) {
  const VoltageTerms& t = c.vt;
  c.relax(ord::xrf, {t[kXrInf], t[kXrfTau]});
  c.relax(ord::xrs, {t[kXrInf], t[kXrsTau]});
  const double xr = t[kAxrf] * c.y[ord::xrf] + (1 - t[kAxrf]) * c.y[ord::xrs];
  const double g = c.p.gkr * c.p.gkr_scale * by_cell(c.p.cell_type, 1, 1.3, 0.8);
  return g * std::sqrt(c.p.ko / 5.4) * xr * t[kRkr] * (c.v - c.ek);
}

// IKr, CiPA dynamic hERG Markov model (Li et al. 2017): every rate
// k = A·q^((T−20)/10)·e^{B·V} (herg_a holds the first two factors), and the
// voltage dependence of trapping, 1/(1 + e^{−(V − Vhalf)/6.789}).
// The 14 hERG rates in the order of OrdModel::herg_a_ and of kHergRate0 + r.
std::array<const HergRate*, 14> herg_rates(const HergParams& p) {
  return {&p.c1_c2, &p.c2_c1, &p.c2_o, &p.o_c2, &p.c1_ic1, &p.ic1_c1, &p.c2_ic2,
          &p.ic2_c2, &p.o_io, &p.io_o, &p.ic1_ic2, &p.ic2_ic1, &p.ic2_io, &p.io_ic2};
}

void herg_voltage(double v, const HergParams& h, const std::array<double, 14>& herg_a, VoltageTerms& t) {
  const auto rates = herg_rates(h);
  for (std::size_t r = 0; r < rates.size(); ++r) t[kHergRate0 + r] = herg_a[r] * std::exp(rates[r]->b * v);
  t[kHergTrap] = sigmoid(-(v - h.vhalf) / 6.789);
}

// The generator Q of the chain (see OrdModel::herg_matrix) from the rates in t.
HergMatrix herg_generator(const VoltageTerms& t, const HergParams& h, double drug_nm) {
  // Occupancy order: IC1, IC2, C1, C2, O, IO, IObound, Obound, Cbound.
  enum : std::size_t { IC1, IC2, C1, C2, O, IO, IOb, Ob, Cb };
  const double* k = &t[kHergRate0];
  HergMatrix q{};
  auto flow = [&q](std::size_t from, std::size_t to, double rate) {
    q[from * kHergStates + from] -= rate;
    q[to * kHergStates + from] += rate;
  };
  flow(C1, C2, k[0]);
  flow(C2, C1, k[1]);
  flow(C2, O, k[2]);
  flow(O, C2, k[3]);
  flow(C1, IC1, k[4]);
  flow(IC1, C1, k[5]);
  flow(C2, IC2, k[6]);
  flow(IC2, C2, k[7]);
  flow(O, IO, k[8]);
  flow(IO, O, k[9]);
  flow(IC1, IC2, k[10]);
  flow(IC2, IC1, k[11]);
  flow(IC2, IO, k[12]);
  flow(IO, IC2, k[13]);
  // Drug binding to open and inactivated-open channels, and trapping (Li 2017).
  if (drug_nm > 0 && h.kmax > 0) {
    const double dn = std::pow(drug_nm, h.hill_n);
    const double kon = h.kmax * h.ku * dn / (dn + h.halfmax);
    flow(O, Ob, kon);
    flow(IO, IOb, kon);
  }
  flow(Ob, O, h.ku);
  flow(IOb, IO, h.ku * k[8] / k[9]);  // Ku·k(O→IO)/k(IO→O): microscopic reversibility
  const double trap = h.kt * t[kHergTrap];
  flow(Cb, Ob, trap);
  flow(Cb, IOb, trap);
  flow(Ob, Cb, h.kt);
  flow(IOb, Cb, h.kt);
  return q;
}

double i_kr_herg(Cell& c) {
  const HergMatrix q = herg_generator(c.vt, c.p.herg, c.y[ord::D]);
  for (std::size_t r = 0; r < kHergStates; ++r) {
    double s = 0;
#pragma GCC unroll 9
    for (std::size_t k = 0; k < kHergStates; ++k) s += q[r * kHergStates + k] * c.y[ord::IC1 + k];
    c.dydt[ord::IC1 + r] = s;
  }
  const double g = c.p.gkr * c.p.gkr_scale * by_cell(c.p.cell_type, 1, 1.3, 0.8);
  return g * std::sqrt(c.p.ko / 5.4) * c.y[ord::O] * (c.v - c.ek);
}

// IKs (Text S1 p. 11); epi ×1.4.
void iks_voltage(double v, VoltageTerms& t) {
  t[kXs1Inf] = sigmoid(-(v + 11.60) / 8.932);
  t[kXs1Tau] = 817.3 + 1 / (2.326e-4 * std::exp((v + 48.28) / 17.80) + 0.001292 * std::exp(-(v + 210) / 230));
  t[kXs2Tau] = 1 / (0.01 * std::exp((v - 50) / 20) + 0.0193 * std::exp(-(v + 66.54) / 31));
}

double i_ks(Cell& c) {
  const VoltageTerms& t = c.vt;
  c.relax(ord::xs1, {t[kXs1Inf], t[kXs1Tau]});
  c.relax(ord::xs2, {t[kXs1Inf], t[kXs2Tau]});
  const double ksca = 1 + 0.6 / (1 + std::pow(3.8e-5 / c.y[ord::cai], 1.4));
  const double g = c.p.gks * c.p.gks_scale * by_cell(c.p.cell_type, 1, 1.4, 1);
  return g * ksca * c.y[ord::xs1] * c.y[ord::xs2] * (c.v - c.eks);
}

// IK1 (Text S1 p. 12); epi ×1.2, mid ×1.3.
void ik1_voltage(double v, double ko, VoltageTerms& t) {
  t[kXk1Inf] = sigmoid(-(v + 2.5538 * ko + 144.59) / (1.5692 * ko + 3.8115));
  t[kXk1Tau] = 122.2 / (std::exp(-(v + 127.2) / 20.36) + std::exp((v + 236.8) / 69.33));
  t[kRk1] = sigmoid((v + 105.8 - 2.6 * ko) / 9.493);
}

double i_k1(Cell& c) {
  const VoltageTerms& t = c.vt;
  c.relax(ord::xk1, {t[kXk1Inf], t[kXk1Tau]});
  const double g = c.p.gk1 * c.p.gk1_scale * by_cell(c.p.cell_type, 1, 1.2, 1.3);
  return g * std::sqrt(c.p.ko) * t[kRk1] * c.y[ord::xk1] * (c.v - c.ek);
}

// INaCa, one compartment (Text S1 p. 12–14): the exchanger cycle of Kang &
// Hilgemann 2004 at myoplasmic (nai, cai) or subspace (nass, cass) ions.
namespace naca {
constexpr double kna1 = 15, kna2 = 5, kna3 = 88.12, kasymm = 12.5;  // mM, mM, mM, –
constexpr double wna = 6.0e4, wca = 6.0e4, wnaca = 5.0e3;             // Hz
constexpr double kcaon = 1.5e6, kcaoff = 5.0e3, qna = 0.5224, qca = 0.1670;
constexpr double kKmCaAct = 150.0e-6;  // mM

// h10, h11: the extracellular Na+ terms, functions of nao only.
double h10(double nao) { return kasymm + 1 + nao / kna1 * (1 + nao / kna2); }
double h11(double nao) { return nao * nao / (h10(nao) * kna1 * kna2); }
}  // namespace naca

// The rates of the exchanger cycle that depend on V and the external ions only.
void naca_voltage(double vfrt, double nao, VoltageTerms& t) {
  using namespace naca;
  const double hna = std::exp(qna * vfrt);
  const double h7 = 1 + nao / kna3 * (1 + 1 / hna);
  const double h8 = nao / (kna3 * hna * h7);
  t[kNacaHna] = hna;
  t[kNacaInvHca] = std::exp(-qca * vfrt);
  t[kNacaK3p] = wca / h7;        // h9·wca, h9 = 1/h7
  t[kNacaK3pp] = h8 * wnaca;
  t[kNacaK8] = h8 * h11(nao) * wna;
}

double i_naca(const Cell& c, double na_in, double ca_in, double fraction) {
  using namespace naca;
  const VoltageTerms& t = c.vt;
  const double hna = t[kNacaHna];
  const double h1 = 1 + na_in / kna3 * (1 + hna);
  const double h2 = na_in * hna / (kna3 * h1);
  const double h3 = 1 / h1;
  const double h4 = 1 + na_in / kna1 * (1 + na_in / kna2);
  const double h5 = na_in * na_in / (h4 * kna1 * kna2);
  const double h6 = 1 / h4;
  const double h12 = 1 / h10(c.p.nao);
  const double k1 = h12 * c.p.cao * kcaon;
  const double k2 = kcaoff;
  const double k3pp = t[kNacaK3pp], k3 = t[kNacaK3p] + k3pp;
  const double k4p = h3 * wca * t[kNacaInvHca], k4pp = h2 * wnaca, k4 = k4p + k4pp;
  const double k5 = kcaoff;
  const double k6 = h6 * ca_in * kcaon;
  const double k7 = h5 * h2 * wna;
  const double k8 = t[kNacaK8];
  const double x1 = k2 * k4 * (k7 + k6) + k5 * k7 * (k2 + k3);
  const double x2 = k1 * k7 * (k4 + k5) + k4 * k6 * (k1 + k8);
  const double x3 = k1 * k3 * (k7 + k6) + k8 * k6 * (k2 + k3);
  const double x4 = k2 * k8 * (k4 + k5) + k3 * k5 * (k1 + k8);
  const double sum = x1 + x2 + x3 + x4;
  const double e1 = x1 / sum, e2 = x2 / sum, e3 = x3 / sum, e4 = x4 / sum;
  const double allo = 1 / (1 + (kKmCaAct / ca_in) * (kKmCaAct / ca_in));
  const double jncx_na = 3 * (e4 * k7 - e1 * k8) + e3 * k4pp - e2 * k3pp;
  const double jncx_ca = e2 * k2 - e1 * k1;
  const double gncx = 0.0008 * c.p.gncx_scale * by_cell(c.p.cell_type, 1, 1.1, 1.4);
  return fraction * gncx * allo * (jncx_na + 2 * jncx_ca);
}

// INaK, Na+/K+ pump (Text S1 p. 14–15, after Smith & Crampin 2004); epi ×0.9, mid ×0.7.
namespace nak {
constexpr double k1p = 949.5, k1m = 182.4, k2p = 687.2, k2m = 39.4;
constexpr double k3p = 1899.0, k3m = 79300.0, k4p = 639.0, k4m = 40.0;
constexpr double kKnai0 = 9.073, kKnao0 = 27.78, kKki = 0.5, kKko = 0.3582, kDelta = -0.1550;
constexpr double kMgADP = 0.05, kMgATP = 9.8, kKmgatp = 1.698e-7, kH = 1.0e-7, kEP = 4.2;
constexpr double kKhp = 1.698e-7, kKnap = 224.0, kKxkur = 292.0;
}  // namespace nak

// The voltage-dependent Na+ affinities and the rates set by the external ions.
void nak_voltage(double vfrt, double nao, double ko, VoltageTerms& t) {
  using namespace nak;
  const double knao = kKnao0 * std::exp((1 - kDelta) * vfrt / 3);
  const double no = nao / knao, kko = ko / kKko;
  const double out_denominator = (1 + no) * (1 + no) * (1 + no) + (1 + kko) * (1 + kko) - 1;
  t[kNakInvKnai] = std::exp(-kDelta * vfrt / 3) / kKnai0;
  t[kNakB2] = k2m * no * no * no / out_denominator;
  t[kNakA3] = k3p * kko * kko / out_denominator;
}

double i_nak(const Cell& c) {
  using namespace nak;
  const VoltageTerms& t = c.vt;
  const double nai = c.y[ord::nai], ki = c.y[ord::ki];
  const double pp = kEP / (1 + kH / kKhp + nai / kKnap + ki / kKxkur);
  const double ni = nai * t[kNakInvKnai], kii = ki / kKki;
  const double in_denominator = (1 + ni) * (1 + ni) * (1 + ni) + (1 + kii) * (1 + kii) - 1;
  const double a1 = k1p * ni * ni * ni / in_denominator;
  const double b1 = k1m * kMgADP;
  const double a2 = k2p;
  const double b2 = t[kNakB2];
  const double a3 = t[kNakA3];
  const double b3 = k3m * pp * kH / (1 + kMgATP / kKmgatp);
  const double a4 = k4p * kMgATP / kKmgatp / (1 + kMgATP / kKmgatp);
  const double b4 = k4m * kii * kii / in_denominator;
  const double x1 = a4 * a1 * a2 + b2 * b4 * b3 + a2 * b4 * b3 + b3 * a1 * a2;
  const double x2 = b2 * b1 * b4 + a1 * a2 * a3 + a3 * b1 * b4 + a2 * a3 * b4;
  const double x3 = a2 * a3 * a4 + b3 * b2 * b1 + b2 * b1 * a4 + a3 * a4 * b1;
  const double x4 = b4 * b3 * b2 + a3 * a4 * a1 + b2 * a4 * a1 + b3 * b2 * a1;
  const double sum = x1 + x2 + x3 + x4;
  const double jnak_na = 3 * (x1 / sum * a3 - x2 / sum * b3);
  const double jnak_k = 2 * (x4 / sum * b1 - x3 / sum * a1);
  constexpr double kPnak = 30;
  return kPnak * by_cell(c.p.cell_type, 1, 0.9, 0.7) * (jnak_na + jnak_k);
}

// Background currents and the sarcolemmal Ca2+ pump (Text S1 p. 15).
void ikb_voltage(double v, VoltageTerms& t) { t[kXkb] = sigmoid(-(v - 14.48) / 18.34); }

void background(const Cell& c, OrdCurrents& out) {
  constexpr double kGKb = 0.003, kPNab = 3.75e-10, kPCab = 2.5e-8, kGpCa = 0.0005, kKmCap = 0.0005;
  out.ikb = kGKb * by_cell(c.p.cell_type, 1, 0.6, 1) * c.vt[kXkb] * (c.v - c.ek);
  out.inab = kPNab * ghk(c.vt, 1, c.y[ord::nai], c.p.nao);
  out.icab = kPCab * ghk(c.vt, 2, c.y[ord::cai], 0.341 * c.p.cao);
  out.ipca = kGpCa * c.y[ord::cai] / (kKmCap + c.y[ord::cai]);
}

// SR release via RyR, driven by ICaL (Text S1 p. 17); mid ×1.7.
void j_rel(Cell& c, double ical, OrdCurrents& out) {
  constexpr double kBt = 4.75;  // ms
  const double cajsr = c.y[ord::cajsr];
  const double r2 = (1.5 / cajsr) * (1.5 / cajsr);
  const double r8 = (r2 * r2) * (r2 * r2);  // (1.5/cajsr)^8
  const double cell = by_cell(c.p.cell_type, 1, 1, 1.7);
  auto relax_release = [&](std::size_t index, double bt) {
    const double inf = cell * 0.5 * bt * (-ical) / (1 + r8);
    const double tau = std::max(bt / (1 + 0.0123 / cajsr), 0.001);
    c.relax(index, {inf, tau});
  };
  relax_release(ord::Jrelnp, kBt);
  relax_release(ord::Jrelp, 1.25 * kBt);
  out.jrel = (1 - c.camk_f) * c.y[ord::Jrelnp] + c.camk_f * c.y[ord::Jrelp];
}

// SERCA uptake, leak and NSR→JSR transfer (Text S1 p. 17); uptake epi ×1.3.
void j_up(const Cell& c, OrdCurrents& out) {
  const double cai = c.y[ord::cai];
  const double cell = by_cell(c.p.cell_type, 1, 1.3, 1);
  const double jupnp = cell * 0.004375 * cai / (cai + 0.00092);
  const double jupp = cell * 2.75 * 0.004375 * cai / (cai + 0.00092 - 0.00017);
  const double jleak = 0.0039375 * c.y[ord::cansr] / 15.0;
  out.jup = (1 - c.camk_f) * jupnp + c.camk_f * jupp - jleak;
  out.jtr = (c.y[ord::cansr] - c.y[ord::cajsr]) / 100.0;
}

// Ion concentrations with diffusion and buffering (Text S1 p. 16–18).
void concentrations(Cell& c, const OrdCurrents& i) {
  const auto& y = c.y;
  auto& dy = c.dydt;
  constexpr double kAF = kAcap / kF;  // converts µA/µF to mM/ms·µL
  const double jdiff_na = (y[ord::nass] - y[ord::nai]) / 2.0;
  const double jdiff_k = (y[ord::kss] - y[ord::ki]) / 2.0;
  const double jdiff = (y[ord::cass] - y[ord::cai]) / 0.2;
  dy[ord::nai] = -(i.ina + i.inal + 3 * i.inaca_i + 3 * i.inak + i.inab) * kAF / kVmyo + jdiff_na * kVss / kVmyo;
  dy[ord::nass] = -(i.icana + 3 * i.inaca_ss) * kAF / kVss - jdiff_na;
  dy[ord::ki] = -(i.ito + i.ikr + i.iks + i.ik1 + i.ikb + i.istim - 2 * i.inak) * kAF / kVmyo + jdiff_k * kVss / kVmyo;
  dy[ord::kss] = -i.icak * kAF / kVss - jdiff_k;

  constexpr double kTrpnmax = 0.07, kKmcmdn = 0.00238, kKmtrpn = 0.0005;
  constexpr double kBSRmax = 0.047, kKmBSR = 0.00087, kBSLmax = 1.124, kKmBSL = 0.0087;
  constexpr double kCsqnmax = 10.0, kKmcsqn = 0.8;
  const double cmdnmax = 0.05 * by_cell(c.p.cell_type, 1, 1.3, 1);
  auto buffer = [](double ca, double total, double km) { return total * km / ((km + ca) * (km + ca)); };
  const double bcai = 1 / (1 + buffer(y[ord::cai], cmdnmax, kKmcmdn) + buffer(y[ord::cai], kTrpnmax, kKmtrpn));
  dy[ord::cai] = bcai * (-(i.ipca + i.icab - 2 * i.inaca_i) * kAF / (2 * kVmyo) - i.jup * kVnsr / kVmyo + jdiff * kVss / kVmyo);
  const double bcass = 1 / (1 + buffer(y[ord::cass], kBSRmax, kKmBSR) + buffer(y[ord::cass], kBSLmax, kKmBSL));
  dy[ord::cass] = bcass * (-(i.ical - 2 * i.inaca_ss) * kAF / (2 * kVss) + i.jrel * kVjsr / kVss - jdiff);
  // Linearised relaxation times of the subspace concentrations, dominated by
  // diffusion to the myoplasm (for the exponential integrator, GRL1).
  if (!c.tau.empty()) {
    c.tau[ord::cass] = 0.2 / bcass;
    c.tau[ord::nass] = 2.0;
    c.tau[ord::kss] = 2.0;
  }
  dy[ord::cansr] = i.jup - i.jtr * kVjsr / kVnsr;
  const double bcajsr = 1 / (1 + buffer(y[ord::cajsr], kCsqnmax, kKmcsqn));
  dy[ord::cajsr] = bcajsr * (i.jtr - i.jrel);
}

// Every function of V at v by its exact formula (only the columns of the
// model's own IKr formulation).
void exact_voltage_terms(double v, const OrdParams& p, const std::array<double, 14>& herg_a, VoltageTerms& t) {
  const double vfrt = v / kRTF;
  ina_voltage(v, t);
  inal_voltage(v, t);
  ito_voltage(v, p.cell_type, t);
  ical_voltage(v, t);
  ghk_voltage(1, vfrt, t[kGhk1In], t[kGhk1Out]);
  ghk_voltage(2, vfrt, t[kGhk2In], t[kGhk2Out]);
  if (p.ikr == IkrFormulation::cipa2017_dynamic_herg)
    herg_voltage(v, p.herg, herg_a, t);
  else
    ikr_hh_voltage(v, t);
  iks_voltage(v, t);
  ik1_voltage(v, p.ko, t);
  ikb_voltage(v, t);
  naca_voltage(vfrt, p.nao, t);
  nak_voltage(vfrt, p.nao, p.ko, t);
}

// Lookup-table grid, mV: from below any resting potential to above any
// overshoot; outside it the exact formulas are used.
constexpr double kTableVMin = -150, kTableVMax = 100, kTableStep = 0.05;

}  // namespace

// The voltage lookup table: every VoltageTerm at V = kTableVMin + k·kTableStep,
// row-major, interpolated linearly between rows.
struct OrdModel::VoltageTable {
  static constexpr std::size_t kRows = static_cast<std::size_t>((kTableVMax - kTableVMin) / kTableStep + 0.5) + 1;
  std::vector<double> values = std::vector<double>(kRows * kVoltageRow, 0.0);

  static bool covers(double v) { return v >= kTableVMin && v < kTableVMax; }  // false for NaN

  // Columns [first, last) at v (covers(v) must hold).
  void interpolate(double v, std::size_t first, std::size_t last, VoltageTerms& out) const {
    const double x = (v - kTableVMin) * (1 / kTableStep);
    const std::size_t row = std::min(static_cast<std::size_t>(x), kRows - 2);
    const double w = x - static_cast<double>(row);
    const double* lo = &values[row * kVoltageRow];
    const double* hi = lo + kVoltageRow;
    for (std::size_t k = first; k < last; ++k) out[k] = lo[k] + w * (hi[k] - lo[k]);
  }
  void interpolate(double v, VoltageTerms& out) const { interpolate(v, 0, kVoltageRow, out); }
};

OrdParams ord2011_params(CellType cell_type) {
  OrdParams p;
  p.cell_type = cell_type;
  p.ikr = IkrFormulation::ord2011_hodgkin_huxley;
  return p;
}

OrdParams ord_cipa_params(CellType cell_type) {
  OrdParams p;
  p.cell_type = cell_type;
  p.ikr = IkrFormulation::cipa2017_dynamic_herg;
  p.gnal = 0.0075 * 2.661;          // Dutta et al. 2017, optimised scaling of INaL
  p.pca = 0.0001 * 1.007;           // Dutta et al. 2017, ICaL
  p.gks = 0.0034 * 1.870;           // Dutta et al. 2017, IKs
  p.gk1 = 0.1908 * 1.698;           // Dutta et al. 2017, IK1
  p.gkr = 0.04658545454545456;      // Li et al. 2017 hERG-model conductance (FDA/CiPA newordherg_qNet.c)
  return p;
}


OrdModel::OrdModel(const OrdParams& p, VoltageFunctions functions) : p_(p) {
  const auto rates = herg_rates(p.herg);
  for (std::size_t k = 0; k < rates.size(); ++k)
    herg_a_[k] = rates[k]->a * std::pow(rates[k]->q, (p.herg.temperature_c - 20) / 10);
  if (functions == VoltageFunctions::lookup_table) {
    auto table = std::make_shared<VoltageTable>();
    VoltageTerms t{};
    for (std::size_t row = 0; row < VoltageTable::kRows; ++row) {
      exact_voltage_terms(kTableVMin + static_cast<double>(row) * kTableStep, p_, herg_a_, t);
      std::copy(t.begin(), t.end(), table->values.begin() + static_cast<std::ptrdiff_t>(row * kVoltageRow));
    }
    table_ = std::move(table);
  }
}

HergMatrix OrdModel::herg_matrix(double v, double drug_nm) const {
  VoltageTerms t{};
  if (table_ && p_.ikr == IkrFormulation::cipa2017_dynamic_herg && VoltageTable::covers(v))
    table_->interpolate(v, kHergRate0, kVoltageTermCount, t);
  else
    herg_voltage(v, p_.herg, herg_a_, t);
  return herg_generator(t, p_.herg, drug_nm);
}

void OrdModel::rhs(const OrdState& y, double istim, OrdState& dydt, std::span<double> tau,
                   OrdCurrents* currents) const {
  if (!tau.empty()) {
    if (tau.size() != kOrdStateCount)
      throw Error("ORd rhs: tau must hold " + std::to_string(kOrdStateCount) + " values, got " + std::to_string(tau.size()));
    std::fill(tau.begin(), tau.end(), 0.0);
  }
  const OrdParams& p = p_;
  const double v = y[ord::v];
  VoltageTerms vt;
  if (table_ && VoltageTable::covers(v)) {
    table_->interpolate(v, vt);
  } else {
    vt.fill(0);  // the other IKr formulation's columns
    exact_voltage_terms(v, p, herg_a_, vt);
  }
  Cell c{y, p, dydt, tau, vt, v, v / kRTF,
         kRTF * std::log(p.nao / y[ord::nai]),
         kRTF * std::log(p.ko / y[ord::ki]),
         kRTF * std::log((p.ko + 0.01833 * p.nao) / (y[ord::ki] + 0.01833 * y[ord::nai])),  // PKNa = 0.01833
         0};
  c.camk_f = camk(c);

  OrdCurrents i;
  i.istim = istim;
  i.ina = i_na(c);
  i.inal = i_nal(c);
  i.ito = i_to(c);
  i_cal(c, i);
  dydt[ord::D] = 0;
  if (p.ikr == IkrFormulation::cipa2017_dynamic_herg) {
    i.ikr = i_kr_herg(c);
    dydt[ord::xrf] = dydt[ord::xrs] = 0;
  } else {
    i.ikr = i_kr_hh(c);
    for (std::size_t k = ord::IC1; k < ord::D; ++k) dydt[k] = 0;
  }
  i.iks = i_ks(c);
  i.ik1 = i_k1(c);
  i.inaca_i = i_naca(c, y[ord::nai], y[ord::cai], 0.8);   // 80% of exchangers in the myoplasm
  i.inaca_ss = i_naca(c, y[ord::nass], y[ord::cass], 0.2);  // 20% in the subspace
  i.inak = i_nak(c);
  background(c, i);
  j_rel(c, i.ical, i);
  j_up(c, i);
  concentrations(c, i);
  dydt[ord::v] = -(i.ion_total() + istim);
  if (currents) *currents = i;
}

void ord_rhs(double /*t*/, const OrdState& y, const OrdParams& p, double istim, OrdState& dydt,
             std::span<double> tau, OrdCurrents* currents) {
  OrdModel(p).rhs(y, istim, dydt, tau, currents);
}

OrdCurrents ord_currents(const OrdState& y, const OrdParams& p, double istim) {
  OrdState dydt{};
  OrdCurrents i;
  ord_rhs(0, y, p, istim, dydt, {}, &i);
  return i;
}

std::string_view ord_state_name(std::size_t index) {
  static constexpr std::array<std::string_view, kOrdStateCount> kNames = {
      "v",     "nai",   "nass",   "ki",     "kss",    "cai",   "cass", "cansr", "cajsr",
      "m",     "hf",    "hs",     "j",      "hsp",    "jp",    "mL",   "hL",    "hLp",
      "a",     "iF",    "iS",     "ap",     "iFp",    "iSp",   "d",    "ff",    "fs",
      "fcaf",  "fcas",  "jca",    "nca",    "ffp",    "fcafp", "xs1",  "xs2",   "xk1",
      "Jrelnp", "Jrelp", "CaMKt", "IC1",    "IC2",    "C1",    "C2",   "O",     "IO",
      "IObound", "Obound", "Cbound", "D",   "xrf",    "xrs"};
  if (index >= kOrdStateCount) throw Error("ORd state index " + std::to_string(index) + " out of range");
  return kNames[index];
}

OrdState ord_initial_state(const OrdParams& p) {
  OrdState y{};
  // Initial concentrations of CellML ohara_rudy_cipa_v1_2017 (Chang et al. 2017).
  y[ord::v] = -88.0;
  y[ord::nai] = 7.268;
  y[ord::nass] = 7.268;
  y[ord::ki] = 144.66;
  y[ord::kss] = 144.66;
  y[ord::cai] = 8.6e-5;
  y[ord::cass] = 8.49e-5;
  y[ord::cansr] = 1.6196;
  y[ord::cajsr] = 1.5712;
  y[ord::CaMKt] = 0.0126;
  y[ord::IC1] = 1;  // relaxed to the chain's resting distribution below
  y[ord::nca] = 0;
  y[ord::jca] = 1;
  // Gates at their steady state at rest: the derivatives give y∞ = y + τ·dy/dt.
  OrdState dydt{};
  std::array<double, kOrdStateCount> tau{};
  ord_rhs(0, y, p, 0, dydt, tau);
  for (std::size_t k = ord::m; k < kOrdStateCount; ++k)  // gates only: not concentrations, not release
    if (tau[k] > 0 && k != ord::Jrelnp && k != ord::Jrelp) y[k] += tau[k] * dydt[k];
  // Resting hERG occupancy (newordherg_states_CL2000.txt; negligible open fraction).
  y[ord::IC1] = 0.999637;
  y[ord::IC2] = 6.83208e-05;
  y[ord::C1] = 1.80145e-08;
  y[ord::C2] = 8.26619e-05;
  y[ord::O] = 0.00015551;
  y[ord::IO] = 5.67623e-05;
  return y;
}

namespace {

// One "name value" line per entry; calls on_entry(name, value, line_number).
template <typename OnEntry>
void parse_name_value_lines(std::string_view text, std::string_view file_name, OnEntry on_entry) {
  long line_number = 0;
  std::map<std::string, long, std::less<>> seen;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_number;
    auto trim = [](std::string_view s) {
      const auto b = s.find_first_not_of(" \t\r");
      if (b == std::string_view::npos) return std::string_view{};
      return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
    };
    line = trim(line);
    if (line.empty()) continue;
    const auto gap = line.find_first_of(" \t");
    const std::string where(file_name);
    if (gap == std::string_view::npos)
      throw ParseError(located(where, line_number, "expected \"name value\", got \"" + std::string(line) + "\""));
    const std::string_view name = line.substr(0, gap);
    const std::string_view number = trim(line.substr(gap));
    double value = 0;
    const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc{} || ptr != number.data() + number.size() || !std::isfinite(value))
      throw ParseError(located(where, line_number, "value of " + std::string(name) + " is not a finite number: \"" + std::string(number) + "\""));
    if (auto [it, fresh] = seen.emplace(std::string(name), line_number); !fresh)
      throw ParseError(located(where, line_number, std::string(name) + " given twice (first on line " + std::to_string(it->second) + ")"));
    on_entry(name, value, line_number);
  }
}

}  // namespace

CipaParameterFile ord_parse_cipa_parameters(std::string_view text, std::string_view file_name) {
  CipaParameterFile out;
  double celltype = 0;
  HergParams& h = out.params.herg;
  std::map<std::string_view, double*> fields = {
      {"celltype", &celltype}, {"ko", &out.params.ko}, {"amp", &out.stimulus_amplitude},
      {"T", &h.temperature_c}, {"Kmax", &h.kmax}, {"Ku", &h.ku}, {"n", &h.hill_n},
      {"halfmax", &h.halfmax}, {"Kt", &h.kt}, {"Vhalf", &h.vhalf},
      {"GKrfc", &out.params.gkr_scale}, {"GNaLfc", &out.params.gnal_scale},
      {"GNafc", &out.params.gna_scale}, {"GKsfc", &out.params.gks_scale},
      {"GK1fc", &out.params.gk1_scale}, {"PCafc", &out.params.pca_scale},
      {"Gtofc", &out.params.gto_scale}};
  const std::pair<const char*, HergRate*> rates[] = {
      {"1", &h.c1_c2},   {"2", &h.c2_c1},   {"3", &h.ic2_io},  {"4", &h.io_ic2},  {"11", &h.ic1_ic2},
      {"21", &h.ic2_ic1}, {"31", &h.c2_o},   {"41", &h.o_c2},   {"51", &h.c1_ic1}, {"52", &h.c2_ic2},
      {"53", &h.o_io},   {"61", &h.ic1_c1}, {"62", &h.ic2_c2}, {"63", &h.io_o}};
  std::vector<std::string> rate_names;
  rate_names.reserve(3 * std::size(rates));
  for (const auto& [suffix, rate] : rates) {
    rate_names.push_back(std::string("A") + suffix);
    fields.emplace(rate_names.back(), &rate->a);
    rate_names.push_back(std::string("B") + suffix);
    fields.emplace(rate_names.back(), &rate->b);
    rate_names.push_back(std::string("q") + suffix);
    fields.emplace(rate_names.back(), &rate->q);
  }
  // Views into rate_names stay valid: reserve() above prevents reallocation.
  parse_name_value_lines(text, file_name, [&](std::string_view name, double value, long line) {
    const auto it = fields.find(name);
    if (it == fields.end())
      throw ParseError(located(std::string(file_name), line, "unknown ORd-CiPA parameter \"" + std::string(name) + "\""));
    *it->second = value;
  });
  if (celltype != 0 && celltype != 1 && celltype != 2)
    throw ParseError(std::string(file_name) + ": celltype must be 0 (endo), 1 (epi) or 2 (mid), got " + std::to_string(celltype));
  OrdParams cipa = ord_cipa_params(static_cast<CellType>(static_cast<int>(celltype)));
  cipa.ko = out.params.ko;
  cipa.herg = out.params.herg;
  cipa.gna_scale = out.params.gna_scale;
  cipa.gnal_scale = out.params.gnal_scale;
  cipa.gto_scale = out.params.gto_scale;
  cipa.pca_scale = out.params.pca_scale;
  cipa.gkr_scale = out.params.gkr_scale;
  cipa.gks_scale = out.params.gks_scale;
  cipa.gk1_scale = out.params.gk1_scale;
  out.params = cipa;
  return out;
}

OrdState ord_parse_cipa_states(std::string_view text, const OrdState& base, std::string_view file_name) {
  OrdState y = base;
  parse_name_value_lines(text, file_name, [&](std::string_view name, double value, long line) {
    for (std::size_t k = 0; k < kOrdStateCount; ++k) {
      if (ord_state_name(k) == name) {
        y[k] = value;
        return;
      }
    }
    throw ParseError(located(std::string(file_name), line, "unknown ORd state \"" + std::string(name) + "\""));
  });
  return y;
}

}  // namespace medtwin::cardio
