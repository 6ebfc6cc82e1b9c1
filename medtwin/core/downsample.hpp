// Thinning a time series for drawing without losing its peaks: the time span
// is cut into equal buckets and each keeps its lowest and highest point (the
// min/max half of the M4 scheme, Jugel et al. 2014, PVLDB 7:797), so a chart
// of the thinned series shows every spike the full one has. Streaming: the
// points pass through once and only two per bucket are kept, so years of
// 1-second data cost no more memory than the chart.
#pragma once

#include <cstddef>
#include <vector>

namespace medtwin {

class MinMaxThinner {
 public:
  // Buckets of equal length over [from, to] (to > from), max_points / 2 of
  // them (at least one). Throws Error on an empty span or max_points < 2.
  MinMaxThinner(double from, double to, std::size_t max_points);

  // Points in any order; outside [from, to] or with a non-finite value they
  // are ignored.
  void add(double t, double value);

  // What was kept, in time order: per non-empty bucket its minimum and its
  // maximum (one point when they coincide). Never more than max_points.
  struct Point {
    double t, value;
  };
  std::vector<Point> points() const;
  std::size_t added() const { return added_; }

 private:
  struct Bucket {
    Point low{0, 0}, high{0, 0};
    bool used = false;
  };
  double from_, to_;
  std::vector<Bucket> buckets_;
  std::size_t added_ = 0;
};

}  // namespace medtwin
