#include "medtwin/baseline/backtest.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/core/stats.hpp"

namespace medtwin::baseline {
namespace {

// The last observed value before day t.
double persistence(const DailySeries& s, std::size_t t) {
  for (std::size_t i = t; i-- > 0;)
    if (std::isfinite(s.values[i])) return s.values[i];
  return missing;
}

// Mean of the observed values in the 7 days before t (mean() skips the missing).
double mean7(const DailySeries& s, std::size_t t) {
  const std::size_t from = t >= 7 ? t - 7 : 0;
  return mean(std::span<const double>(s.values).subspan(from, t - from)).value_or(missing);
}

double mean_over(const std::vector<ScoredDay>& days, double ScoredDay::*field) {
  std::vector<double> v;
  for (const auto& d : days) v.push_back(d.*field);
  return mean(v).value_or(missing);
}

double share(const std::vector<ScoredDay>& days, bool ScoredDay::*field) {
  if (days.empty()) return missing;
  const auto hits = std::count_if(days.begin(), days.end(), [&](const ScoredDay& d) { return d.*field; });
  return static_cast<double>(hits) / static_cast<double>(days.size());
}

}  // namespace

std::size_t first_scored_day(const DailySeries& s, int min_days) {
  int seen = 0;
  for (std::size_t t = 0; t < s.values.size(); ++t)
    if (std::isfinite(s.values[t]) && ++seen == min_days) return t + 1;
  return s.values.size();
}

double BacktestScores::mae() const { return mean_over(days, &ScoredDay::abs_error); }
double BacktestScores::mae_persistence() const { return mean_over(days, &ScoredDay::abs_error_persistence); }
double BacktestScores::mae_mean7() const { return mean_over(days, &ScoredDay::abs_error_mean7); }
double BacktestScores::coverage80() const { return share(days, &ScoredDay::inside80); }
double BacktestScores::coverage95() const { return share(days, &ScoredDay::inside95); }

BacktestScores backtest(const DailySeries& series, const Forecaster& forecaster, const BacktestOptions& options) {
  const std::size_t first = first_scored_day(series, options.min_history_days);
  return score_forecasts(series, forecaster.one_day_ahead(series, first), first, forecaster.name());
}

BacktestScores score_forecasts(const DailySeries& series, const std::vector<Forecast>& forecasts, std::size_t first,
                               const std::string& model) {
  BacktestScores scores{series.name, model, {}};
  for (std::size_t t = first; t < series.values.size(); ++t) {
    const double actual = series.values[t];
    const Forecast& f = forecasts[t];
    const double naive = persistence(series, t), week = mean7(series, t);
    if (!std::isfinite(actual) || !std::isfinite(f.point) || !std::isfinite(naive) || !std::isfinite(week)) continue;
    scores.days.push_back({series.day(t), std::abs(f.point - actual), std::abs(naive - actual),
                           std::abs(week - actual), actual >= f.lo80 && actual <= f.hi80,
                           actual >= f.lo95 && actual <= f.hi95});
  }
  return scores;
}

}  // namespace medtwin::baseline
