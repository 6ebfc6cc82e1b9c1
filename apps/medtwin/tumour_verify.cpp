// `medtwin tumor verify --out DIR`: the spherical solver's verification studies
// (travelling-wave speed, observed order in space and time), printed and
// drawn as the SVG plots of docs/models/proliferation_invasion.md.
#include "tumour_verify.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "medtwin/core/error.hpp"
#include "medtwin/io/svg_chart.hpp"
#include "medtwin/onco/verification.hpp"

namespace medtwin::cli {
namespace {

const onco::PiParams kHighPair{0.2, 0.1, 1};  // Rockne's "high" D and ρ, K = 1

void write_chart(const io::LineChart& chart, const std::filesystem::path& path) {
  std::ofstream out(path);
  out << io::svg_chart(chart);
  if (!out.flush()) throw Error(path.string() + ": cannot write");
  fmt::print("  wrote {}\n", path.string());
}

// The front's speed between records against 2√(Dρ).
io::LineChart front_chart(const onco::FrontTrace& front) {
  io::ChartSeries speed{"model: 0.8 K front speed", {}, {}, false, true};
  for (std::size_t i = 1; i < front.days.size(); ++i) {
    speed.x.push_back(front.days[i]);
    speed.y.push_back((front.radius_mm[i] - front.radius_mm[i - 1]) / (front.days[i] - front.days[i - 1]));
  }
  const io::ChartSeries fisher{"2√(Dρ)", {speed.x.front(), speed.x.back()},
                               {front.fisher_speed_mm_per_day, front.fisher_speed_mm_per_day}, true, false};
  return {"Travelling wave: D 0.2 mm²/day, ρ 0.1/day", "day", "front speed (mm/day)",
          fmt::format("The spherical front's speed rises towards Fisher's 2√(Dρ) = {:.5f} mm/day; over the last 400 days "
                      "it is {:.5f} mm/day ({:+.2f} %).",
                      front.fisher_speed_mm_per_day, front.speed_mm_per_day,
                      100 * (front.speed_mm_per_day / front.fisher_speed_mm_per_day - 1)),
          false, false, {speed, fisher}};
}

// Error against the finest resolution, with a slope-2 reference through the coarsest point.
io::LineChart order_chart(const onco::ConvergenceStudy& s, const std::string& what, const std::string& unit) {
  io::ChartSeries error{"|total cells − finest|", {}, {}, false, true};
  for (std::size_t i = 0; i + 1 < s.resolution.size(); ++i) {
    error.x.push_back(s.resolution[i]);
    error.y.push_back(s.error[i]);
  }
  io::ChartSeries second{"second order (slope 2)", error.x, {}, true, false};
  for (double h : error.x) second.y.push_back(error.y.front() * (h / error.x.front()) * (h / error.x.front()));
  return {"Convergence in " + what, what + " (" + unit + ")", "error in total cells after 60 days",
          fmt::format("The error of the total cells falls with the {} along the slope-2 line; observed order {:.2f}.", what,
                      s.observed_order),
          true, true, {error, second}};
}

void run_verify(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  const auto front = onco::travelling_front(kHighPair, 2000, 50);
  fmt::print("Travelling wave: {:.5f} mm/day over days 1600–2000 against 2√(Dρ) = {:.5f} ({:+.2f} %)\n",
             front.speed_mm_per_day, front.fisher_speed_mm_per_day,
             100 * (front.speed_mm_per_day / front.fisher_speed_mm_per_day - 1));
  write_chart(front_chart(front), folder / "pi_travelling_wave.svg");
  const auto space = onco::space_convergence(kHighPair, {25, 50, 100, 200, 400, 800});
  const auto time = onco::time_convergence(kHighPair, {4, 2, 1, 0.5, 0.25, 0.125});
  fmt::print("Observed order: {:.2f} in space, {:.2f} in time\n", space.observed_order, time.observed_order);
  write_chart(order_chart(space, "shell width", "mm"), folder / "pi_order_space.svg");
  write_chart(order_chart(time, "time step", "days"), folder / "pi_order_time.svg");
}

}  // namespace

void add_tumour_verify_command(CLI::App& tumour) {
  auto folder = std::make_shared<std::string>();
  auto* verify = tumour.add_subcommand("verify", "Run the solver's verification studies and draw them as SVG");
  verify->add_option("--out", *folder, "Folder to write the plots into")->required();
  verify->callback([folder] { run_verify(*folder); });
}

}  // namespace medtwin::cli
