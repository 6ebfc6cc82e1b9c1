// libFuzzer target for the whole ECG analysis (medtwin/twin/ecg_report.hpp):
// byte 0 picks the sampling rate (50–1000 Hz), byte 1 the number of leads (1
// to 4; more than 2 go through the lead choice, and lead 0 is named "II"), the
// rest are little-endian int16 samples in µV, interleaved by lead —
// flat lines, clipping, pure noise, a second of signal, spikes; −32768 is a
// missing sample (NaN), as WFDB marks invalid ones. The analysis
// must finish with a report or a medtwin::Error, and every beat it reports
// must lie inside the recording, in order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>

#include "medtwin/core/error.hpp"
#include "medtwin/twin/ecg_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  medtwin::Signal ecg;
  ecg.kind = "ECG";
  ecg.sample_rate_hz = 50 + (data[0] % 96) * 10;
  const std::size_t leads = 1 + data[1] % 4;
  for (std::size_t l = 0; l < leads; ++l) ecg.channels.push_back({l == 0 ? "II" : "lead" + std::to_string(l), "mV"});
  ecg.samples.resize(leads);
  for (std::size_t i = 2; i + 2 * leads <= size; i += 2 * leads)
    for (std::size_t l = 0; l < leads; ++l) {
      const auto raw = static_cast<std::int16_t>(data[i + 2 * l] | (data[i + 2 * l + 1] << 8));
      ecg.samples[l].push_back(raw == INT16_MIN ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(raw) / 1000);
    }
  try {
    const medtwin::EcgReport report = medtwin::analyse_ecg(ecg, std::nullopt);
    const auto n = static_cast<std::int64_t>(ecg.samples[0].size());
    for (std::size_t i = 0; i < report.r_peaks.size(); ++i)
      if (report.r_peaks[i] < 0 || report.r_peaks[i] >= n || (i > 0 && report.r_peaks[i] <= report.r_peaks[i - 1]))
        std::abort();
  } catch (const medtwin::Error&) {
  }
  return 0;
}
