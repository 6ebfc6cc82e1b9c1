#include "medtwin/twin/ecg_report_json.hpp"

#include <cmath>

#include "medtwin/twin/json_number.hpp"

namespace medtwin {
namespace {

double seconds(const EcgReport& r, std::int64_t sample) { return static_cast<double>(sample) / r.rate_hz; }

nlohmann::json intervals_json(const cardio::IntervalSummary& i) {
  nlohmann::json out = {{"pr_ms", json_number(i.pr_ms)}, {"qrs_ms", json_number(i.qrs_ms)},
                        {"qt_ms", json_number(i.qt_ms)}, {"rr_ms", json_number(i.rr_ms)},
                        {"median_beats", i.count}, {"p_wave_share", i.p_wave_share}};
  if (i.qtc)
    out["qtc_ms"] = {{"bazett", i.qtc->bazett_ms}, {"fridericia", i.qtc->fridericia_ms},
                     {"framingham", i.qtc->framingham_ms}, {"hodges", i.qtc->hodges_ms}};
  return out;
}

}  // namespace

nlohmann::json ecg_report_json(const EcgReport& r, bool with_beats) {
  auto episodes = nlohmann::json::array();
  for (const auto& e : r.af.episodes)
    episodes.push_back({{"start_s", seconds(r, e.start_sample)}, {"end_s", seconds(r, e.end_sample)}, {"rhythm", "af"}});
  auto quality = nlohmann::json::array();
  for (const auto& q : poor_quality_spans(r))
    quality.push_back({{"start_s", seconds(r, q.start_sample)}, {"end_s", seconds(r, q.end_sample)},
                       {"quality", cardio::to_string(q.quality)}});
  const auto& c = r.counts;
  nlohmann::json out = {
      {"file", r.source}, {"lead", r.lead},
      {"second_lead", r.two_leads ? nlohmann::json(r.second_lead) : nlohmann::json(nullptr)},
      {"sample_rate_hz", r.rate_hz}, {"duration_s", r.duration_s},
      {"beats", r.r_peaks.size()},
      {"beat_classes", {{"N", c.normal}, {"S", c.supraventricular}, {"V", c.ventricular}, {"F", c.fusion},
                        {"Q", c.unknown}, {"artefacts", c.artefacts}}},
      {"heart_rate", {{"mean", json_number(r.mean_hr)}, {"min", json_number(r.min_hr)}, {"max", json_number(r.max_hr)}}},
      {"intervals", r.intervals ? intervals_json(*r.intervals) : nullptr},
      {"af_burden", r.af.evaluated ? nlohmann::json(r.af.burden) : nlohmann::json(nullptr)}, {"episodes", episodes},
      {"usable_fraction", json_number(r.usable_fraction)}, {"poor_quality", quality},
      {"breathing_rate", json_number(r.breathing_rate)},
      {"label", r.label ? nlohmann::json(cardio::to_string(r.label->label)) : nlohmann::json(nullptr)},
      {"notes", r.notes}};
  if (r.hrv) {
    const auto& t = r.hrv->time;
    out["hrv"] = {{"mean_nn", t.mean_nn}, {"sdnn", t.sdnn}, {"rmssd", t.rmssd}, {"pnn50", t.pnn50},
                  {"lf", json_number(r.hrv->frequency.lf)}, {"hf", json_number(r.hrv->frequency.hf)},
                  {"sd1", r.hrv->nonlinear.sd1}, {"sd2", r.hrv->nonlinear.sd2}, {"nn_interpolated", r.nn_replaced}};
  }
  if (with_beats) {
    auto samples = nlohmann::json::array(), classes = nlohmann::json::array();
    for (std::size_t i = 0; i < r.r_peaks.size(); ++i) {
      samples.push_back(r.r_peaks[i]);
      classes.push_back(std::string(1, cardio::aami_letter(r.beats[i].cls)));
    }
    out["beat_list"] = {{"sample", std::move(samples)}, {"class", std::move(classes)}};
  }
  return out;
}

}  // namespace medtwin
