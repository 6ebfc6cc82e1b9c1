// Response categories and Days Gained for a tumour followed over time.
// RECIST 1.1 (Eisenhauer et al. 2009, Eur J Cancer 45:228): the sum of longest
// diameters (SLD); partial response at −30 % from baseline, progression at
// +20 % and +5 mm from the nadir. RANO (Wen et al. 2010, J Clin Oncol
// 28:1963): the sum of products of perpendicular diameters (SPD) of the
// enhancing tumour; partial response at −50 % from baseline, progression at
// +25 % from the nadir. Complete response: nothing measurable left. For one
// spherical lesion of radius r the SLD is 2r and the SPD (2r)². Days Gained
// (Neal et al. 2013, PLoS One 8:e51951): how much later the treated tumour
// has a size than the untreated virtual control had it.
// Pure; card docs/models/response_criteria.md.
#pragma once

#include <vector>

namespace medtwin::onco {

enum class Response { complete, partial, stable, progressive };
enum class Criteria { recist_1_1, rano };

const char* to_string(Response response);
const char* to_string(Criteria criteria);

// The category of `current` (SLD in mm for RECIST, SPD in mm² for RANO)
// against the baseline and the smallest value since (the nadir, baseline
// included). Nothing measurable at baseline and none now is stable; new
// disease after none is progression. Throws Error on negative or non-finite
// measures.
Response classify(Criteria criteria, double baseline, double nadir, double current);

// The measure of one spherical lesion of radius r (mm) under `criteria`.
double lesion_measure(Criteria criteria, double radius_mm);

// The category at each of `radii` (mm, in time order), `radii[0]` the baseline.
std::vector<Response> classify_series(Criteria criteria, const std::vector<double>& radii);

// Days Gained at `day` for a tumour of T1Gd radius `radius_mm`: `day` minus the
// first day the untreated control (`control_days`, `control_radii`, sorted by
// day) reached that radius, linear between samples; a tumour no larger than
// the control's first sample gains all the control's days (a lower bound).
// Throws Error when the control never reaches it or the series are empty or
// of different lengths.
double days_gained(const std::vector<double>& control_days, const std::vector<double>& control_radii, double day,
                   double radius_mm);

}  // namespace medtwin::onco
