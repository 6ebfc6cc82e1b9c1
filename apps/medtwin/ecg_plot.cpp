#include "ecg_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <vector>

#include "cli.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"

namespace medtwin::cli {
namespace {

// ECG paper: 25 mm/s and 10 mm/mV (the standard calibration), drawn at 4 px/mm.
constexpr double px_per_mm = 4;
constexpr double mm_per_s = 25;
constexpr double mm_per_mv = 10;
constexpr double row_height_mm = 40;  // ±2 mV around the row's median level
constexpr double margin_mm = 10;  // whole 5 mm squares, so the paper's grid starts at each row's 0 s
constexpr double header_mm = 10;

// Okabe & Ito's colour-blind-safe palette for the beat classes.
const char* beat_colour(char label) {
  switch (label) {
    case 'N': return "#000000";
    case 'S': return "#0072B2";
    case 'V': return "#D55E00";
    case 'F': return "#CC79A7";
    default: return "#666666";
  }
}


// Where one row of the strip sits: its samples and its place on the page.
struct Row {
  std::int64_t first = 0, end = 0;  // samples [first, end)
  double top_px = 0;                // upper edge of the row's band
  double baseline_mv = 0;           // the level drawn at the band's middle
};

std::vector<Row> layout_rows(std::span<const float> lead, double rate_hz, const EcgPlotWindow& window) {
  const auto total = static_cast<std::int64_t>(lead.size());
  const auto first = std::clamp<std::int64_t>(std::llround(window.start_s * rate_hz), 0, total);
  const auto end = std::clamp<std::int64_t>(first + std::llround(window.seconds * rate_hz), first, total);
  const auto per_row = std::max<std::int64_t>(1, std::llround(window.seconds_per_row * rate_hz));
  std::vector<Row> rows;
  for (std::int64_t s = first; s < end; s += per_row) {
    Row row{s, std::min(end, s + per_row), (header_mm + row_height_mm * double(rows.size())) * px_per_mm, 0};
    std::vector<double> finite;
    for (auto i = row.first; i < row.end; ++i)
      if (std::isfinite(lead[i])) finite.push_back(lead[i]);
    row.baseline_mv = median(finite).value_or(0);
    rows.push_back(row);
  }
  return rows;
}

double x_px(const Row& row, std::int64_t sample, double rate_hz) {
  return (margin_mm + double(sample - row.first) / rate_hz * mm_per_s) * px_per_mm;
}

double y_px(const Row& row, double mv) {
  const double offset_mm = std::clamp((mv - row.baseline_mv) * mm_per_mv, -row_height_mm / 2, row_height_mm / 2);
  return row.top_px + (row_height_mm / 2 - offset_mm) * px_per_mm;
}

void draw_trace(std::ostream& svg, const Row& row, std::span<const float> lead, double rate_hz) {
  svg << "<path class=\"trace\" d=\"";
  bool pen_down = false;
  for (auto i = row.first; i < row.end; ++i) {
    if (!std::isfinite(lead[i])) {
      pen_down = false;  // a gap in the recording stays a gap
      continue;
    }
    svg << (pen_down ? 'L' : 'M') << fmt::format("{:.1f},{:.1f}", x_px(row, i, rate_hz), y_px(row, lead[i]));
    pen_down = true;
  }
  svg << "\"/>\n";
}

void draw_marks(std::ostream& svg, const Row& row, double rate_hz, const EcgPlotMarks& marks) {
  const double band_px = row_height_mm * px_per_mm;
  for (const auto& span : marks.spans) {
    const auto from = std::max(span.start, row.first), to = std::min(span.end, row.end);
    if (from >= to) continue;
    svg << fmt::format("<rect class=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"><title>{}</title></rect>\n",
                       span.warning ? "warning" : "rhythm", x_px(row, from, rate_hz), row.top_px,
                       x_px(row, to, rate_hz) - x_px(row, from, rate_hz), band_px, xml_escaped(span.label));
    svg << fmt::format("<text class=\"span\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x_px(row, from, rate_hz) + 2,
                       row.top_px + band_px - 4, xml_escaped(span.label));
  }
  for (const auto& tick : marks.ticks) {
    if (tick.sample < row.first || tick.sample >= row.end) continue;
    const double x = x_px(row, tick.sample, rate_hz);
    svg << fmt::format("<line class=\"tick\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\"/>", x,
                       row.top_px + band_px - 14, row.top_px + band_px - 6);
    svg << fmt::format("<text class=\"tick\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x, row.top_px + band_px - 16,
                       xml_escaped(tick.label));
  }
  for (const auto& beat : marks.beats) {
    if (beat.sample < row.first || beat.sample >= row.end) continue;
    svg << fmt::format("<text class=\"beat\" x=\"{:.1f}\" y=\"{:.1f}\" fill=\"{}\">{}</text>\n",
                       x_px(row, beat.sample, rate_hz), row.top_px + 14, beat_colour(beat.label), beat.label);
  }
}

void draw_time_label(std::ostream& svg, const Row& row, double rate_hz) {
  svg << fmt::format("<text class=\"time\" x=\"{:.1f}\" y=\"{:.1f}\">{:.0f} s</text>\n", margin_mm * px_per_mm + 2,
                     row.top_px + 12, double(row.first) / rate_hz);
}

void draw_paper_pattern(std::ostream& svg) {
  // One 5 mm square of paper: 1 mm lines, then its 5 mm border on top.
  const double big = 5 * px_per_mm;
  svg << fmt::format("<defs><pattern id=\"paper\" width=\"{0}\" height=\"{0}\" patternUnits=\"userSpaceOnUse\">", big);
  for (int i = 1; i < 5; ++i)
    svg << fmt::format("<path d=\"M{0} 0V{1}M0 {0}H{1}\" stroke=\"#f5c8c8\" stroke-width=\"0.5\"/>", i * px_per_mm, big);
  svg << fmt::format("<path d=\"M0 0H{0}M0 0V{0}\" stroke=\"#e59a9a\" stroke-width=\"1\"/></pattern></defs>\n", big);
}

void draw_strip(std::ostream& svg, const std::vector<Row>& rows, std::span<const float> lead_mv, double rate_hz,
                const std::string& title, const EcgPlotMarks& marks, const EcgPlotWindow& window) {
  const double width_px = (2 * margin_mm + window.seconds_per_row * mm_per_s) * px_per_mm;
  const double height_px = (header_mm + row_height_mm * double(rows.size()) + margin_mm / 2) * px_per_mm;
  const double grid_width_px = window.seconds_per_row * mm_per_s * px_per_mm;
  svg << fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" viewBox=\"0 0 {0:.0f} {1:.0f}\" "
      "role=\"img\" aria-label=\"{2}\">\n<title>{2}</title>\n",
      width_px, height_px, xml_escaped(title));
  svg << "<style>.trace{fill:none;stroke:#000;stroke-width:1.2;stroke-linejoin:round}"
         ".rhythm{fill:#E69F00;fill-opacity:.18}.warning{fill:#999;fill-opacity:.25}"
         "text{font-family:sans-serif;font-size:12px}.beat{text-anchor:middle;font-weight:bold}"
         ".tick{stroke:#009E73;stroke-width:1.5;fill:#009E73;text-anchor:middle;font-size:9px}"
         ".span{font-size:10px;fill:#444}.time{fill:#444}</style>\n";
  draw_paper_pattern(svg);
  svg << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"14\">{} — 25 mm/s, 10 mm/mV</text>\n",
                     margin_mm * px_per_mm, header_mm * px_per_mm - 12, xml_escaped(title));
  for (const Row& row : rows) {
    svg << fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"url(#paper)\"/>\n",
                       margin_mm * px_per_mm, row.top_px, grid_width_px, row_height_mm * px_per_mm);
    draw_marks(svg, row, rate_hz, marks);
    draw_trace(svg, row, lead_mv, rate_hz);
    draw_time_label(svg, row, rate_hz);
  }
  svg << "</svg>\n";
}

}  // namespace

void write_ecg_svg(const std::filesystem::path& out, std::span<const float> lead_mv, double rate_hz,
                   const std::string& title, const EcgPlotMarks& marks, const EcgPlotWindow& window) {
  if (rate_hz <= 0) throw Error("the plot needs a positive sampling rate");
  const std::vector<Row> rows = layout_rows(lead_mv, rate_hz, window);
  if (rows.empty())
    throw Error(fmt::format("--plot: no samples from {:.1f} s (the recording lasts {:.1f} s)", window.start_s,
                            double(lead_mv.size()) / rate_hz));
  write_file_atomically(out, [&](std::ostream& svg) { draw_strip(svg, rows, lead_mv, rate_hz, title, marks, window); });
}

}  // namespace medtwin::cli
