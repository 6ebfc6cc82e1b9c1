#include "medtwin/io/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "medtwin/core/error.hpp"

namespace medtwin::io {
namespace {

constexpr double kWidth = 720, kHeight = 440;
constexpr double kLeft = 80, kRight = 24, kTop = 40, kBottom = 56;
// Okabe & Ito 2008: distinguishable with any colour vision.
constexpr std::array<const char*, 7> kPalette{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};

// One axis: data range → pixels, with its ticks.
struct Axis {
  bool log = false;
  double low = 0, high = 1;     // in data units (or log10 of them)
  double from_px = 0, to_px = 1;

  double transformed(double v) const { return log ? std::log10(v) : v; }
  double pixel(double v) const { return from_px + (transformed(v) - low) / (high - low) * (to_px - from_px); }
};

// 1, 2 or 5 times a power of ten, about a sixth of `span`.
double nice_step(double span) {
  const double raw = span / 6, power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * power >= raw) return m * power;
  return 10 * power;
}

constexpr int kMaxTicks = 20;

// Decades on a log axis spanning two or more; else 1-2-5 steps (in data units).
std::vector<double> ticks(const Axis& a) {
  std::vector<double> out;
  if (a.log && a.high - a.low >= 2) {
    for (double e = std::ceil(a.low); e <= a.high + 1e-9 && out.size() < kMaxTicks; ++e) out.push_back(std::pow(10.0, e));
    return out;
  }
  if (a.log) {
    for (double e = std::floor(a.low); e <= a.high && out.size() < kMaxTicks; ++e)
      for (double m : {1.0, 2.0, 5.0}) {
        const double v = m * std::pow(10.0, e);
        if (std::log10(v) >= a.low - 1e-9 && std::log10(v) <= a.high + 1e-9) out.push_back(v);
      }
    return out;
  }
  const double step = nice_step(a.high - a.low), first = std::ceil(a.low / step);
  for (int k = 0; k < kMaxTicks; ++k) {
    const double v = (first + k) * step;
    if (v > a.high + step * 1e-9) break;
    out.push_back(std::abs(v) < step * 1e-9 ? 0 : v);
  }
  return out;
}

std::string tick_label(double v) { return fmt::format("{:g}", v); }

bool usable(double v, bool log) { return std::isfinite(v) && (!log || v > 0); }

// The axis spanning every usable value, padded by 5 % on a linear axis.
Axis axis_over(const LineChart& chart, bool x_axis, double from_px, double to_px) {
  const bool log = x_axis ? chart.log_x : chart.log_y;
  double low = INFINITY, high = -INFINITY;
  for (const auto& s : chart.series)
    for (double v : x_axis ? s.x : s.y) {
      if (!std::isfinite(v)) continue;
      if (log && !(v > 0)) throw Error("chart '" + chart.title + "': a log axis needs positive values (series '" + s.name + "')");
      const double t = log ? std::log10(v) : v;
      low = std::min(low, t);
      high = std::max(high, t);
    }
  if (!std::isfinite(low)) throw Error("chart '" + chart.title + "': no finite point");
  if (!std::isfinite(high - low)) throw Error("chart '" + chart.title + "': values too far apart to draw");
  // A flat series gets a band around it; otherwise 5 % on either side, so edge markers show whole.
  const double pad = high - low > 1e-9 * std::max(1.0, std::abs(high)) ? 0.05 * (high - low)
                                                                       : 0.5 * std::max(1.0, std::abs(high));
  return {log, low - pad, high + pad, from_px, to_px};
}

std::string axes_svg(const LineChart& chart, const Axis& x, const Axis& y) {
  std::string out = fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#444"/>)", kLeft, kTop,
                                kWidth - kLeft - kRight, kHeight - kTop - kBottom);
  for (double t : ticks(x)) {
    const double px = x.pixel(t);
    out += fmt::format(R"(<line x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2}" stroke="#ddd"/>)", px, kTop, kHeight - kBottom);
    out += fmt::format(R"(<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>)", px, kHeight - kBottom + 18, tick_label(t));
  }
  for (double t : ticks(y)) {
    const double py = y.pixel(t);
    out += fmt::format(R"(<line x1="{0}" y1="{1:.1f}" x2="{2}" y2="{1:.1f}" stroke="#ddd"/>)", kLeft, py, kWidth - kRight);
    out += fmt::format(R"(<text x="{}" y="{:.1f}" text-anchor="end" dominant-baseline="middle">{}</text>)", kLeft - 6, py,
                       tick_label(t));
  }
  out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle">{}</text>)", (kLeft + kWidth - kRight) / 2, kHeight - 14,
                     xml_escaped(chart.x_label));
  out += fmt::format(R"svg(<text transform="translate(18 {}) rotate(-90)" text-anchor="middle">{}</text>)svg",
                     (kTop + kHeight - kBottom) / 2, xml_escaped(chart.y_label));
  out += fmt::format(R"(<text x="{}" y="24" text-anchor="middle" font-weight="bold">{}</text>)", kWidth / 2,
                     xml_escaped(chart.title));
  return out;
}

std::string series_svg(const ChartSeries& s, const char* colour, const Axis& x, const Axis& y) {
  std::string points, markers;
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    if (!usable(s.x[i], x.log) || !usable(s.y[i], y.log)) continue;
    const double px = x.pixel(s.x[i]), py = y.pixel(s.y[i]);
    points += fmt::format("{:.1f},{:.1f} ", px, py);
    if (s.markers) markers += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3.5" fill="{}"/>)", px, py, colour);
  }
  return fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{}/>)", points, colour,
                     s.dashed ? R"( stroke-dasharray="6 4")" : "") +
         markers;
}

std::string legend_svg(const LineChart& chart) {
  std::string out;
  double y = kTop + 18;
  for (std::size_t i = 0; i < chart.series.size(); ++i, y += 18) {
    const auto& s = chart.series[i];
    const char* colour = kPalette[i % kPalette.size()];
    out += fmt::format(R"(<line x1="{0}" y1="{1:.1f}" x2="{2}" y2="{1:.1f}" stroke="{3}" stroke-width="2"{4}/>)", kLeft + 12, y - 4,
                       kLeft + 36, colour, s.dashed ? R"( stroke-dasharray="6 4")" : "");
    out += fmt::format(R"(<text x="{}" y="{:.1f}">{}</text>)", kLeft + 42, y, xml_escaped(s.name));
  }
  return out;
}

}  // namespace

std::string xml_escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') out += c;
    }
  }
  return out;
}

std::string svg_chart(const LineChart& chart) {
  if (chart.series.empty()) throw Error("chart '" + chart.title + "': no series");
  for (const auto& s : chart.series)
    if (s.x.size() != s.y.size()) throw Error("chart '" + chart.title + "': series '" + s.name + "' has x and y of different lengths");
  const Axis x = axis_over(chart, true, kLeft, kWidth - kRight), y = axis_over(chart, false, kHeight - kBottom, kTop);
  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" role="img" )"
      R"(font-family="sans-serif" font-size="13">)"
      "\n<title>{2}</title>\n<desc>{3}</desc>\n"
      R"(<rect width="100%" height="100%" fill="white"/>)",
      kWidth, kHeight, xml_escaped(chart.title), xml_escaped(chart.description));
  out += axes_svg(chart, x, y);
  for (std::size_t i = 0; i < chart.series.size(); ++i)
    out += "\n" + series_svg(chart.series[i], kPalette[i % kPalette.size()], x, y);
  out += "\n" + legend_svg(chart) + "\n</svg>\n";
  return out;
}

}  // namespace medtwin::io
