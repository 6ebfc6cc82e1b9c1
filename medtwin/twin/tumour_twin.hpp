// A tumour patient's twin: the spherical proliferation–invasion model
// calibrated to the pre-treatment visits of a timeline (their radii, given or
// from masks), kept in the store as a model run, and run forward under
// candidate plans with uncertainty from the calibration's posterior
// (docs/tumour.md).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "medtwin/onco/treatment_response.hpp"
#include "medtwin/onco/radius_calibration.hpp"
#include "medtwin/onco/response.hpp"
#include "medtwin/twin/tumour_plan.hpp"
#include "medtwin/twin/tumour_timeline.hpp"

namespace medtwin {

struct ObservedVisit {
  std::string date;
  double day = 0;  // since the diagnosis
  double t1gd_radius_mm = 0, t2_radius_mm = 0;
  bool calibrated_on = false;  // before any treatment
  // After treatment began: the response against the last pre-treatment visit
  // (RANO on T1Gd) and Days Gained against the untreated twin (Neal 2013).
  std::optional<onco::Response> rano;
  std::optional<double> days_gained;
};

// What the 3D model starts from (tumour_grid.hpp): the brain and tissue masks
// and the T2/FLAIR mask of the last calibration visit; and every visit's
// masks, for pictures.
struct VisitMasks {
  std::string t1gd, t2;  // file names in the images folder; empty for a visit given as radii
};

struct TumourImages {
  std::string folder;  // absolute
  std::string brain_mask, white_matter_mask, grey_matter_mask;  // the tissue masks may be empty
  std::string t2_mask;
  std::vector<VisitMasks> visit_masks;  // each visit's, in the twin's order (none in twins stored before them)
};

// How the 3D model with a calibration's D and ρ matches a visit's masks
// (Dice overlap of the visible tumour).
struct GridVisitAgreement {
  double day = 0;
  // With the 3D calibration's D and ρ, and with the spherical calibration's;
  // the T1Gd ones NaN when the visit shows no enhancing core.
  double t1gd_dice = 0, t2_dice = 0;
  double spherical_t1gd_dice = 0, spherical_t2_dice = 0;
};

// The 3D calibration (tumour_grid_fit.hpp): D in white matter and ρ fitted
// to the outlines of the pre-treatment visits' masks.
struct GridFit {
  onco::FittedParameter white_diffusion, proliferation;  // mm²/day, 1/day
  double log_correlation = 0;
  double grey_to_white_diffusion = 0.2;
  std::array<double, 3> spacing_mm{};  // of the simulation
  double rms_edge_mm = 0;              // of the masks' edges from the model's
  int iterations = 0;
  std::vector<GridVisitAgreement> visits;  // after the first
};

// The kind of a tumour twin's model run in the store.
inline constexpr const char* kTumourTwinKind = "tumour-twin";

struct TumourTwin {
  std::string id;  // "tumour-" + the start of the inputs' SHA-256
  std::string inputs_sha256;
  std::string patient, diagnosis;
  std::optional<double> body_surface_m2;
  onco::RadiusCalibrationOptions options;
  onco::RadiusCalibration fit;
  std::vector<ObservedVisit> visits;
  double first_visit_day = 0, first_t2_radius_mm = 0;
  double last_calibration_day = 0;
  std::optional<double> last_radiotherapy_day;  // of the fractions given (the timeline)
  // α fitted to the visits after radiotherapy began, when the timeline has them.
  std::optional<onco::FittedParameter> alpha;
  // Temozolomide's maximal kill rate (1/day) fitted with α, when a visit
  // follows doses given after radiotherapy; else its effect is absorbed into α.
  std::optional<onco::FittedParameter> temozolomide_max_kill;
  // When the timeline has a brain mask and the last calibration visit a T2 mask.
  std::optional<TumourImages> images;
  std::optional<GridFit> grid_fit;
  // α when a plan gives none: the fitted α, else Rockne's pairing of α with ρ
  // (0.03/Gy at 0.02/day, 0.09/Gy at 0.1/day), linear in log ρ, clamped to that range.
  double default_alpha_per_gy() const;
};

// Calibrates D and ρ on the visits before the first treatment (at least two),
// α and temozolomide's kill on the visits after treatment began (if any), and judges the later
// visits. Throws Error naming what is wrong.
TumourTwin calibrate_tumour_twin(const TumourTimeline& timeline, const std::filesystem::path& images,
                                 const onco::RadiusCalibrationOptions& options = {});

// "tumour-" + the start of the digest of its inputs.
std::string tumour_twin_id(const std::string& inputs_sha256);

std::string tumour_twin_json(const TumourTwin& twin);
// Throws Error when `json` is not a tumour twin written by tumour_twin_json.
TumourTwin tumour_twin_from_json(const std::string& json);

// Low, median and high (10 %, 50 %, 90 %) across the posterior samples.
struct Band {
  std::vector<double> low, median, high;
};

struct PlanForecast {
  std::string plan;
  double start_day = 0, treatment_end_day = 0;
  double assessment_day = 0;  // 4 weeks after the end of radiotherapy (or of treatment)
  std::vector<double> days;   // since the diagnosis
  Band t1gd_radius_mm, t2_radius_mm;
  double days_gained_low = 0, days_gained_median = 0, days_gained_high = 0;  // at the assessment
  onco::Response rano = onco::Response::stable;  // of the median trajectory, at the assessment
  onco::Response recist = onco::Response::stable;
  double responding_share = 0;   // samples with CR or PR (RANO) at the assessment
  double progressing_share = 0;  // samples progressing (RANO) within the follow-up
  std::optional<double> median_progression_day;  // since the plan's start, of the median trajectory
  // Days from the plan's start until the median T1Gd radius reaches 35 mm, the
  // lethal size of Rockne's and PDEControlGym's simulations; none within the follow-up.
  std::optional<double> median_lethal_day;
  double t1gd_volume_end_ml = 0;                 // median at the end of the follow-up
  int samples = 0;         // simulated
  int failed_samples = 0;  // drawn but not simulable (left out)
};

// A model's trajectories for one parameter draw under a plan's treatment.
struct PlanTrajectories {
  std::vector<onco::TumourSize> treated;  // on the forecast's days
  // Untreated, sorted by day, through the last of them: the virtual control of
  // Days Gained, from the seed or as early as the model knows it.
  std::vector<onco::TumourSize> control;
};
using PlanSimulator = std::function<PlanTrajectories(const onco::PiParams& params, const onco::Treatment& treatment,
                                                     const std::vector<double>& days)>;

// The spherical model grown from the twin's first visit (the simulator keeps a
// reference to `twin`).
PlanSimulator spherical_simulator(const TumourTwin& twin);

// Forecasts a plan from the last calibration visit (the plan starting
// `start_after_days` later) with `simulate`, for `samples` parameter sets
// drawn from the calibration's posterior (1: the fitted values alone).
// Deterministic for a seed. Throws Error naming the plan.
PlanForecast forecast_plan(const TumourTwin& twin, const TumourPlan& plan, int samples, std::uint32_t seed,
                           const PlanSimulator& simulate);

// forecast_plan on the spherical model for each plan, calling `before_each`
// with the plan's index first (progress; an exception it throws stops there).
std::vector<PlanForecast> forecast_plans(const TumourTwin& twin, const std::vector<TumourPlan>& plans, int samples,
                                         std::uint32_t seed,
                                         const std::function<void(std::size_t)>& before_each = {});

double sphere_volume_ml(double radius_mm);

}  // namespace medtwin
