#include "medtwin/cardio/qt_personalisation.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "medtwin/core/error.hpp"
#include "medtwin/core/parallel.hpp"

namespace medtwin::cardio {
namespace {

constexpr double kMinScale = 0.25, kMaxScale = 4;
constexpr int kMaxCalibrationRuns = 12;

void check_qtc(double qtc, const char* what) {
  if (!(qtc >= 250 && qtc <= 700))
    throw Error(std::string(what) + " must be within 250–700 ms, got " + std::to_string(qtc));
}

StrandCells with_repolarisation_scale(StrandCells cells, double scale) {
  for (OrdParams& p : cells) {
    p.gkr_scale *= scale;
    p.gks_scale *= scale;
  }
  return cells;
}

StrandCells phenotype_cells(const OrdParams& base, const Phenotype& phenotype) {
  StrandCells cells = strand_cells(base);
  for (OrdParams& p : cells) p = with_phenotype(p, phenotype);
  return cells;
}

// Strand QT; +∞ when the strand does not repolarise (QT "too long" for the search).
double strand_qt(const StrandCells& cells, const StrandSetup& setup, double drug_nm = 0) {
  const StrandBeat beat =
      strand_beat_after_pacing(cells, setup.geometry, setup.pacing, setup.cell_beats, setup.strand_beats, drug_nm);
  return std::isnan(beat.qt) ? std::numeric_limits<double>::infinity() : beat.qt;
}

// Root of qt(log s) = target by bracketing then the Illinois variant of
// regula falsi on log s; QT falls as the K+ currents grow.
struct ScaleSearch {
  const StrandCells& cells;
  const StrandSetup& setup;
  double target;
  double tolerance;
  int runs = 0;

  double qt_at(double log_scale) {
    ++runs;
    return strand_qt(with_repolarisation_scale(cells, std::exp(log_scale)), setup);
  }

  // Returns (log s, qt) of the best point.
  std::pair<double, double> solve(double qt_at_one) {
    double a = 0, fa = qt_at_one - target;
    if (std::abs(fa) <= tolerance) return {a, qt_at_one};
    const double direction = fa > 0 ? 1 : -1;  // QT too long: more K+ current
    double b = a, fb = fa;
    while (fb * fa > 0) {  // expand by ×2 until the sign changes or the range ends
      a = b, fa = fb;
      b = a + direction * std::log(2.0);
      if (b > std::log(kMaxScale) + 1e-9 || b < std::log(kMinScale) - 1e-9) return {a, fa + target};
      fb = qt_at(b) - target;
    }
    while (runs < kMaxCalibrationRuns) {
      const double c = std::isfinite(fa) && std::isfinite(fb) ? b - fb * (b - a) / (fb - fa) : 0.5 * (a + b);
      const double fc = qt_at(c) - target;
      if (std::abs(fc) <= tolerance) return {c, fc + target};
      if (fc * fb < 0)
        a = b, fa = fb;
      else
        fa *= 0.5;  // Illinois: the end kept twice counts half
      b = c, fb = fc;
    }
    return std::abs(fa) < std::abs(fb) ? std::pair{a, fa + target} : std::pair{b, fb + target};
  }
};

void validate(const StrandSetup& setup) {
  if (setup.cell_beats < 1 || setup.strand_beats < 1 || setup.threads < 1)
    throw Error("strand setup: cell beats, strand beats and threads must be at least 1");
}

}  // namespace

PersonalHeart calibrate_to_qtc(const OrdParams& base, const QtCalibrationRequest& request) {
  check_qtc(request.measured_qtc_ms, "measured QTc");
  check_qtc(request.reference_qtc_ms, "reference QTc");
  if (!(request.tolerance_ms > 0)) throw Error("QTc calibration: the tolerance must be positive");
  validate(request.setup);
  PersonalHeart heart;
  heart.phenotype = request.phenotype;
  heart.measured_qtc_ms = request.measured_qtc_ms;
  heart.reference_qtc_ms = request.reference_qtc_ms;
  const StrandCells person = phenotype_cells(base, request.phenotype);
  // The published model and the person's unscaled model are independent runs.
  double qt_person_unscaled = 0;
  run_parallel(2, request.setup.threads, [&](std::size_t job) {
    if (job == 0)
      heart.reference_model_qt_ms = strand_qt(strand_cells(base), request.setup);
    else
      qt_person_unscaled = strand_qt(person, request.setup);
  });
  if (!std::isfinite(heart.reference_model_qt_ms))
    throw Error("QTc calibration: the published model's strand did not repolarise");
  heart.target_model_qt_ms = heart.reference_model_qt_ms * request.measured_qtc_ms / request.reference_qtc_ms;
  ScaleSearch search{person, request.setup, heart.target_model_qt_ms, request.tolerance_ms};
  const auto [log_scale, qt] = search.solve(qt_person_unscaled);
  heart.repolarisation_scale = std::exp(log_scale);
  heart.model_qt_ms = qt;
  heart.target_reached = std::abs(qt - heart.target_model_qt_ms) <= request.tolerance_ms;
  heart.strand_runs = search.runs + 2;
  heart.cells = with_repolarisation_scale(person, heart.repolarisation_scale);
  return heart;
}

DrugQtPrediction predict_drug_qtc(const PersonalHeart& heart, const Drug& drug, std::span<const double> concentrations_nm,
                                  const StrandSetup& setup) {
  validate(drug);
  validate(setup);
  for (double c : concentrations_nm)
    if (!(c >= 0) || !std::isfinite(c)) throw Error("drug QTc: concentration " + std::to_string(c) + " nM is not >= 0");
  std::vector<StrandBeat> beats(concentrations_nm.size() + 1);  // [0]: control
  run_parallel(beats.size(), setup.threads, [&](std::size_t job) {
    const double c = job == 0 ? 0 : concentrations_nm[job - 1];
    StrandCells cells = heart.cells;
    for (OrdParams& p : cells) p = with_drug(p, drug, c);
    beats[job] = strand_beat_after_pacing(cells, setup.geometry, setup.pacing, setup.cell_beats, setup.strand_beats, c);
  });
  DrugQtPrediction out;
  out.control_model_qt_ms = beats[0].qt;
  for (std::size_t i = 0; i < concentrations_nm.size(); ++i) {
    const StrandBeat& b = beats[i + 1];
    DrugQtPoint point{concentrations_nm[i], b.qt};
    point.predicted_qtc_ms = heart.measured_qtc_ms * b.qt / out.control_model_qt_ms;
    point.delta_qtc_ms = point.predicted_qtc_ms - heart.measured_qtc_ms;
    point.ead = b.ead;
    point.repolarised = b.repolarised;
    out.doses.push_back(point);
  }
  return out;
}

}  // namespace medtwin::cardio
