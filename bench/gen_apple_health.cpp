// Writes a realistic Apple Health export.xml of about SIZE_MB for benchmarks:
//   gen_apple_health OUT.xml SIZE_MB [seed]
// One person wearing an Apple Watch with an iPhone, living in Europe/Amsterdam
// (so UTC offsets follow DST). Records are grouped by type and in time order
// within a type, as the Health app writes them, with its attribute order and
// shapes: heart rate every ~5 min (every few seconds in workouts) with motion
// context, steps and distance from watch and phone, active/basal energy, stand
// and exercise minutes, sleep stages every night with HKTimeZone, HRV SDNN with
// ~60 InstantaneousBeatsPerMinute a few times a day, daily resting and walking
// heart rate, night-time SpO2 (fractions), respiratory rate and wrist
// temperature, weekly weight, workouts with WorkoutStatistics, then daily
// ActivitySummary. Same seed, same file.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "medtwin/core/time.hpp"

namespace {

using namespace std::chrono_literals;
using medtwin::Instant;
using medtwin::LocalTime;
using Rng = std::mt19937_64;

constexpr const char* kZone = "Europe/Amsterdam";

struct Source {
  const char* name;
  const char* version;
  const char* device;  // fmt pattern taking the HKDevice address; empty: none
};
const Source kWatch{"Sam's Apple Watch", "10.2",
                    "&lt;&lt;HKDevice: 0x{:x}&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, "
                    "hardware:Watch6,2, software:10.2&gt;"};
const Source kPhone{"Sam's iPhone", "17.2.1",
                    "&lt;&lt;HKDevice: 0x{:x}&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, "
                    "hardware:iPhone14,5, software:17.2.1&gt;"};
const Source kScale{"Withings", "6.3.1", ""};

double uniform(Rng& rng, double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }
double normal(Rng& rng, double mean, double sd) { return std::normal_distribution<double>(mean, sd)(rng); }
std::chrono::milliseconds minutes_between(Rng& rng, double lo, double hi) {
  return std::chrono::milliseconds(std::int64_t(uniform(rng, lo, hi) * 60000));
}
double round_to(double value, int decimals) {
  double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

// Output buffered in memory and flushed to the file (or only counted).
class Writer {
 public:
  explicit Writer(std::FILE* file) : file_(file) {}
  ~Writer() { flush(); }
  template <typename... Args>
  void put(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(buffer_), format, std::forward<Args>(args)...);
    if (buffer_.size() > (1 << 20)) flush();
  }
  void flush() {
    if (file_ && buffer_.size() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      std::perror("write");
      std::exit(1);
    }
    written_ += buffer_.size();
    buffer_.clear();
  }
  std::uint64_t written() const { return written_ + buffer_.size(); }

  // "2024-01-01 01:01:36 +0100" in the person's zone; offsets cached per hour.
  void time(Instant t) {
    auto hour = std::chrono::floor<std::chrono::hours>(t);
    if (hour != cached_hour_) {
      cached_hour_ = hour;
      offset_ = medtwin::to_local(hour, kZone).time_since_epoch() - hour.time_since_epoch();
    }
    auto local = std::chrono::floor<std::chrono::seconds>(t + offset_);
    auto day = std::chrono::floor<std::chrono::days>(local);
    std::chrono::year_month_day ymd{day};
    std::chrono::hh_mm_ss hms{local - day};
    auto offset_min = std::chrono::duration_cast<std::chrono::minutes>(offset_).count();
    put("{:04}-{:02}-{:02} {:02}:{:02}:{:02} {}{:02}{:02}", int(ymd.year()), unsigned(ymd.month()),
        unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
        offset_min < 0 ? '-' : '+', std::abs(offset_min) / 60, std::abs(offset_min) % 60);
  }
  // "2:28:51.47 AM", the en_US time of day of HRV beats.
  void time_of_day(Instant t) {
    auto local = medtwin::to_local(t, kZone);
    auto since_midnight = local - std::chrono::floor<std::chrono::days>(local);
    std::chrono::hh_mm_ss hms{since_midnight};
    int hour12 = int(hms.hours().count()) % 12;
    put("{}:{:02}:{:02}.{:02} {}", hour12 == 0 ? 12 : hour12, hms.minutes().count(), hms.seconds().count(),
        hms.subseconds().count() / 10, hms.hours().count() < 12 ? "AM" : "PM");
  }

  // <Record …> with Apple's attribute order; `children` writes nested elements.
  void record(Rng& rng, const char* type, const Source& source, const char* unit, Instant start, Instant end,
              double value, const std::function<void()>& children = {}) {
    open_record(rng, type, source, unit, start, end);
    put("{}\"", value);
    close_record(children);
  }
  void category(Rng& rng, const char* type, const Source& source, Instant start, Instant end, const char* value,
                const std::function<void()>& children = {}) {
    open_record(rng, type, source, nullptr, start, end);
    put("{}\"", value);
    close_record(children);
  }
  void metadata(const char* key, const std::string& value) {
    put("  <MetadataEntry key=\"{}\" value=\"{}\"/>\n", key, value);
  }
  void device(Rng& rng, const Source& source) {
    if (*source.device) put(" device=\"{}\"", fmt::format(fmt::runtime(source.device), rng() >> 28));
  }

 private:
  void open_record(Rng& rng, const char* type, const Source& source, const char* unit, Instant start, Instant end) {
    put(" <Record type=\"{}\" sourceName=\"{}\" sourceVersion=\"{}\"", type, source.name, source.version);
    device(rng, source);
    if (unit) put(" unit=\"{}\"", unit);
    put(" creationDate=\"");
    time(end + minutes_between(rng, 0.1, 20));
    put("\" startDate=\"");
    time(start);
    put("\" endDate=\"");
    time(end);
    put("\" value=\"");
  }
  void close_record(const std::function<void()>& children) {
    if (!children) {
      put("/>\n");
      return;
    }
    put(">\n");
    children();
    put(" </Record>\n");
  }

  std::FILE* file_;
  fmt::memory_buffer buffer_;
  std::uint64_t written_ = 0;
  std::chrono::sys_time<std::chrono::hours> cached_hour_{};
  std::chrono::milliseconds offset_{0};
};

// What one day looks like: the night that ends in its morning, and maybe a workout.
struct Day {
  Instant midnight;  // local midnight
  Instant sleep_start, sleep_end, next_sleep_start;
  bool workout = false;
  Instant workout_start, workout_end;
  int workout_kind = 0;

