// The hand-off between the two steps of a scan_ordered read (io/row_source.h): the work a batch's
// parallel step made waits, by batch index, for the one-at-a-time step; work objects are reused
// from batch to batch, so their buffers keep their capacity.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "custlens/error.h"

namespace custlens::pipeline {

template <class Work>
class BatchHandoff {
 public:
  /// A work object for a batch's parallel step: a used one if any, else a new one.
  std::unique_ptr<Work> acquire() {
    {
      const std::lock_guard lock(mutex_);
      if (!spare_.empty()) {
        std::unique_ptr<Work> work = std::move(spare_.back());
        spare_.pop_back();
        return work;
      }
    }
    return std::make_unique<Work>();
  }
  /// The parallel step's result for batch `index`.
  void put(std::size_t index, std::unique_ptr<Work> work) {
    const std::lock_guard lock(mutex_);
    pending_[index] = std::move(work);
  }
  /// The result of batch `index`, for the in-order step; then give it back with release().
  std::unique_ptr<Work> take(std::size_t index) {
    const std::lock_guard lock(mutex_);
    auto it = pending_.find(index);
    if (it == pending_.end()) throw Error("internal: a batch was not judged");
    std::unique_ptr<Work> work = std::move(it->second);
    pending_.erase(it);
    return work;
  }
  void release(std::unique_ptr<Work> work) {
    const std::lock_guard lock(mutex_);
    spare_.push_back(std::move(work));
  }

 private:
  std::mutex mutex_;
  absl::flat_hash_map<std::size_t, std::unique_ptr<Work>> pending_;
  std::vector<std::unique_ptr<Work>> spare_;  // done with, for the next batches
};

}  // namespace custlens::pipeline
