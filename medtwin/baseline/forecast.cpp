#include "medtwin/baseline/forecast.hpp"

#include "medtwin/core/error.hpp"

namespace medtwin::baseline {

std::vector<Forecast> Forecaster::one_day_ahead(const DailySeries& series, std::size_t first_target) const {
  std::vector<Forecast> out(series.values.size());
  for (std::size_t t = 0; t < out.size(); ++t) {
    out[t].day = series.day(t);
    if (t < first_target) continue;
    DailySeries past = series;
    past.values.resize(t);
    try {
      out[t] = forecast(past, 1).front();
    } catch (const NotEnoughData&) {
      // too little history before day t: no forecast for it
    }
  }
  return out;
}

}  // namespace medtwin::baseline
