#include "medtwin/baseline/readiness.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "medtwin/core/error.hpp"

namespace medtwin::baseline {
namespace {

void check(const PartModel& m, ReadinessPart part) {
  const auto name = to_string(part);
  if (!(std::isfinite(m.weight) && m.weight > 0))
    throw Error(fmt::format("readiness weight of '{}' must be a positive number, got {}", name, m.weight));
  if (m.knots.empty()) throw Error(fmt::format("readiness part '{}' needs at least one knot", name));
  bool rises = false, falls = false;  // a part may go one way only, so the score is monotone in it
  for (std::size_t i = 0; i < m.knots.size(); ++i) {
    const auto& k = m.knots[i];
    if (!(std::isfinite(k.x) && k.goodness >= -1 && k.goodness <= 1))
      throw Error(fmt::format("readiness part '{}': knot {} must have a finite x and goodness in [-1, 1]", name, i));
    if (i == 0) continue;
    if (!(k.x > m.knots[i - 1].x))
      throw Error(fmt::format("readiness part '{}': knot x values must increase strictly", name));
    rises |= k.goodness > m.knots[i - 1].goodness;
    falls |= k.goodness < m.knots[i - 1].goodness;
  }
  if (rises && falls) throw Error(fmt::format("readiness part '{}': goodness must be monotone in x", name));
}

// Piecewise-linear goodness, flat outside the knots.
double goodness(const PartModel& m, double x) {
  if (x <= m.knots.front().x) return m.knots.front().goodness;
  for (std::size_t i = 1; i < m.knots.size(); ++i) {
    const auto& a = m.knots[i - 1];
    const auto& b = m.knots[i];
    if (x <= b.x) return a.goodness + (b.goodness - a.goodness) * (x - a.x) / (b.x - a.x);
  }
  return m.knots.back().goodness;
}

std::optional<double> checked(std::optional<double> v, double lo, double hi, const char* field, const char* unit) {
  if (v && !(std::isfinite(*v) && *v >= lo && *v <= hi))
    throw Error(fmt::format("readiness input {} must be a number in {}..{} {}", field, lo, hi, unit));
  return v;
}

std::string above_below(double deviation, const char* what, const char* unit) {
  if (std::abs(deviation) < 0.05) return fmt::format("{} at your baseline", what);
  return fmt::format("{} {:.1f} {} {} your baseline", what, std::abs(deviation), unit,
                     deviation < 0 ? "below" : "above");
}

// One part as the score sees it: its input, its curve (read at input -
// origin) and how to say it.
struct Part {
  ReadinessPart part;
  std::optional<double> input;
  const PartModel* model;
  std::function<std::string(double input, double goodness)> describe;
  double origin = 0;
};

std::vector<Part> parts(const ReadinessInputs& in, const ReadinessParameters& p) {
  const double need = in.sleep_need_hours;
  return {
      {ReadinessPart::hrv, checked(in.hrv_z, -50, 50, "hrv_z", "SD"), &p.hrv,
       [](double z, double) { return above_below(z, "HRV", "SD"); }},
      {ReadinessPart::resting_hr, checked(in.resting_hr_z, -50, 50, "resting_hr_z", "SD"), &p.resting_hr,
       [](double z, double) { return above_below(z, "Resting heart rate", "SD"); }},
      {ReadinessPart::sleep, checked(in.sleep_hours, 0, 24, "sleep_hours", "h"), &p.sleep,
       [need](double h, double) {
         const double d = h - need;
         if (std::abs(d) < 0.05) return fmt::format("Slept {:.1f} h, meeting your need", h);
         return fmt::format("Slept {:.1f} h, {:.1f} h {} than your need of {:.1f} h", h, std::abs(d),
                            d < 0 ? "less" : "more", need);
       },
       need},
      {ReadinessPart::sleep_debt, checked(in.sleep_debt_hours, -168, 168, "sleep_debt_hours", "h"), &p.sleep_debt,
       [](double h, double) { return fmt::format("Sleep debt {:.1f} h over the last 7 nights", h); }},
      {ReadinessPart::training_load, checked(in.acute_chronic_ratio, 0, 100, "acute_chronic_ratio", "(ratio)"),
       &p.training_load,
       [](double r, double) {
         return fmt::format("Acute:chronic training load {:.2f} (1.00 = training as usual)", r);
       }},
      {ReadinessPart::temperature, checked(in.temperature_deviation_c, -5, 5, "temperature_deviation_c", "°C"),
       &p.temperature,
       [](double t, double g) {
         return fmt::format("Temperature {:+.1f} °C from your baseline{}", t, g <= -0.5 ? ", a warning sign" : "");
       }},
  };
}

}  // namespace

std::string_view to_string(ReadinessPart part) {
  switch (part) {
    case ReadinessPart::hrv: return "hrv";
    case ReadinessPart::resting_hr: return "resting_hr";
    case ReadinessPart::sleep: return "sleep";
    case ReadinessPart::sleep_debt: return "sleep_debt";
    case ReadinessPart::training_load: return "training_load";
    case ReadinessPart::temperature: return "temperature";
  }
  return "unknown";
}

Readiness readiness(const ReadinessInputs& inputs, const ReadinessParameters& params) {
  if (!(params.centre > 0 && params.centre < 100))
    throw Error(fmt::format("readiness centre must lie strictly between 0 and 100, got {}", params.centre));
  if (!(inputs.sleep_need_hours > 0 && inputs.sleep_need_hours <= 24))
    throw Error("sleep need must lie in 0..24 h");
  const auto all = parts(inputs, params);

  double total_weight = 0, present_weight = 0;
  for (const auto& part : all) {
    check(*part.model, part.part);
    total_weight += part.model->weight;
    if (part.input) present_weight += part.model->weight;
  }
  if (present_weight == 0)
    throw NotEnoughData(
        "readiness needs at least one input (HRV, resting heart rate, sleep, sleep debt, "
        "training load or temperature), got none");

  Readiness out;
  out.score = params.centre;
  out.confidence = present_weight / total_weight;
  for (const auto& part : all) {
    if (!part.input) {
      out.missing.push_back(part.part);
      continue;
    }
    const double x = part.input.value();
    const double g = goodness(*part.model, x - part.origin);
    const double room = g >= 0 ? 100 - params.centre : params.centre;  // distance to the bound it moves towards
    const double points = part.model->weight / present_weight * g * room;
    const double shown = std::round(points * 10) / 10 + 0.0;  // + 0.0 turns -0.0 into 0.0
    out.score += points;
    out.contributions.push_back({part.part, x, g, points, fmt::format("{}: {:+.1f}", part.describe(x, g), shown)});
  }
  out.score = std::clamp(out.score, 0.0, 100.0);  // the formula keeps it in range; this only trims rounding
  return out;
}

}  // namespace medtwin::baseline
