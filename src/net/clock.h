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

}  // namespace vd::net
