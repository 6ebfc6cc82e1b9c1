#include "medtwin/twin/pipelined_sink.hpp"

namespace medtwin {

PipelinedSink::PipelinedSink(RecordSink& target) : target_(target) {
  batch_.reserve(kBatchSize);
  worker_ = std::thread([this] { run(); });
}

// Without finish() the import failed: what is still queued is dropped, not written.
PipelinedSink::~PipelinedSink() { stop(/*drain=*/false); }

void PipelinedSink::flush() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return queue_.size() < kQueueBatches || error_; });
  // The worker failed: stop the importer too, with the worker's error.
  if (error_) std::rethrow_exception(error_);
  queue_.push_back(std::move(batch_));
  batch_ = Batch();
  batch_.reserve(kBatchSize);
  changed_.notify_all();
}

void PipelinedSink::finish() {
  if (!batch_.empty()) flush();
  stop(/*drain=*/true);
  if (error_) std::rethrow_exception(error_);
}

void PipelinedSink::stop(bool drain) {
  {
    std::lock_guard lock(mutex_);
    if (!drain) queue_.clear();
    closing_ = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void PipelinedSink::run() {
  for (;;) {
    Batch batch;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing and drained
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    changed_.notify_all();
    try {
      for (const auto& record : batch) deliver(record);
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
      queue_.clear();
      changed_.notify_all();
      return;
    }
  }
}

void PipelinedSink::deliver(const Record& record) {
  struct Visitor {
    RecordSink& sink;
    void operator()(const PersonInfo& r) { sink.person(r); }
    void operator()(const ZoneChange& r) { sink.time_zone(r.from, r.tz); }
    void operator()(const Observation& r) { sink.observation(r); }
    void operator()(const Signal& r) { sink.signal(r); }
    void operator()(const Event& r) { sink.event(r); }
    void operator()(const ImportIssue& r) { sink.issue(r); }
  };
  std::visit(Visitor{target_}, record);
}

}  // namespace medtwin
