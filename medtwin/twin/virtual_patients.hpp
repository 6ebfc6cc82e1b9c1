// The UVA/Padova virtual patients (medtwin/metabolic/uva_padova.hpp), CGM
// sensors and insulin pumps from simglucose's tables in a folder:
// vpatient_params.csv, Quest.csv (carb ratio and correction factor),
// sensor_params.csv and pump_params.csv. The project bundles them in data/simglucose.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "medtwin/metabolic/closed_loop.hpp"
#include "medtwin/metabolic/uva_padova.hpp"

namespace medtwin {

struct VirtualPatient {
  metabolic::UvaPadovaParams params;
  double carb_ratio_g_per_u = 0;
  double correction_factor_mg_dl_per_u = 0;
};

// Every patient of the tables, in their order. Throws ParseError on a bad
// table and Error when a patient has no Quest row.
std::vector<VirtualPatient> load_virtual_patients(const std::filesystem::path& folder);
// One of them; NotFound (listing the names) when there is no such patient.
VirtualPatient load_virtual_patient(const std::filesystem::path& folder, const std::string& name);

// A sensor (Dexcom, GuardianRT, Navigator) or pump (Cozmo, Insulet) by name;
// NotFound listing the names, ParseError naming a missing column.
metabolic::CgmSensorParams load_cgm_sensor(const std::filesystem::path& folder, const std::string& name);
metabolic::InsulinPumpParams load_insulin_pump(const std::filesystem::path& folder, const std::string& name);

}  // namespace medtwin
