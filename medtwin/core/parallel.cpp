#include "medtwin/core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace medtwin {

void run_parallel(std::size_t count, int threads, const std::function<void(std::size_t)>& job) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};  // after a failure no new job starts: the error is not kept waiting
  std::vector<std::exception_ptr> errors(count);
  auto worker = [&] {
    for (std::size_t i = next++; i < count && !failed; i = next++) {
      try {
        job(i);
      } catch (...) {
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::jthread> helpers;
  const std::size_t extra = std::min<std::size_t>(static_cast<std::size_t>(std::max(threads, 1)), count);
  for (std::size_t t = 1; t < extra; ++t) helpers.emplace_back(worker);
  worker();
  helpers.clear();  // joins
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace medtwin
