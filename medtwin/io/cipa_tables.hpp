// Readers of the CiPA drug tables (FDA/CiPA repository, Li et al. 2017 Circ
// Arrhythm Electrophysiol 10:e004628 and Li et al. 2019 Clin Pharmacol Ther
// 105:466–475) and of a user's own IC50 table in the same layout:
//  - IC50 tables (Li2017_IC50.csv, IC50_optimal_all.csv, a user's table): a
//    "drug" column and, per current X of INa, INaL, ICaL, Ito, IKs, IK1, hERG,
//    the columns "X_IC50" (nM) and "X_h" (Hill coefficient), in any order;
//    optionally "Cmax" or "therapeutic" (free Cmax, nM). Absent columns and
//    "NA" or empty cells mean no data for that current.
//  - CiPA_training_drugs.csv: drug, therapeutic (free Cmax, nM), CiPA (0 low,
//    1 intermediate, 2 high TdP risk).
//  - hERG_dynamic_pars_optimal.csv: drug, Kmax, Ku (1/ms), n, halfmax (nM^n),
//    Vhalf (mV).
//  - CiPA12_merged_table.csv: all of the above in one row per drug
//    (TdP_risk_CiPA, CiPA_code, EFTPC_Cmax_nM, X_IC50_nM, X_h, hERG_Kmax,
//    hERG_Ku_per_ms, hERG_n, hERG_halfmax_nM^n, hERG_Vhalf_mV).
// Every reader returns plain records (io knows nothing of models) and throws
// ParseError "FILE:LINE:COLUMN: what" on bad input.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace medtwin {

// The currents, in the order of cardio::Current.
inline constexpr std::array<std::string_view, 7> kCipaCurrents = {"INa", "INaL", "ICaL", "Ito", "IKs", "IK1", "hERG"};

struct CipaHill {
  double ic50_nm = 0;  // nM
  double hill = 1;     // dimensionless
};

struct CipaHergBinding {
  double kmax = 0;     // dimensionless
  double ku = 0;       // 1/ms
  double n = 1;        // dimensionless
  double halfmax = 1;  // nM^n
  double vhalf = 0;    // mV
};

struct CipaDrugRecord {
  std::string name;
  std::optional<double> cmax_nm;                // free Cmax (EFTPC), nM
  std::array<std::optional<CipaHill>, 7> hill;  // by kCipaCurrents
  std::optional<CipaHergBinding> herg_binding;
  std::optional<int> risk_category;  // CiPA code: 0 low, 1 intermediate, 2 high
};

// IC50 table (see above). Drug names must be unique and non-empty; an IC50
// without its Hill coefficient (or the reverse) is an error, as is a value
// that is not a positive number.
std::vector<CipaDrugRecord> read_cipa_ic50_table(std::string_view text, const std::string& file);

// Parameter samples (e.g. FDA/CiPA Hill_fitting/results/DRUG/IC50_samples.csv,
// one MCMC draw per row): the IC50 table's columns, the "drug" column not
// needed; rows are named "sample 1", "sample 2", …
std::vector<CipaDrugRecord> read_cipa_ic50_samples(std::string_view text, const std::string& file);

// CiPA_training_drugs.csv: name, cmax_nm and risk_category of each drug.
std::vector<CipaDrugRecord> read_cipa_training_drugs(std::string_view text, const std::string& file);

// hERG_dynamic_pars_optimal.csv: name and herg_binding of each drug.
std::vector<CipaDrugRecord> read_cipa_herg_binding(std::string_view text, const std::string& file);

// CiPA12_merged_table.csv: complete records.
std::vector<CipaDrugRecord> read_cipa_merged_table(std::string_view text, const std::string& file);

// The record named `name` (ASCII case ignored), or nullptr.
const CipaDrugRecord* find_cipa_drug(const std::vector<CipaDrugRecord>& records, std::string_view name);

}  // namespace medtwin
