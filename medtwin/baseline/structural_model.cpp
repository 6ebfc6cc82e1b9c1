#include "medtwin/baseline/structural_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <type_traits>
#include <nlopt.hpp>

#include "medtwin/core/error.hpp"
#include "medtwin/core/kalman.hpp"

namespace medtwin::baseline {
namespace {

constexpr int max_regressors = 2;
constexpr int weekly_states = 7;  // level + 6 weekly-pattern states

// Until a person has enough errors of their own, forecast errors are taken as
// Student-t with 4 degrees of freedom scaled to unit variance: day-to-day
// changes of wearable metrics are heavy-tailed (mostly small, now and then
// large), which a normal law would spread into too wide 80% intervals.
// Quantiles t_4(0.90) = 1.533206, t_4(0.975) = 2.776445, divided by the t_4
// standard deviation √2.
constexpr double t4_80 = 1.5332062740589443 / 1.4142135623730951;
constexpr double t4_95 = 2.7764451051977987 / 1.4142135623730951;

// Innovations beyond this many standard deviations move the state no further
// (a Huber bound; 2.5 keeps the loss on clean Gaussian data small).
constexpr double huber_k = 2.5;

// x_t of every regressor. An unknown value (NaN, or a day beyond the column)
// is the mean of the earlier known ones — an unknown covariate counts as
// usual; `sums` accumulates the known values for those running means.
void regressors_at(const RegressorColumns& columns, std::size_t t, std::array<double, max_regressors>& x,
                   std::array<std::pair<double, int>, max_regressors>& sums) {
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const double v = t < columns[j].size() ? columns[j][t] : missing;
    x[j] = std::isfinite(v) ? v : (sums[j].second > 0 ? sums[j].first / sums[j].second : 0.0);
    if (std::isfinite(v)) sums[j].first += v, ++sums[j].second;
  }
}

// The model with N states — the level, the weekly pattern when used, then one
// static coefficient per regressor — its diffuse start, and how many
// observations that start uses up. N is fixed at compile time so that the
// level-only model filters with 1×1 matrices, not 9×9.
template <int N>
struct Setup {
  StateSpaceModel<N> model;
  KalmanState<N> start;  // diffuse: every state unknown, so the first N observations initialise it
  RegressorColumns regressors;
  double clip = std::numeric_limits<double>::infinity();  // robust filtering bound, relative units

