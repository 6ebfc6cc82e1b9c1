// Robust descriptive statistics shared by the domain modules: median, MAD,
// quantiles (Hyndman & Fan 1996 type 7, the default of R and NumPy), mean.
// Every function takes the values by span and ignores NaN (missing) values.
#pragma once

#include <optional>
#include <span>

namespace medtwin {

// Scale factor that makes the MAD a consistent estimator of a normal
// distribution's standard deviation: 1 / Phi^-1(3/4) (Rousseeuw & Croux 1993).
inline constexpr double mad_to_sd = 1.482602218505602;

// Each returns nullopt when no finite value is present.
std::optional<double> mean(std::span<const double> values);
std::optional<double> median(std::span<const double> values);
// Median absolute deviation from the median, unscaled.
std::optional<double> median_absolute_deviation(std::span<const double> values);
// Sample quantile at probability p in [0, 1] (linear interpolation, type 7).
std::optional<double> quantile(std::span<const double> values, double p);
// The value of rank round(p·(n − 1)) among the values (no interpolation;
// p = 0.5 gives the upper median of an even count), found by selection in
// O(n) with the values reordered in place: for hot loops over small windows.
// The caller keeps NaN out (unlike the functions above). Throws
// std::invalid_argument when empty or p is outside [0, 1].
double select_in_place(std::span<double> values, double p);
// Sample standard deviation (n - 1 denominator); nullopt for fewer than 2 values.
std::optional<double> standard_deviation(std::span<const double> values);

// Pearson's correlation of two equally long series over the pairs where both
// are finite; nullopt when fewer than 2 such pairs or either side is constant
// there. Throws std::invalid_argument for unequal lengths.
std::optional<double> pearson_correlation(std::span<const double> a, std::span<const double> b);

// Lin's concordance correlation coefficient (Lin 1989, Biometrics 45:255):
// 2·s_ab/(s_a² + s_b² + (ā − b̄)²), agreement with the line of identity, over
// the pairs where both are finite; nullopt when fewer than 2 such pairs or
// both sides are one constant. Throws std::invalid_argument for unequal lengths.
std::optional<double> concordance_correlation(std::span<const double> a, std::span<const double> b);

// Theil–Sen slope (Theil 1950; Sen 1968): the median of the slopes between
// all pairs of points with distinct x, skipping NaN y. nullopt when no pair has.
std::optional<double> theil_sen_slope(std::span<const double> x, std::span<const double> y);

}  // namespace medtwin
