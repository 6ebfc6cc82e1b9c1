// Store connections for the server's worker threads: each request leases one
// (SQLite in WAL mode lets many read while one writes), and returns it when
// done, so connections are opened once and never shared between threads.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "medtwin/store/store.hpp"

namespace medtwin::server {

class StorePool {
 public:
  explicit StorePool(std::string location);

  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<Store> store) : pool_(&pool), store_(std::move(store)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Store& operator*() const { return *store_; }
    Store* operator->() const { return store_.get(); }

   private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
  };

  // An idle connection, or a new one. Throws StoreError naming the database.
  Lease lease();
  const std::string& location() const { return location_; }

 private:
  void give_back(std::unique_ptr<Store> store);

  std::string location_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Store>> idle_;
};

}  // namespace medtwin::server
