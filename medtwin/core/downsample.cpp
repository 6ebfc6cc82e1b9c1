#include "medtwin/core/downsample.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin {

MinMaxThinner::MinMaxThinner(double from, double to, std::size_t max_points) : from_(from), to_(to) {
  if (!(to > from) || !std::isfinite(to - from)) throw Error("thinning: an empty or infinite time span");
  if (max_points < 2) throw Error("thinning: at least two points");
  buckets_.resize(max_points / 2);
}

void MinMaxThinner::add(double t, double value) {
  if (!(t >= from_ && t <= to_) || !std::isfinite(value)) return;
  ++added_;
  const double share = (t - from_) / (to_ - from_);
  const auto index = std::min(buckets_.size() - 1, static_cast<std::size_t>(share * static_cast<double>(buckets_.size())));
  auto& b = buckets_[index];
  const Point p{t, value};
  if (!b.used) {
    b = {p, p, true};
    return;
  }
  if (value < b.low.value || (value == b.low.value && t < b.low.t)) b.low = p;
  if (value > b.high.value || (value == b.high.value && t < b.high.t)) b.high = p;
}

std::vector<MinMaxThinner::Point> MinMaxThinner::points() const {
  std::vector<Point> out;
  for (const auto& b : buckets_) {
    if (!b.used) continue;
    const bool low_first = b.low.t <= b.high.t;
    out.push_back(low_first ? b.low : b.high);
    if (b.low.t != b.high.t || b.low.value != b.high.value) out.push_back(low_first ? b.high : b.low);
  }
  return out;
}

}  // namespace medtwin
