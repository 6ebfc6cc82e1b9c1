#include "medtwin/cardio/qt_personalisation.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "medtwin/core/error.hpp"
#include "medtwin/core/parallel.hpp"

namespace medtwin::cardio {
namespace {

constexpr double kMinScale = 0.25, kMaxScale = 4;
constexpr int kMaxSearchRuns = 10;  // strand runs of the search, besides the two unscaled ones

void check_qtc(double qtc, const char* what) {
  if (!(qtc >= 250 && qtc <= 700))
    throw Error(std::string(what) + " must be within 250–700 ms, got " + std::to_string(qtc));
}

void validate(const StrandSetup& setup) {
  if (setup.cell_beats < 1 || setup.strand_beats < 1 || setup.threads < 1)
    throw Error("strand setup: cell beats, strand beats and threads must be at least 1");
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

StrandBeat run_strand(const StrandCells& cells, const StrandSetup& setup, double drug_nm = 0) {
  return strand_beat_after_pacing(cells, setup.geometry, setup.pacing, setup.cell_beats, setup.strand_beats, drug_nm);
}

// Strand QT; +∞ when the strand does not repolarise (QT "too long" for the search).
double strand_qt(const StrandCells& cells, const StrandSetup& setup) {
  const double qt = run_strand(cells, setup).qt;
  return std::isnan(qt) ? std::numeric_limits<double>::infinity() : qt;
}

// QT(log s) = target for the scale s of GKr and GKs: bracket by doubling (or
// halving) s from 1 within [kMinScale, kMaxScale], then the Illinois variant
// of regula falsi on log s (bisection while an end does not repolarise). QT
// falls as the K+ currents grow.
class ScaleSearch {
 public:
  struct Point {
    double log_scale = 0;
    double qt = 0;     // ms (+∞: not repolarised)
    double error = 0;  // qt − target
  };

  ScaleSearch(const StrandCells& cells, const StrandSetup& setup, double target, double tolerance)
      : cells_(cells), setup_(setup), target_(target), tolerance_(tolerance) {}

  int runs() const { return runs_; }

  // The first point within tolerance, else the closest one evaluated.
  Point solve(double qt_at_one) {
    Point a = point(0, qt_at_one);
    best_ = a;
    if (within(a)) return a;
    const double step = (a.error > 0 ? 1 : -1) * std::log(2.0);  // QT too long: more K+ current
    Point b = a;
    do {
      a = b;
      const double next = a.log_scale + step;
      if (next > std::log(kMaxScale) + 1e-9 || next < std::log(kMinScale) - 1e-9) return best_;
      b = at(next);
      if (within(b)) return b;
    } while ((a.error > 0) == (b.error > 0));
    double weight_a = a.error, weight_b = b.error;  // Illinois halves the weight of an end kept twice
    while (runs_ < kMaxSearchRuns) {
      const double c = std::isfinite(weight_a) && std::isfinite(weight_b)
                           ? b.log_scale - weight_b * (b.log_scale - a.log_scale) / (weight_b - weight_a)
                           : 0.5 * (a.log_scale + b.log_scale);
      const Point p = at(c);
      if (within(p)) return p;
      if ((p.error > 0) != (b.error > 0)) {
        a = b, weight_a = weight_b;
      } else {
        weight_a *= 0.5;
      }
      b = p, weight_b = p.error;
    }
    return best_;
  }

 private:
  bool within(const Point& p) const { return std::abs(p.error) <= tolerance_; }
  Point point(double log_scale, double qt) const { return {log_scale, qt, qt - target_}; }
  Point at(double log_scale) {
    ++runs_;
    const Point p = point(log_scale, strand_qt(with_repolarisation_scale(cells_, std::exp(log_scale)), setup_));
    if (std::abs(p.error) < std::abs(best_.error)) best_ = p;
    return p;
  }

  const StrandCells& cells_;
  const StrandSetup& setup_;
  double target_, tolerance_;
  int runs_ = 0;
  Point best_;
};

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
  ScaleSearch search(person, request.setup, heart.target_model_qt_ms, request.tolerance_ms);
  const ScaleSearch::Point best = search.solve(qt_person_unscaled);
  heart.repolarisation_scale = std::exp(best.log_scale);
  heart.model_qt_ms = best.qt;
  if (!std::isfinite(heart.model_qt_ms))
    throw Error("QTc calibration: the strand of this heart (" + describe(request.phenotype) +
                ") does not repolarise within the cycle even with IKr and IKs ×" + std::to_string(kMaxScale));
  heart.target_reached = std::abs(best.error) <= request.tolerance_ms;
  heart.strand_runs = search.runs() + 2;
  heart.cells = with_repolarisation_scale(person, heart.repolarisation_scale);
  return heart;
}

double drug_free_qt(const PersonalHeart& heart, const StrandSetup& setup) {
  validate(setup);
  const double qt = run_strand(heart.cells, setup).qt;
  if (std::isnan(qt)) throw Error("this heart's strand does not repolarise without a drug under the drug protocol");
  return qt;
}

std::vector<DrugQtPoint> predict_drug_qtc(const PersonalHeart& heart, double drug_free_qt_ms, const Drug& drug,
                                          std::span<const double> concentrations_nm, const StrandSetup& setup) {
  validate(drug);
  validate(setup);
  if (!(drug_free_qt_ms > 0)) throw Error("drug QTc: the drug-free QT must be positive");
  for (double c : concentrations_nm)
    if (!(c >= 0) || !std::isfinite(c)) throw Error("drug QTc: concentration " + std::to_string(c) + " nM is not >= 0");
  std::vector<StrandBeat> beats(concentrations_nm.size());
  run_parallel(beats.size(), setup.threads, [&](std::size_t i) {
    StrandCells cells = heart.cells;
    for (OrdParams& p : cells) p = with_drug(p, drug, concentrations_nm[i]);
    beats[i] = run_strand(cells, setup, concentrations_nm[i]);
  });
  std::vector<DrugQtPoint> out;
  for (std::size_t i = 0; i < beats.size(); ++i) {
    const StrandBeat& b = beats[i];
    DrugQtPoint point{concentrations_nm[i], b.qt};
    point.predicted_qtc_ms = heart.measured_qtc_ms * b.qt / drug_free_qt_ms;
    point.delta_qtc_ms = point.predicted_qtc_ms - heart.measured_qtc_ms;
    point.ead = b.ead;
    point.repolarised = b.activated && b.repolarised;
    out.push_back(point);
  }
  return out;
}

}  // namespace medtwin::cardio
