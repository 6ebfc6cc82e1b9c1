#include "medtwin/cardio/ord_strand.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "medtwin/cardio/drug.hpp"
#include "medtwin/cardio/ord_rush_larsen.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/signal/interpolate.hpp"

namespace medtwin::cardio {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kActivationLevel = 0;  // mV

void validate(const StrandGeometry& g) {
  if (g.endo_cells < 0 || g.mid_cells < 0 || g.epi_cells < 0 || g.cell_count() < 4)
    throw Error("strand: need at least 4 cells and no negative region, got " + std::to_string(g.endo_cells) +
                " endo, " + std::to_string(g.mid_cells) + " mid, " + std::to_string(g.epi_cells) + " epi");
  if (!(g.dx > 0) || !(g.diffusion > 0) || !(g.electrode_distance > 0))
    throw Error("strand: dx, diffusion and electrode distance must be positive");
  if (g.stimulated_cells < 1 || g.stimulated_cells >= g.cell_count())
    throw Error("strand: the stimulated cells must be at least 1 and fewer than the cells");
}

OrdModel model_for(const StrandCells& cells, CellType type, const RushLarsenOptions& steps) {
  const OrdParams& p = cells[static_cast<std::size_t>(type)];
  if (p.cell_type != type) throw Error("strand: the cell parameters are not in CellType order");
  return OrdModel(p, steps.voltage_lookup_table ? VoltageFunctions::lookup_table : VoltageFunctions::exact);
}

// What one cell did during a beat, followed step by step.
struct CellTrace {
  double v_rest = 0, v_peak = -1e9, activation = kNaN, repolarisation = kNaN;
  double lowest_in_window = 1e9;
  bool in_ead_window = false, ead = false;

  void start(double v) { *this = CellTrace{v}; }

  void update(double t_before, double v_before, double t, double v) {
    if (std::isnan(activation) && v_before < kActivationLevel && v >= kActivationLevel)
      activation = t_before + (kActivationLevel - v_before) / (v - v_before) * (t - t_before);
    if (std::isnan(activation)) return;
    if (v > v_peak && !in_ead_window) v_peak = v;  // an EAD overshooting the peak must not move the levels
    const double level = v_peak - 0.9 * (v_peak - v_rest);
    if (std::isnan(repolarisation) && v_before >= level && v < level)
      repolarisation = t_before + (v_before - level) / (v_before - v) * (t - t_before);
    // CiPA's EAD window (ord_pacing.hpp), from 30 % repolarisation to APD90, with a rise instead of dV/dt > 0.
    if (v < v_peak - kEadWindowStart * (v_peak - v_rest)) in_ead_window = true;
    if (in_ead_window && std::isnan(repolarisation)) {
      lowest_in_window = std::min(lowest_in_window, v);
      ead = ead || v - lowest_in_window > kStrandEadRise;
    }
  }
};

// T wave end by the tangent method: the tangent at the steepest point of the
// T wave's return to baseline, intersected with the baseline (the last
// sample: every cell is at rest by then). Leaves the fields as they are (NaN)
// when no T wave can be measured.
void measure_t_wave(StrandBeat& beat, double last_activation) {
  const auto& e = beat.ecg;
  const double h = beat.sample_interval, baseline = e.back();
  const auto first = static_cast<std::size_t>(std::ceil((last_activation + 30) / h));
  if (first + 2 >= e.size()) return;
  std::size_t peak = first;
  for (std::size_t i = first; i < e.size(); ++i)
    if (std::abs(e[i] - baseline) > std::abs(e[peak] - baseline)) peak = i;
  const double sign = e[peak] >= baseline ? 1 : -1;
  std::size_t steepest = peak;
  double steepest_slope = 0;  // toward the baseline, per ms
  for (std::size_t i = peak + 1; i + 1 < e.size(); ++i) {
    const double slope = -sign * (e[i + 1] - e[i - 1]) / (2 * h);
    if (slope > steepest_slope) steepest_slope = slope, steepest = i;
  }
  beat.t_peak = peak * h;
  if (steepest_slope <= 0) return;
  beat.t_end = steepest * h + sign * (e[steepest] - baseline) / steepest_slope;
  beat.qt = beat.t_end - beat.qrs_onset;
}

}  // namespace

