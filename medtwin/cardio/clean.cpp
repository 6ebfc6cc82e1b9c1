#include "medtwin/cardio/clean.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "medtwin/cardio/cycles.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/signal/filter.hpp"

namespace medtwin::cardio {

std::vector<double> clean_ecg(std::span<const double> lead, double rate_hz, const CleanParams& params) {
  if (!(rate_hz > 2 * params.highpass_hz))
    throw Error(fmt::format("ECG cleaning: the sampling rate {} Hz is too low for a {} Hz high-pass", rate_hz,
                            params.highpass_hz));
  Bridged bridged;
  try {
    bridged = bridge_gaps(lead, "ECG");
  } catch (const NotEnoughData&) {
    return {lead.begin(), lead.end()};  // nothing finite: nothing to clean
  }
  signal::Sos filters = signal::butterworth_highpass(params.highpass_order, params.highpass_hz, rate_hz);
  for (double line_hz : {50.0, 60.0})
    if (line_hz < 0.9 * rate_hz / 2) filters.push_back(signal::notch(line_hz, params.notch_q, rate_hz));
  std::vector<double> out = signal::sos_filtfilt(filters, bridged.samples);
  for (const Gap& g : bridged.gaps)
    for (auto i = g.begin; i < g.end; ++i) out[static_cast<std::size_t>(i)] = std::numeric_limits<double>::quiet_NaN();
  return out;
}

}  // namespace medtwin::cardio
