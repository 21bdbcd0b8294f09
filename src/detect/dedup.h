#pragma once

#include <vector>

#include "common/time.h"
#include "detect/event_order.h"
#include "detect/findings.h"
#include "events/identity_event.h"

namespace vd::detect {

// The events the detections use, each list in EventLess order.
struct DedupedEvents {
  std::vector<events::IdentityEvent> resets;         // successful admin resets (incl. allow-listed)
  std::vector<events::IdentityEvent> failed_resets;  // failed admin resets: FailedResets only
  std::vector<events::IdentityEvent> mfa;            // successful MFA changes
  std::vector<events::IdentityEvent> signins;        // successful sign-ins
};

// DESIGN.md §3.1 Dedup. `sorted` must be in EventLess order. Exact duplicates (same kind
// and non-empty event id) collapse first. Admin resets (initiator key != target key, both
// non-empty) with the same initiator and target key form one reset when an event shares a
// non-empty correlation id with any event of a group, or lies at most `dedup_window` after
// the group's earliest event (anchored, not chained); the group keeps its earliest event.
// MFA changes dedup the same way per (target key, operation). Resets and MFA changes never
// merge with each other. Successful and failed events are deduped separately. Counts go to
// `stats`.
DedupedEvents Dedup(const std::vector<events::IdentityEvent>& sorted, const StrOrder& order,
                    DurationMs dedup_window, DetectStats* stats);

}  // namespace vd::detect
