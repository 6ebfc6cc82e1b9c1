// A RecordSink that keeps everything in memory: for tests, fuzzers and
// converting one format into another without a store.
#pragma once

#include <vector>

#include "medtwin/core/sink.hpp"

namespace medtwin {

class CollectingSink final : public RecordSink {
 public:
  struct Zone {
    Instant from;
    std::string tz;
  };

  void person(const PersonInfo& info) override { persons.push_back(info); }
  void time_zone(Instant from, const std::string& tz) override { zones.push_back({from, tz}); }
  void observation(const Observation& obs) override { observations.push_back(obs); }
  void signal(const Signal& s) override { signals.push_back(s); }
  void event(const Event& e) override { events.push_back(e); }
  void issue(const ImportIssue& i) override { issues.push_back(i); }

  std::vector<PersonInfo> persons;
  std::vector<Zone> zones;
  std::vector<Observation> observations;
  std::vector<Signal> signals;
  std::vector<Event> events;
  std::vector<ImportIssue> issues;
};

}  // namespace medtwin
