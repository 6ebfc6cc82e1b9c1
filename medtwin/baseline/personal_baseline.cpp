#include "medtwin/baseline/personal_baseline.hpp"

#include <algorithm>
#include <vector>

#include "medtwin/core/stats.hpp"

namespace medtwin::baseline {
namespace {

// The observed values of the `window` days before `day`.
std::vector<double> window_before(const DailySeries& s, std::size_t day, int window) {
  const std::size_t from = day >= static_cast<std::size_t>(window) ? day - static_cast<std::size_t>(window) : 0;
  std::vector<double> out;
  for (std::size_t i = from; i < day && i < s.values.size(); ++i)
    if (std::isfinite(s.values[i])) out.push_back(s.values[i]);
  return out;
}

std::optional<double> trend_per_week(const DailySeries& s, std::size_t day, int window) {
  const std::size_t from = day >= static_cast<std::size_t>(window) ? day - static_cast<std::size_t>(window) : 0;
  std::vector<double> x, y;
  for (std::size_t i = from; i < day && i < s.values.size(); ++i) {
    x.push_back(static_cast<double>(i));
    y.push_back(s.values[i]);
  }
  if (std::count_if(y.begin(), y.end(), [](double v) { return std::isfinite(v); }) < window / 2) return std::nullopt;
  const auto slope = theil_sen_slope(x, y);
  return slope ? std::optional(*slope * 7) : std::nullopt;
}

}  // namespace

PersonalBaseline personal_baseline(const DailySeries& series, std::size_t day, const BaselineOptions& options) {
  PersonalBaseline b;
  if (day < series.values.size()) b.value = series.values[day];
  const auto long_window = window_before(series, day, options.long_window_days);
  const auto short_window = window_before(series, day, options.short_window_days);
  b.long_days = static_cast<int>(long_window.size());
  b.short_days = static_cast<int>(short_window.size());
  if (b.long_days >= options.min_long_days) {
    b.long_median = median(long_window);
    const double spread = *median_absolute_deviation(long_window) * mad_to_sd;
    if (spread > 0) b.long_spread = spread;
  }
  if (b.short_days >= options.min_short_days) b.short_median = median(short_window);
  if (b.long_median && b.long_spread) {
    if (std::isfinite(b.value)) b.z = (b.value - *b.long_median) / *b.long_spread;
    if (b.short_median) b.short_vs_long = (*b.short_median - *b.long_median) / *b.long_spread;
  }
  b.trend_per_week = trend_per_week(series, day, options.trend_window_days);
  return b;
}

}  // namespace medtwin::baseline
