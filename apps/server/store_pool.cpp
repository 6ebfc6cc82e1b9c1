#include "apps/server/store_pool.hpp"

#include "medtwin/store/open_store.hpp"

namespace medtwin::server {

StorePool::StorePool(std::string location) : location_(std::move(location)) {
  give_back(open_store(location_));  // fails now, not on the first request, when the database cannot be opened
}

StorePool::Lease::~Lease() {
  if (store_) pool_->give_back(std::move(store_));
}

StorePool::Lease StorePool::lease() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto store = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(store));
    }
  }
  return Lease(*this, open_store(location_));
}

void StorePool::give_back(std::unique_ptr<Store> store) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(store));
}

}  // namespace medtwin::server
