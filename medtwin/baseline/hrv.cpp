#include "medtwin/baseline/hrv.hpp"

#include <algorithm>
#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin::baseline {

std::vector<SuccessiveDifference> clean_successive_differences(std::span<const TimedValue> rr, const RrRules& rules) {
  std::vector<TimedValue> beats(rr.begin(), rr.end());
  for (const auto& b : beats)
    if (!std::isfinite(b.value)) throw Error("RR intervals must be numbers");
  std::sort(beats.begin(), beats.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
  const auto plausible = [&](double v) { return v >= rules.min_rr_ms && v <= rules.max_rr_ms; };
  std::vector<SuccessiveDifference> out;
  for (std::size_t i = 1; i < beats.size(); ++i) {
    const auto& a = beats[i - 1];
    const auto& b = beats[i];
    const double gap_ms = std::chrono::duration<double, std::milli>(b.time - a.time).count();
    const double change = b.value - a.value;
    if (plausible(a.value) && plausible(b.value) && gap_ms > 0 && gap_ms < 1.5 * b.value &&
        std::abs(change) <= rules.max_successive_change * a.value)
      out.push_back({b.time, change * change});
  }
  return out;
}

}  // namespace medtwin::baseline
