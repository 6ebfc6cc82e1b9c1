#include "medtwin/onco/pharmacology.hpp"

#include <Eigen/Dense>
#include <unsupported/Eigen/MatrixFunctions>
#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin::onco {
namespace {

using State = Eigen::Vector3d;  // amounts (mg): gut, central, peripheral

constexpr double kNegligibleEffect = 1e-12;
constexpr double kBracket = 600;  // |log(E/(1−E))| beyond this is 0 or 1 in doubles

void check(const Pharmacokinetics& pk) {
  const bool two = pk.intercompartmental_l_per_h > 0;
  if (!(pk.absorption_per_h >= 0) || !std::isfinite(pk.absorption_per_h))
    throw Error("pharmacokinetics: ka must be a finite number >= 0");
  if (!(pk.bioavailability > 0 && pk.bioavailability <= 1)) throw Error("pharmacokinetics: F must be in (0, 1]");
  require_positive(pk.clearance_l_per_h, "pharmacokinetics: the clearance");
  require_positive(pk.central_volume_l, "pharmacokinetics: the central volume");
  if (two) require_positive(pk.peripheral_volume_l, "pharmacokinetics: the peripheral volume");
  if (!(pk.intercompartmental_l_per_h >= 0)) throw Error("pharmacokinetics: Q must be >= 0");
}

// The system matrix in 1/day.
Eigen::Matrix3d rates(const Pharmacokinetics& pk) {
  const double ka = 24 * pk.absorption_per_h, k10 = 24 * pk.clearance_l_per_h / pk.central_volume_l;
  const double q = 24 * pk.intercompartmental_l_per_h;
  const double k12 = q / pk.central_volume_l, k21 = q > 0 ? q / pk.peripheral_volume_l : 0.0;
  Eigen::Matrix3d a;
  a << -ka, 0, 0,                           //
      pk.bioavailability * ka, -k10 - k12, k21,  //
      0, k12, -k21;
  return a;
}

void give(State& x, const Pharmacokinetics& pk, double amount_mg) {
  if (pk.absorption_per_h > 0) x[0] += amount_mg;
  else x[1] += pk.bioavailability * amount_mg;
}

// Greco's right-hand side minus 1 at u = log(E/(1−E)): falls as u rises when α >= 0.
double greco_residual(double u, const HillCurve& da, double a, const HillCurve& db, double b, double alpha) {
  auto term = [u](double dose, const HillCurve& d) { return dose / (d.ec50_mg_per_l * std::exp(u / d.hill)); };
  const double joint = a * b / (da.ec50_mg_per_l * db.ec50_mg_per_l * std::exp(u / (2 * da.hill) + u / (2 * db.hill)));
  return term(a, da) + term(b, db) + alpha * joint - 1;
}

}  // namespace

std::vector<double> concentration_profile(const Pharmacokinetics& pk, const std::vector<DrugDose>& doses,
                                          double from_day, double to_day, double step_days) {
  check(pk);
  require_positive(step_days, "pharmacokinetics: the grid step");
  if (!(to_day >= from_day)) throw Error("pharmacokinetics: the grid ends before it starts");
  auto sorted = doses;
  for (const auto& d : sorted)
    if (!(d.amount_mg >= 0) || !std::isfinite(d.amount_mg) || !std::isfinite(d.day))
      throw Error("pharmacokinetics: a dose needs a finite day and an amount >= 0 mg");
  std::sort(sorted.begin(), sorted.end(), [](const DrugDose& x, const DrugDose& y) { return x.day < y.day; });
  const Eigen::Matrix3d a = rates(pk);
  const Eigen::Matrix3d one_step = (a * step_days).exp();
  State x = State::Zero();
  double now = sorted.empty() ? from_day : std::min(from_day, sorted.front().day);
  auto advance = [&](double to) {
    const double dt = to - now;
    if (dt <= 0) return;
    // Grid steps differ from step_days by round-off only: reuse its exponential.
    x = std::abs(dt - step_days) < 1e-9 * step_days ? State(one_step * x) : State((a * dt).exp() * x);
    now = to;
  };
  std::size_t next = 0;
  const auto points = static_cast<std::size_t>(std::floor((to_day - from_day) / step_days + 1e-9)) + 1;
  std::vector<double> c;
  c.reserve(points);
  for (std::size_t i = 0; i < points; ++i) {
    const double t = from_day + static_cast<double>(i) * step_days;
    for (; next < sorted.size() && sorted[next].day <= t; ++next) {
      advance(sorted[next].day);
      give(x, pk, sorted[next].amount_mg);
    }
    advance(t);
    c.push_back(x[1] / pk.central_volume_l);
  }
  return c;
}

double HillCurve::effect(double concentration) const {
  require_positive(ec50_mg_per_l, "pharmacodynamics: EC50");
  require_positive(hill, "pharmacodynamics: the Hill coefficient");
  if (!(concentration >= 0)) throw Error("pharmacodynamics: a concentration must be >= 0");
  const double x = std::pow(concentration / ec50_mg_per_l, hill);
  return x / (1 + x);
}

double combined_effect(Interaction rule, const HillCurve& drug_a, double a, const HillCurve& drug_b, double b,
                       double alpha) {
  const double ea = drug_a.effect(a), eb = drug_b.effect(b);
  if (rule == Interaction::bliss) return ea + eb - ea * eb;
  if (ea + eb < kNegligibleEffect) return ea + eb;  // the equation's root lies beyond double range
  if (rule == Interaction::loewe) alpha = 0;
  if (!std::isfinite(alpha)) throw Error("pharmacodynamics: Greco's alpha must be finite");
  // Each term falls as the effect rises; bisect on u = log(E/(1−E)) once bracketed.
  auto residual = [&](double u) { return greco_residual(u, drug_a, a, drug_b, b, alpha); };
  double low = -1, high = 1;
  while (residual(low) <= 0 && low > -kBracket) low *= 2;
  while (residual(high) > 0 && high < kBracket) high *= 2;
  if (residual(low) <= 0)
    throw Error("pharmacodynamics: Greco's equation has no solution (antagonism too strong for these doses)");
  if (residual(high) > 0) return 1;
  for (int i = 0; i < 200 && high - low > 1e-13; ++i) {
    const double mid = (low + high) / 2;
    (residual(mid) > 0 ? low : high) = mid;
  }
  const double x = std::exp((low + high) / 2);
  return x / (1 + x);
}

Interaction interaction_from_string(const std::string& name) {
  if (name == "bliss") return Interaction::bliss;
  if (name == "loewe") return Interaction::loewe;
  if (name == "greco") return Interaction::greco;
  throw Error("unknown drug interaction '" + name + "' (bliss, loewe or greco)");
}

const char* to_string(Interaction rule) {
  switch (rule) {
    case Interaction::bliss: return "bliss";
    case Interaction::loewe: return "loewe";
    case Interaction::greco: return "greco";
  }
  return "?";
}

}  // namespace medtwin::onco