  int first_regressor() const { return N - static_cast<int>(regressors.size()); }
};

template <int N>
StateSpaceModel<N> make_model(const StructuralModelParams& p, int first_regressor) {
  StateSpaceModel<N> m;
  m.T.setZero();
  m.Z(0) = 1;
  m.T(0, 0) = 1;
  m.Q(0, 0) = std::exp(p.log_q_level);
  if (first_regressor == weekly_states) {
    m.Z(1) = 1;
    for (int j = 1; j < weekly_states; ++j) m.T(1, j) = -1;  // the week's effects sum to zero
    for (int i = 2; i < weekly_states; ++i) m.T(i, i - 1) = 1;
    m.Q(1, 1) = std::exp(p.log_q_week);
  }
  for (int i = first_regressor; i < N; ++i) m.T(i, i) = 1;  // static regression coefficients
  m.H = 1;  // variances are relative to the observation noise, profiled out
  return m;
}

// Diffuse start: zero state with a variance far above the data's.
template <int N>
Setup<N> make_setup(const StructuralModelParams& p, std::span<const double> scaled, const RegressorColumns& regressors) {
  double biggest = 1;
  for (double v : scaled)
    if (std::isfinite(v)) biggest = std::max(biggest, std::abs(v));
  Setup<N> s{make_model<N>(p, N - static_cast<int>(regressors.size())), {}, regressors};
  s.start.P = StateSpaceModel<N>::Matrix::Identity() * (1e6 * biggest * biggest);
  return s;
}

// Runs `f(std::integral_constant<int, N>{})` with N the state size of the
// variant: 1 (level), 7 (level + week), plus one per regressor.
template <typename F>
decltype(auto) with_state_size(bool weekly, std::size_t regressors, F&& f) {
  switch ((weekly ? weekly_states : 1) + static_cast<int>(regressors)) {
    case 1: return f(std::integral_constant<int, 1>{});
    case 2: return f(std::integral_constant<int, 2>{});
    case 3: return f(std::integral_constant<int, 3>{});
    case 7: return f(std::integral_constant<int, 7>{});
    case 8: return f(std::integral_constant<int, 8>{});
    case 9: return f(std::integral_constant<int, 9>{});
  }
  throw Error("structural model: unsupported number of covariates");
}

RegressorColumns regressors_of(const DailySeries& s, bool use) {
  RegressorColumns r;
  if (!use) return r;
  if (s.regressors.size() > max_regressors)
    throw Error(fmt::format("{}: the structural model takes at most {} covariates, got {}", s.name, max_regressors,
                            s.regressors.size()));
  for (const auto& reg : s.regressors) r.push_back(reg.values);
  return r;
}

double to_model_scale(double v, DailyKind kind) {
  if (!std::isfinite(v)) return v;
  return kind == DailyKind::total ? std::sqrt(std::max(v, 0.0)) : v;
}
double from_model_scale(double z, DailyKind kind) {
  return kind == DailyKind::total ? (z > 0 ? z * z : 0.0) : z;
}

std::vector<double> model_scale(const DailySeries& s) {
  std::vector<double> out(s.values.size());
  std::transform(s.values.begin(), s.values.end(), out.begin(), [&](double v) { return to_model_scale(v, s.kind); });
  return out;
}

// What a filter pass learns from the data it has seen.
struct FilterSummary {
  double sum_sq_std = 0;    // sum of v^2 / F after the diffuse start
  double sum_log_f = 0;
  int n = 0;                // observations in the likelihood
  std::vector<double> innovations, variances;  // v_t and F_t (relative) of those observations

