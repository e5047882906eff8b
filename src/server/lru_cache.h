// A small bounded LRU cache of computed results, safe for concurrent use. Concurrent requests
// for the same key wait for one computation instead of each running it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace custlens::server {

template <typename Value>
class LruCache {
 public:
  using Pointer = std::shared_ptr<const Value>;

  /// Holds at most `capacity` results (at least one).
  explicit LruCache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  /// The cached value of `key`, else `compute()` run once for every concurrent caller of the
  /// key. An exception from compute() reaches those callers and is not cached.
  Pointer get(const std::string& key, const std::function<Value()>& compute) {
    std::promise<Pointer> promise;
    std::shared_future<Pointer> result;
    std::uint64_t ticket = 0;  // nonzero: this caller computes
    {
      std::lock_guard lock(mutex_);
      auto found = entries_.find(key);
      if (found != entries_.end()) {
        ++hits_;
        recency_.splice(recency_.begin(), recency_, found->second.position);
        result = found->second.value;
      } else {
        ++misses_;
        ticket = ++tickets_;
        result = promise.get_future().share();
        recency_.push_front(key);
        entries_.emplace(key, Entry{result, recency_.begin(), ticket});
        // An evicted entry still being computed stays valid for the callers already waiting.
        while (entries_.size() > capacity_) {
          entries_.erase(recency_.back());
          recency_.pop_back();
        }
      }
    }
    if (ticket != 0) {
      try {
        promise.set_value(std::make_shared<const Value>(compute()));
      } catch (...) {
        promise.set_exception(std::current_exception());
        forget(key, ticket);
      }
    }
    return result.get();
  }

  struct Stats {
    std::size_t entries = 0;
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
  };
  Stats stats() const {
    std::lock_guard lock(mutex_);
    return {entries_.size(), hits_, misses_};
  }

 private:
  struct Entry {
    std::shared_future<Pointer> value;
    std::list<std::string>::iterator position;
    std::uint64_t ticket = 0;
  };

  // Drops `key` if it still holds the failed computation `ticket`.
  void forget(const std::string& key, std::uint64_t ticket) {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end() || found->second.ticket != ticket) return;
    recency_.erase(found->second.position);
    entries_.erase(found);
  }

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::list<std::string> recency_;  // most recently used first
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t tickets_ = 0;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace custlens::server
