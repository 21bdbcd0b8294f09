#pragma once

#include <array>

#include "events/event_draft.h"
#include "events/event_fields.h"
#include "events/recognize_result.h"
#include "events/row.h"

namespace vd::events {

// Pre-normalized rows: the vc_* columns (normalized_row.h), as the map phase emits them
// or as a user builds them in SPL for a source we do not know. The tuning columns
// (vc_identity_*, vc_helpdesk, vc_allowlisted) are read by Recognizer for every row.
class VcRecognizer {
 public:
  void SetHeader(Header header);
  bool Applies(Cells cells) const;  // a vc_kind cell
  RecognizeResult Recognize(Cells cells, EventDraft* draft);

 private:
  std::array<int, kVcColumnCount> column_{};  // by Field; kNoColumn when absent
};

}  // namespace vd::events
