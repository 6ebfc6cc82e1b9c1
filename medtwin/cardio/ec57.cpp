#include "medtwin/cardio/ec57.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "medtwin/cardio/beat_class.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::cardio {
namespace {

struct Span {
  std::int64_t begin, end;  // samples, [begin, end)
};

bool is_vf_rhythm(std::string_view text) { return text == "(VFL" || text == "(VF"; }

// Ventricular flutter/fibrillation: from "[" to "]", and from a "(VFL"/"(VF"
// rhythm change to the next rhythm change. Overlaps are harmless.
std::vector<Span> vf_spans(std::span<const Annotation> reference) {
  constexpr std::int64_t open = -1;
  constexpr std::int64_t forever = std::numeric_limits<std::int64_t>::max();
  std::vector<Span> spans;
  std::int64_t bracket = open, rhythm = open;
  for (const Annotation& a : reference) {
    if (a.sample < 0) continue;  // dropped by the importer
    if (a.code == "[" && bracket == open) bracket = a.sample;
    if (a.code == "]" && bracket != open) {
      spans.push_back({bracket, a.sample + 1});
      bracket = open;
    }
    if (a.code == "+") {
      if (rhythm != open) spans.push_back({rhythm, a.sample});
      rhythm = is_vf_rhythm(a.text) ? a.sample : open;
    }
  }
  if (bracket != open) spans.push_back({bracket, forever});
  if (rhythm != open) spans.push_back({rhythm, forever});
  return spans;
}

}  // namespace

double Ec57Counts::sensitivity() const { return tp + fn == 0 ? std::nan("") : double(tp) / double(tp + fn); }

double Ec57Counts::positive_predictivity() const { return tp + fp == 0 ? std::nan("") : double(tp) / double(tp + fp); }

Ec57Counts& Ec57Counts::operator+=(const Ec57Counts& other) {
  tp += other.tp;
  fn += other.fn;
  fp += other.fp;
  return *this;
}

bool is_beat_code(std::string_view code) {
  // The beats are exactly the codes with an AAMI class. Flutter waves ("!") are not counted: they lie in VF,
  // which is excluded.
  return aami_class_of(code).has_value();
}

bool is_paced_mitdb_record(std::string_view record) {
  return record == "102" || record == "104" || record == "107" || record == "217";
}

Ec57Counts score_beats(std::span<const Annotation> reference, std::span<const std::int64_t> detections, double rate_hz,
                       const Ec57Options& options) {
  if (!(rate_hz > 0) || !std::isfinite(rate_hz))
    throw Error(fmt::format("EC57 scoring: the sampling rate must be a positive number of Hz, got {}", rate_hz));
  if (!std::is_sorted(detections.begin(), detections.end()))
    throw Error("EC57 scoring: detections must be sample indices in increasing order");

  std::vector<std::int64_t> beats;
  for (const Annotation& a : reference)
    if (a.sample >= 0 && is_beat_code(a.code)) beats.push_back(a.sample);
  std::sort(beats.begin(), beats.end());

  const std::vector<Span> vf = vf_spans(reference);
  const auto start = std::int64_t(std::ceil(options.learning_period_s * rate_hz));
  auto scored = [&](std::int64_t sample) {
    return sample >= start &&
           std::none_of(vf.begin(), vf.end(), [&](const Span& s) { return sample >= s.begin && sample < s.end; });
  };
  const auto window = std::int64_t(std::floor(options.match_window_s * rate_hz + 1e-9));

  Ec57Counts counts;
  std::size_t i = 0, j = 0;
  auto miss = [&] { counts.fn += scored(beats[i++]); };
  auto extra = [&] { counts.fp += scored(detections[j++]); };
  while (i < beats.size() && j < detections.size()) {
    std::int64_t r = beats[i], t = detections[j], d = std::abs(t - r);
    if (t < r - window)
      extra();
    else if (t > r + window)
      miss();
    else if (j + 1 < detections.size() && std::abs(detections[j + 1] - r) < d)
      extra();  // the next detection is nearer this beat
    else if (i + 1 < beats.size() && std::abs(beats[i + 1] - t) < d)
      miss();  // the next beat is nearer this detection
    else {
      counts.tp += scored(r);
      ++i;
      ++j;
    }
  }
  while (i < beats.size()) miss();
  while (j < detections.size()) extra();
  return counts;
}

}  // namespace medtwin::cardio
