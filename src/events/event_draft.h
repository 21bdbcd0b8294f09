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

  std::string_view operation;
  std::string_view initiator;  // user spelling; empty when an app initiated
  std::string_view initiator_ip;
  std::string_view initiator_app;  // service principal display name
  std::string_view target;
  std::string_view correlation_id;
  std::string_view event_id;
  std::string_view detail;
  std::string_view signin_ip;
};

}  // namespace vd::events