  double scale2() const { return n > 0 ? sum_sq_std / n : missing; }
  double concentrated_log_likelihood() const {
    if (n == 0 || sum_sq_std <= 0) return -1e300;
    return -0.5 * (n * std::log(sum_sq_std / n) + sum_log_f);
  }
};

// The one-step prediction of day t: mean and variance (relative units).
struct Prediction {
  double mean, variance;
};

// Filters `scaled` from the diffuse start; calls visit(t, prediction) before
// each day t is consumed.
template <int N, typename Visit>
FilterSummary run_filter(const Setup<N>& setup, std::span<const double> scaled, Visit&& visit) {
  StateSpaceModel<N> model = setup.model;  // its row Z carries each day's covariates
  FilterSummary s;
  KalmanState<N> f = setup.start;
  int seen = 0;
  std::array<double, max_regressors> x{};
  std::array<std::pair<double, int>, max_regressors> sums{};
  for (std::size_t t = 0; t < scaled.size(); ++t) {
    regressors_at(setup.regressors, t, x, sums);
    for (std::size_t j = 0; j < setup.regressors.size(); ++j) model.Z(setup.first_regressor() + static_cast<int>(j)) = x[j];
    const double F = f.predicted_variance(model);
    visit(t, Prediction{f.predicted_mean(model), F});
    const bool diffuse = seen < N;
    const double v = f.advance(model, scaled[t], diffuse ? std::numeric_limits<double>::infinity() : setup.clip);
    if (!std::isfinite(v)) continue;
    if (++seen <= N) continue;
    s.sum_sq_std += v * v / F;
    s.sum_log_f += std::log(F);
    ++s.n;
    s.innovations.push_back(v);
    s.variances.push_back(F);
  }
  return s;
}

template <int N>
FilterSummary run_filter(const Setup<N>& setup, std::span<const double> scaled) {
  return run_filter(setup, scaled, [](std::size_t, const Prediction&) {});
}

// The setup for forecasting: fitted parameters, filtering made robust with a
// bound set from the plain filter's scale.
template <int N>
Setup<N> forecasting_setup(const StructuralModelParams& params, std::span<const double> past,
                           const RegressorColumns& regressors) {
  Setup<N> setup = make_setup<N>(params, past, regressors);
  const double scale2 = run_filter(setup, past).scale2();
  if (scale2 > 0) setup.clip = huber_k * std::sqrt(scale2);
  return setup;
}

// The conformal quantile of n scores (Vovk et al. 2005; Lei et al. 2018): the
// ⌈(n + 1) p⌉-th smallest, which a new score stays under with probability at
// least p when the scores are exchangeable.
double conformal_quantile(std::vector<double> scores, double p) {
  std::sort(scores.begin(), scores.end());
  const auto rank = static_cast<std::size_t>(std::ceil((static_cast<double>(scores.size()) + 1) * p));
  return scores[std::min(rank, scores.size()) - 1];
}

// Multipliers of the forecast standard deviation for the 80% and 95%
// intervals: conformal quantiles of the person's own absolute standardized
// one-step errors once there are enough of them (their law is rarely
// normal), else the scaled Student-t's.
std::pair<double, double> interval_multipliers(const FilterSummary& s, int empirical_from) {
  const double scale = std::sqrt(s.scale2());
  if (s.n < empirical_from || !(scale > 0)) return {t4_80, t4_95};
  std::vector<double> abs_std(s.innovations.size());
  for (std::size_t i = 0; i < abs_std.size(); ++i)
    abs_std[i] = std::abs(s.innovations[i]) / (scale * std::sqrt(s.variances[i]));
  return {conformal_quantile(abs_std, 0.8), conformal_quantile(abs_std, 0.95)};
}

Forecast make_forecast(const DailySeries& series, std::size_t t, double mean, double sd,
                       std::pair<double, double> k) {
  auto back = [&](double z) { return series.clamp(from_model_scale(z, series.kind)); };
  const auto day = series.day(t);
  return Forecast{day, back(mean), back(mean - k.first * sd), back(mean + k.first * sd),
                  back(mean - k.second * sd), back(mean + k.second * sd)};
}

std::size_t observed(std::span<const double> v) {
  return static_cast<std::size_t>(std::count_if(v.begin(), v.end(), [](double x) { return std::isfinite(x); }));
}

void require_history(const DailySeries& s, int min_days) {
  const std::size_t have = s.observed_days();
  if (have < static_cast<std::size_t>(min_days))
    throw NotEnoughData(fmt::format("not enough history to forecast {} (needs {} days with data, has {})", s.name,
                                    min_days, have));
}

}  // namespace

