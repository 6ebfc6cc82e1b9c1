// The UVA/Padova virtual patients (medtwin/metabolic/uva_padova.hpp) from
// simglucose's tables in a folder: vpatient_params.csv and Quest.csv (carb
// ratio and correction factor). The project bundles them in data/simglucose.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

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

}  // namespace medtwin
