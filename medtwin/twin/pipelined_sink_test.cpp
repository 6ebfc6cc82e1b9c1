#include "medtwin/twin/pipelined_sink.hpp"

#include <gtest/gtest.h>

#include "medtwin/core/collecting_sink.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin {
namespace {

Observation numbered(int i) {
  return Observation{metrics::heart_rate().code, double(i), std::nullopt, "/min", Instant{}, Instant{}, "t"};
}

TEST(PipelinedSink, DeliversEverythingInOrder) {
  CollectingSink target;
  PipelinedSink pipeline(target);
  pipeline.person(PersonInfo{"id-1", "", Sex::female, std::nullopt});
  for (int i = 0; i < 100'000; ++i) pipeline.observation(numbered(i));
  pipeline.event(Event{event_kinds::meal, {}, Instant{}, std::nullopt, 10.0, "g", "t", "{}"});
  pipeline.finish();
  ASSERT_EQ(target.persons.size(), 1u);
  ASSERT_EQ(target.observations.size(), 100'000u);
  for (int i = 0; i < 100'000; ++i) ASSERT_EQ(*target.observations[std::size_t(i)].value, i);
  EXPECT_EQ(target.events.size(), 1u);
}

// A target that fails part-way, as the store does on a conflicting import.
class FailingSink final : public RecordSink {
 public:
  void person(const PersonInfo&) override {}
  void time_zone(Instant, const std::string&) override {}
  void observation(const Observation& obs) override {
    if (*obs.value == 5000) throw Error("target failed");
    ++seen;
  }
  void signal(const Signal&) override {}
  void event(const Event&) override {}
  void issue(const ImportIssue&) override {}
  int seen = 0;
};

TEST(PipelinedSink, TargetErrorsReachTheProducer) {
  FailingSink target;
  auto produce = [&] {
    PipelinedSink pipeline(target);
    for (int i = 0; i < 1'000'000; ++i) pipeline.observation(numbered(i));
    pipeline.finish();
  };
  EXPECT_THROW(produce(), Error);
  EXPECT_EQ(target.seen, 5000);
}

TEST(PipelinedSink, AbandonedPipelineStopsWithoutWriting) {
  FailingSink target;
  {
    PipelinedSink pipeline(target);
    for (int i = 0; i < 4000; ++i) pipeline.observation(numbered(i));
    // no finish(): the importer failed; the unflushed batch is dropped
  }
  EXPECT_EQ(target.seen, 0);
}

}  // namespace
}  // namespace medtwin
