// CGM sensor models as simglucose runs them (its sensor/cgm.py and
// noise_gen.py, from the UVA/Padova simulator's sensor model: Breton &
// Kovatchev 2008, J Diabetes Sci Technol 2:853–862): every `sample_time`
// minutes the sensor reads subcutaneous glucose plus noise, clipped to its
// range, and holds that value in between. The noise is a Johnson SU transform
// of an AR(1) Gaussian sequence drawn every 15 minutes,
//   e_0 = n_0,  e_k = PACF·(e_{k−1} + n_k),  ε_k = ξ + λ·sinh((e_k − γ)/δ),
// put on the sensor's grid by a not-a-knot cubic spline through batches of 11
// points (150 minutes), each batch starting from the last point of the one
// before. The normal deviates n are numpy's legacy RandomState(seed).randn()
// (MT19937 and the polar method), so a seed gives simglucose's noise exactly.
// Pure; card docs/models/uva_padova.md.
#pragma once

#include <cstdint>
#include <deque>
#include <random>
#include <string>

namespace medtwin::metabolic {

// One row of simglucose's sensor_params.csv.
struct CgmSensorParams {
  std::string name;
  double pacf = 0, gamma = 0, lambda = 0, delta = 0, xi = 0;  // noise model
  double sample_time = 0;                                     // min
  double min = 0, max = 0;                                    // reading range, mg/dL
};

// Standard normal deviates exactly as numpy.random.RandomState(seed).randn().
class LegacyNormal {
 public:
  explicit LegacyNormal(std::uint32_t seed) : mt_(seed) {}
  double next();

 private:
  double uniform();  // numpy's 53-bit random_sample
  std::mt19937 mt_;
  bool has_spare_ = false;
  double spare_ = 0;
};

// The sensor's noise, one value per sensor sample (the first at one sample
// time after the start).
class CgmNoise {
 public:
  CgmNoise(const CgmSensorParams& params, std::uint32_t seed);
  double next();

 private:
  double next_at_15_min();
  void refill();
  CgmSensorParams params_;
  LegacyNormal normal_;
  double e_ = 0;
  bool started_ = false;
  double batch_start_ = 0;
  std::deque<double> ready_;
};

class CgmSensor {
 public:
  CgmSensor(const CgmSensorParams& params, std::uint32_t seed) : params_(params), noise_(params, seed) {}
  // The reading at `minute` for true glucose `glucose_mg_dl`: a new one on
  // the sample grid, else the last one held.
  double measure(double minute, double glucose_mg_dl);
  double sample_time() const { return params_.sample_time; }

 private:
  CgmSensorParams params_;
  CgmNoise noise_;
  double last_ = 0;
};

}  // namespace medtwin::metabolic
