// A transmural strand of ORd / ORd-CiPA cells (ord_model.hpp): the monodomain
// cable equation ∂V/∂t = D·∂²V/∂x² − Iion − Istim along a fibre of
// endocardial, mid-myocardial and epicardial cells, stimulated at its
// endocardial end, and the pseudo-ECG an electrode beyond the epicardial end
// records (Gima & Rudy 2002, Circ Res 90:889–896), from which the QT interval
// is measured. Geometry after O'Hara et al. 2011 (PLoS Comput Biol
// 7:e1002061): 165 cells 100 µm apart, endo 1–60, M 61–105, epi 106–165.
// Operator splitting: each step advances every cell by the Rush–Larsen step of
// the single cell (ord_rush_larsen.hpp), then the voltage diffusion by
// backward Euler (unconditionally stable, one tridiagonal solve).
#pragma once

#include <array>
#include <vector>

#include "medtwin/cardio/ord_model.hpp"
#include "medtwin/cardio/ord_pacing.hpp"

namespace medtwin::cardio {

struct StrandGeometry {
  int endo_cells = 60;   // O'Hara 2011 strand: cells 1–60
  int mid_cells = 45;    // 61–105
  int epi_cells = 60;    // 106–165
  double dx = 0.01;      // cm between cell centres
  // cm²/ms, a chosen value: a transmural conduction velocity of 39 cm/s with
  // this model (docs/models/ord_strand.md).
  double diffusion = 0.0012;
  double electrode_distance = 2.0;  // cm beyond the epicardial end, on the fibre's axis
  int stimulated_cells = 3;         // at the endocardial end
  int cell_count() const { return endo_cells + mid_cells + epi_cells; }
  CellType cell_type(int index) const;
};

// The strand's default steps: the stimulus and wave front are resolved by
// dt_min, the plateau by dv_max (docs/models/ord_strand.md has the
// convergence table).
RushLarsenOptions strand_default_steps();

// One beat of the strand.
struct StrandBeat {
  double sample_interval = 0.5;   // ms, of ecg
  std::vector<double> ecg;        // pseudo-ECG from the stimulus onset, arbitrary units (upright T)
  std::vector<double> activation; // ms, per cell: V crossing 0 mV upward (NaN: not activated)
  std::vector<double> apd90;      // ms, per cell (NaN: not repolarised in the cycle)
  double qrs_onset = 0;           // ms: the earliest activation
  double t_peak = 0;              // ms
  double t_end = 0;               // ms, tangent method on the T wave's downslope
  double qt = 0;                  // ms, t_end − qrs_onset; NaN unless every cell activated and repolarised
  double conduction_velocity = 0; // cm/s, between the cells at 25 % and 75 % of the strand (NaN: block)
  bool ead = false;               // some cell rose by > kStrandEadRise during repolarisation
  bool activated = true;          // every cell activated
  bool repolarised = true;        // every activated cell repolarised (APD90) within the cycle
  long steps = 0;
};

// A rise of V this large (mV) in a cell's EAD window (CiPA's, ord_pacing.hpp:
// from 30 % repolarisation to APD90) counts as an EAD. Instead of the single cell's dV/dt
// criterion: neighbours' electrotonic currents move V by fractions of a mV.
inline constexpr double kStrandEadRise = 1;

struct CableScratch {
  std::vector<double> diagonal, rhs;
};

// The parameters of each cell type, indexed by CellType (each entry's
// cell_type is its index): phenotypes and drugs may act differently on them.
using StrandCells = std::array<OrdParams, 3>;
// base with its cell_type set to each type.
StrandCells strand_cells(const OrdParams& base);

class OrdStrand {
 public:
  OrdStrand(const StrandCells& cells, const StrandGeometry& geometry, const PacingProtocol& protocol,
            const RushLarsenOptions& steps = strand_default_steps());
  // Every cell starts from the state of its type (indexed by CellType).
  void set_states(const std::array<OrdState, 3>& by_type);
  const std::vector<OrdState>& states() const { return states_; }
  const StrandGeometry& geometry() const { return geometry_; }
  StrandBeat beat();

 private:
  double step_size() const;
  void react(double dt);
  void diffuse(double dt);
  double pseudo_ecg() const;

  StrandGeometry geometry_;
  PacingProtocol protocol_;
  RushLarsenOptions steps_;
  std::array<OrdModel, 3> models_;  // by CellType
  std::vector<OrdState> states_, dydt_, tau_;
  std::vector<double> ecg_weight_;  // per cell gap: 1/r² of its midpoint
  std::vector<double> voltages_;    // diffusion scratch
  CableScratch diffusion_scratch_;
};

// One backward Euler step of ∂V/∂t = D·∂²V/∂x² on a sealed cable, in place:
// (I − r·L)·V⁺ = V with r = D·dt/Δx² ≥ 0 (Thomas algorithm: the matrix is
// diagonally dominant, so no pivoting). Keeps Σ V. At least 2 values; scratch
// holds the sweep's modified diagonal and right side between calls.
void diffuse_sealed_cable(std::vector<double>& v, double r, CableScratch& scratch);

// Paces each cell type alone for cell_beats, then the strand for strand_beats,
// and returns the strand's last beat (the usual way to start a strand near its
// steady state at a fraction of the cost). drug_concentration_nm is the state
// ord::D of every cell (drug.hpp: with_drug gives the matching parameters).
StrandBeat strand_beat_after_pacing(const StrandCells& cells, const StrandGeometry& geometry,
                                    const PacingProtocol& protocol, int cell_beats, int strand_beats,
                                    double drug_concentration_nm = 0,
                                    const RushLarsenOptions& steps = strand_default_steps());

}  // namespace medtwin::cardio
