#pragma once

#include <cstdint>
#include <deque>

#include "net/clock.h"

namespace vd::net {

// Keeps to a budget of `max_requests` per sliding `window_ms` (Graph's identity-and-access
// reports limit: 5 requests per 10 s per app and tenant). A token bucket whose tokens come
// back `window_ms` after they were spent: unlike a bucket refilled at a steady rate (which
// allows a burst of 5 plus 4 refills inside one 10 s window), no window of length
// `window_ms` ever holds more than `max_requests` acquisitions.
// Not thread-safe: one limiter per poller (per app + tenant).
class RateLimiter {
 public:
  RateLimiter(Clock& clock, Sleeper& sleeper, int max_requests = 5, int64_t window_ms = 10'000);

  // Blocks (through the Sleeper) until a request may be sent, then spends a token.
  // Returns how long it waited.
  int64_t Acquire();

  int max_requests() const { return max_requests_; }
  int64_t window_ms() const { return window_ms_; }

 private:
  Clock& clock_;
  Sleeper& sleeper_;
  int max_requests_;
  int64_t window_ms_;
  std::deque<int64_t> spent_at_ms_;  // times of the last <= max_requests_ acquisitions
};

}  // namespace vd::net
