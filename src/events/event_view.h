#pragma once

#include <string_view>

#include "events/identity_event.h"

namespace vd::events {

// A recognized event as views instead of interned ids: what the map phase writes straight
// back out as a vc_* row, so it need not intern (the pool lookups were most of its time).
// The views point into the row's cells or the recognizer's buffers and are valid until the
// next call on the recognizer. Identity keys are not derived (vc_* rows do not carry them).
struct EventView {
  TimeMs time = 0;
  TimeMs arrival = kNoArrival;  // vc_arrival, else _indextime
  Kind kind = Kind::kReset;
  Source source = Source::kOther;
  Outcome outcome = Outcome::kSuccess;
  bool helpdesk = false;
  bool allowlisted = false;
#define VD_FIELD_MEMBER(e, member, column) std::string_view member;
  VD_EVENT_FIELDS(VD_FIELD_IGNORE, VD_FIELD_MEMBER, VD_FIELD_MEMBER)
#undef VD_FIELD_MEMBER
};

}  // namespace vd::events
