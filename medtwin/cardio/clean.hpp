// An ECG lead cleaned for reading: baseline wander removed by a zero-phase
// high-pass at 0.67 Hz, and powerline hum (50 and 60 Hz) by zero-phase
// notches. The AHA/ACCF/HRS recommendations allow a low-frequency cut-off of
// up to 0.67 Hz when the filter has no phase distortion, as a forward–backward
// filter has (Kligfield et al. 2007, Circulation 115:1306–1324); the notch
// follows Orfanidis 1996 (signal::notch). The analysis stages filter for
// their own purposes; this is what a person looks at (the `--plot` strip).
// O(n).
#pragma once

#include <span>
#include <vector>

namespace medtwin::cardio {

struct CleanParams {
  double highpass_hz = 0.67;  // Hz, Kligfield et al. 2007
  int highpass_order = 2;     // Butterworth prototype order (run twice: zero phase)
  double notch_q = 30;        // quality factor of each notch: −3 dB band 50/30 ≈ 1.7 Hz wide
};

// The cleaned lead (mV). Non-finite samples stay non-finite (a gap is drawn as
// a gap); the filters run over them as over the straight line between their
// neighbours. A notch is applied only below 0.9 × the Nyquist frequency.
// Throws medtwin::Error for a rate ≤ 2 × highpass_hz or an empty lead.
std::vector<double> clean_ecg(std::span<const double> lead, double rate_hz, const CleanParams& params = {});

}  // namespace medtwin::cardio
