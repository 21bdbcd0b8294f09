#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/string_pool.h"
#include "events/identity_event.h"

namespace vd::detect {

// Orders interned strings by their text, never by their id: ids depend on which row was
// interned first (input order, map-phase split), text does not.
class StrOrder {
 public:
  explicit StrOrder(const StringPool& pool) : pool_(pool) {}

  std::string_view Text(StrId id) const { return pool_.Get(id); }
  // Compares two ids by text: < 0, 0, > 0. Equal ids are equal text without a look-up.
  int Compare(StrId a, StrId b) const { return a == b ? 0 : pool_.Get(a).compare(pool_.Get(b)); }
  bool Less(StrId a, StrId b) const { return Compare(a, b) < 0; }
  // Every id is below this: tables indexed by id need no hashing.
  size_t IdLimit() const { return pool_.size(); }

 private:
  const StringPool& pool_;
};

// The total order every step of the analysis uses: (time, operation, event id), the
// tie-break DESIGN.md §3.1 names, then every other field by text, so that two events which
// compare equal are identical in content and any input order gives the same result.
bool EventLess(const events::IdentityEvent& a, const events::IdentityEvent& b,
               const StrOrder& order);

// Positions of `events` in that order (they must number fewer than 2^32). The analysis
// walks events through these positions instead of moving 72-byte events around.
std::vector<uint32_t> EventOrder(std::span<const events::IdentityEvent> events,
                                 const StrOrder& order);

}  // namespace vd::detect