  bool asleep(Instant t) const { return (t >= sleep_start && t < sleep_end) || t >= next_sleep_start; }
  bool working_out(Instant t) const { return workout && t >= workout_start && t < workout_end; }
};

struct WorkoutKind {
  const char* type;
  double met;
  double km_per_min;  // 0: no distance
};
constexpr WorkoutKind kWorkouts[] = {{"HKWorkoutActivityTypeRunning", 9.8, 0.17},
                                     {"HKWorkoutActivityTypeWalking", 3.8, 0.09},
                                     {"HKWorkoutActivityTypeCycling", 7.5, 0.38},
                                     {"HKWorkoutActivityTypeTraditionalStrengthTraining", 5.0, 0},
                                     {"HKWorkoutActivityTypeYoga", 2.8, 0}};

Instant local_midnight(int day_index) {
  auto day = std::chrono::local_days{std::chrono::year{2023} / 1 / 1} + std::chrono::days{day_index};
  return medtwin::to_instant(LocalTime{day.time_since_epoch()}, kZone);
}

Instant bedtime(std::uint64_t seed, int day_index) {
  Rng rng(seed * 1000003 + std::uint64_t(day_index) * 2 + 1);
  return local_midnight(day_index) - 60min + minutes_between(rng, -45, 45);
}

Day plan_day(std::uint64_t seed, int day_index) {
  Rng rng(seed * 1000003 + std::uint64_t(day_index) * 2);
  Day day;
  day.midnight = local_midnight(day_index);
  day.sleep_start = bedtime(seed, day_index);
  day.sleep_end = day.midnight + 7h + minutes_between(rng, -40, 40);
  day.next_sleep_start = bedtime(seed, day_index + 1);
  day.workout = uniform(rng, 0, 1) < 0.55;
  day.workout_kind = int(uniform(rng, 0, std::size(kWorkouts)));
  day.workout_start = day.midnight + (uniform(rng, 0, 1) < 0.5 ? 7h + 30min : 18h) + minutes_between(rng, 0, 60);
  day.workout_end = day.workout_start + minutes_between(rng, 20, 70);
  return day;
}

// ---- one generator per record type, each over one day ----

void heart_rate(Writer& w, Rng& rng, const Day& day) {
  for (Instant t = day.midnight + minutes_between(rng, 0, 5); t < day.midnight + 24h;) {
    bool sport = day.working_out(t), sleeping = day.asleep(t);
    double bpm = std::round(sport ? normal(rng, 138, 12) : sleeping ? normal(rng, 54, 4) : normal(rng, 74, 9));
    if (sport) {
      w.record(rng, "HKQuantityTypeIdentifierHeartRate", kWatch, "count/min", t, t, bpm);
      t += std::chrono::milliseconds(std::int64_t(uniform(rng, 4000, 10000)));
    } else {
      w.record(rng, "HKQuantityTypeIdentifierHeartRate", kWatch, "count/min", t, t, bpm,
               [&] { w.metadata("HKMetadataKeyHeartRateMotionContext", sleeping ? "0" : "1"); });
      t += minutes_between(rng, 3, 7);
    }
  }
}

// Walking bouts while awake: steps and distance from the watch and the phone.
void walking(Writer& w, Rng& rng, const Day& day, bool distance) {
  for (const Source* source : {&kWatch, &kPhone}) {
    for (Instant t = day.sleep_end; t < day.next_sleep_start;) {
      Instant end = t + minutes_between(rng, 1, 10);
      double steps = std::round(uniform(rng, 15, 900) * (day.working_out(t) ? 3 : 1));
      if (distance) {
        w.record(rng, "HKQuantityTypeIdentifierDistanceWalkingRunning", *source, "km", t, end,
                 round_to(steps * uniform(rng, 0.0007, 0.0008), 5));
      } else {
        w.record(rng, "HKQuantityTypeIdentifierStepCount", *source, "count", t, end, steps);
      }
      t = end + minutes_between(rng, 2, source == &kWatch ? 14 : 24);
    }
  }
}

void active_energy(Writer& w, Rng& rng, const Day& day) {
  for (Instant t = day.sleep_end; t < day.next_sleep_start;) {
    Instant end = t + minutes_between(rng, 0.5, 1.2);
    double kcal = day.working_out(t) ? uniform(rng, 6, 14) : uniform(rng, 0.05, 2.5);
    w.record(rng, "HKQuantityTypeIdentifierActiveEnergyBurned", kWatch, "kcal", t, end, round_to(kcal, 3));
    t = end + minutes_between(rng, 0, 1.5);
  }
}

void basal_energy(Writer& w, Rng& rng, const Day& day) {
  for (Instant t = day.midnight; t < day.midnight + 24h;) {
    Instant end = t + minutes_between(rng, 5, 15);
    w.record(rng, "HKQuantityTypeIdentifierBasalEnergyBurned", kWatch, "kcal", t, end,
             round_to(std::chrono::duration<double, std::ratio<60>>(end - t).count() * uniform(rng, 1.05, 1.2), 3));
    t = end;
  }
}

void exercise_and_stand(Writer& w, Rng& rng, const Day& day) {
  for (Instant t = day.sleep_end; t < day.next_sleep_start; t += 1min) {
    if (day.working_out(t) || uniform(rng, 0, 1) < 0.02)
      w.record(rng, "HKQuantityTypeIdentifierAppleExerciseTime", kWatch, "min", t, t + 1min, 1);
  }
  for (Instant hour = day.midnight + 7h; hour < day.midnight + 23h; hour += 1h) {
    bool stood = uniform(rng, 0, 1) < 0.8;
    w.category(rng, "HKCategoryTypeIdentifierAppleStandHour", kWatch, hour, hour + 1h,
               stood ? "HKCategoryValueAppleStandHourStood" : "HKCategoryValueAppleStandHourIdle");
    if (stood) {
      Instant at = hour + minutes_between(rng, 0, 50);
      w.record(rng, "HKQuantityTypeIdentifierAppleStandTime", kWatch, "min", at, at + 5min,
               std::round(uniform(rng, 1, 5)));
    }
  }
}

void sleep(Writer& w, Rng& rng, const Day& day) {
  auto zone = [&] { w.metadata("HKTimeZone", kZone); };
  w.category(rng, "HKCategoryTypeIdentifierSleepAnalysis", kPhone, day.sleep_start - 10min, day.sleep_end + 5min,
             "HKCategoryValueSleepAnalysisInBed", zone);
  static const char* stages[] = {"HKCategoryValueSleepAnalysisAsleepCore", "HKCategoryValueSleepAnalysisAsleepDeep",
                                 "HKCategoryValueSleepAnalysisAsleepCore", "HKCategoryValueSleepAnalysisAsleepREM",
                                 "HKCategoryValueSleepAnalysisAwake"};
  int stage = 0;
  for (Instant t = day.sleep_start; t < day.sleep_end; stage = (stage + 1) % 5) {
    Instant end = std::min(day.sleep_end, t + minutes_between(rng, stage == 4 ? 1 : 8, stage == 4 ? 6 : 45));
    w.category(rng, "HKCategoryTypeIdentifierSleepAnalysis", kWatch, t, end, stages[stage], zone);
    t = end;
  }
}

void hrv(Writer& w, Rng& rng, const Day& day) {
  int readings = 3 + int(uniform(rng, 0, 4));
  for (int i = 0; i < readings; ++i) {
    Instant start = day.midnight + minutes_between(rng, 0, 24 * 60 - 2);
    Instant t = start;
    w.record(rng, "HKQuantityTypeIdentifierHeartRateVariabilitySDNN", kWatch, "ms", start, start + 1min,
             round_to(normal(rng, 48, 12), 4), [&] {
               w.put("  <HeartRateVariabilityMetadataList>\n");
               for (int beat = 0, n = 55 + int(uniform(rng, 0, 12)); beat < n; ++beat) {
                 double bpm = std::round(normal(rng, 64, 5));
                 w.put("   <InstantaneousBeatsPerMinute bpm=\"{}\" time=\"", bpm);
                 w.time_of_day(t);
                 w.put("\"/>\n");
                 t += std::chrono::milliseconds(std::int64_t(60000 / bpm));
               }
               w.put("  </HeartRateVariabilityMetadataList>\n");
             });
  }
}

void daily_heart_rates(Writer& w, Rng& rng, const Day& day) {
  w.record(rng, "HKQuantityTypeIdentifierRestingHeartRate", kWatch, "count/min", day.midnight + 6h,
           day.midnight + 23h, std::round(normal(rng, 56, 3)));
  w.record(rng, "HKQuantityTypeIdentifierWalkingHeartRateAverage", kWatch, "count/min", day.midnight + 7h,
           day.midnight + 23h, std::round(normal(rng, 98, 6)));
}

void night_vitals(Writer& w, Rng& rng, const Day& day) {
  for (Instant t = day.sleep_start; t < day.sleep_end; t += minutes_between(rng, 20, 40))
    w.record(rng, "HKQuantityTypeIdentifierRespiratoryRate", kWatch, "count/min", t, t + 1min,
             round_to(normal(rng, 14.5, 1), 1));
  for (Instant t = day.sleep_start; t < day.sleep_end; t += minutes_between(rng, 50, 90))
    w.record(rng, "HKQuantityTypeIdentifierOxygenSaturation", kWatch, "%", t, t, round_to(uniform(rng, 0.93, 0.99), 2));
  w.record(rng, "HKQuantityTypeIdentifierAppleSleepingWristTemperature", kWatch, "degC", day.sleep_start,
           day.sleep_end, round_to(normal(rng, 35.6, 0.3), 5));
}

void body(Writer& w, Rng& rng, const Day& day, int day_index) {
  if (day_index % 7 == 0) {
    Instant t = day.sleep_end + 20min;
    w.record(rng, "HKQuantityTypeIdentifierBodyMass", kScale, "kg", t, t, round_to(normal(rng, 71.5, 0.6), 2));
    w.record(rng, "HKQuantityTypeIdentifierBodyFatPercentage", kScale, "%", t, t, round_to(normal(rng, 0.21, 0.01), 3));
  }
  if (day.workout && day_index % 3 == 0)
    w.record(rng, "HKQuantityTypeIdentifierVO2Max", kWatch, "mL/min\xC2\xB7kg", day.workout_end, day.workout_end,
             round_to(normal(rng, 44, 1.5), 4), [&] { w.metadata("HKVO2MaxTestType", "2"); });
}

void workout(Writer& w, Rng& rng, const Day& day) {
  if (!day.workout) return;
  const WorkoutKind& kind = kWorkouts[day.workout_kind];
  double minutes = std::chrono::duration<double, std::ratio<60>>(day.workout_end - day.workout_start).count();
  double kcal = kind.met * 71.5 * minutes / 60 * uniform(rng, 0.9, 1.1);
  double km = kind.km_per_min * minutes * uniform(rng, 0.9, 1.1);
  w.put(" <Workout workoutActivityType=\"{}\" duration=\"{}\" durationUnit=\"min\"", kind.type, minutes);
  if (km > 0) w.put(" totalDistance=\"{}\" totalDistanceUnit=\"km\"", km);
  w.put(" totalEnergyBurned=\"{}\" totalEnergyBurnedUnit=\"kcal\" sourceName=\"{}\" sourceVersion=\"{}\"", kcal,
        kWatch.name, kWatch.version);
  w.device(rng, kWatch);
  w.put(" creationDate=\"");
  w.time(day.workout_end + 10s);
  w.put("\" startDate=\"");
  w.time(day.workout_start);
  w.put("\" endDate=\"");
  w.time(day.workout_end);
  w.put("\">\n");
  w.metadata("HKIndoorWorkout", kind.km_per_min > 0 ? "0" : "1");
  w.metadata("HKTimeZone", kZone);
  w.metadata("HKAverageMETs", fmt::format("{:.5f} kcal/hr\xC2\xB7kg", kind.met));
  auto statistics = [&](const char* type, const char* unit, const std::string& values) {
    w.put("  <WorkoutStatistics type=\"{}\" startDate=\"", type);
    w.time(day.workout_start);
    w.put("\" endDate=\"");
    w.time(day.workout_end);
    w.put("\" {} unit=\"{}\"/>\n", values, unit);
  };
  statistics("HKQuantityTypeIdentifierActiveEnergyBurned", "kcal", fmt::format("sum=\"{}\"", kcal));
  statistics("HKQuantityTypeIdentifierBasalEnergyBurned", "kcal", fmt::format("sum=\"{}\"", minutes * 1.1));
  statistics("HKQuantityTypeIdentifierHeartRate", "count/min",
             fmt::format("average=\"{}\" minimum=\"{}\" maximum=\"{}\"", normal(rng, 138, 5), 95, 171));
  if (km > 0) {
    statistics("HKQuantityTypeIdentifierDistanceWalkingRunning", "km", fmt::format("sum=\"{}\"", km));
    w.put("  <WorkoutRoute sourceName=\"{}\" sourceVersion=\"{}\" creationDate=\"", kWatch.name, kWatch.version);
    w.time(day.workout_end + 1min);
    w.put("\" startDate=\"");
    w.time(day.workout_start);
    w.put("\" endDate=\"");
    w.time(day.workout_end);
    w.put("\">\n   <FileReference path=\"/workout-routes/route_{}.gpx\"/>\n  </WorkoutRoute>\n",
          day.workout_start.time_since_epoch().count());
  }
  w.put(" </Workout>\n");
}

void activity_summary(Writer& w, Rng& rng, const Day& day) {
  std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(day.midnight + 12h)};
  w.put(" <ActivitySummary dateComponents=\"{:04}-{:02}-{:02}\" activeEnergyBurned=\"{}\" "
        "activeEnergyBurnedGoal=\"600\" activeEnergyBurnedUnit=\"kcal\" appleMoveTime=\"0\" appleMoveTimeGoal=\"0\" "
        "appleExerciseTime=\"{}\" appleExerciseTimeGoal=\"30\" appleStandHours=\"{}\" appleStandHoursGoal=\"12\"/>\n",
        int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()), round_to(uniform(rng, 300, 900), 3),
        int(uniform(rng, 5, 80)), int(uniform(rng, 8, 16)));
}

