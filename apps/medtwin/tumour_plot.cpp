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
constexpr Rgb kBackground{24, 24, 24}, kT2{110, 110, 110}, kT1{235, 235, 235}, kOrange{230, 159, 0}, kBlue{86, 180, 233},
              kGreyMatter{48, 48, 48}, kWhiteMatter{72, 72, 72};

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

// Writes through a partial file: nothing is left behind on failure.
void save(const Canvas& canvas, const std::string& path) {
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

// One voxel of a slice as `scale`² pixels, row 0 at the top (anterior up).
void draw_slice_panel(Canvas& canvas, int left, int scale, const GridSlices& s, const std::vector<float>& density) {
  auto field_edge = [&](std::size_t i, std::size_t j) {
    if (s.field.empty() || !s.field[i + s.width * j]) return false;
    return i == 0 || j == 0 || i + 1 == s.width || j + 1 == s.height || !s.field[i - 1 + s.width * j] ||
           !s.field[i + 1 + s.width * j] || !s.field[i + s.width * (j - 1)] || !s.field[i + s.width * (j + 1)];
  };
  for (std::size_t j = 0; j < s.height; ++j)
    for (std::size_t i = 0; i < s.width; ++i) {
      const std::size_t q = i + s.width * j;
      Rgb c = kBackground;
      if (s.brain[q]) c = s.white_matter[q] ? kWhiteMatter : kGreyMatter;
      if (density[q] >= s.visibility.t2_share) c = kT2;
      if (density[q] >= s.visibility.t1gd_share) c = kT1;
      if (field_edge(i, j)) c = kOrange;
      const int x0 = left + static_cast<int>(i) * scale, y0 = static_cast<int>(s.height - 1 - j) * scale;
      for (int dy = 0; dy < scale; ++dy)
        for (int dx = 0; dx < scale; ++dx) canvas.set(x0 + dx, y0 + dy, c);
    }
}

}  // namespace

void write_tumour_plot(const PlanForecast& forecast, const std::string& path) {
  const std::array<double, 3> days{forecast.start_day, forecast.assessment_day, forecast.days.back()};
  Canvas canvas(3 * kPanel + 2 * kGap, kPanel);
  for (std::size_t p = 0; p < days.size(); ++p)
    draw_panel(canvas, static_cast<int>(p) * (kPanel + kGap), index_of(forecast, days[p]), forecast);
  save(canvas, path);
}

void write_tumour_grid_plot(const GridSlices& slices, const std::string& path) {
  if (slices.width == 0 || slices.height == 0 || slices.density_share.empty()) throw Error("tumour plot: nothing to draw");
  const int scale = std::max<int>(1, kPanel / static_cast<int>(std::max(slices.width, slices.height)));
  const int panel = scale * static_cast<int>(slices.width), panels = static_cast<int>(slices.density_share.size());
  Canvas canvas(panels * panel + (panels - 1) * kGap, scale * static_cast<int>(slices.height));
  for (int p = 0; p < panels; ++p)
    draw_slice_panel(canvas, p * (panel + kGap), scale, slices, slices.density_share[static_cast<std::size_t>(p)]);
  save(canvas, path);
}

}  // namespace medtwin::cli
