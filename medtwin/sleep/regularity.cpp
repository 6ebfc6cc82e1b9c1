#include "medtwin/sleep/regularity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <Eigen/Dense>
#include <fmt/format.h>

#include "medtwin/core/daily.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::sleep {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds one_hour = std::chrono::hours(1);
constexpr milliseconds one_day = std::chrono::hours(24);
constexpr double two_pi = 2 * std::numbers::pi;
// Below this resultant length (of unit vectors) mean clock times are undefined.
constexpr double min_resultant = 1e-9;
// Smallest eigenvalue / largest of the cosinor's normal matrix below which the
// clock times cannot separate mesor, cosine and sine.
constexpr double min_conditioning = 1e-12;
constexpr std::size_t cosinor_min_values = 4;  // 3 parameters + 1 residual degree of freedom

double clock_angle(milliseconds time_of_day) {
  return two_pi * static_cast<double>(time_of_day.count()) / static_cast<double>(one_day.count());
}

milliseconds clock_of_angle(double angle) {
  const double turns = angle / two_pi - std::floor(angle / two_pi);  // in [0, 1)
  const auto ms = milliseconds(std::llround(turns * static_cast<double>(one_day.count())));
  return ms >= one_day ? ms - one_day : ms;
}

// Sum of unit vectors at local clock times.
struct ClockSum {
  double c = 0, s = 0;
  std::size_t n = 0;
  void add(milliseconds time_of_day) {
    const double a = clock_angle(time_of_day);
    c += std::cos(a), s += std::sin(a), ++n;
  }
  milliseconds mean(std::string_view what) const {
    if (std::hypot(c, s) < min_resultant * static_cast<double>(n))
      throw Error(fmt::format("social jet lag: the {} mid-sleep times spread evenly around the clock; no mean", what));
    return clock_of_angle(std::atan2(s, c));
  }
};

bool is_free(std::chrono::local_days day, const SocialJetLagOptions& options) {
  const std::chrono::weekday wd{day};
  return std::find(options.free_days.begin(), options.free_days.end(), wd) != options.free_days.end();
}

// P(F(2, d) > f) = (d / (d + 2 f))^(d / 2): the F distribution with 2
// numerator degrees of freedom has this closed-form tail.
double f2_tail(double f, double d) {
  if (std::isinf(f)) return 0;
  return std::pow(d / (d + 2 * f), d / 2);
}

Eigen::Vector3d regressors(double angle) { return {1.0, std::cos(angle), std::sin(angle)}; }

// The finite values, their clock angles and the normal equations X'X b = X'y.
struct CosinorData {
  std::vector<double> angles, ys;
  Eigen::Matrix3d xtx = Eigen::Matrix3d::Zero();
  Eigen::Vector3d xty = Eigen::Vector3d::Zero();
};

CosinorData collect(std::span<const Instant> times, std::span<const double> values, const TimeZoneHistory& zones) {
  CosinorData d;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) continue;
    d.angles.push_back(clock_angle(local_time_of_day(times[i], zones)));
    d.ys.push_back(values[i]);
    const Eigen::Vector3d x = regressors(d.angles.back());
    d.xtx += x * x.transpose(), d.xty += x * values[i];
  }
  return d;
}

Eigen::Vector3d solve(const CosinorData& d) {
  const Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> eig(d.xtx, Eigen::EigenvaluesOnly);
  if (eig.eigenvalues().minCoeff() <= min_conditioning * eig.eigenvalues().maxCoeff())
    throw Error("cosinor: the values lie at fewer than 3 distinct clock times; mesor, amplitude and phase cannot be told apart");
  return d.xtx.ldlt().solve(d.xty);
}

