// One explicit step of the ORd / ORd-CiPA cell (ord_model.hpp), shared by the
// single-cell pacer (ord_pacing.hpp) and the strand (ord_strand.hpp): the
// states with a relaxation form dy/dt = (y∞ − y)/τ (Hodgkin–Huxley gates, nca,
// Jrelnp, Jrelp) advance exactly for frozen y∞, τ (Rush & Larsen 1978, IEEE
// Trans Biomed Eng 25:389–392); the hERG Markov chain by TR-BDF2 at frozen
// voltage; everything else by forward Euler.
#pragma once

#include "medtwin/cardio/ord_model.hpp"

namespace medtwin::cardio {

// The step control of the scheme above (Rush–Larsen for the relaxation
// states, TR-BDF2 — L-stable, second order — for the hERG chain, whose rates
// reach hundreds per ms, forward Euler for the rest): min(dv_max/|dV/dt|,
// rel_max·cass/|dcass/dt|) within [dt_min, dt_max], and dt_min during a stimulus.
struct RushLarsenOptions {
  double dt_min = 0.005;    // ms
  double dt_max = 2;        // ms
  double dv_max = 0.1;      // mV, largest voltage change per step
  double rel_max = 0.002;   // largest relative change of subspace Ca2+ (cass) per step
  // Functions of V from OrdModel's lookup table (fast; APD90 within 0.01 ms
  // of exact) or, when false, from the exact formulas.
  bool voltage_lookup_table = true;
};

// Advances y by dt, given dydt and tau from OrdModel::rhs at y.
void rush_larsen_advance(const OrdModel& model, OrdState& y, const OrdState& dydt, const OrdState& tau, double dt);

// The adaptive step: dv_max/|dV/dt| and rel_max·cass/|dcass/dt|, within
// [dt_min, dt_max].
double rush_larsen_step_size(const OrdState& y, const OrdState& dydt, const RushLarsenOptions& options);

// Throws Error unless 0 < dt_min ≤ dt_max, dv_max > 0 and rel_max > 0.
void validate(const RushLarsenOptions& options);

}  // namespace medtwin::cardio
