// What the personal heart model (medtwin/cardio/qt_personalisation.hpp) takes
// from one person's twin: the QTc of their latest recording (Fridericia when
// `medtwin ecg` stored it, else Bazett as ECG machines report it; an old
// value is still used, its date is in qtc_source) and their sex.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "medtwin/core/records.hpp"
#include "medtwin/store/store.hpp"

namespace medtwin {

struct PersonHeartInputs {
  Sex sex = Sex::unknown;
  std::optional<double> qtc_ms;
  std::string qtc_source;  // "QTc Fridericia of 2024-03-01T10:00:00Z (medtwin ecg)"
};

// From the person's record and QTc observations (others are ignored).
PersonHeartInputs heart_inputs_from_records(const PersonRecord& person, const std::vector<Observation>& observations);
// Reads them from the store; throws NotFound when there is no such person.
PersonHeartInputs gather_heart_inputs(Store& store, const std::string& person);

}  // namespace medtwin
