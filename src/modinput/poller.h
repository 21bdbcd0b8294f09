#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/status.h"
#include "common/time.h"
#include "modinput/checkpoint.h"
#include "modinput/event_writer.h"
#include "modinput/settings.h"
#include "modinput/token_source.h"
#include "net/clock.h"
#include "net/https_client.h"
#include "net/rate_limiter.h"
#include "net/retry.h"

namespace vd::modinput {

// Graph's newest records are still being written: the window ends this far before now.
inline constexpr DurationMs kSettleMs = 2 * 60 * 1000;
// Entra keeps audit and sign-in records 30 days (P1/P2); older windows cannot be read.
inline constexpr DurationMs kRetentionMs = 30LL * 24 * 3600 * 1000;
// Graph's identity-and-access reports budget is 5 requests per 10 s per app and tenant,
// counted where the requests arrive. The limiter spaces sends; a request's arrival trails its
// send by connection setup and latency, so the client counts over 11 s to keep every 10 s
// window of arrivals within the budget.
inline constexpr int kGraphMaxRequests = 5;
inline constexpr DurationMs kGraphRateWindowMs = 11'000;
// First poll without start_date.
inline constexpr DurationMs kDefaultStartBackMs = 7LL * 24 * 3600 * 1000;

// A checkpoint watermark later than now by more than this is refused (a clock set back, or a
// corrupt file): it would stop collection until the clock passes it.
inline constexpr DurationMs kMaxClockSkewMs = 5 * 60 * 1000;
// Pages one poll follows at most. Graph pages hold up to 1,000 records; a window with more
// continues from the checkpoint at the next poll. Bounds a server that never stops paging.
inline constexpr int kMaxPagesPerPoll = 2000;

// What a poll needs besides its settings; everything is owned by the caller.
struct PollContext {
  net::HttpsClient* graph = nullptr;
  net::RateLimiter* graph_limiter = nullptr;  // Graph's 5 requests / 10 s
  net::Sleeper* sleeper = nullptr;
  net::RetryPolicy retry;
  TokenSource* tokens = nullptr;
  EventWriter* writer = nullptr;
  CheckpointStore* store = nullptr;
  std::function<TimeMs()> now;          // wall clock, epoch ms
  std::function<int64_t()> elapsed_ms;  // monotonic, for the duration in the summary
  int max_pages = kMaxPagesPerPoll;
};

struct PollStats {
  int events_written = 0;
  int pages = 0;
  int duplicates_skipped = 0;  // ids already written (earlier poll or page)
  int filtered_out = 0;        // activities not asked for
  int late_caught = 0;         // written records older than the previous watermark
  int untimed_skipped = 0;     // records without a parseable time field
  TimeMs window_start = 0;
  TimeMs window_end = 0;
  TimeMs watermark = 0;  // as saved last
  bool window_complete = false;
};

// One poll of one stanza (DESIGN.md §4): reads the checkpoint, pages through
// [watermark - lag, now - 2 min] oldest first, writes the new records of the wanted
// activities, and after every page flushes the events and then saves the checkpoint.
// Logs WARN/INFO lines itself; on failure returns the error (the caller logs it as ERROR)
// and the checkpoint stays at the last completed page. `stats` is filled in either case.
// The bearer token goes only to graph_url's origin (scheme, host, port): an @odata.nextLink
// elsewhere, a nextLink already followed in this poll, or more than ctx.max_pages pages end
// the poll with an error before that page's events are written or its checkpoint saved.
// A checkpoint watermark after now + kMaxClockSkewMs (or before 1970) is refused with a WARN
// and the window starts as for a first poll (start_date, else 7 days back).
Status Poll(const Settings& settings, PollContext& ctx, PollStats* stats);

// The first page's URL for a window (exposed for tests).
std::string FirstPageUrl(const Settings& settings, TimeMs start, TimeMs end);

}  // namespace vd::modinput
