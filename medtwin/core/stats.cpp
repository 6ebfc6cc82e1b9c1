#include "medtwin/core/stats.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace medtwin {
namespace {

std::vector<double> finite_values(std::span<const double> values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values)
    if (std::isfinite(v)) out.push_back(v);
  return out;
}

// Type-7 quantile of non-empty values, which it reorders: the order
// statistics either side of h = (n − 1)·p by selection, O(n).
double quantile_in_place(std::vector<double>& v, double p) {
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto at = v.begin() + static_cast<std::ptrdiff_t>(lo);
  std::nth_element(v.begin(), at, v.end());
  const double below = *at;
  const double above = lo + 1 < v.size() ? *std::min_element(at + 1, v.end()) : below;
  return below + (h - static_cast<double>(lo)) * (above - below);
}

}  // namespace

std::optional<double> mean(std::span<const double> values) {
  double sum = 0;
  std::size_t n = 0;
  for (double v : values)
    if (std::isfinite(v)) sum += v, ++n;
  if (n == 0) return std::nullopt;
  return sum / static_cast<double>(n);
}

std::optional<double> quantile(std::span<const double> values, double p) {
  if (!(p >= 0 && p <= 1)) throw std::invalid_argument("quantile: p must lie in [0, 1]");
  auto v = finite_values(values);
  if (v.empty()) return std::nullopt;
  return quantile_in_place(v, p);
}

std::optional<double> median(std::span<const double> values) { return quantile(values, 0.5); }

double select_in_place(std::span<double> values, double p) {
  if (values.empty()) throw std::invalid_argument("select_in_place: no values");
  if (!(p >= 0 && p <= 1)) throw std::invalid_argument("select_in_place: p must lie in [0, 1]");
  const auto rank = values.begin() + static_cast<std::ptrdiff_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  std::nth_element(values.begin(), rank, values.end());
  return *rank;
}

std::optional<double> median_absolute_deviation(std::span<const double> values) {
  const auto centre = median(values);
  if (!centre) return std::nullopt;
  auto deviations = finite_values(values);
  for (double& d : deviations) d = std::abs(d - *centre);
  return median(deviations);
}

std::optional<double> standard_deviation(std::span<const double> values) {
  const auto m = mean(values);
  double sum_sq = 0;
  std::size_t n = 0;
  for (double v : values)
    if (std::isfinite(v)) sum_sq += (v - *m) * (v - *m), ++n;
  if (n < 2) return std::nullopt;
  return std::sqrt(sum_sq / static_cast<double>(n - 1));
}

namespace {

// Means and summed (co)deviations over the pairs where both are finite.
struct PairMoments {
  std::size_t n = 0;
  double mean_a = 0, mean_b = 0, ab = 0, aa = 0, bb = 0;
};

PairMoments pair_moments(std::span<const double> a, std::span<const double> b, const char* what) {
  if (a.size() != b.size()) throw std::invalid_argument(std::string(what) + ": the series differ in length");
  PairMoments m;
  double sum_a = 0, sum_b = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::isfinite(a[i]) && std::isfinite(b[i])) sum_a += a[i], sum_b += b[i], ++m.n;
  if (m.n == 0) return m;
  m.mean_a = sum_a / static_cast<double>(m.n), m.mean_b = sum_b / static_cast<double>(m.n);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!std::isfinite(a[i]) || !std::isfinite(b[i])) continue;
    const double da = a[i] - m.mean_a, db = b[i] - m.mean_b;
    m.ab += da * db, m.aa += da * da, m.bb += db * db;
  }
  return m;
}

}  // namespace

std::optional<double> pearson_correlation(std::span<const double> a, std::span<const double> b) {
  const auto m = pair_moments(a, b, "pearson_correlation");
  if (m.n < 2 || !(m.aa > 0 && m.bb > 0)) return std::nullopt;
  return m.ab / std::sqrt(m.aa * m.bb);
}

std::optional<double> concordance_correlation(std::span<const double> a, std::span<const double> b) {
  const auto m = pair_moments(a, b, "concordance_correlation");
  const double n = static_cast<double>(m.n), shift = m.mean_a - m.mean_b;
  const double denominator = (m.aa + m.bb) / n + shift * shift;
  if (m.n < 2 || !(denominator > 0)) return std::nullopt;
  return 2 * m.ab / n / denominator;
}

std::optional<double> theil_sen_slope(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) throw std::invalid_argument("theil_sen_slope: x and y differ in length");
  std::vector<double> slopes;
  for (std::size_t i = 0; i < x.size(); ++i)
    for (std::size_t j = i + 1; j < x.size(); ++j)
      if (std::isfinite(y[i]) && std::isfinite(y[j]) && x[j] != x[i]) slopes.push_back((y[j] - y[i]) / (x[j] - x[i]));
  return median(slopes);
}

}  // namespace medtwin
