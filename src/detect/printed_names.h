#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "detect/event_order.h"
#include "events/identity_event.h"

namespace vd::detect {

// DESIGN.md §3.2: a person (identity key) is printed with the spelling of their earliest
// event, in the total event order, whichever role (initiator or target) they had in it.
class PrintedNames {
 public:
  // `event_order`: positions of `events` in EventLess order (EventOrder()).
  PrintedNames(std::span<const events::IdentityEvent> events,
               const std::vector<uint32_t>& event_order, const StrOrder& order);

  // The spelling for a key; the key's own text when no event spelled it.
  std::string_view Of(StrId key) const;

 private:
  const StrOrder& order_;
  std::vector<StrId> spelling_;  // by key id; kEmptyStr = not seen
};

}  // namespace vd::detect
