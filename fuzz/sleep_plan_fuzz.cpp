// libFuzzer target for parse_sleep_plan ("HH:MM-HH:MM", medtwin/twin/sleep_plan.hpp).
// Any input must either throw medtwin::ParseError or give a plan that keeps
// the documented promises: both clock times in [00:00, 24:00), a night of
// positive length under 24 h, text made of digits, one colon per time and one
// '-', and the same plan again when printed back as HH:MM-HH:MM.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "medtwin/core/error.hpp"
#include "medtwin/twin/sleep_plan.hpp"

namespace {

using namespace std::chrono_literals;

void require(bool ok) {
  if (!ok) std::abort();
}

bool on_clock(std::chrono::minutes t) { return t >= 0min && t < 24h; }

std::string clock(std::chrono::minutes t) { return fmt::format("{:02}:{:02}", t.count() / 60, t.count() % 60); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  medtwin::SleepPlan plan;
  try {
    plan = medtwin::parse_sleep_plan(text);
  } catch (const medtwin::ParseError&) {
    return 0;  // rejected with a message: the expected outcome for bad text
  }
  require(on_clock(plan.onset) && on_clock(plan.offset));
  require(plan.length() > 0min && plan.length() < 24h);
  require(std::count(text.begin(), text.end(), '-') == 1 && std::count(text.begin(), text.end(), ':') == 2);
  require(std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || c == ':' || c == '-'; }));
  const auto again = medtwin::parse_sleep_plan(clock(plan.onset) + "-" + clock(plan.offset));
  require(again.onset == plan.onset && again.offset == plan.offset);
  return 0;
}
