#include "medtwin/baseline/pooled_boosting.hpp"

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>

#include "medtwin/baseline/backtest.hpp"
#include "medtwin/core/error.hpp"
#include "medtwin/core/stats.hpp"

namespace medtwin::baseline {
namespace {

using std::chrono::local_days;

constexpr int scale_window_days = 28;
constexpr int feature_count = 13;

// The person's scale just before day t: median and robust SD of the previous 28 days.
struct Scale {
  double centre = 0, spread = 1;
};

std::optional<Scale> scale_before(const DailySeries& s, std::size_t t) {
  std::vector<double> window;
  for (std::size_t i = t >= scale_window_days ? t - scale_window_days : 0; i < t; ++i)
    if (std::isfinite(s.values[i])) window.push_back(s.values[i]);
  if (window.size() < 7) return std::nullopt;
  const double centre = *median(window);
  double spread = *median_absolute_deviation(window) * mad_to_sd;
  if (!(spread > 0)) spread = std::max(1e-3 * std::abs(centre), 1e-6);
  return Scale{centre, spread};
}

// One row of features for day t of series s, from days before t only.
std::array<float, feature_count> features(const DailySeries& s, std::size_t t, const Scale& sc) {
  std::array<float, feature_count> f;
  f.fill(std::numeric_limits<float>::quiet_NaN());
  auto norm = [&](double v) { return static_cast<float>((v - sc.centre) / sc.spread); };
  auto value = [&](std::size_t lag) { return lag <= t ? s.values[t - lag] : missing; };
  for (std::size_t lag = 1; lag <= 7; ++lag) f[lag - 1] = norm(value(lag));
  f[7] = norm(value(14));
  std::vector<double> week;
  for (std::size_t lag = 1; lag <= 7; ++lag) week.push_back(value(lag));
  if (auto m = mean(week)) f[8] = norm(*m);
  if (auto sd = standard_deviation(week)) f[9] = static_cast<float>(*sd / sc.spread);
  const auto weekday = std::chrono::weekday{s.day(t)}.c_encoding();
  f[10] = static_cast<float>(weekday);
  std::size_t since = 1;
  while (since <= t && !std::isfinite(s.values[t - since])) ++since;
  f[11] = static_cast<float>(since);
  f[12] = static_cast<float>(week.size() - static_cast<std::size_t>(std::count_if(week.begin(), week.end(), [](double v) { return !std::isfinite(v); })));
  return f;
}

struct Row {
  std::size_t series, t;
  local_days day;
  Scale scale;
  std::array<float, feature_count> x;
  float y;  // normalised target; NaN when the day has no value
};

std::vector<Row> make_rows(std::span<const DailySeries* const> all, int min_history) {
  std::vector<Row> rows;
  for (std::size_t k = 0; k < all.size(); ++k) {
    const DailySeries& s = *all[k];
    const std::size_t first = first_scored_day(s, min_history);
    for (std::size_t t = first; t < s.values.size(); ++t) {
      const auto sc = scale_before(s, t);
      if (!sc) continue;
      const double y = s.values[t];
      rows.push_back({k, t, s.day(t), *sc, features(s, t, *sc),
                      std::isfinite(y) ? static_cast<float>((y - sc->centre) / sc->spread) : std::numeric_limits<float>::quiet_NaN()});
    }
  }
  return rows;
}

void check(int status) {
  if (status != 0) throw Error(fmt::format("XGBoost: {}", XGBGetLastError()));
}

struct DMatrix {
  DMatrixHandle handle = nullptr;
  DMatrix(const std::vector<const Row*>& rows, bool with_labels) {
    std::vector<float> x;
    std::vector<float> y;
    for (const Row* r : rows) x.insert(x.end(), r->x.begin(), r->x.end()), y.push_back(r->y);
    check(XGDMatrixCreateFromMat(x.data(), rows.size(), feature_count, std::numeric_limits<float>::quiet_NaN(), &handle));
    if (with_labels) check(XGDMatrixSetFloatInfo(handle, "label", y.data(), y.size()));
  }
  ~DMatrix() { XGDMatrixFree(handle); }
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
};

class Booster {
 public:
  Booster(const std::vector<const Row*>& train, const PooledBoostingOptions& o) {
    DMatrix d(train, true);
    check(XGBoosterCreate(&d.handle, 1, &handle_));
    set("objective", "reg:absoluteerror");
    set("max_depth", std::to_string(o.max_depth));
    set("eta", fmt::format("{}", o.learning_rate));
    set("nthread", "1");
    set("seed", "0");
    set("verbosity", "0");
    for (int i = 0; i < o.rounds; ++i) check(XGBoosterUpdateOneIter(handle_, i, d.handle));
  }
  ~Booster() { XGBoosterFree(handle_); }
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;

