// `medtwin ecg --plot OUT.svg`: a stretch of one lead drawn on ECG paper
// (25 mm/s, 10 mm/mV, 1 mm and 5 mm grid), ten seconds per row, with the
// detected beats labelled by class, wave boundaries ticked and rhythm or
// quality spans shaded — what a clinician checks an automatic reading against.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace medtwin::cli {

struct EcgPlotMarks {
  struct Beat {
    std::int64_t sample = 0;
    char label = 'Q';  // AAMI class letter
  };
  struct Tick {
    std::int64_t sample = 0;
    std::string label;  // "P", "Q", "J", "T" …
  };
  struct Span {
    std::int64_t start = 0, end = 0;  // samples, end exclusive
    std::string label;                // "AF", "noisy" …
    bool warning = false;             // drawn as a quality warning rather than a rhythm
  };
  std::vector<Beat> beats;
  std::vector<Tick> ticks;
  std::vector<Span> spans;
};

struct EcgPlotWindow {
  double start_s = 0;
  double seconds = 30;
  double seconds_per_row = 10;
};

// Writes the SVG; the window is clipped to the recording. Throws medtwin::Error
// when the file cannot be written or the window holds no samples.
void write_ecg_svg(const std::filesystem::path& out, std::span<const float> lead_mv, double rate_hz,
                   const std::string& title, const EcgPlotMarks& marks, const EcgPlotWindow& window);

}  // namespace medtwin::cli
