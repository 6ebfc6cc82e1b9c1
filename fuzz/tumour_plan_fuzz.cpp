// libFuzzer target for tumour plans (medtwin/twin/tumour_plan.hpp): parsing
// rejects bytes only by ParseError; turning a parsed plan into a treatment
// rejects it only by Error (e.g. temozolomide without radiotherapy).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "medtwin/core/error.hpp"
#include "medtwin/twin/tumour_plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  medtwin::TumourPlan plan;
  try {
    plan = medtwin::parse_tumour_plan(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  } catch (const medtwin::ParseError&) {
    return 0;
  }
  try {
    // Twins with and without a fitted temozolomide kill, by the input's length.
    const std::optional<double> fitted_kill = size % 2 ? std::optional(1.0) : std::nullopt;
    (void)medtwin::plan_treatment(plan, 10, 0.05, 1.8, fitted_kill);
    (void)medtwin::plan_treatment_end(plan, 10);
  } catch (const medtwin::Error&) {
  }
  return 0;
}
