#include "medtwin/signal/interpolate.hpp"

#include <array>
#include <cmath>
#include <string>

#include "medtwin/core/error.hpp"

namespace medtwin::signal {
namespace {

constexpr int max_degree = 3;

int degree_of(Interpolation method) {
  switch (method) {
    case Interpolation::linear: return 1;
    case Interpolation::quadratic_spline: return 2;
    case Interpolation::cubic_spline: return 3;
  }
  throw Error("resample_regular: unknown interpolation method");
}

void check_input(std::span<const double> x, std::span<const double> y, double rate, int degree) {
  if (x.size() != y.size())
    throw Error("resample_regular: " + std::to_string(x.size()) + " x values but " + std::to_string(y.size()) +
                " y values");
  const auto needed = static_cast<std::size_t>(degree) + 1;
  if (x.size() < needed)
    throw NotEnoughData("resample_regular: degree-" + std::to_string(degree) + " interpolation needs at least " +
                        std::to_string(needed) + " points, got " + std::to_string(x.size()));
  if (!(rate > 0) || !std::isfinite(rate)) throw Error("resample_regular: the rate must be positive and finite");
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw Error("resample_regular: point " + std::to_string(i) + " is not finite");
    if (i > 0 && !(x[i] > x[i - 1]))
      throw Error("resample_regular: x must increase strictly (x[" + std::to_string(i) + "] <= x[" +
                  std::to_string(i - 1) + "])");
  }
}

// Knot vector of the interpolating spline of `degree` (2 or 3) through x,
// as scipy.interpolate.make_interp_spline chooses it (see the header).
std::vector<double> spline_knots(std::span<const double> x, int degree) {
  const std::size_t n = x.size();
  std::vector<double> t(static_cast<std::size_t>(degree) + 1, x.front());
  if (degree == 2) {
    for (std::size_t i = 1; i + 2 < n; ++i) t.push_back((x[i] + x[i + 1]) / 2);
  } else {
    for (std::size_t i = 2; i + 2 < n; ++i) t.push_back(x[i]);
  }
  t.insert(t.end(), static_cast<std::size_t>(degree) + 1, x.back());
  return t;  // n + degree + 1 knots, n coefficients
}

// The degree + 1 B-splines that are non-zero on [t[mu], t[mu+1]), at v:
// b[j] = B_{mu−degree+j}(v). de Boor's BSPLVB recurrence (Guide, ch. X).
std::array<double, max_degree + 1> bspline_values(const std::vector<double>& t, std::size_t mu, int degree,
                                                  double v) {
  std::array<double, max_degree + 1> b{1.0};
  std::array<double, max_degree + 1> left{}, right{};
  for (int j = 1; j <= degree; ++j) {
    left[j] = v - t[mu + 1 - j];
    right[j] = t[mu + j] - v;
    double saved = 0;
    for (int r = 0; r < j; ++r) {
      const double term = b[r] / (right[r + 1] + left[j - r]);
      b[r] = saved + right[r + 1] * term;
      saved = left[j - r] * term;
    }
    b[j] = saved;
  }
  return b;
}

// Knot interval of v for coefficients 0…n−1: degree ≤ mu ≤ n − 1 with
// t[mu] ≤ v < t[mu+1] (the last interval is closed). `mu` is a hint that
// only moves forward, so increasing queries cost O(1) amortised.
std::size_t find_interval(const std::vector<double>& t, std::size_t n, double v, std::size_t mu) {
  while (mu + 1 < n && v >= t[mu + 1]) ++mu;
  return mu;
}

// B-spline coefficients of the interpolant: the collocation matrix
// A[i][j] = B_j(x_i) has non-zeros only for |i − j| ≤ degree, so it is
// stored as a band and factored by Gaussian elimination without pivoting
// (safe: the matrix is totally positive, de Boor & Pinkus 1977).
std::vector<double> spline_coefficients(std::span<const double> x, std::span<const double> y,
                                        const std::vector<double>& t, int degree) {
  const std::size_t n = x.size();
  const auto band = static_cast<std::size_t>(degree);
  const std::size_t width = 2 * band + 1;
  std::vector<double> a(n * width, 0.0);  // a[i*width + (j − i + band)] = A[i][j]
  auto at = [&](std::size_t i, std::size_t j) -> double& { return a[i * width + (j + band - i)]; };

  std::size_t mu = static_cast<std::size_t>(degree);
  for (std::size_t i = 0; i < n; ++i) {
    mu = find_interval(t, n, x[i], mu);
    const auto b = bspline_values(t, mu, degree, x[i]);
    for (int r = 0; r <= degree; ++r) at(i, mu - band + static_cast<std::size_t>(r)) = b[r];
  }

  std::vector<double> c(y.begin(), y.end());
  for (std::size_t k = 0; k < n; ++k) {
    const double pivot = at(k, k);
    if (pivot == 0) throw Error("resample_regular: singular spline system (x values too close together)");
    for (std::size_t i = k + 1; i < std::min(n, k + band + 1); ++i) {
      const double factor = at(i, k) / pivot;
      if (factor == 0) continue;
      for (std::size_t j = k; j < std::min(n, k + band + 1); ++j) at(i, j) -= factor * at(k, j);
      c[i] -= factor * c[k];
    }
  }
  for (std::size_t k = n; k-- > 0;) {
    double sum = c[k];
    for (std::size_t j = k + 1; j < std::min(n, k + band + 1); ++j) sum -= at(k, j) * c[j];
    c[k] = sum / at(k, k);
  }
  return c;
}

std::vector<double> resample_spline(std::span<const double> x, std::span<const double> y, double x_start,
                                    double rate, std::size_t count, int degree) {
  const auto t = spline_knots(x, degree);
  const auto c = spline_coefficients(x, y, t, degree);
  const std::size_t n = x.size();
  std::vector<double> out(count);
  std::size_t mu = static_cast<std::size_t>(degree);
  for (std::size_t k = 0; k < count; ++k) {
    const double v = x_start + static_cast<double>(k) / rate;
    if (v < x.front()) {
      out[k] = y.front();
    } else if (v > x.back()) {
      out[k] = y.back();
    } else {
      mu = find_interval(t, n, v, mu);
      const auto b = bspline_values(t, mu, degree, v);
      double sum = 0;
      for (int r = 0; r <= degree; ++r) sum += c[mu - static_cast<std::size_t>(degree) + r] * b[r];
      out[k] = sum;
    }
  }
  return out;
}

std::vector<double> resample_linear(std::span<const double> x, std::span<const double> y, double x_start,
                                    double rate, std::size_t count) {
  std::vector<double> out(count);
  std::size_t i = 0;  // x[i] <= v < x[i+1]
  for (std::size_t k = 0; k < count; ++k) {
    const double v = x_start + static_cast<double>(k) / rate;
    if (v <= x.front()) {
      out[k] = y.front();
    } else if (v >= x.back()) {
      out[k] = y.back();
    } else {
      while (v >= x[i + 1]) ++i;
      out[k] = y[i] + (y[i + 1] - y[i]) * (v - x[i]) / (x[i + 1] - x[i]);
    }
  }
  return out;
}

}  // namespace

std::vector<double> resample_regular(std::span<const double> x, std::span<const double> y, double x_start,
                                     double rate, std::size_t count, Interpolation method) {
  const int degree = degree_of(method);
  check_input(x, y, rate, degree);
  if (!std::isfinite(x_start)) throw Error("resample_regular: the grid start must be finite");
  if (degree == 1) return resample_linear(x, y, x_start, rate, count);
  return resample_spline(x, y, x_start, rate, count, degree);
}

}  // namespace medtwin::signal