using Generator = std::function<void(Writer&, Rng&, const Day&, int)>;

// In the order the Health app writes them: records by type, workouts, summaries.
std::vector<Generator> generators() {
  return {
      [](Writer& w, Rng& r, const Day& d, int) { active_energy(w, r, d); },
      [](Writer& w, Rng& r, const Day& d, int) { basal_energy(w, r, d); },
      [](Writer& w, Rng& r, const Day& d, int) { walking(w, r, d, true); },
      [](Writer& w, Rng& r, const Day& d, int) { exercise_and_stand(w, r, d); },
      [](Writer& w, Rng& r, const Day& d, int) { heart_rate(w, r, d); },
      [](Writer& w, Rng& r, const Day& d, int) { hrv(w, r, d); },
      [](Writer& w, Rng& r, const Day& d, int) { daily_heart_rates(w, r, d); },
      [](Writer& w, Rng& r, const Day& d, int) { night_vitals(w, r, d); },
      [](Writer& w, Rng& r, const Day& d, int) { walking(w, r, d, false); },
      [](Writer& w, Rng& r, const Day& d, int i) { body(w, r, d, i); },
      [](Writer& w, Rng& r, const Day& d, int) { sleep(w, r, d); },
      [](Writer& w, Rng& r, const Day& d, int) { workout(w, r, d); },
      [](Writer& w, Rng& r, const Day& d, int) { activity_summary(w, r, d); },
  };
}

