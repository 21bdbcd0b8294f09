#pragma once

#include <cstdint>
#include <vector>

namespace vd::net {

// Monotonic milliseconds (not epoch): only differences are meaningful.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() = 0;
};

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void SleepMs(int64_t ms) = 0;
};

// std::chrono::steady_clock.
class RealClock final : public Clock {
 public:
  int64_t NowMs() override;
};

// std::this_thread::sleep_for.
class RealSleeper final : public Sleeper {
 public:
  void SleepMs(int64_t ms) override;
};

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
