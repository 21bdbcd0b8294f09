#pragma once

#include <string_view>

#include "events/identity_event.h"

namespace vd::events {

// What a source recognizer extracts from one row before validation, keys and interning
// (done once, in Recognizer). Views point into the row's cells or into buffers owned by
// the source recognizer that filled it; they stay valid until that recognizer's next call.
struct EventDraft {
  Kind kind = Kind::kReset;
  Source source = Source::kOther;
  Outcome outcome = Outcome::kSuccess;

  // The source's own time field, used when the row has no _time (or always, when
  // time_overrides_row is set: vc_time is the normalized row's time).
  std::string_view source_time;
  bool time_overrides_row = false;

  // The TEXT fields of event_fields.h (the TUNING ones are Recognizer's, from any row). The
  // initiator is the user spelling, empty when an app initiated (initiator_app).
#define VD_FIELD_MEMBER(e, member, column) std::string_view member;
  VD_EVENT_FIELDS(VD_FIELD_IGNORE, VD_FIELD_MEMBER, VD_FIELD_IGNORE)
#undef VD_FIELD_MEMBER
};

}  // namespace vd::events