CellType StrandGeometry::cell_type(int index) const {
  if (index < endo_cells) return CellType::endo;
  return index < endo_cells + mid_cells ? CellType::mid : CellType::epi;
}

RushLarsenOptions strand_default_steps() {
  RushLarsenOptions o;
  o.dt_min = 0.01;
  o.dt_max = 1;
  o.dv_max = 0.5;
  return o;
}

StrandCells strand_cells(const OrdParams& base) {
  StrandCells cells{base, base, base};
  for (std::size_t k = 0; k < cells.size(); ++k) cells[k].cell_type = static_cast<CellType>(k);
  return cells;
}

OrdStrand::OrdStrand(const StrandCells& cells, const StrandGeometry& geometry, const PacingProtocol& protocol,
                     const RushLarsenOptions& steps)
    : geometry_(geometry),
      protocol_(protocol),
      steps_(steps),
      models_{model_for(cells, CellType::endo, steps), model_for(cells, CellType::epi, steps),
              model_for(cells, CellType::mid, steps)} {
  validate(geometry);
  validate(steps);
  validate(protocol);
  const auto n = static_cast<std::size_t>(geometry.cell_count());
  states_.resize(n);
  dydt_.resize(n);
  tau_.resize(n);
  voltages_.resize(n);
  // Φ = Σ over cell gaps of −ΔV/Δx · ∂(1/r)/∂x · Δx (Gima & Rudy 2002, the
  // constant a²σi/4σe dropped); with r = x_e − x, ∂(1/r)/∂x = 1/r².
  const double x_electrode = (n - 1) * geometry.dx + geometry.electrode_distance;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const double r = x_electrode - (i + 0.5) * geometry.dx;
    ecg_weight_.push_back(1 / (r * r));
  }
  set_states({ord_initial_state(models_[0].params()), ord_initial_state(models_[1].params()),
              ord_initial_state(models_[2].params())});
}

void OrdStrand::set_states(const std::array<OrdState, 3>& by_type) {
  for (std::size_t i = 0; i < states_.size(); ++i)
    states_[i] = by_type[static_cast<std::size_t>(geometry_.cell_type(static_cast<int>(i)))];
}

double OrdStrand::pseudo_ecg() const {
  double phi = 0;
  for (std::size_t i = 0; i + 1 < states_.size(); ++i)
    phi -= (states_[i + 1][ord::v] - states_[i][ord::v]) * ecg_weight_[i];
  return phi;
}

// The largest step every cell allows, from the derivatives beat() evaluated.
double OrdStrand::step_size() const {
  double dt = steps_.dt_max;
  for (std::size_t i = 0; i < states_.size(); ++i) dt = std::min(dt, rush_larsen_step_size(states_[i], dydt_[i], steps_));
  return dt;
}

void OrdStrand::react(double dt) {
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const auto& model = models_[static_cast<std::size_t>(geometry_.cell_type(static_cast<int>(i)))];
    rush_larsen_advance(model, states_[i], dydt_[i], tau_[i], dt);
  }
}

void OrdStrand::diffuse(double dt) {
  for (std::size_t i = 0; i < states_.size(); ++i) voltages_[i] = states_[i][ord::v];
  diffuse_sealed_cable(voltages_, geometry_.diffusion * dt / (geometry_.dx * geometry_.dx), diffusion_scratch_);
  for (std::size_t i = 0; i < states_.size(); ++i) states_[i][ord::v] = voltages_[i];
}

void diffuse_sealed_cable(std::vector<double>& v, double r, CableScratch& scratch) {
  const std::size_t n = v.size();
  if (n < 2) throw Error("cable diffusion: need at least 2 values");
  if (!(r >= 0) || !std::isfinite(r)) throw Error("cable diffusion: D·dt/dx² must be a finite number >= 0");
  auto centre = [&](std::size_t i) { return 1 + (i == 0 || i + 1 == n ? r : 2 * r); };
  // Forward sweep: the modified diagonal and right side; off-diagonals are −r.
  auto& [diagonal, rhs] = scratch;
  diagonal.resize(n);
  rhs.resize(n);
  diagonal[0] = centre(0);
  rhs[0] = v[0];
  for (std::size_t i = 1; i < n; ++i) {
    const double w = -r / diagonal[i - 1];
    diagonal[i] = centre(i) + w * r;
    rhs[i] = v[i] - w * rhs[i - 1];
  }
  v[n - 1] = rhs[n - 1] / diagonal[n - 1];
  for (std::size_t k = n - 1; k-- > 0;) v[k] = (rhs[k] + r * v[k + 1]) / diagonal[k];
}

