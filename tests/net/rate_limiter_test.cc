#include "net/rate_limiter.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "support/fake_time.h"

namespace vd::net {
namespace {

// Counts the most acquisitions inside any half-open window [t, t + window).
int MaxInAnyWindow(const std::vector<int64_t>& times, int64_t window) {
  int best = 0;
  for (size_t i = 0; i < times.size(); ++i) {
    int n = 0;
    for (size_t j = i; j < times.size() && times[j] < times[i] + window; ++j) ++n;
    best = std::max(best, n);
  }
  return best;
}

TEST(RateLimiterTest, FirstFiveGoAtOnceThenTheSixthWaitsForTheWindow) {
  FakeTime time(1'000'000);
  RateLimiter limiter(time, time);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Acquire(), 0);
  EXPECT_TRUE(time.sleeps_ms().empty());
  EXPECT_EQ(limiter.Acquire(), 10'000);
  EXPECT_EQ(time.NowMs(), 1'010'000);
}

TEST(RateLimiterTest, NeverMoreThanFivePerTenSecondsUnderBursts) {
  FakeTime time;
  RateLimiter limiter(time, time);
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> gap(0, 4'000);
  std::vector<int64_t> sent;
  for (int i = 0; i < 500; ++i) {
    if (i % 7 == 0) time.Advance(gap(rng));  // the caller does some work between requests
    limiter.Acquire();
    sent.push_back(time.NowMs());
  }
  EXPECT_EQ(MaxInAnyWindow(sent, 10'000), 5);
  // And the limiter did not starve the caller: the budget is used, not wasted.
  EXPECT_LT(sent.back(), 500 / 5 * 10'000 + 500 * 4'000);
}

TEST(RateLimiterTest, IdleTimeRestoresTheFullBudget) {
  FakeTime time;
  RateLimiter limiter(time, time);
  for (int i = 0; i < 5; ++i) limiter.Acquire();
  time.Advance(10'000);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Acquire(), 0);
  EXPECT_GT(limiter.Acquire(), 0);
}

TEST(RateLimiterTest, CustomBudget) {
  FakeTime time;
  RateLimiter limiter(time, time, 2, 1'000);
  std::vector<int64_t> sent;
  for (int i = 0; i < 20; ++i) {
    limiter.Acquire();
    sent.push_back(time.NowMs());
  }
  EXPECT_EQ(MaxInAnyWindow(sent, 1'000), 2);
  EXPECT_EQ(sent.back(), 9'000);
}

// A sleeper that wakes early (as a real one may on a signal) must not let a request through.
class EarlyWaker : public Sleeper {
 public:
  explicit EarlyWaker(FakeTime& time) : time_(time) {}
  void SleepMs(int64_t ms) override { time_.Advance(ms / 2 + 1); }

 private:
  FakeTime& time_;
};

TEST(RateLimiterTest, EarlyWakeupsAreWaitedOut) {
  FakeTime time;
  EarlyWaker sleeper(time);
  RateLimiter limiter(time, sleeper);
  std::vector<int64_t> sent;
  for (int i = 0; i < 30; ++i) {
    limiter.Acquire();
    sent.push_back(time.NowMs());
  }
  EXPECT_EQ(MaxInAnyWindow(sent, 10'000), 5);
}

}  // namespace
}  // namespace vd::net
