#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/time.h"
#include "detect/event_order.h"
#include "events/identity_event.h"

namespace vd::detect {

// DESIGN.md §3.7: a finding's id, the same in every search whose window holds its events, so
// an alert throttled on it fires once. Built from texts only (identity keys, event ids, times,
// operations), never from interning order, so map splits and input order do not change it.
// 64-bit FNV-1a over length-prefixed parts; printed as 16 lowercase hex digits.
class FindingIdHash {
 public:
  explicit FindingIdHash(std::string_view detection) { Add(detection); }
  void Add(std::string_view part);
  // An event: its id when it has one, else its time and operation.
  void AddEvent(const events::IdentityEvent& e, const StrOrder& order);
  uint64_t value() const { return h_; }

 private:
  void Bytes(const void* data, size_t n);
  uint64_t h_ = 14695981039346656037ull;
};

// Bulk: the initiator key and the incident's first recovery event.
uint64_t BulkFindingId(std::string_view initiator_key, const events::IdentityEvent& first,
                       const StrOrder& order);
// Chain: the target key, the recovery event and the MFA event.
uint64_t ChainFindingId(std::string_view target_key, const events::IdentityEvent& recovery,
                        const events::IdentityEvent& mfa, const StrOrder& order);

inline constexpr size_t kFindingIdChars = 16;
// 16 lowercase hex digits into `out`; returns the view of them.
std::string_view FormatFindingId(uint64_t id, std::span<char, kFindingIdChars> out);

// When an event arrived (§3.7): its _indextime when the row carried one, else its time.
inline TimeMs Arrival(const events::IdentityEvent& e) {
  return e.arrival != events::kNoArrival ? e.arrival : e.time;
}

}  // namespace vd::detect