  std::vector<float> predict(const std::vector<const Row*>& rows) const {
    if (rows.empty()) return {};
    DMatrix d(rows, false);
    bst_ulong n = 0;
    const float* out = nullptr;
    check(XGBoosterPredict(handle_, d.handle, 0, 0, 0, &n, &out));
    return std::vector<float>(out, out + n);
  }

 private:
  void set(const char* key, const std::string& value) { check(XGBoosterSetParam(handle_, key, value.c_str())); }
  BoosterHandle handle_ = nullptr;
};

std::vector<const Row*> labelled_between(const std::vector<Row>& rows, local_days from, local_days to) {
  std::vector<const Row*> out;
  for (const auto& r : rows)
    if (r.day >= from && r.day < to && std::isfinite(r.y)) out.push_back(&r);
  return out;
}

// Quantiles of the normalised errors (actual − predicted) at 2.5, 10, 90 and 97.5%.
struct ErrorQuantiles {
  double q025, q10, q90, q975;
};

std::optional<ErrorQuantiles> calibration(const std::vector<Row>& rows, local_days cutoff,
                                          const PooledBoostingOptions& o) {
  const local_days hold_from = cutoff - std::chrono::days(o.calibration_days);
  const auto train = labelled_between(rows, local_days::min(), hold_from);
  const auto held = labelled_between(rows, hold_from, cutoff);
  if (train.size() < 50 || held.size() < 20) return std::nullopt;
  const auto predicted = Booster(train, o).predict(held);
  std::vector<double> errors;
  for (std::size_t i = 0; i < held.size(); ++i) errors.push_back(held[i]->y - predicted[i]);
  return ErrorQuantiles{*quantile(errors, 0.025), *quantile(errors, 0.10), *quantile(errors, 0.90),
                        *quantile(errors, 0.975)};
}

Forecast to_forecast(const Row& r, double predicted, const ErrorQuantiles& q, const DailySeries& series) {
  auto back = [&](double z) { return series.clamp(r.scale.centre + z * r.scale.spread); };
  return Forecast{r.day, back(predicted), back(predicted + q.q10), back(predicted + q.q90),
                  back(predicted + q.q025), back(predicted + q.q975)};
}

}  // namespace

std::vector<std::vector<Forecast>> PooledBoosting::one_day_ahead(std::span<const DailySeries* const> all) const {
  std::vector<std::vector<Forecast>> out(all.size());
  for (std::size_t k = 0; k < all.size(); ++k) {
    out[k].resize(all[k]->values.size());
    for (std::size_t t = 0; t < out[k].size(); ++t) out[k][t].day = all[k]->day(t);
  }
  const auto rows = make_rows(all, options_.min_history_days);
  if (rows.empty()) return out;
  local_days first = local_days::max(), last = local_days::min();
  for (const auto& r : rows) first = std::min(first, r.day), last = std::max(last, r.day);
  for (local_days cutoff = first; cutoff <= last; cutoff += std::chrono::days(options_.refit_every_days)) {
    const auto q = calibration(rows, cutoff, options_);
    const auto train = labelled_between(rows, local_days::min(), cutoff);
    if (!q || train.size() < 50) continue;
    std::vector<const Row*> block;
    for (const auto& r : rows)
      if (r.day >= cutoff && r.day < cutoff + std::chrono::days(options_.refit_every_days)) block.push_back(&r);
    const auto predicted = Booster(train, options_).predict(block);
    for (std::size_t i = 0; i < block.size(); ++i)
      out[block[i]->series][block[i]->t] = to_forecast(*block[i], predicted[i], *q, *all[block[i]->series]);
  }
  return out;
}

}  // namespace medtwin::baseline
