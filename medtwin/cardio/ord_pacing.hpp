// Pacing the ORd / ORd-CiPA myocyte (ord_model.hpp): a periodic stimulus
// protocol, two integrators — explicit Rush–Larsen (Rush & Larsen 1978, IEEE
// Trans Biomed Eng 25:389–392) with adaptive steps, and CVODE BDF as the
// reference — pacing to steady state, and per-beat biomarkers: APD90, APD50,
// resting potential, Ca2+ transient, qNet (Dutta et al. 2017, Front Physiol
// 8:616) and early afterdepolarisations.
#pragma once

#include <functional>
#include <memory>
#include <variant>

#include "medtwin/cardio/ord_model.hpp"
#include "medtwin/cardio/ord_rush_larsen.hpp"
#include "medtwin/core/ode.hpp"

namespace medtwin::cardio {

// A stimulus at the start of every cycle (O'Hara 2011: −80 µA/µF for 0.5 ms).
struct PacingProtocol {
  double cycle_length = 1000;       // ms
  double stimulus_amplitude = -80;  // µA/µF
  double stimulus_duration = 0.5;   // ms
};

// CVODE reference: tolerances, plus the spacing of the output samples the
// biomarkers are computed from (fine around the upstroke).
struct CvodeReference {
  CvodeOptions cvode{1e-7, 1e-9, 0, 500000};
  double fine_sample = 0.005;   // ms, for the first fine_window ms of a beat
  double fine_window = 10;      // ms
  double coarse_sample = 0.05;  // ms, the rest of the beat
};

using OrdIntegration = std::variant<RushLarsenOptions, CvodeReference>;

// Biomarkers of one beat. Times in ms from the beat's stimulus onset unless
// said otherwise.
struct BeatMetrics {
  double v_rest = 0;         // mV, at the stimulus onset (diastolic potential)
  double v_peak = 0;         // mV
  double dvdt_max = 0;       // mV/ms, maximal upstroke velocity
  double t_upstroke = 0;     // ms, time of dvdt_max: APDs are measured from here
  double apd50 = 0;          // ms, NaN when V never fell back below the level
  double apd90 = 0;          // ms, NaN when not repolarised within the cycle
  double cai_peak = 0;       // mM
  double cai_diastolic = 0;  // mM, at the stimulus onset
  double qnet = 0;           // C/F (= µC/µF): ∫(INaL+ICaL+IKr+IKs+IK1+Ito) dt over the cycle
  // Largest dV/dt (mV/ms) in CiPA's EAD window (below); NaN when the beat
  // failed to depolarise or never fell 30 % of the way.
  double repolarisation_dvdt_max = 0;
  bool ead = false;          // an early afterdepolarisation: repolarisation_dvdt_max > 0
  long steps = 0;            // integrator steps taken
};

// Called with every sample: t (ms from the beat start) and the state.
using BeatObserver = std::function<void(double t, const OrdState& y)>;

// Paces one cell; keeps the integrator between beats.
class OrdPacer {
 public:
  OrdPacer(const OrdParams& params, const PacingProtocol& protocol, const OrdIntegration& integration);
  ~OrdPacer();
  OrdPacer(const OrdPacer&) = delete;
  OrdPacer& operator=(const OrdPacer&) = delete;

  // Integrates one cycle from y (in place) and measures it.
  BeatMetrics beat(OrdState& y, const BeatObserver& observe = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Throws Error unless 0 < stimulus duration < cycle length and the amplitude is finite.
void validate(const PacingProtocol& protocol);

struct SteadyStateOptions {
  int max_beats = 1000;
  // Converged when no state changes by more than tolerance·(|y| + 1e-6)
  // between the starts of two consecutive beats.
  double tolerance = 1e-6;
};

struct PacingResult {
  OrdState state{};         // at the start of the beat after the last one paced
  int beats = 0;            // beats paced
  bool converged = false;   // the tolerance was met (else max_beats was reached)
  double last_change = 0;   // largest scaled beat-to-beat change of the last beat
  BeatMetrics last_beat;
};

PacingResult pace_to_steady_state(const OrdState& y0, const OrdParams& params, const PacingProtocol& protocol,
                                  const OrdIntegration& integration, const SteadyStateOptions& options = {});

// EAD criterion of CiPA (FDA/CiPA Modeling/AP_simulation/AP_simulation.R):
// the largest dV/dt between the time V falls 30 % of the way from its peak to
// rest and APD90 (the end of the beat when V never repolarises) is positive.
// A beat whose peak stays below kEadMinPeak mV or whose diastolic potential is
// above kEadMaxRest mV is a depolarisation failure, not analysed (no EAD). Made
// for CiPA's endocardial cell: an epicardial notch deeper than the 30 % level
// would count.
inline constexpr double kEadWindowStart = 0.3;  // fraction of the way from peak to rest
inline constexpr double kEadMinPeak = 0;        // mV
inline constexpr double kEadMaxRest = -40;      // mV

}  // namespace medtwin::cardio
