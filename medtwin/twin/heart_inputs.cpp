#include "medtwin/twin/heart_inputs.hpp"

#include <fmt/format.h>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin {
namespace {

// Fridericia over-corrects less than Bazett away from 60/min: preferred when both exist.
const std::pair<Metric, const char*> kQtcMetrics[] = {{metrics::qtc_fridericia(), "QTc Fridericia"},
                                                      {metrics::qtc_bazett(), "QTc Bazett"}};

}  // namespace

PersonHeartInputs heart_inputs_from_records(const PersonRecord& person, const std::vector<Observation>& observations) {
  PersonHeartInputs in;
  in.sex = person.sex;
  for (const auto& [metric, label] : kQtcMetrics) {
    const Observation* latest = nullptr;
    std::optional<double> value;
    for (const auto& o : observations) {
      if (!(o.code == metric.code)) continue;
      const auto ms = o.value ? to_metric_unit(*o.value, o.unit, metric) : std::nullopt;
      if (ms && (!latest || o.start > latest->start)) latest = &o, value = ms;
    }
    if (!latest) continue;
    in.qtc_ms = value;
    in.qtc_source = fmt::format("{} of {}{}", label, format_instant(latest->start),
                                latest->source.empty() ? "" : " (" + latest->source + ")");
    break;
  }
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