// Every generator over days [0, days).
void write_days(Writer& w, std::uint64_t seed, int days) {
  auto all = generators();
  for (std::size_t g = 0; g < all.size(); ++g) {
    Rng rng(seed * 7919 + g);
    for (int d = 0; d < days; ++d) all[g](w, rng, plan_day(seed, d), d);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: %s OUT.xml SIZE_MB [seed]\n", argv[0]);
    return 2;
  }
  double size_mb = std::atof(argv[2]);
  std::uint64_t seed = argc == 4 ? std::strtoull(argv[3], nullptr, 10) : 1;
  if (size_mb <= 0) {
    std::fprintf(stderr, "SIZE_MB must be positive\n");
    return 2;
  }
  // Measure a week to know how many days make SIZE_MB.
  Writer probe(nullptr);
  write_days(probe, seed, 7);
  int days = std::max(1, int(std::lround(size_mb * 1e6 / (double(probe.written()) / 7))));

  std::FILE* file = std::fopen(argv[1], "wb");
  if (!file) {
    std::perror(argv[1]);
    return 1;
  }
  {
    Writer w(file);
    w.put("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HealthData locale=\"en_US\">\n <ExportDate value=\"");
    w.time(local_midnight(days) + 9h);
    w.put("\"/>\n <Me HKCharacteristicTypeIdentifierDateOfBirth=\"1988-04-12\" "
          "HKCharacteristicTypeIdentifierBiologicalSex=\"HKBiologicalSexFemale\" "
          "HKCharacteristicTypeIdentifierBloodType=\"HKBloodTypeNotSet\" "
          "HKCharacteristicTypeIdentifierFitzpatrickSkinType=\"HKFitzpatrickSkinTypeNotSet\" "
          "HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse=\"None\"/>\n");
    write_days(w, seed, days);
    w.put("</HealthData>\n");
    w.flush();
    std::fprintf(stderr, "%s: %d days, %.1f MB\n", argv[1], days, double(w.written()) / 1e6);
  }
  if (std::fclose(file) != 0) {
    std::perror(argv[1]);
    return 1;
  }
  return 0;
}
