#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "common/log.h"
#include "common/status.h"
#include "net/clock.h"
#include "net/http_types.h"
#include "net/https_client.h"
#include "net/rate_limiter.h"

namespace vd::net {

struct RetryPolicy {
  int max_attempts = 5;                  // total sends, first one included (>= 1)
  int64_t base_delay_ms = 1'000;         // backoff before retry k (k = 1..): base * 2^(k-1), capped
  int64_t max_delay_ms = 60'000;         // cap of the exponential backoff
  double jitter = 0.2;                   // +/- fraction applied to each backoff delay (0 = none)
  int64_t max_retry_after_ms = 300'000;  // a Retry-After longer than this is clamped to it
  uint64_t seed = 0;                     // jitter PRNG seed; 0 = random_device
};

// Receives one line per retry (WARN) with the reason and the wait; callers forward to vd::Log.
using RetryLogger = std::function<void(LogLevel level, std::string_view message)>;

// Parses Retry-After: delta-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT",
// also RFC 850 and asctime forms), the latter relative to `now_epoch_ms`. Returns the wait in
// ms (>= 0), nullopt when unparseable.
std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_epoch_ms);

// Sends `request`, taking a RateLimiter token before EVERY attempt, and retries:
//   429, 503          wait Retry-After when present and parseable (an HTTP-date is taken relative
//                     to the response's Date header, else the system clock), else backoff;
//   500, 502, 504 and other 5xx; kTimeout, kIo, kPartial transport errors
//                     exponential backoff with jitter;
// at most policy.max_attempts sends in all. Each retry logs one WARN through `log`.
// Returns: the first response that is not retried (2xx, 3xx, other 4xx — the caller's
// business); when attempts run out, the last response (a 429/5xx) or the last transport
// Status; a non-retryable Status (kRemote, kLimit, kInvalidArgument, kNotFound) at once.
Result<HttpResponse> SendWithRetry(HttpsClient& client, RateLimiter& limiter,
                                   const HttpRequest& request, const RetryPolicy& policy,
                                   Sleeper& sleeper, const RetryLogger& log);

// True for statuses SendWithRetry retries (429, 5xx).
bool IsRetryableStatus(int status);
// True for transport errors SendWithRetry retries (kTimeout, kIo, kPartial).
bool IsRetryableError(const Status& status);

}  // namespace vd::net
