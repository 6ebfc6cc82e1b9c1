#include "medtwin/twin/virtual_patients.hpp"

#include <fmt/format.h>

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

}  // namespace medtwin
