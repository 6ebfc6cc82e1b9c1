// Writes a medtwin database for the server's load benchmark (bench/README.md):
//   gen_heart_rate_db OUT.db PERSONS DAYS [seed]
// PERSONS persons, each with DAYS days of heart rate every minute (a daily
// rhythm, activity bursts and noise) from 2024-01-01, one import each; and
// OUT.db.paths listing, per person, the API path of their heart-rate series.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <random>
#include <string>

#include "medtwin/core/codes.hpp"
#include "medtwin/core/records.hpp"
#include "medtwin/core/time.hpp"
#include "medtwin/store/open_store.hpp"

namespace {

using medtwin::Instant;

double heart_rate(std::mt19937_64& rng, double minute_of_day, double& burst) {
  std::normal_distribution<double> noise(0, 2.5);
  const double circadian = 8 * std::sin(2 * std::numbers::pi * (minute_of_day / 1440 - 0.3));
  if (std::uniform_real_distribution<double>(0, 1)(rng) < 0.002) burst = 40;  // a run or the stairs
  burst *= 0.97;
  return std::round(62 + circadian + burst + noise(rng));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: gen_heart_rate_db OUT.db PERSONS DAYS [seed]\n");
    return 2;
  }
  const std::string out = argv[1];
  const int persons = std::stoi(argv[2]), days = std::stoi(argv[3]);
  std::mt19937_64 rng(argc > 4 ? std::stoull(argv[4]) : 42);
  auto store = medtwin::open_store(out);
  std::ofstream paths(out + ".paths");
  const Instant start = medtwin::parse_instant("2024-01-01T00:00:00Z");
  for (int p = 0; p < persons; ++p) {
    const std::string name = fmt::format("load-{:03}", p);
    auto session = store->begin_import({name + ".gen", fmt::format("{:064}", p), "gen_heart_rate_db", "1", start});
    const auto person = session->person(name, {});
    double burst = 0;
    for (int minute = 0; minute < days * 1440; ++minute) {
      const Instant at = start + std::chrono::minutes(minute);
      session->add(person, medtwin::Observation{medtwin::metrics::heart_rate().code, heart_rate(rng, minute % 1440, burst),
                                                std::nullopt, "/min", at, at, "load watch"});
    }
    session->commit();
    const auto series = store->series(name).front().id;
    paths << fmt::format("/api/v1/persons/{}/series/{}/points", person, series) << "\n";
    std::fprintf(stderr, "\r%d/%d persons", p + 1, persons);
  }
  std::fprintf(stderr, "\n");
  return 0;
}
