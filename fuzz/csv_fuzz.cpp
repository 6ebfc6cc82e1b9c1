// libFuzzer target for the CSV reader and the generic CSV importer. Input
// holding a NUL byte is split there into a mapping (JSON) and a CSV; other
// input is read as a CSV through a fixed mapping with a person column, an end
// time, a unit conversion and a zone-less time format.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/csv.hpp"
#include "medtwin/io/csv_mapping.hpp"

namespace {

constexpr std::string_view kMapping = R"({
  "time": {"column": "start", "format": "iso8601"},
  "end_time": {"column": "end", "format": "%Y-%m-%d %H:%M:%S"},
  "person": {"column": "id"},
  "source": {"column": "device"},
  "values": [{"column": "hr", "code": "heart_rate", "unit": "bpm"},
             {"column": "glucose", "code": "blood_glucose", "unit": "mmol/L"},
             {"column": "x", "code": "https://example.org|x", "unit": "furlongs"}]})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  medtwin::ImportOptions options;
  if (size % 2 == 1) options.time_zone = "Europe/Amsterdam";
  medtwin::CollectingSink sink;
  try {
    // The reader alone, with the delimiter a mapping would pick.
    medtwin::CsvReader reader(input, "fuzz.csv", size % 3 == 0 ? ';' : ',');
    medtwin::CsvRow row;
    while (reader.next(row)) {
    }
    auto nul = input.find('\0');
    std::string_view mapping = nul == std::string_view::npos ? kMapping : input.substr(0, nul);
    std::string_view csv = nul == std::string_view::npos ? input : input.substr(nul + 1);
    medtwin::read_mapped_csv(csv, "fuzz.csv", medtwin::parse_csv_mapping(mapping, "fuzz.json"), options, sink);
  } catch (const medtwin::Error&) {
    // Rejecting bad input with a ParseError is the expected outcome.
  }
  return 0;
}
