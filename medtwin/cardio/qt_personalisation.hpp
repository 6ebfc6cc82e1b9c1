// "Which drug fits this heart": the transmural strand (ord_strand.hpp) of one
// person — their phenotype (ord_phenotype.hpp) with the repolarising K+
// currents IKr and IKs scaled together until the strand's QT at 1 Hz stands to
// the published model's QT as the person's QTc stands to the QTc the published
// model represents — and the QTc change and EADs each drug dose causes in it.
// Why a ratio: a 1D strand has no apex–base dispersion and a QRS of only its
// transmural activation, so its QT (≈ 300 ms at 1 Hz) is shorter than a body
// surface QT; matching it to the person's QTc in absolute terms would strip
// the model of repolarisation reserve. Method and limits:
// docs/models/ord_strand.md.
#pragma once

#include <span>
#include <vector>

#include "medtwin/cardio/drug.hpp"
#include "medtwin/cardio/ord_phenotype.hpp"
#include "medtwin/cardio/ord_strand.hpp"

namespace medtwin::cardio {

struct StrandSetup {
  StrandGeometry geometry;
  PacingProtocol pacing{1000, -80, 1};  // 1 Hz: QT at RR = 1 s is QTc by every correction formula
  int cell_beats = 100;                 // single-cell pacing before the strand (strand_beat_after_pacing)
  int strand_beats = 2;
  int threads = 2;                      // strand simulations at once
};

struct QtCalibrationRequest {
  Phenotype phenotype;
  double measured_qtc_ms = 0;  // the person's QTc, e.g. from `medtwin ecg`
  // The QTc the published, unscaled model stands for: a typical adult QTc.
  // An assumption of this method (docs/models/ord_strand.md), not a fit.
  double reference_qtc_ms = 410;
  double tolerance_ms = 1;  // on the strand's QT
  StrandSetup setup;
};

struct PersonalHeart {
  StrandCells cells;                 // phenotype and repolarisation scale applied
  Phenotype phenotype;
  double repolarisation_scale = 1;   // factor on GKr and GKs
  double measured_qtc_ms = 0;
  double reference_qtc_ms = 0;
  double reference_model_qt_ms = 0;  // strand QT of the published model
  double target_model_qt_ms = 0;
  double model_qt_ms = 0;            // reached by the calibration
  bool target_reached = false;       // within tolerance, inside the scale range [0.25, 4] and 10 search runs
  int strand_runs = 0;               // the published and unscaled models, then the search's
};

// Throws Error when a QTc is not within 250–700 ms, the setup is invalid or
// the person's strand does not repolarise at any scale.
PersonalHeart calibrate_to_qtc(const OrdParams& base, const QtCalibrationRequest& request);

struct DrugQtPoint {
  double concentration_nm = 0;
  double model_qt_ms = 0;       // NaN: not repolarised
  double predicted_qtc_ms = 0;  // measured QTc × model QT / drug-free model QT
  double delta_qtc_ms = 0;      // predicted − measured
  bool ead = false;
  bool repolarised = true;
};

// The strand QT of the heart without a drug, paced as predict_drug_qtc paces
// each dose: the baseline its QTc ratios divide by. Throws Error when it does
// not repolarise.
double drug_free_qt(const PersonalHeart& heart, const StrandSetup& setup);

// The drug at each concentration (nM) on the person's strand. cell_beats of
// setup are paced with the drug in every cell first (hERG binding takes
// hundreds of beats to settle: use ≥ 300, and the same setup as drug_free_qt).
std::vector<DrugQtPoint> predict_drug_qtc(const PersonalHeart& heart, double drug_free_qt_ms, const Drug& drug,
                                          std::span<const double> concentrations_nm, const StrandSetup& setup);

}  // namespace medtwin::cardio
