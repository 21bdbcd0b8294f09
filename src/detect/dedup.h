#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/time.h"
#include "detect/event_order.h"
#include "detect/findings.h"
#include "events/identity_event.h"

namespace vd::detect {

struct DedupedEvents;
class EventList;
DedupedEvents Dedup(std::span<const events::IdentityEvent> events,
                    const std::vector<uint32_t>& event_order, const StrOrder& order,
                    DurationMs dedup_window, DetectStats* stats, Recovery recovery);

// Some of the analysis' events, in EventLess order: positions into the sorted events that
// the owning DedupedEvents holds, so no event is copied per list.
class EventList {
 public:
  class Iterator {
   public:
    Iterator(const events::IdentityEvent* base, const uint32_t* at) : base_(base), at_(at) {}
    const events::IdentityEvent& operator*() const { return base_[*at_]; }
    Iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator!=(const Iterator& o) const { return at_ != o.at_; }

   private:
    const events::IdentityEvent* base_;
    const uint32_t* at_;
  };

  size_t size() const { return pos_.size(); }
  bool empty() const { return pos_.empty(); }
  const events::IdentityEvent& operator[](size_t i) const { return base_[pos_[i]]; }
  Iterator begin() const { return Iterator(base_, pos_.data()); }
  Iterator end() const { return Iterator(base_, pos_.data() + pos_.size()); }

 private:
  friend DedupedEvents Dedup(std::span<const events::IdentityEvent>, const std::vector<uint32_t>&,
                             const StrOrder&, DurationMs, DetectStats*, Recovery);
  const events::IdentityEvent* base_ = nullptr;
  std::vector<uint32_t> pos_;
};

// The events the detections use, each list in EventLess order. Movable, not copyable: the
// lists point into `all`, the caller's events in input order (they must outlive this).
struct DedupedEvents {
  DedupedEvents() = default;
  DedupedEvents(DedupedEvents&&) = default;
  DedupedEvents& operator=(DedupedEvents&&) = default;
  DedupedEvents(const DedupedEvents&) = delete;
  DedupedEvents& operator=(const DedupedEvents&) = delete;

  std::span<const events::IdentityEvent> all;  // every input event
  EventList resets;         // successful recoveries of every kind (incl. allow-listed)
  EventList failed_resets;  // failed recoveries: FailedResets only
  EventList mfa;            // successful MFA changes, and the MFA resets and TAPs among resets
  EventList signins;        // successful sign-ins
  EventList known_ips;      // vc_kind=known_ip rows: a target's address and when first seen
};

// DESIGN.md §3.1 Dedup, per kind (§3.6). Recoveries (password reset, MFA reset, TAP) by
// another account are the "resets": with Recovery::kPassword only password resets, the other
// two then being MFA changes (the first version). An MFA reset or TAP by the account itself,
// or with no initiator, is an MFA change too; a password reset so is self-service (counted).
// Recoveries of different kinds never merge; the MFA resets and TAPs kept also join `mfa`,
// the chains' second leg. `sorted` must be in EventLess order. Exact duplicates (same kind
// and non-empty event id) collapse first. Admin resets (initiator key != target key, both
// non-empty) with the same initiator and target key form one reset when an event shares a
// non-empty correlation id with any event of a group, or lies at most `dedup_window` after
// the group's earliest event (anchored, not chained); the group keeps its earliest event.
// MFA changes dedup the same way per (target key, operation). Resets and MFA changes never
// merge with each other. Successful and failed events are deduped separately. Counts go to
// `stats`.
// `event_order` lists the events' positions in EventLess order (EventOrder()); the events
// must outlive the result.
DedupedEvents Dedup(std::span<const events::IdentityEvent> events,
                    const std::vector<uint32_t>& event_order, const StrOrder& order,
                    DurationMs dedup_window, DetectStats* stats,
                    Recovery recovery = Recovery::kAll);

}  // namespace vd::detect
