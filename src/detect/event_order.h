#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "events/identity_event.h"
#include "events/string_pool.h"

namespace vd::detect {

// Orders interned strings by their text, not by their id: ids depend on which row was
// interned first (input order, map-phase split), text does not. Built once per analysis
// over the strings the events use, so comparisons in sorts are integer compares.
class StrOrder {
 public:
  StrOrder(const std::vector<events::IdentityEvent>& events, const events::StringPool& pool);

  // Position of the id's text among all texts used by the events; equal text, equal rank.
  uint32_t Rank(events::StrId id) const { return rank_[id]; }
  std::string_view Text(events::StrId id) const { return pool_.Get(id); }
  // Compares two ids by text (-1, 0, 1).
  int Compare(events::StrId a, events::StrId b) const {
    uint32_t x = Rank(a), y = Rank(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }

 private:
  const events::StringPool& pool_;
  std::vector<uint32_t> rank_;  // indexed by StrId; only ids used by the events are set
};

// The total order every step of the analysis uses: (time, operation, event id), the
// tie-break DESIGN.md §3.1 names, then every other field by text, so that two events which
// compare equal are identical in content and any input order gives the same result.
bool EventLess(const events::IdentityEvent& a, const events::IdentityEvent& b,
               const StrOrder& order);

// Sorts events into that order.
void SortEvents(std::vector<events::IdentityEvent>* events, const StrOrder& order);

}  // namespace vd::detect
