// One explicit step of the ORd / ORd-CiPA cell (ord_model.hpp), shared by the
// single-cell pacer (ord_pacing.hpp) and the strand (ord_strand.hpp): the
// states with a relaxation form dy/dt = (y∞ − y)/τ (Hodgkin–Huxley gates, nca,
// Jrelnp, Jrelp) advance exactly for frozen y∞, τ (Rush & Larsen 1978, IEEE
// Trans Biomed Eng 25:389–392); the hERG Markov chain by TR-BDF2 at frozen
// voltage; everything else by forward Euler.
#pragma once

#include "medtwin/cardio/ord_model.hpp"

namespace medtwin::cardio {

struct RushLarsenOptions;  // ord_pacing.hpp

// Advances y by dt, given dydt and tau from OrdModel::rhs at y.
void rush_larsen_advance(const OrdModel& model, OrdState& y, const OrdState& dydt, const OrdState& tau, double dt);

// The adaptive step: dv_max/|dV/dt| and rel_max·cass/|dcass/dt|, within
// [dt_min, dt_max].
double rush_larsen_step_size(const OrdState& y, const OrdState& dydt, const RushLarsenOptions& options);

// Throws Error unless 0 < dt_min ≤ dt_max, dv_max > 0 and rel_max > 0.
void validate(const RushLarsenOptions& options);

}  // namespace medtwin::cardio
