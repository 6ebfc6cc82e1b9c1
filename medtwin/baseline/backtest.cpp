#include "medtwin/baseline/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace medtwin::baseline {
namespace {

double mean_of(const std::vector<double>& v) {
  return v.empty() ? missing : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}
double share(const std::vector<bool>& v) {
  return v.empty() ? missing : static_cast<double>(std::count(v.begin(), v.end(), true)) / static_cast<double>(v.size());
}

// The last observed value before day t.
double persistence(const DailySeries& s, std::size_t t) {
  for (std::size_t i = t; i-- > 0;)
    if (std::isfinite(s.values[i])) return s.values[i];
  return missing;
}

// Mean of the observed values in the 7 days before t.
double mean7(const DailySeries& s, std::size_t t) {
  std::vector<double> week;
  for (std::size_t i = t >= 7 ? t - 7 : 0; i < t; ++i)
    if (std::isfinite(s.values[i])) week.push_back(s.values[i]);
  return mean_of(week);
}

}  // namespace

std::size_t first_scored_day(const DailySeries& s, int min_days) {
  int seen = 0;
  for (std::size_t t = 0; t < s.values.size(); ++t)
    if (std::isfinite(s.values[t]) && ++seen == min_days) return t + 1;
  return s.values.size();
}

double BacktestScores::mae() const { return mean_of(abs_error); }
double BacktestScores::mae_persistence() const { return mean_of(abs_error_persistence); }
double BacktestScores::mae_mean7() const { return mean_of(abs_error_mean7); }
double BacktestScores::coverage80() const { return share(inside80); }
double BacktestScores::coverage95() const { return share(inside95); }

void BacktestScores::push(std::chrono::local_days day, double error, double error_persistence, double error_mean7,
                          bool in80, bool in95) {
  days.push_back(day);
  abs_error.push_back(error);
  abs_error_persistence.push_back(error_persistence);
  abs_error_mean7.push_back(error_mean7);
  inside80.push_back(in80);
  inside95.push_back(in95);
}

void BacktestScores::append(const BacktestScores& o) {
  days.insert(days.end(), o.days.begin(), o.days.end());
  abs_error.insert(abs_error.end(), o.abs_error.begin(), o.abs_error.end());
  abs_error_persistence.insert(abs_error_persistence.end(), o.abs_error_persistence.begin(), o.abs_error_persistence.end());
  abs_error_mean7.insert(abs_error_mean7.end(), o.abs_error_mean7.begin(), o.abs_error_mean7.end());
  inside80.insert(inside80.end(), o.inside80.begin(), o.inside80.end());
  inside95.insert(inside95.end(), o.inside95.begin(), o.inside95.end());
}

BacktestScores backtest(const DailySeries& series, const Forecaster& forecaster, const BacktestOptions& options) {
  const std::size_t first = first_scored_day(series, options.min_history_days);
  return score_forecasts(series, forecaster.one_day_ahead(series, first), first, forecaster.name());
}

BacktestScores score_forecasts(const DailySeries& series, const std::vector<Forecast>& forecasts, std::size_t first,
                               const std::string& model) {
  BacktestScores scores;
  scores.metric = series.name, scores.model = model;
  for (std::size_t t = first; t < series.values.size(); ++t) {
    const double actual = series.values[t];
    const Forecast& f = forecasts[t];
    const double naive = persistence(series, t), week = mean7(series, t);
    if (!std::isfinite(actual) || !std::isfinite(f.point) || !std::isfinite(naive) || !std::isfinite(week)) continue;
    scores.push(series.day(t), std::abs(f.point - actual), std::abs(naive - actual), std::abs(week - actual),
                actual >= f.lo80 && actual <= f.hi80, actual >= f.lo95 && actual <= f.hi95);
  }
  return scores;
}

}  // namespace medtwin::baseline