StrandBeat OrdStrand::beat() {
  const std::size_t n = states_.size();
  const auto stimulated_cells = static_cast<std::size_t>(geometry_.stimulated_cells);
  std::vector<CellTrace> traces(n);
  for (std::size_t i = 0; i < n; ++i) traces[i].start(states_[i][ord::v]);
  std::vector<double> times{0}, ecg{pseudo_ecg()}, v_before(n);
  StrandBeat beat;
  double t = 0;
  const double duration = protocol_.stimulus_duration, cycle = protocol_.cycle_length;
  while (t < cycle) {
    const bool stimulated = t < duration;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& model = models_[static_cast<std::size_t>(geometry_.cell_type(static_cast<int>(i)))];
      const double istim = stimulated && i < stimulated_cells ? protocol_.stimulus_amplitude : 0.0;
      model.rhs(states_[i], istim, dydt_[i], tau_[i]);
      if (!std::isfinite(dydt_[i][ord::v]))
        throw Error("ORd strand integration diverged at t = " + std::to_string(t) + " ms, cell " + std::to_string(i + 1));
      v_before[i] = states_[i][ord::v];
    }
    const double segment_end = stimulated ? duration : cycle;
    double dt = stimulated ? steps_.dt_min : step_size();
    if (segment_end - t < dt + 0.5 * steps_.dt_min) dt = segment_end - t;
    react(dt);
    diffuse(dt);
    const double t_next = (segment_end - t == dt) ? segment_end : t + dt;
    for (std::size_t i = 0; i < n; ++i) traces[i].update(t, v_before[i], t_next, states_[i][ord::v]);
    t = t_next;
    times.push_back(t);
    ecg.push_back(pseudo_ecg());
    ++beat.steps;
  }
  const auto samples = static_cast<std::size_t>(cycle / beat.sample_interval) + 1;
  beat.ecg = signal::resample_regular(times, ecg, 0, 1 / beat.sample_interval, samples, signal::Interpolation::linear);
  beat.qrs_onset = std::numeric_limits<double>::infinity();
  double last_activation = 0;
  for (const CellTrace& c : traces) {
    beat.activation.push_back(c.activation);
    beat.apd90.push_back(c.repolarisation - c.activation);
    beat.ead = beat.ead || c.ead;
    beat.activated = beat.activated && !std::isnan(c.activation);
    beat.repolarised = beat.repolarised && (std::isnan(c.activation) || !std::isnan(c.repolarisation));
    beat.qrs_onset = std::min(beat.qrs_onset, c.activation);
    last_activation = std::max(last_activation, c.activation);
  }
  const std::size_t a = n / 4, b = 3 * n / 4;
  const double crossing = beat.activation[b] - beat.activation[a];  // NaN when either never activated
  beat.conduction_velocity = crossing > 0 ? (b - a) * geometry_.dx / crossing * 1000 : kNaN;
  beat.qt = beat.t_peak = beat.t_end = kNaN;
  if (!beat.activated) return beat;
  measure_t_wave(beat, last_activation);
  if (!beat.repolarised) beat.qt = kNaN;
  return beat;
}

StrandBeat strand_beat_after_pacing(const StrandCells& cells, const StrandGeometry& geometry,
                                    const PacingProtocol& protocol, int cell_beats, int strand_beats,
                                    double drug_concentration_nm, const RushLarsenOptions& steps) {
  if (cell_beats < 1 || strand_beats < 1) throw Error("strand: need at least one cell beat and one strand beat");
  std::array<OrdState, 3> by_type;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    const OrdState rest = with_drug_concentration(ord_initial_state(cells[k]), drug_concentration_nm);
    by_type[k] = pace_to_steady_state(rest, cells[k], protocol, RushLarsenOptions{}, {cell_beats, 1e-12}).state;
  }
  OrdStrand strand(cells, geometry, protocol, steps);
  strand.set_states(by_type);
  StrandBeat last;
  for (int k = 0; k < strand_beats; ++k) last = strand.beat();
  return last;
}

}  // namespace medtwin::cardio
