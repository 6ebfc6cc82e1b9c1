#include "medtwin/core/downsample.hpp"

#include <algorithm>

#include "medtwin/core/error.hpp"

namespace medtwin {

std::vector<std::size_t> min_max_thinning(std::span<const double> times, std::span<const double> values,
                                          std::size_t max_points) {
  if (times.size() != values.size()) throw Error("thinning: times and values differ in length");
  const std::size_t n = times.size();
  std::vector<std::size_t> kept;
  if (n <= max_points) {
    for (std::size_t i = 0; i < n; ++i) kept.push_back(i);
    return kept;
  }
  if (max_points == 0) return kept;
  const std::size_t buckets = std::max<std::size_t>(1, max_points / 2);
  const double start = times.front(), span = std::max(times.back() - start, 1e-300);
  std::size_t i = 0;
  for (std::size_t b = 0; b < buckets && i < n; ++b) {
    const double end = b + 1 == buckets ? times.back() : start + span * static_cast<double>(b + 1) / static_cast<double>(buckets);
    std::size_t low = i, high = i;
    for (; i < n && (times[i] < end || b + 1 == buckets); ++i) {
      if (values[i] < values[low]) low = i;
      if (values[i] > values[high]) high = i;
    }
    if (max_points < 2) {
      kept.push_back(high);
      continue;
    }
    kept.push_back(std::min(low, high));
    if (low != high) kept.push_back(std::max(low, high));
  }
  return kept;
}

}  // namespace medtwin