CosinorFit summarize(const CosinorData& d, const Eigen::Vector3d& beta) {
  const double n = static_cast<double>(d.ys.size()), y_mean = d.xty(0) / n;
  double sse = 0, sst = 0;
  for (std::size_t i = 0; i < d.ys.size(); ++i) {
    const double r = d.ys[i] - regressors(d.angles[i]).dot(beta);
    sse += r * r, sst += (d.ys[i] - y_mean) * (d.ys[i] - y_mean);
  }
  if (!(sst > 0)) throw Error("cosinor: all values are equal; there is no rhythm to fit");
  CosinorFit fit;
  fit.mesor = beta(0);
  fit.amplitude = std::hypot(beta(1), beta(2));
  // β cos θ + γ sin θ = A cos(θ + φ) with φ = −atan2(γ, β): the peak is at θ = atan2(γ, β).
  fit.acrophase = clock_of_angle(std::atan2(beta(2), beta(1)));
  fit.r_squared = 1 - sse / sst;
  fit.f_statistic = sse > 0 ? ((sst - sse) / 2) / (sse / (n - 3)) : std::numeric_limits<double>::infinity();
  fit.p_value = f2_tail(fit.f_statistic, n - 3);
  fit.n = d.ys.size();
  return fit;
}

}  // namespace

double sleep_regularity_index(const SleepWakeSeries& scored) {
  if (scored.epoch.count() <= 0 || one_hour % scored.epoch != milliseconds(0))
    throw Error(fmt::format("SRI: the epoch ({} ms) must divide one hour", scored.epoch.count()));
  const std::size_t per_day = static_cast<std::size_t>(one_day / scored.epoch);
  std::size_t pairs = 0, same = 0;
  for (std::size_t i = 0; i + per_day < scored.states.size(); ++i) {
    const SleepWake a = scored.states[i], b = scored.states[i + per_day];
    if (a == SleepWake::unknown || b == SleepWake::unknown) continue;
    ++pairs, same += a == b ? 1 : 0;
  }
  if (scored.states.size() < 2 * per_day || 2 * pairs < per_day)
    throw NotEnoughData(fmt::format("not enough data for SRI: needs 2 days of sleep/wake states with at least 12 h of known "
                            "pairs 24 h apart, got {:.2f} days and {:.2f} days of pairs",
                            static_cast<double>(scored.states.size()) / static_cast<double>(per_day),
                            static_cast<double>(pairs) / static_cast<double>(per_day)));
  return 200.0 * static_cast<double>(same) / static_cast<double>(pairs) - 100.0;
}

SocialJetLag social_jet_lag(std::span<const SleepEpisode> episodes, const TimeZoneHistory& zones,
                            const SocialJetLagOptions& options) {
  ClockSum free, work;
  for (const auto& e : episodes) {
    if (e.offset <= e.onset) throw Error("social jet lag: a sleep episode ends before it starts");
    const Instant mid = e.onset + (e.offset - e.onset) / 2;
    (is_free(local_day_of(e.offset, zones), options) ? free : work).add(local_time_of_day(mid, zones));
  }
  if (free.n == 0 || work.n == 0)
    throw NotEnoughData(fmt::format("not enough data for social jet lag: needs at least one free-day and one work-day night, "
                            "got {} free and {} work",
                            free.n, work.n));
  SocialJetLag out{0, free.mean("free-day"), work.mean("work-day"), free.n, work.n};
  const double gap = std::abs(clock_angle(out.mid_sleep_free) - clock_angle(out.mid_sleep_work));
  out.hours = std::min(gap, two_pi - gap) / two_pi * 24.0;
  return out;
}

CosinorFit fit_cosinor(std::span<const Instant> times, std::span<const double> values, const TimeZoneHistory& zones) {
  if (times.size() != values.size())
    throw Error(fmt::format("cosinor: {} times but {} values", times.size(), values.size()));
  const CosinorData data = collect(times, values, zones);
  if (data.ys.size() < cosinor_min_values)
    throw NotEnoughData(fmt::format("not enough data for cosinor: needs at least {} finite values, got {}", cosinor_min_values,
                            data.ys.size()));
  return summarize(data, solve(data));
}

CosinorFit fit_cosinor(const ActivitySeries& series, const TimeZoneHistory& zones) {
  check_series(series, "cosinor");
  std::vector<Instant> times;
  times.reserve(series.counts.size());
  for (std::size_t i = 0; i < series.counts.size(); ++i) times.push_back(series.time_of(i));
  return fit_cosinor(times, series.counts, zones);
}

}  // namespace medtwin::sleep
