// A tumour patient's timeline (docs/formats/tumour_timeline.md): the
// diagnosis, the imaging visits with their tumour masks (NIfTI) or measured
// radii, and the treatment given so far. Every key is known or an error.
//
//   {"patient": "glioma-01", "diagnosis": "2026-01-05", "body_surface_m2": 1.9,
//    "brain_mask": "brain.nii.gz", "white_matter_mask": "wm.nii.gz", "grey_matter_mask": "gm.nii.gz",
//    "visits": [{"date": "2026-01-05", "t1gd_radius_mm": 12.1, "t2_radius_mm": 20.3},
//               {"date": "2026-02-16", "t1gd_mask": "v2_t1gd.nii.gz", "t2_mask": "v2_t2.nii.gz"}],
//    "radiotherapy": [{"date": "2026-03-02", "dose_gy": 1.8}],
//    "drugs": [{"date": "2026-03-02", "drug": "temozolomide", "dose_mg": 140}]}
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "medtwin/onco/radius_calibration.hpp"

namespace medtwin {

struct TumourVisitEntry {
  std::string date;  // YYYY-MM-DD
  double day = 0;    // since the diagnosis
  std::optional<double> t1gd_radius_mm, t2_radius_mm;
  std::string t1gd_mask, t2_mask;  // file names relative to the images folder
};

struct GivenFraction {
  double day = 0;
  double dose_gy = 0;
};

struct GivenDrugDose {
  double day = 0;
  std::string drug;
  double dose_mg = 0;
};

struct TumourTimeline {
  std::string file;  // for messages
  std::string patient;
  std::string diagnosis;  // YYYY-MM-DD
  std::optional<double> body_surface_m2;
  std::string brain_mask;
  std::string white_matter_mask, grey_matter_mask;  // optional; for the 3D model (tumour_grid.hpp)
  std::vector<TumourVisitEntry> visits;  // by date
  std::vector<GivenFraction> radiotherapy;
  std::vector<GivenDrugDose> drugs;
  // The first day of any treatment; none when untreated so far.
  std::optional<double> first_treatment_day() const;
};

// Throws ParseError naming the file and the JSON path of the first problem:
// unknown keys, bad dates, a visit or treatment before the diagnosis, a visit
// with neither radii nor masks, out-of-range numbers.
TumourTimeline parse_tumour_timeline(std::string_view json, const std::string& file);

// The day (since the diagnosis) of `date` (YYYY-MM-DD); throws ParseError
// naming `what` when malformed.
double day_since(const std::string& diagnosis, const std::string& date, const std::string& what);

// Each visit's T1Gd and T2/FLAIR radius: given, or from its masks in
// `images` as the radius of the sphere of the mask's volume. Masks must be on
// the brain mask's grid and inside it; an empty T1Gd mask means no
// enhancement (radius 0). Throws Error naming the file on an empty T2 mask,
// another grid, or a mask outside the brain.
std::vector<onco::RadiusVisit> visit_radii(const TumourTimeline& timeline, const std::filesystem::path& images);

// The files the timeline names, for the digest of a calibration's inputs.
std::vector<std::filesystem::path> timeline_files(const TumourTimeline& timeline, const std::filesystem::path& images);

}  // namespace medtwin