StructuralModelParams StructuralModel::fit(std::span<const double> all_days, const RegressorColumns& all_regressors,
                                           StructuralModelParams start) const {
  // The variances describe the person's recent behaviour: estimate them on
  // the last fit_window_days only, which also keeps the cost per fit bounded.
  const std::size_t skip = all_days.size() > static_cast<std::size_t>(options_.fit_window_days)
                               ? all_days.size() - static_cast<std::size_t>(options_.fit_window_days)
                               : 0;
  const auto scaled = all_days.subspan(skip);
  RegressorColumns regressors;
  for (const auto& column : all_regressors)
    regressors.emplace_back(column.begin() + static_cast<long>(std::min(skip, column.size())), column.end());
  const bool weekly = options_.weekly;
  auto objective = [&](const std::vector<double>& x) {
    const StructuralModelParams p{x[0], weekly ? x[1] : start.log_q_week};
    const double prior = 0.5 * std::pow((x[0] - std::log(0.05)) / 2.0, 2);
    const double log_likelihood = with_state_size(weekly, regressors.size(), [&](auto size) {
      return run_filter(make_setup<size()>(p, scaled, regressors), scaled).concentrated_log_likelihood();
    });
    return -log_likelihood + prior;
  };
  const unsigned dims = weekly ? 2 : 1;
  nlopt::opt opt(nlopt::LN_BOBYQA, dims);
  opt.set_lower_bounds(std::vector<double>(dims, -14));
  opt.set_upper_bounds(weekly ? std::vector<double>{3, 1} : std::vector<double>{3});
  opt.set_min_objective(
      [](const std::vector<double>& x, std::vector<double>&, void* data) {
        return (*static_cast<decltype(objective)*>(data))(x);
      },
      &objective);
  opt.set_xtol_abs(1e-3);
  opt.set_maxeval(200);
  std::vector<double> x{std::clamp(start.log_q_level, -14.0, 3.0)};
  if (weekly) x.push_back(std::clamp(start.log_q_week, -14.0, 1.0));
  double best = 0;
  try {
    opt.optimize(x, best);
  } catch (const nlopt::roundoff_limited&) {
    // BOBYQA stopped on rounding: x holds the best point it reached.
  }
  return {x[0], weekly ? x[1] : start.log_q_week};
}

std::vector<Forecast> StructuralModel::forecast(const DailySeries& series, int horizon) const {
  require_history(series, options_.min_history_days);
  // The horizon's days are appended as missing: the filter then only
  // propagates the state, and its predictions of them are the forecasts.
  auto scaled = model_scale(series);
  const std::size_t n = scaled.size();
  const auto regressors = regressors_of(series, options_.covariates);
  const auto params = fit(scaled, regressors);
  return with_state_size(options_.weekly, regressors.size(), [&](auto size) {
    const auto setup = forecasting_setup<size()>(params, scaled, regressors);
    const FilterSummary s = run_filter(setup, scaled);
    const auto k = interval_multipliers(s, options_.empirical_errors_from);
    const double scale = std::sqrt(s.scale2());
    scaled.resize(n + static_cast<std::size_t>(horizon), missing);
    std::vector<Forecast> out;
    run_filter(setup, scaled, [&](std::size_t t, const Prediction& p) {
      if (t >= n) out.push_back(make_forecast(series, t, p.mean, scale * std::sqrt(p.variance), k));
    });
    return out;
  });
}

std::vector<Forecast> StructuralModel::one_day_ahead(const DailySeries& series, std::size_t first_target) const {
  const auto scaled = model_scale(series);
  std::vector<Forecast> out(series.values.size());
  for (std::size_t t = 0; t < out.size(); ++t) out[t].day = series.day(t);
  StructuralModelParams params;
  const auto regressors = regressors_of(series, options_.covariates);
  const auto block = static_cast<std::size_t>(options_.refit_every_days);
  std::size_t origin = first_target;
  while (origin < scaled.size() && observed(std::span<const double>(scaled.data(), origin)) <
                                       static_cast<std::size_t>(options_.min_history_days))
    ++origin;  // the first origin with enough history
  for (; origin < scaled.size(); origin += block) {
    const std::span<const double> past(scaled.data(), origin);
    params = fit(past, regressors, params);
    const std::size_t block_end = std::min(origin + block, scaled.size());
    with_state_size(options_.weekly, regressors.size(), [&](auto size) {
      const auto setup = forecasting_setup<size()>(params, past, regressors);
      const FilterSummary s = run_filter(setup, past);
      const auto k = interval_multipliers(s, options_.empirical_errors_from);
      const double scale = std::sqrt(s.scale2());
      run_filter(setup, std::span<const double>(scaled.data(), block_end), [&](std::size_t t, const Prediction& p) {
        if (t >= origin) out[t] = make_forecast(series, t, p.mean, scale * std::sqrt(p.variance), k);
      });
    });
  }
  return out;
}

}  // namespace medtwin::baseline
