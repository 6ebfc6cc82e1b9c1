#include "medtwin/baseline/training_load.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"

namespace medtwin::baseline {
namespace {

// Edwards (1993) zones: lower edge of zone k (k = 1..5) is 40 + 10k % HRmax.
constexpr double edwards_first_edge_pct = 50;
constexpr double edwards_zone_width_pct = 10;
constexpr int edwards_zones = 5;

// Edwards weight of a heart rate at `pct` % of HRmax: 0 below 50 %, 5 from 90 % up.
int edwards_zone(double pct) {
  if (pct < edwards_first_edge_pct) return 0;
  const int zone = 1 + static_cast<int>(std::floor((pct - edwards_first_edge_pct) / edwards_zone_width_pct));
  return std::min(zone, edwards_zones);
}

// Mean Edwards weight over [lo, hi] % HRmax: the integral of the step
// function divided by the width.
double mean_edwards_weight(double lo_pct, double hi_pct) {
  double integral = 0;
  for (int k = 1; k <= edwards_zones; ++k) {
    const double zone_lo = edwards_first_edge_pct + (k - 1) * edwards_zone_width_pct;
    const double zone_hi =
        k == edwards_zones ? std::numeric_limits<double>::infinity() : zone_lo + edwards_zone_width_pct;
    integral += k * std::max(0.0, std::min(hi_pct, zone_hi) - std::max(lo_pct, zone_lo));
  }
  return integral / (hi_pct - lo_pct);
}

void require_minutes(double minutes, const char* band) {
  if (!(std::isfinite(minutes) && minutes >= 0 && minutes <= 1440))
    throw Error(fmt::format("{} active minutes must lie in 0..1440 for one day", band));
}

void check(const BanisterParameters& p) {
  if (!(p.fitness_time_constant_days > 0 && p.fatigue_time_constant_days > 0))
    throw Error(fmt::format("Banister time constants must be positive days, got tau1 = {}, tau2 = {}",
                            p.fitness_time_constant_days, p.fatigue_time_constant_days));
  if (!(std::isfinite(p.fitness_gain) && std::isfinite(p.fatigue_gain) && std::isfinite(p.initial_performance)))
    throw Error("Banister gains k1, k2 and initial performance p0 must be finite numbers");
  if (p.acute_window_days < 1 || p.chronic_window_days < 1 || p.imputation_window_days < 1)
    throw Error(fmt::format("EWMA and imputation windows must be at least 1 day, got {}, {} and {}",
                            p.acute_window_days, p.chronic_window_days, p.imputation_window_days));
}

// An exponentially decaying sum s(t) = a s(t-1) + x(t), the O(1) update of
// sum_{s<=t} x(s) a^{t-s}.
struct DecayingSum {
  double decay = 0;
  double value = 0;
  void add(double x) { value = decay * value + x; }
};

// Williams et al. (2017) EWMA: E(t) = lambda x(t) + (1 - lambda) E(t-1),
// lambda = 2/(N+1), started at 0 and divided by 1 - (1-lambda)^n so that it
// is an unbiased weighted mean from the first day on (the zero start would
// otherwise deflate the chronic load for months).
struct Ewma {
  double lambda = 0;
  double raw = 0;
  double missing_weight = 1;  // (1-lambda)^n
  void add(double x) {
    raw = lambda * x + (1 - lambda) * raw;
    missing_weight *= 1 - lambda;
  }
  double value() const { return raw / (1 - missing_weight); }
};

// Everything the recursion carries from one day to the next.
struct Running {
  DecayingSum fitness, fatigue;
  DecayingSum imputed_fitness, imputed_fatigue;  // kernel weight of imputed days
  DecayingSum weight_fitness, weight_fatigue;    // kernel weight of all days
  Ewma acute, chronic;
  int days = 0;
};

Running start(const BanisterParameters& p) {
  const double a1 = std::exp(-1 / p.fitness_time_constant_days);
  const double a2 = std::exp(-1 / p.fatigue_time_constant_days);
  Running r;
  r.fitness.decay = r.imputed_fitness.decay = r.weight_fitness.decay = a1;
  r.fatigue.decay = r.imputed_fatigue.decay = r.weight_fatigue.decay = a2;
  r.acute.lambda = 2.0 / (p.acute_window_days + 1);
  r.chronic.lambda = 2.0 / (p.chronic_window_days + 1);
  return r;
}

LoadState step(Running& r, double load, bool imputed, const BanisterParameters& p) {
  r.fitness.add(load);
  r.fatigue.add(load);
  r.imputed_fitness.add(imputed ? 1 : 0);
  r.imputed_fatigue.add(imputed ? 1 : 0);
  r.weight_fitness.add(1);
  r.weight_fatigue.add(1);
  r.acute.add(load);
  r.chronic.add(load);
  ++r.days;

  LoadState s;
  s.fitness = r.fitness.value;
  s.fatigue = r.fatigue.value;
  s.performance = p.initial_performance + p.fitness_gain * s.fitness - p.fatigue_gain * s.fatigue;
  if (r.days >= p.chronic_window_days && r.chronic.value() > 0) s.acwr = r.acute.value() / r.chronic.value();
  s.load = load;
  s.imputed = imputed;
  s.imputed_share_fitness = r.imputed_fitness.value / r.weight_fitness.value;
  s.imputed_share_fatigue = r.imputed_fatigue.value / r.weight_fatigue.value;
  s.days_of_history = r.days;
  return s;
}

// Median of the measured loads among the `window` days before day `i`.
std::optional<double> imputed_load(std::span<const double> loads, std::size_t i, int window) {
  const std::size_t first = i >= static_cast<std::size_t>(window) ? i - window : 0;
  return median(loads.subspan(first, i - first));  // median() skips the NaN (missing) days
}

}  // namespace

double tanaka_hr_max(double age_years) {
  if (!(age_years >= 1 && age_years <= 120))
    throw Error("age for the Tanaka HRmax equation must lie in 1..120 years");
  return 208 - 0.7 * age_years;  // Tanaka et al. 2001, the meta-analysis regression
}

double edwards_trimp(std::span<const double> minute_hr_bpm, double hr_max_bpm) {
  if (!(hr_max_bpm >= 100 && hr_max_bpm <= 250))
    throw Error(fmt::format("HRmax must lie in 100..250 beats/min, got {}", hr_max_bpm));
  double trimp = 0;
  for (double hr : minute_hr_bpm) {
    if (std::isnan(hr)) continue;
    if (!(hr > 0 && hr < 300)) throw Error("minute heart rate must lie in 0..300 beats/min");
    trimp += edwards_zone(100 * hr / hr_max_bpm);
  }
  return trimp;
}

IntensityWeights acsm_edwards_weights() {
  // Garber et al. 2011, Table 2, %HRmax ranges as printed.
  return {mean_edwards_weight(57, 63), mean_edwards_weight(64, 76), mean_edwards_weight(77, 95)};
}

double activity_trimp(const ActivityMinutes& m, const IntensityWeights& w) {
  require_minutes(m.light, "light");
  require_minutes(m.moderate, "moderate");
  require_minutes(m.vigorous, "vigorous");
  if (m.light + m.moderate + m.vigorous > 1440)
    throw Error("active minutes of one day add up to more than the 1440 a day has");
  return m.light * w.light + m.moderate * w.moderate + m.vigorous * w.vigorous;
}

std::vector<std::optional<LoadState>> training_load(std::span<const double> daily_load,
                                                    const BanisterParameters& params) {
  check(params);
  if (daily_load.empty()) throw NotEnoughData("training load needs at least one day of load, got none");
  for (std::size_t i = 0; i < daily_load.size(); ++i)
    if (!std::isnan(daily_load[i]) && !(std::isfinite(daily_load[i]) && daily_load[i] >= 0))
      throw Error(fmt::format("daily training load must be a finite number >= 0 (NaN = missing); day {} is not", i));

  std::vector<std::optional<LoadState>> out(daily_load.size());
  std::optional<Running> running;  // nullopt while the state is unknown
  for (std::size_t i = 0; i < daily_load.size(); ++i) {
    if (!std::isnan(daily_load[i])) {
      if (!running) running = start(params);
      out[i] = step(*running, daily_load[i], false, params);
      continue;
    }
    const auto guess = running ? imputed_load(daily_load, i, params.imputation_window_days) : std::nullopt;
    if (!guess) {
      running.reset();
      continue;
    }
    out[i] = step(*running, *guess, true, params);
  }
  return out;
}

}  // namespace medtwin::baseline
