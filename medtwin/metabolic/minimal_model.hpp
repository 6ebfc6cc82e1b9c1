// The Bergman minimal model of glucose kinetics (Bergman, Ider, Bowden &
// Cobelli 1979, Am J Physiol 236:E667–E677), as fitted to an intravenous
// glucose tolerance test by MINMOD (Pacini & Bergman 1986, Comput Methods
// Programs Biomed 23:113–122), with plasma insulin as the measured input:
//   dG/dt = −(SG + X)·G + SG·Gb,      G(0) = G0
//   dX/dt = −p2·X + p2·SI·(I(t) − Ib), X(0) = 0
// G glucose (mg/dL), X remote insulin action (1/min), I insulin (µU/mL,
// interpolated linearly between samples), Gb, Ib basal glucose and insulin
// (the pre-injection samples). SG glucose effectiveness (1/min), SI insulin
// sensitivity (1/min per µU/mL), p2 (1/min). Pure; model card
// docs/models/minimal_model.md.
#pragma once

#include <array>
#include <span>
#include <vector>

namespace medtwin::metabolic {

struct MinimalModel {
  double sg = 0;  // 1/min
  double p2 = 0;  // 1/min
  double si = 0;  // 1/min per µU/mL
  double g0 = 0;  // mg/dL, extrapolated glucose at t = 0 after the bolus
  double gb = 0;  // mg/dL
  double ib = 0;  // µU/mL
};

// An IVGTT: sample times (min from the injection, increasing, the first at 0:
// the basal sample), glucose (mg/dL) and insulin (µU/mL) at each.
struct Ivgtt {
  std::vector<double> t, glucose, insulin;
};

// Model glucose at `times` (non-decreasing, within the test's span) with the
// test's insulin as input. Throws Error on a bad test or times outside.
std::vector<double> minimal_model_glucose(const MinimalModel& m, const Ivgtt& test, std::span<const double> times);

struct MinimalModelFit {
  MinimalModel model;
  double rmse_mg_dl = 0;            // over the fitted samples
  int samples = 0;                  // fitted samples
  std::array<double, 4> cv_percent{};  // precision of SG, p2, SI, G0: 100·SE/estimate (Gauss–Newton, residual variance)
};

// Least squares (Levenberg–Marquardt on log-parameters, Eigen) of the glucose
// samples from fit_from_min on (the first minutes are the bolus mixing, which
// the one-compartment model does not describe: MINMOD starts at 8–10 min), with
// Gb and Ib the basal samples. Throws Error on fewer than 6 fitted samples,
// times not increasing from 0, glucose ≤ 0 or insulin < 0, or a search that
// does not converge. A CV is NaN when the data do not determine the parameters.
MinimalModelFit fit_minimal_model(const Ivgtt& test, double fit_from_min = 8);

}  // namespace medtwin::metabolic
