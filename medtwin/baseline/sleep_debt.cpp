#include "medtwin/baseline/sleep_debt.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/baseline/personal_baseline.hpp"

namespace medtwin::baseline {

double sleep_need_hours(const DailySeries& sleep_hours, std::size_t day) {
  const auto b = personal_baseline(sleep_hours, day);
  return b.long_median ? std::clamp(*b.long_median, 7.0, 9.0) : 8.0;
}

std::optional<double> sleep_debt_hours(const DailySeries& sleep_hours, std::size_t day, double need) {
  double debt = 0;
  int nights = 0;
  for (std::size_t i = day >= 6 ? day - 6 : 0; i <= day && i < sleep_hours.values.size(); ++i)
    if (const double h = sleep_hours.values[i]; std::isfinite(h)) debt += std::max(0.0, need - h), ++nights;
  if (nights < 4) return std::nullopt;
  return debt * 7 / nights;
}

}  // namespace medtwin::baseline
