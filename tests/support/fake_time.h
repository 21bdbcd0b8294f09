#pragma once

#include <cstdint>
#include <vector>

#include "net/clock.h"

namespace vd::net {

// Simulated time for tests: SleepMs advances NowMs instantly and records each wait.
class FakeTime final : public Clock, public Sleeper {
 public:
  explicit FakeTime(int64_t start_ms = 0) : now_ms_(start_ms) {}
  int64_t NowMs() override { return now_ms_; }
  void SleepMs(int64_t ms) override {
    sleeps_ms_.push_back(ms);
    if (ms > 0) now_ms_ += ms;
  }
  void Advance(int64_t ms) { now_ms_ += ms; }
  const std::vector<int64_t>& sleeps_ms() const { return sleeps_ms_; }
  int64_t total_slept_ms() const {
    int64_t t = 0;
    for (int64_t s : sleeps_ms_) t += s;
    return t;
  }

 private:
  int64_t now_ms_;
  std::vector<int64_t> sleeps_ms_;
};

}  // namespace vd::net
