// The Hovorka 2004 ("Cambridge") model of glucose–insulin dynamics in type 1
// diabetes (Hovorka et al., "Nonlinear model predictive control of glucose
// concentration in subjects with type 1 diabetes", Physiol Meas 25:905–920,
// 2004), the model behind the Cambridge closed-loop systems:
//   gut        dD1/dt = AG·D(t) − D1/tmaxG,  dD2/dt = (D1 − D2)/tmaxG,  UG = D2/tmaxG
//   insulin    dS1/dt = u(t) − S1/tmaxI,     dS2/dt = (S1 − S2)/tmaxI,  UI = S2/tmaxI
//              dI/dt  = UI/(VI·BW) − ke·I
//   action     dx_i/dt = −ka_i·x_i + ka_i·SI_i·I   (i = 1 transport, 2 disposal, 3 endogenous production)
//   glucose    dQ1/dt = −F01c − x1·Q1 + k12·Q2 − FR + UG + EGP0·BW·max(0, 1 − x3)
//              dQ2/dt = x1·Q1 − (k12 + x2)·Q2,   G = Q1/(VG·BW)
// with F01c = F01·BW·min(1, G/4.5) and renal clearance FR = 0.003·(G − 9)·VG·BW
// above 9 mmol/L. Q, D in mmol; S in mU; I in mU/L; G in mmol/L (18.016 mg/dL
// per mmol/L: glucose 180.16 g/mol); u in mU/min; D(t) in mmol/min. Meals are
// eaten within their minute. EGP is held at 0 when x3 > 1 (the paper's
// expression would turn negative). Pure; card docs/models/hovorka.md.
#pragma once

#include <array>
#include <string>

namespace medtwin::metabolic {

// Nominal parameters: Hovorka et al. 2004, Table 1 (body weight: a 75 kg adult).
struct HovorkaParams {
  double bw = 75;           // kg
  double k12 = 0.066;       // 1/min, Q2 → Q1 transfer
  double ka1 = 0.006, ka2 = 0.06, ka3 = 0.03;  // 1/min, deactivation of insulin action
  double sit = 51.2e-4;     // 1/min per mU/L, insulin sensitivity of transport (x1)
  double sid = 8.2e-4;      // 1/min per mU/L, of disposal (x2)
  double sie = 520e-4;      // L/mU, of endogenous production (x3)
  double ke = 0.138;        // 1/min, insulin elimination
  double vi = 0.12;         // L/kg, insulin distribution volume
  double vg = 0.16;         // L/kg, glucose distribution volume
  double egp0 = 0.0161;     // mmol/kg/min, endogenous production at zero insulin
  double f01 = 0.0097;      // mmol/kg/min, non-insulin-dependent glucose flux
  double ag = 0.8;          // carbohydrate bioavailability
  double tmax_g = 40;       // min, time of peak glucose absorption
  double tmax_i = 55;       // min, time of peak subcutaneous insulin absorption
};

inline constexpr double kMgDlPerMmolL = 18.016;
inline constexpr double kMmolPerGramGlucose = 1000 / 180.16;
inline constexpr int kHovorkaStates = 10;
using HovorkaState = std::array<double, kHovorkaStates>;  // D1, D2, S1, S2, I, x1, x2, x3, Q1, Q2

// The basal insulin (U/min) that holds glucose at `glucose_mg_dl` (between 30
// and 160 mg/dL: above 9 mmol/L renal loss starts), and the steady state it
// gives. Throws Error outside that range or for parameters without one.
double hovorka_basal_u_per_min(const HovorkaParams& p, double glucose_mg_dl);
HovorkaState hovorka_steady_state(const HovorkaParams& p, double glucose_mg_dl);

// The model's right-hand side for carbohydrate intake (g/min) and insulin (U/min).
void hovorka_rhs(const HovorkaParams& p, const HovorkaState& x, double carbs_g_per_min, double insulin_u_per_min,
                 HovorkaState& dxdt);

// One patient stepped minute by minute (Dormand–Prince 5(4), rtol 1e-8) from
// the steady state at `initial_glucose_mg_dl`; a meal is eaten within the minute
// it is announced and insulin is held over the minute, as in UvaPadovaPatient.
class HovorkaPatient {
 public:
  HovorkaPatient(const HovorkaParams& params, double initial_glucose_mg_dl);
  void step(double carbs_g, double insulin_u_per_min);
  double glucose_mg_dl() const { return state_[8] / (params_.vg * params_.bw) * kMgDlPerMmolL; }
  const HovorkaState& state() const { return state_; }

 private:
  HovorkaParams params_;
  HovorkaState state_;
  double minutes_ = 0, step_ = 0;
};

}  // namespace medtwin::metabolic
