#include "medtwin/cardio/ord_pacing.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

void validate(const PacingProtocol& protocol) {
  if (!(protocol.stimulus_duration > 0) || !(protocol.cycle_length > protocol.stimulus_duration))
    throw Error("pacing protocol: need 0 < stimulus duration < cycle length, got duration " +
                std::to_string(protocol.stimulus_duration) + " ms, cycle length " +
                std::to_string(protocol.cycle_length) + " ms");
  if (!std::isfinite(protocol.stimulus_amplitude))
    throw Error("pacing protocol: stimulus amplitude is not a finite number");
}

namespace {

void validate(const OrdState& y) {
  for (std::size_t k = 0; k < kOrdStateCount; ++k)
    if (!std::isfinite(y[k]))
      throw Error("ORd state " + std::string(ord_state_name(k)) + " is not a finite number");
}

// Collects the samples of one beat; biomarkers are computed when it ends.
class BeatRecorder {
 public:
  void start(const OrdState& y0) {
    t_.clear();
    v_.clear();
    dvdt_.clear();
    v_rest_ = y0[ord::v];
    cai_diastolic_ = y0[ord::cai];
    cai_peak_ = y0[ord::cai];
    qnet_ = 0;
  }

  // dvdt in mV/ms, qnet_current = OrdCurrents::qnet_sum() in µA/µF.
  void sample(double t, const OrdState& y, double dvdt, double qnet_current) {
    if (!t_.empty()) qnet_ += 0.5 * (qnet_current + last_qnet_current_) * (t - t_.back());  // trapezoid
    last_qnet_current_ = qnet_current;
    t_.push_back(t);
    v_.push_back(y[ord::v]);
    dvdt_.push_back(dvdt);
    cai_peak_ = std::max(cai_peak_, y[ord::cai]);
  }

  BeatMetrics finish(long steps) const {
    BeatMetrics m;
    m.steps = steps;
    m.v_rest = v_rest_;
    m.cai_diastolic = cai_diastolic_;
    m.cai_peak = cai_peak_;
    m.qnet = qnet_ / 1000;  // µA/µF·ms → C/F
    const auto up = std::max_element(dvdt_.begin(), dvdt_.end()) - dvdt_.begin();
    m.dvdt_max = dvdt_[up];
    m.t_upstroke = t_[up];
    const auto peak = std::max_element(v_.begin(), v_.end()) - v_.begin();
    m.v_peak = v_[peak];
    m.apd50 = repolarisation_time(peak, 0.5) - m.t_upstroke;
    m.apd90 = repolarisation_time(peak, 0.9) - m.t_upstroke;
    m.repolarisation_dvdt_max = ead_window_dvdt_max(peak);
    m.ead = m.repolarisation_dvdt_max > 0;
    return m;
  }

 private:
  // First sample index after the peak where V is below v_peak − fraction·(v_peak − v_rest); size() when none.
  std::size_t first_below(std::size_t peak, double fraction) const {
    const double level = v_[peak] - fraction * (v_[peak] - v_rest_);
    for (std::size_t i = peak + 1; i < v_.size(); ++i)
      if (v_[i] < level) return i;
    return v_.size();
  }

  // The first time V falls below that level, interpolated linearly between
  // samples; NaN when it never does.
  double repolarisation_time(std::size_t peak, double fraction) const {
    const std::size_t i = first_below(peak, fraction);
    if (i == v_.size()) return kNaN;
    const double level = v_[peak] - fraction * (v_[peak] - v_rest_);
    const double w = (v_[i - 1] - level) / (v_[i - 1] - v_[i]);
    return t_[i - 1] + w * (t_[i] - t_[i - 1]);
  }

  // CiPA's EAD window: from 30 % repolarisation to APD90 (or the beat's end).
  double ead_window_dvdt_max(std::size_t peak) const {
    if (v_[peak] < kEadMinPeak || v_rest_ > kEadMaxRest) return kNaN;  // depolarisation failure
    const std::size_t from = first_below(peak, kEadWindowStart), to = first_below(peak, 0.9);
    if (from >= v_.size()) return kNaN;
    return *std::max_element(dvdt_.begin() + static_cast<std::ptrdiff_t>(from),
                             dvdt_.begin() + static_cast<std::ptrdiff_t>(std::max(to, from + 1)));
  }

  std::vector<double> t_, v_, dvdt_;
  double v_rest_ = 0, cai_diastolic_ = 0, cai_peak_ = 0, qnet_ = 0, last_qnet_current_ = 0;
};

// A beat integrator: advances y over one cycle, feeding the recorder.
class Stepper {
 public:
  virtual ~Stepper() = default;
  virtual long run_beat(OrdState& y, BeatRecorder& recorder, const BeatObserver& observe) = 0;
};

class RushLarsenStepper final : public Stepper {
 public:
  RushLarsenStepper(const OrdModel& model, const PacingProtocol& protocol, const RushLarsenOptions& options)
      : model_(model), protocol_(protocol), options_(options) {
    validate(options);
  }

  long run_beat(OrdState& y, BeatRecorder& recorder, const BeatObserver& observe) override {
    const double duration = protocol_.stimulus_duration, cycle = protocol_.cycle_length;
    long steps = 0;
    double t = 0;
    while (true) {
      const bool stimulated = t < duration;
      const double istim = stimulated ? protocol_.stimulus_amplitude : 0.0;
      model_.rhs(y, istim, dydt_, tau_, &currents_);
      if (!std::isfinite(dydt_[ord::v]))
        throw Error("ORd Rush-Larsen integration diverged at t = " + std::to_string(t) +
                    " ms of the beat: use smaller steps (dt_max, dv_max)");
      recorder.sample(t, y, dydt_[ord::v], currents_.qnet_sum());
      if (observe) observe(t, y);
      if (t >= cycle) break;
      const double segment_end = stimulated ? duration : cycle;
      double dt = stimulated ? options_.dt_min : rush_larsen_step_size(y, dydt_, options_);
      // Land exactly on the stimulus edges; never leave a sliver shorter than dt_min/2.
      if (segment_end - t < dt + 0.5 * options_.dt_min) dt = segment_end - t;
      rush_larsen_advance(model_, y, dydt_, tau_, dt);
      t = (segment_end - t == dt) ? segment_end : t + dt;
      ++steps;
    }
    return steps;
  }

