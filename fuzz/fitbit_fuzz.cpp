// libFuzzer target for the Fitbit importers. The first byte picks what the
// rest is read as: a Fitabase *_merged.csv or one file of a personal account
// export (the file name says the metric). Odd first bytes drop the --tz, so
// the missing-zone path runs too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/io/fitbit_export.hpp"
#include "medtwin/io/fitbit_fitabase.hpp"

namespace {

// Index 0 is Fitabase; the rest are export files.
constexpr const char* kNames[] = {
    "dailyActivity_merged.csv",       "heart_rate-2020-01-01.json",      "resting_heart_rate-2020-01-01.json",
    "steps-2020-01-01.json",          "calories-2020-01-01.json",        "distance-2020-01-01.json",
    "altitude-2020-01-01.json",       "very_active_minutes-2020-01-01.json", "sedentary_minutes-2020-01-01.json",
    "time_in_heart_rate_zones-2020-01-01.json", "weight-2020-01-01.json", "sleep-2020-01-01.json",
    "exercise-0.json",                "sleep_score.csv",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t pick = (data[0] >> 1) % std::size(kNames);
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  medtwin::ImportOptions options;
  if (data[0] % 2 == 0) options.time_zone = "Europe/Amsterdam";
  medtwin::CollectingSink sink;
  try {
    if (pick == 0) medtwin::read_fitabase(bytes, kNames[0], options, sink);
    else medtwin::read_fitbit_export(bytes, kNames[pick], options, sink);
  } catch (const medtwin::Error&) {
    // Rejecting bad input with a ParseError is the expected outcome.
  }
  return 0;
}
