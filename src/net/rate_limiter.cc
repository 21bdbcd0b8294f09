#include "net/rate_limiter.h"

namespace vd::net {

RateLimiter::RateLimiter(Clock& clock, Sleeper& sleeper, int max_requests, int64_t window_ms)
    : clock_(clock),
      sleeper_(sleeper),
      max_requests_(max_requests < 1 ? 1 : max_requests),
      window_ms_(window_ms < 0 ? 0 : window_ms) {}

int64_t RateLimiter::Acquire() {
  int64_t waited = 0;
  int64_t now = clock_.NowMs();
  if (static_cast<int>(spent_at_ms_.size()) >= max_requests_) {
    // The oldest of the last max_requests_ tokens comes back window_ms_ after it was spent.
    const int64_t ready_at = spent_at_ms_.front() + window_ms_;
    // A sleeper may wake early (signals) or a clock may be coarse: loop until really due.
    while (now < ready_at) {
      sleeper_.SleepMs(ready_at - now);
      const int64_t after = clock_.NowMs();
      waited += after - now;
      now = after;
    }
    spent_at_ms_.pop_front();
  }
  spent_at_ms_.push_back(now);
  return waited;
}

}  // namespace vd::net
