#include "apps/server/jobs.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <typeinfo>

#include "apps/server/routes.hpp"
#include "medtwin/core/error.hpp"

namespace medtwin::server {

std::string_view to_string(JobState state) {
  switch (state) {
    case JobState::queued: return "queued";
    case JobState::running: return "running";
    case JobState::done: return "done";
    case JobState::failed: return "failed";
    case JobState::cancelled: return "cancelled";
  }
  return "unknown";
}

struct JobQueue::Job {
  JobStatus status;  // guarded by the queue's mutex
  Work work;
  std::atomic<bool> cancel_requested{false};
};

class JobQueue::Progress : public JobProgress {
 public:
  Progress(JobQueue& queue, Job& job) : queue_(queue), job_(job) {}
  void report(double fraction, const std::string& step) override {
    if (job_.cancel_requested) throw JobCancelled{};
    std::lock_guard lock(queue_.mutex_);
    job_.status.progress = std::clamp(fraction, 0.0, 1.0);
    job_.status.step = step;
  }

 private:
  JobQueue& queue_;
  Job& job_;
};

JobQueue::JobQueue(StorePool& pool, int workers, std::size_t kept_finished, std::size_t max_waiting)
    : pool_(pool), kept_finished_(kept_finished), max_waiting_(max_waiting) {
  for (int i = 0; i < std::max(workers, 1); ++i) workers_.emplace_back([this] { work_loop(); });
}

JobQueue::~JobQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, job] : jobs_) job->cancel_requested = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

std::optional<JobStatus> JobQueue::start(std::optional<PersonId> person, std::string kind, Work work) {
  std::lock_guard lock(mutex_);
  if (waiting_.size() >= max_waiting_) return std::nullopt;
  if (person && std::count_if(waiting_.begin(), waiting_.end(), [&](const auto& j) { return j->status.person == person; }) >=
                    static_cast<std::ptrdiff_t>(kMaxWaitingPerPerson))
    return std::nullopt;
  auto job = std::make_shared<Job>();
  job->status.id = next_id_++;
  job->status.person = person;
  job->status.kind = std::move(kind);
  job->status.step = "waiting for a worker";
  job->work = std::move(work);
  jobs_[job->status.id] = job;
  waiting_.push_back(job);
  wake_.notify_one();
  return job->status;
}

bool JobQueue::has_room() const {
  std::lock_guard lock(mutex_);
  return waiting_.size() < max_waiting_;
}

std::optional<JobStatus> JobQueue::status(std::int64_t id) const {
  std::lock_guard lock(mutex_);
  const auto found = jobs_.find(id);
  if (found == jobs_.end()) return std::nullopt;
  return found->second->status;
}

std::optional<JobStatus> JobQueue::cancel(std::int64_t id) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(mutex_);
    const auto found = jobs_.find(id);
    if (found == jobs_.end()) return std::nullopt;
    job = found->second;
    job->cancel_requested = true;
    if (job->status.state == JobState::running) job->status.cancel_requested = true;
    const auto queued = std::find(waiting_.begin(), waiting_.end(), job);
    if (queued == waiting_.end()) return job->status;
    waiting_.erase(queued);
  }
  finish(job, JobState::cancelled);
  std::lock_guard lock(mutex_);
  return job->status;
}

void JobQueue::work_loop() {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;
      job = waiting_.front();
      waiting_.pop_front();
      job->status.state = JobState::running;
      job->status.step = "starting";
    }
    run(job);
  }
}

void JobQueue::run(const std::shared_ptr<Job>& job) {
  Progress progress(*this, *job);
  try {
    auto store = pool_.lease();
    auto result = job->work(*store, progress);
    {
      std::lock_guard lock(mutex_);
      job->status.result = std::move(result);
      job->status.progress = 1;
    }
    finish(job, JobState::done);
  } catch (const JobCancelled&) {
    finish(job, JobState::cancelled);
  } catch (const StoreError& e) {
    fail(job, "internal error", typeid(e).name());
  } catch (const ApiError& e) {
    fail(job, e.what());
  } catch (const Error& e) {
    fail(job, e.what());
  } catch (const std::exception& e) {
    fail(job, "internal error", typeid(e).name());
  } catch (...) {
    fail(job, "internal error", "unknown exception");
  }
}

void JobQueue::fail(const std::shared_ptr<Job>& job, const std::string& message, const char* logged) {
  if (logged) spdlog::error("job {} ({}) failed: {}", job->status.id, job->status.kind, logged);
  {
    std::lock_guard lock(mutex_);
    job->status.error = message;
  }
  finish(job, JobState::failed);
}

void JobQueue::finish(const std::shared_ptr<Job>& job, JobState state) {
  std::lock_guard lock(mutex_);
  job->status.state = state;
  job->status.cancel_requested = false;
  job->status.step = std::string(to_string(state));
  job->work = nullptr;  // what it captured is no longer needed
  finished_.push_back(job->status.id);
  while (finished_.size() > kept_finished_) {
    jobs_.erase(finished_.front());
    finished_.pop_front();
  }
}

}  // namespace medtwin::server
