#include "medtwin/twin/heart_inputs.hpp"

#include <fmt/format.h>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin {
namespace {

// Fridericia over-corrects less than Bazett away from 60/min: preferred when a recording has both.
const std::pair<Metric, const char*> kQtcMetrics[] = {{metrics::qtc_fridericia(), "QTc Fridericia"},
                                                      {metrics::qtc_bazett(), "QTc Bazett"}};

}  // namespace

PersonHeartInputs heart_inputs_from_records(const PersonRecord& person, const std::vector<Observation>& observations) {
  PersonHeartInputs in;
  in.sex = person.sex;
  // The latest recording's QTc; of that recording's values, the first formula of kQtcMetrics.
  const Observation* chosen = nullptr;
  std::size_t chosen_rank = 0;
  for (const auto& o : observations) {
    for (std::size_t rank = 0; rank < std::size(kQtcMetrics); ++rank) {
      const Metric& metric = kQtcMetrics[rank].first;
      if (!(o.code == metric.code)) continue;
      const auto ms = o.value ? to_metric_unit(*o.value, o.unit, metric) : std::nullopt;
      if (!ms) continue;
      if (chosen && (o.start < chosen->start || (o.start == chosen->start && rank >= chosen_rank))) continue;
      chosen = &o, chosen_rank = rank, in.qtc_ms = ms;
    }
  }
  if (chosen)
    in.qtc_source = fmt::format("{} of {}{}", kQtcMetrics[chosen_rank].second, format_instant(chosen->start),
                                chosen->source.empty() ? "" : " (" + chosen->source + ")");
  return in;
}

PersonHeartInputs gather_heart_inputs(Store& store, const std::string& person) {
  const auto record = store.find_person(person);
  if (!record) throw NotFound(fmt::format("no person named '{}' (see `medtwin persons`)", person));
  std::vector<Observation> observations;
  for (const auto& [metric, label] : kQtcMetrics) {
    const auto some = store.observations(ObservationQuery{person, metric.code, {}});
    observations.insert(observations.end(), some.begin(), some.end());
  }
  return heart_inputs_from_records(*record, observations);
}

}  // namespace medtwin
