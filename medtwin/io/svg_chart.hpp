// Line charts as SVG text, for model cards' verification plots and reports:
// labelled axes (linear or log), a legend, the Okabe–Ito colour-blind-safe
// palette, and a <title>/<desc> text alternative for screen readers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace medtwin::io {

struct ChartSeries {
  std::string name;
  std::vector<double> x, y;  // same length; non-finite points are skipped
  bool dashed = false;       // for references (exact solutions, slopes)
  bool markers = false;      // points as well as the line
};

struct LineChart {
  std::string title, x_label, y_label;
  std::string description;  // the text alternative: what the chart shows, in words
  bool log_x = false, log_y = false;
  std::vector<ChartSeries> series;
};

// Text for XML (SVG) content or attributes: markup characters escaped,
// control characters (invalid in XML 1.0) dropped.
std::string xml_escaped(std::string_view text);

// Throws Error when there is no series, a series' x and y differ in length,
// or a log axis meets a value that is not positive.
std::string svg_chart(const LineChart& chart);

}  // namespace medtwin::io
