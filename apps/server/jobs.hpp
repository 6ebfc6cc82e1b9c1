// Long computations (calibrations, simulations) run as jobs on worker threads
// of their own, so they never hold the threads that answer reads. A job
// belongs to one person (or, as an import, to whoever may see everyone),
// reports its progress, can be cancelled between its
// steps, and its result (or error) is kept after it ends until a fixed number
// of newer jobs have ended.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/server/store_pool.hpp"

namespace medtwin::server {

enum class JobState { queued, running, done, failed, cancelled };
std::string_view to_string(JobState state);

// What a job's client sees.
struct JobStatus {
  std::int64_t id = 0;
  std::optional<PersonId> person;  // none: not one person's (an import)
  std::string kind;
  JobState state = JobState::queued;
  bool cancel_requested = false;  // a running job stops at its next step
  double progress = 0;  // 0 … 1
  std::string step;     // what it is doing now
  nlohmann::json result;  // when done
  std::string error;      // when failed
};

// Thrown by JobProgress::report when the job was cancelled: the work stops there.
struct JobCancelled {};

// Handed to the work: reports progress, and is where cancellation takes effect.
class JobProgress {
 public:
  virtual ~JobProgress() = default;
  // Throws JobCancelled when the job has been cancelled.
  virtual void report(double fraction, const std::string& step) = 0;
};

class JobQueue {
 public:
  // The work gets a store connection of its own. An Error or ApiError fails
  // the job with its message, which must therefore name no measured value;
  // any other exception (a store failure naming its file) as "internal error".
  using Work = std::function<nlohmann::json(Store&, JobProgress&)>;

  static constexpr std::size_t kMaxWaitingPerPerson = 4;

  JobQueue(StorePool& pool, int workers, std::size_t kept_finished = 100, std::size_t max_waiting = 32);
  ~JobQueue();  // cancels what has not ended and joins the workers
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queues the work; nullopt when `max_waiting` jobs are already waiting, or
  // kMaxWaitingPerPerson of this person's (so one token cannot fill the queue).
  std::optional<JobStatus> start(std::optional<PersonId> person, std::string kind, Work work);
  // Whether start() would queue a job now (checked before a costly upload).
  bool has_room() const;
  std::optional<JobStatus> status(std::int64_t id) const;
  // Cancels a queued or running job (a running one stops at its next report);
  // an ended one is left as it is. nullopt for an unknown id.
  std::optional<JobStatus> cancel(std::int64_t id);
  int workers() const { return static_cast<int>(workers_.size()); }

 private:
  struct Job;
  class Progress;
  void work_loop();
  void run(const std::shared_ptr<Job>& job);
  void finish(const std::shared_ptr<Job>& job, JobState state);
  // `logged`: what the server's log says (a type, never a message), if anything.
  void fail(const std::shared_ptr<Job>& job, const std::string& message, const char* logged = nullptr);

  StorePool& pool_;
  std::size_t kept_finished_, max_waiting_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::int64_t next_id_ = 1;
  std::map<std::int64_t, std::shared_ptr<Job>> jobs_;
  std::deque<std::shared_ptr<Job>> waiting_;
  std::deque<std::int64_t> finished_;  // oldest first
  std::vector<std::thread> workers_;
};

}  // namespace medtwin::server
