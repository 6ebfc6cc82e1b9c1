// Answers that are costly to compute and change only when data is imported
// (the baseline twin loads every observation of a person), kept by key for
// the server's life, the oldest dropped past a fixed count. Thread-safe; the
// value is computed outside the lock, so a slow one blocks nobody else.
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace medtwin::server {

class ResultCache {
 public:
  explicit ResultCache(std::size_t capacity = 64) : capacity_(capacity) {}

  // The value kept for `key`, or `compute()`'s, kept.
  nlohmann::json get(const std::string& key, const std::function<nlohmann::json()>& compute);

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::list<std::string> order_;  // oldest first
  std::unordered_map<std::string, nlohmann::json> values_;
};

}  // namespace medtwin::server