 private:
  const OrdModel& model_;
  PacingProtocol protocol_;
  RushLarsenOptions options_;
  OrdState dydt_{}, tau_{};
  OrdCurrents currents_;
};

class CvodeStepper final : public Stepper {
 public:
  CvodeStepper(const OrdModel& model, const PacingProtocol& protocol, const CvodeReference& options)
      : model_(model),
        protocol_(protocol),
        options_(options),
        solver_(kOrdStateCount,
                [this](double, std::span<const double> in, std::span<double> out) {
                  std::copy(in.begin(), in.end(), y_rhs_.begin());
                  model_.rhs(y_rhs_, istim_, dydt_rhs_);
                  std::copy(dydt_rhs_.begin(), dydt_rhs_.end(), out.begin());
                  return true;
                },
                options.cvode) {
    if (!(options.fine_sample > 0) || !(options.coarse_sample > 0))
      throw Error("CVODE reference: sample spacings must be positive");
  }

  long run_beat(OrdState& y, BeatRecorder& recorder, const BeatObserver& observe) override {
    const long steps_before = solver_.steps_taken();
    sample(0, y, protocol_.stimulus_amplitude, recorder, observe);
    integrate_segment(0, protocol_.stimulus_duration, protocol_.stimulus_amplitude, y, recorder, observe);
    integrate_segment(protocol_.stimulus_duration, protocol_.cycle_length, 0, y, recorder, observe);
    return solver_.steps_taken() - steps_before;
  }

 private:
  // The stimulus is a discontinuity: CVODE restarts at each edge.
  void integrate_segment(double from, double to, double istim, OrdState& y, BeatRecorder& recorder,
                         const BeatObserver& observe) {
    istim_ = istim;
    solver_.reset(from, y);
    double t = from;
    while (t < to) {
      const double spacing = t < options_.fine_window ? options_.fine_sample : options_.coarse_sample;
      const double next = to - t < 1.5 * spacing ? to : t + spacing;
      solver_.advance_to(next, to, y);
      t = next;
      sample(t, y, t < to ? istim : 0.0, recorder, observe);
    }
  }

  void sample(double t, const OrdState& y, double istim, BeatRecorder& recorder, const BeatObserver& observe) {
    OrdState dydt;
    OrdCurrents currents;
    model_.rhs(y, istim, dydt, {}, &currents);
    recorder.sample(t, y, dydt[ord::v], currents.qnet_sum());
    if (observe) observe(t, y);
  }

  const OrdModel& model_;
  PacingProtocol protocol_;
  CvodeReference options_;
  double istim_ = 0;
  OrdState y_rhs_{}, dydt_rhs_{};
  CvodeSolver solver_;
};

// The CVODE reference always evaluates the exact formulas.
VoltageFunctions voltage_functions(const OrdIntegration& integration) {
  const auto* rl = std::get_if<RushLarsenOptions>(&integration);
  return rl && rl->voltage_lookup_table ? VoltageFunctions::lookup_table : VoltageFunctions::exact;
}

}  // namespace

struct OrdPacer::Impl {
  OrdModel model;
  BeatRecorder recorder;
  std::unique_ptr<Stepper> stepper;

  Impl(const OrdParams& params, const PacingProtocol& protocol, const OrdIntegration& integration)
      : model(params, voltage_functions(integration)) {
    validate(protocol);
    if (const auto* rl = std::get_if<RushLarsenOptions>(&integration))
      stepper = std::make_unique<RushLarsenStepper>(model, protocol, *rl);
    else
      stepper = std::make_unique<CvodeStepper>(model, protocol, std::get<CvodeReference>(integration));
  }
};

OrdPacer::OrdPacer(const OrdParams& params, const PacingProtocol& protocol, const OrdIntegration& integration)
    : impl_(std::make_unique<Impl>(params, protocol, integration)) {}

OrdPacer::~OrdPacer() = default;

BeatMetrics OrdPacer::beat(OrdState& y, const BeatObserver& observe) {
  validate(y);
  impl_->recorder.start(y);
  const long steps = impl_->stepper->run_beat(y, impl_->recorder, observe);
  validate(y);
  return impl_->recorder.finish(steps);
}

PacingResult pace_to_steady_state(const OrdState& y0, const OrdParams& params, const PacingProtocol& protocol,
                                  const OrdIntegration& integration, const SteadyStateOptions& options) {
  if (options.max_beats < 1) throw Error("pace_to_steady_state: max_beats must be at least 1");
  if (!(options.tolerance > 0)) throw Error("pace_to_steady_state: tolerance must be positive");
  OrdPacer pacer(params, protocol, integration);
  PacingResult result;
  result.state = y0;
  while (result.beats < options.max_beats && !result.converged) {
    const OrdState before = result.state;
    result.last_beat = pacer.beat(result.state);
    ++result.beats;
    result.last_change = 0;
    for (std::size_t k = 0; k < kOrdStateCount; ++k)
      result.last_change = std::max(result.last_change,
                                    std::abs(result.state[k] - before[k]) / (std::abs(before[k]) + 1e-6));
    result.converged = result.last_change < options.tolerance;
  }
  return result;
}

}  // namespace medtwin::cardio
