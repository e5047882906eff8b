// LruCache: bounded size with least-recently-used eviction, one computation per key for
// concurrent callers, failures not cached.
#include "server/lru_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

namespace custlens::server {
namespace {

TEST(LruCacheTest, EvictsTheLeastRecentlyUsed) {
  LruCache<int> cache(2);
  int computed = 0;
  auto value = [&](int v) {
    return [&computed, v] {
      ++computed;
      return v;
    };
  };
  EXPECT_EQ(*cache.get("a", value(1)), 1);
  EXPECT_EQ(*cache.get("b", value(2)), 2);
  EXPECT_EQ(*cache.get("a", value(-1)), 1);  // hit; "b" is now the oldest
  EXPECT_EQ(*cache.get("c", value(3)), 3);   // evicts "b"
  EXPECT_EQ(*cache.get("a", value(-1)), 1);
  EXPECT_EQ(*cache.get("b", value(4)), 4);  // computed again
  EXPECT_EQ(computed, 4);
  const auto stats = cache.stats();
  EXPECT_EQ(stats.entries, 2u);
  EXPECT_EQ(stats.hits, 2u);
  EXPECT_EQ(stats.misses, 4u);
}

TEST(LruCacheTest, ConcurrentCallersShareOneComputation) {
  LruCache<int> cache(4);
  std::atomic<int> computed = 0;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  std::thread first([&] {
    cache.get("k", [&] {
      ++computed;
      started.set_value();
      released.wait();  // the other callers arrive while this computation runs
      return 7;
    });
  });
  started.get_future().wait();
  std::vector<std::future<int>> others;
  for (int i = 0; i < 4; ++i) {
    others.push_back(std::async(std::launch::async, [&] {
      return *cache.get("k", [&] {
        ++computed;
        return -1;
      });
    }));
  }
  // Every other caller has found the entry once the hit count says so; then release.
  while (cache.stats().hits < 4) std::this_thread::yield();
  release.set_value();
  first.join();
  for (auto& other : others) EXPECT_EQ(other.get(), 7);
  EXPECT_EQ(computed.load(), 1);
}

TEST(LruCacheTest, FailuresReachTheCallerAndAreNotCached) {
  LruCache<int> cache(4);
  EXPECT_THROW(cache.get("k", []() -> int { throw std::runtime_error("boom"); }),
               std::runtime_error);
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_EQ(*cache.get("k", [] { return 3; }), 3);
}

}  // namespace
}  // namespace custlens::server
