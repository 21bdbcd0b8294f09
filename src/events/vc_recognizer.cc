#include "events/vc_recognizer.h"

#include "events/normalized_row.h"
#include "events/text_util.h"

namespace vd::events {

void VcRecognizer::SetHeader(Header h) {
  time_ = FindColumn(h, "vc_time");
  kind_ = FindColumn(h, "vc_kind");
  source_ = FindColumn(h, "vc_source");
  operation_ = FindColumn(h, "vc_operation");
  initiator_ = FindColumn(h, "vc_initiator");
  initiator_ip_ = FindColumn(h, "vc_initiator_ip");
  initiator_app_ = FindColumn(h, "vc_initiator_app");
  target_ = FindColumn(h, "vc_target");
  result_ = FindColumn(h, "vc_result");
  correlation_ = FindColumn(h, "vc_correlation_id");
  event_id_ = FindColumn(h, "vc_event_id");
  detail_ = FindColumn(h, "vc_detail");
  signin_ip_ = FindColumn(h, "vc_signin_ip");
}

bool VcRecognizer::Applies(Cells c) const { return !Trim(CellAt(c, kind_)).empty(); }

RecognizeResult VcRecognizer::Recognize(Cells c, EventDraft* d) {
  if (!TryParseKind(CellAt(c, kind_), &d->kind))
    return RecognizeResult::Skipped(SkipReason::kBadValue);
  std::string_view source = Trim(CellAt(c, source_));
  d->source = Source::kOther;
  if (!source.empty() && !TryParseSource(source, &d->source)) {
    return RecognizeResult::Skipped(SkipReason::kBadValue);
  }
  std::string_view result = Trim(CellAt(c, result_));
  d->outcome = Outcome::kSuccess;
  if (!result.empty() && !TryParseOutcome(result, &d->outcome)) {
    return RecognizeResult::Skipped(SkipReason::kBadValue);
  }
  d->source_time = Trim(CellAt(c, time_));
  d->time_overrides_row = true;
  // Spellings are taken as given (only trimmed): this is our own normalized form.
  d->operation = Trim(CellAt(c, operation_));
  d->initiator = Trim(CellAt(c, initiator_));
  d->initiator_ip = Trim(CellAt(c, initiator_ip_));
  d->initiator_app = Trim(CellAt(c, initiator_app_));
  d->target = Trim(CellAt(c, target_));
  d->correlation_id = Trim(CellAt(c, correlation_));
  d->event_id = Trim(CellAt(c, event_id_));
  d->detail = Trim(CellAt(c, detail_));
  d->signin_ip = Trim(CellAt(c, signin_ip_));
  if (d->target.empty()) return RecognizeResult::Skipped(SkipReason::kMissingTarget);
  return RecognizeResult::Recognized();
}

}  // namespace vd::events
