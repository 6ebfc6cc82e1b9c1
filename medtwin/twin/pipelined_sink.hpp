// A RecordSink that hands records to another sink on a worker thread, in
// batches through a bounded queue: the importer parses on the calling thread
// while the store writes on the worker, so a large import uses both cores and
// memory stays bounded by the queue.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "medtwin/core/sink.hpp"

namespace medtwin {

class PipelinedSink final : public RecordSink {
 public:
  // `target` is only touched from the worker thread until finish() returns.
  explicit PipelinedSink(RecordSink& target);
  ~PipelinedSink() override;
  PipelinedSink(const PipelinedSink&) = delete;
  PipelinedSink& operator=(const PipelinedSink&) = delete;

  void person(const PersonInfo& info) override { push(info); }
  void time_zone(Instant from, const std::string& tz) override { push(ZoneChange{from, tz}); }
  void observation(const Observation& obs) override { push(obs); }
  void signal(const Signal& signal) override { push(signal); }
  void event(const Event& event) override { push(event); }
  void issue(const ImportIssue& issue) override { push(issue); }

  // Delivers everything still queued and waits; rethrows the first error the
  // target raised. Call once, after the importer has finished.
  void finish();

 private:
  struct ZoneChange {
    Instant from;
    std::string tz;
  };
  using Record = std::variant<PersonInfo, ZoneChange, Observation, Signal, Event, ImportIssue>;
  using Batch = std::vector<Record>;

  template <typename T>
  void push(const T& record) {
    batch_.emplace_back(record);
    if (batch_.size() >= kBatchSize) flush();
  }
  void flush();
  void deliver(const Record& record);
  void run();
  void stop(bool drain);

  static constexpr std::size_t kBatchSize = 4096;
  static constexpr std::size_t kQueueBatches = 8;

  RecordSink& target_;
  Batch batch_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Batch> queue_;
  bool closing_ = false;
  std::exception_ptr error_;
  std::thread worker_;
};

}  // namespace medtwin
