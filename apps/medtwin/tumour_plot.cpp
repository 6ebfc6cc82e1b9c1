#include "tumour_plot.hpp"

#include <png.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "medtwin/core/error.hpp"

namespace medtwin::cli {
namespace {

constexpr int kPanel = 240;            // pixels
constexpr double kMmPerPixel = 0.5;
constexpr int kGap = 8;
using Rgb = std::array<png_byte, 3>;
// Okabe–Ito colours, safe for colour-blind readers.
constexpr Rgb kBackground{24, 24, 24}, kT2{110, 110, 110}, kT1{235, 235, 235}, kOrange{230, 159, 0}, kBlue{86, 180, 233};

struct Canvas {
  int width, height;
  std::vector<png_byte> pixels;
  Canvas(int w, int h) : width(w), height(h), pixels(static_cast<std::size_t>(w * h * 3), 0) {}
  void set(int x, int y, Rgb c) {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    std::copy(c.begin(), c.end(), pixels.begin() + 3 * (static_cast<std::ptrdiff_t>(y) * width + x));
  }
};

void draw_panel(Canvas& canvas, int left, std::size_t at, const PlanForecast& f) {
  const double centre = kPanel / 2.0;
  auto ring = [&](double r_mm, double r_px) { return std::abs(r_px - r_mm / kMmPerPixel) < 0.6; };
  for (int y = 0; y < kPanel; ++y)
    for (int x = 0; x < kPanel; ++x) {
      const double r = std::hypot(x + 0.5 - centre, y + 0.5 - centre);
      const double r_mm = r * kMmPerPixel;
      Rgb c = kBackground;
      if (r_mm <= f.t2_radius_mm.median[at]) c = kT2;
      if (r_mm <= f.t1gd_radius_mm.median[at]) c = kT1;
      if (ring(f.t2_radius_mm.low[at], r) || ring(f.t2_radius_mm.high[at], r)) c = kBlue;
      if (ring(f.t1gd_radius_mm.low[at], r) || ring(f.t1gd_radius_mm.high[at], r)) c = kOrange;
      canvas.set(left + x, y, c);
    }
}

std::size_t index_of(const PlanForecast& f, double day) {
  const auto it = std::lower_bound(f.days.begin(), f.days.end(), day);
  return std::min<std::size_t>(static_cast<std::size_t>(it - f.days.begin()), f.days.size() - 1);
}

void write_png(const Canvas& canvas, const std::filesystem::path& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) throw Error(path.filename().string() + ": cannot be written");
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(file);
    throw Error(path.filename().string() + ": writing the PNG failed");
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, static_cast<png_uint_32>(canvas.width), static_cast<png_uint_32>(canvas.height), 8,
               PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < canvas.height; ++y)
    png_write_row(png, canvas.pixels.data() + 3 * static_cast<std::ptrdiff_t>(y) * canvas.width);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  if (std::fclose(file) != 0) throw Error(path.filename().string() + ": writing the PNG failed");
}

}  // namespace

void write_tumour_plot(const PlanForecast& forecast, const std::string& path) {
  const std::array<double, 3> days{forecast.start_day, forecast.assessment_day, forecast.days.back()};
  Canvas canvas(3 * kPanel + 2 * kGap, kPanel);
  for (std::size_t p = 0; p < days.size(); ++p)
    draw_panel(canvas, static_cast<int>(p) * (kPanel + kGap), index_of(forecast, days[p]), forecast);
  const std::filesystem::path target(path), partial(path + ".partial");
  try {
    write_png(canvas, partial);
    std::filesystem::rename(partial, target);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    throw;
  }
}

}  // namespace medtwin::cli
