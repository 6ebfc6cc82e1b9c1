#include "apps/server/result_cache.hpp"

namespace medtwin::server {

nlohmann::json ResultCache::get(const std::string& key, const std::function<nlohmann::json()>& compute) {
  {
    std::lock_guard lock(mutex_);
    if (const auto found = values_.find(key); found != values_.end()) return found->second;
  }
  auto value = compute();
  std::lock_guard lock(mutex_);
  if (values_.emplace(key, value).second) {
    order_.push_back(key);
    if (order_.size() > capacity_) {
      values_.erase(order_.front());
      order_.pop_front();
    }
  }
  return value;
}

}  // namespace medtwin::server
