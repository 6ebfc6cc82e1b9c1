// How the commands print numbers, days and clock times.
#include <fmt/format.h>

#include <cmath>

#include "cli.hpp"
#include "medtwin/core/time.hpp"

namespace medtwin::cli {

std::string number_text(double v) {
  if (!std::isfinite(v)) return "—";
  const double a = std::abs(v);
  if (a == 0) return "0";
  if (a >= 1000) return fmt::format("{:.0f}", v);
  if (a >= 100) return fmt::format("{:.1f}", v);
  if (a >= 1) return fmt::format("{:.2f}", v);
  return fmt::format("{:.3f}", v);
}

std::string date_text(std::chrono::local_days day) { return format_local_day(day); }

std::string clock_text(double hours_after_midnight) {
  const auto minutes = static_cast<long>(std::lround(hours_after_midnight * 60));
  const long in_day = ((minutes % 1440) + 1440) % 1440;
  return fmt::format("{:02}:{:02}", in_day / 60, in_day % 60);
}

}  // namespace medtwin::cli
