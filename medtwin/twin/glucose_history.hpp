// What the glucose twin (medtwin/metabolic/glucose_forecast.hpp) takes from a
// person's records: the readings of one CGM sensor, the logged meals and the
// heart rate, as minutes since the Unix epoch.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "medtwin/core/records.hpp"
#include "medtwin/metabolic/glucose_forecast.hpp"
#include "medtwin/store/store.hpp"

namespace medtwin {

struct PersonGlucoseHistory {
  metabolic::GlucoseHistory history;
  std::string sensor;     // the source of the CGM readings used
  std::string time_zone;  // IANA: the person's local days
};

// Interstitial glucose of `sensor`, or when unset of the sensor with the most
// readings (a person wearing two, as in CGMacros, gets the denser one); meals
// with carbohydrate; heart rate of any source. `time_zone` gives the time of day.
PersonGlucoseHistory glucose_history_from_records(std::span<const Observation> observations,
                                                  std::span<const Event> events,
                                                  const std::optional<std::string>& sensor,
                                                  const std::string& time_zone);

// The same from the store; throws NotFound for an unknown person or one without
// CGM readings (of `sensor`).
PersonGlucoseHistory gather_glucose_history(Store& store, const std::string& person,
                                            const std::optional<std::string>& sensor = {});

}  // namespace medtwin
