// Sleep need and sleep debt from a daily series of sleep hours (one value per
// wake day): the same definitions for readiness and for the forecaster's
// covariate, so that "debt" means one thing everywhere.
#pragma once

#include <cstddef>
#include <optional>

#include "medtwin/baseline/daily_series.hpp"

namespace medtwin::baseline {

// The person's sleep need on day `day`: their median over the 60 nights
// before it, kept inside the 7–9 h the NSF recommends for adults (Hirshkowitz
// et al. 2015); 8 h until 14 nights are known.
double sleep_need_hours(const DailySeries& sleep_hours, std::size_t day);

// Hours slept short of `need` over the 7 nights ending on day `day`; nights
// without data are left out and the sum scaled to 7 nights. nullopt with
// fewer than 4 nights.
std::optional<double> sleep_debt_hours(const DailySeries& sleep_hours, std::size_t day, double need);

}  // namespace medtwin::baseline
