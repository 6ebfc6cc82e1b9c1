#include "medtwin/twin/virtual_patients.hpp"

#include <fmt/format.h>

#include <cmath>

#include "medtwin/core/error.hpp"
#include "medtwin/io/importer.hpp"
#include "medtwin/io/named_table.hpp"

namespace medtwin {

std::vector<VirtualPatient> load_virtual_patients(const std::filesystem::path& folder) {
  const auto params = read_named_table(read_file(folder / "vpatient_params.csv"), "vpatient_params.csv");
  const auto quest = read_named_table(read_file(folder / "Quest.csv"), "Quest.csv");
  std::vector<VirtualPatient> out;
  for (const NamedRow& row : params) {
    const NamedRow* q = find_named_row(quest, row.name);
    if (!q || !q->values.contains("CR") || !q->values.contains("CF"))
      throw Error(fmt::format("Quest.csv has no carb ratio (CR) and correction factor (CF) for '{}'", row.name));
    out.push_back({metabolic::uva_padova_params(row.name, row.values), q->values.at("CR"), q->values.at("CF")});
  }
  return out;
}

VirtualPatient load_virtual_patient(const std::filesystem::path& folder, const std::string& name) {
  const auto all = load_virtual_patients(folder);
  std::string names;
  for (const VirtualPatient& p : all) {
    if (p.params.name == name) return p;
    names += (names.empty() ? "" : ", ") + p.params.name;
  }
  throw NotFound(fmt::format("no virtual patient '{}' (known: {})", name, names));
}

namespace {

// The row `name` of the table `file` in `folder`, with its columns checked.
NamedRow table_row(const std::filesystem::path& folder, const std::string& file, const std::string& name,
                   std::initializer_list<const char*> columns) {
  const auto rows = read_named_table(read_file(folder / file), file);
  const NamedRow* row = find_named_row(rows, name);
  if (!row) throw NotFound(fmt::format("{} has no '{}' (known: {})", file, name, row_names(rows)));
  for (const char* column : columns)
    if (!row->values.contains(column)) throw ParseError(fmt::format("{}: '{}' has no column '{}'", file, name, column));
  return *row;
}

}  // namespace

metabolic::CgmSensorParams load_cgm_sensor(const std::filesystem::path& folder, const std::string& name) {
  const auto row = table_row(folder, "sensor_params.csv", name,
                             {"PACF", "gamma", "lambda", "delta", "xi", "sample_time", "min", "max"});
  const auto& v = row.values;
  metabolic::CgmSensorParams s{name,       v.at("PACF"),        v.at("gamma"), v.at("lambda"), v.at("delta"),
                               v.at("xi"), v.at("sample_time"), v.at("min"),   v.at("max")};
  const auto bad = [&](const char* what) {
    throw ParseError(fmt::format("sensor_params.csv:{}: '{}': {}", row.line, name, what));
  };
  // The noise is drawn every 15 min in batches of 150: a sample time must be whole minutes within one batch.
  if (!(s.sample_time >= 1 && s.sample_time <= 150 && s.sample_time == std::floor(s.sample_time)))
    bad("sample_time must be whole minutes from 1 to 150");
  if (!(s.delta > 0)) bad("delta must be positive");
  if (!(s.min < s.max)) bad("min must be below max");
  return s;
}

metabolic::InsulinPumpParams load_insulin_pump(const std::filesystem::path& folder, const std::string& name) {
  const auto row = table_row(folder, "pump_params.csv", name,
                             {"min_bolus", "max_bolus", "inc_bolus", "min_basal", "max_basal", "inc_basal"});
  const auto& v = row.values;
  metabolic::InsulinPumpParams p{name, v.at("min_bolus"), v.at("max_bolus"), v.at("inc_bolus"),
                                 v.at("min_basal"), v.at("max_basal"), v.at("inc_basal")};
  if (!(p.inc_bolus > 0 && p.inc_basal > 0 && p.min_bolus >= 0 && p.min_basal >= 0 && p.min_bolus <= p.max_bolus &&
        p.min_basal <= p.max_basal))
    throw ParseError(fmt::format("pump_params.csv:{}: '{}': increments must be positive and 0 ≤ min ≤ max", row.line,
                                 name));
  return p;
}

}  // namespace medtwin
