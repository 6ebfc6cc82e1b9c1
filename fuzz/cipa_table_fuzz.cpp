// libFuzzer target for the CiPA table readers (medtwin/io/cipa_tables.hpp):
// the same bytes go through every reader; rejecting them with a ParseError is
// fine, anything else (a crash, a sanitizer report, another exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "medtwin/core/error.hpp"
#include "medtwin/io/cipa_tables.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  using Reader = std::vector<medtwin::CipaDrugRecord> (*)(std::string_view, const std::string&);
  for (Reader read :
       {static_cast<Reader>(medtwin::read_cipa_ic50_table), static_cast<Reader>(medtwin::read_cipa_ic50_samples),
        static_cast<Reader>(medtwin::read_cipa_training_drugs), static_cast<Reader>(medtwin::read_cipa_herg_binding),
        static_cast<Reader>(medtwin::read_cipa_merged_table)}) {
    try {
      const auto records = read(input, "fuzz.csv");
      medtwin::find_cipa_drug(records, "dofetilide");
    } catch (const medtwin::ParseError&) {
    }
  }
  return 0;
}
