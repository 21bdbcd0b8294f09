#include "events/vc_recognizer.h"

#include "events/normalized_row.h"
#include "events/text_util.h"

namespace vd::events {

void VcRecognizer::SetHeader(Header h) {
  for (size_t f = 0; f < kVcColumnCount; ++f) column_[f] = FindColumn(h, kVcColumns[f]);
}

bool VcRecognizer::Applies(Cells c) const {
  return !Trim(CellAt(c, column_[Index(Field::kKind)])).empty();
}

RecognizeResult VcRecognizer::Recognize(Cells c, EventDraft* d) {
  auto cell = [&](Field f) { return CellAt(c, column_[Index(f)]); };
  if (!TryParseKind(cell(Field::kKind), &d->kind)) {
    return RecognizeResult::Skipped(SkipReason::kBadValue);
  }
  std::string_view source = Trim(cell(Field::kSource));
  d->source = Source::kOther;
  if (!source.empty() && !TryParseSource(source, &d->source)) {
    return RecognizeResult::Skipped(SkipReason::kBadValue);
  }
  std::string_view result = Trim(cell(Field::kResult));
  d->outcome = Outcome::kSuccess;
  if (!result.empty() && !TryParseOutcome(result, &d->outcome)) {
    return RecognizeResult::Skipped(SkipReason::kBadValue);
  }
  d->source_time = Trim(cell(Field::kTime));
  d->time_overrides_row = true;
  // Spellings are taken as given (only trimmed): this is our own normalized form. The tuning
  // columns are Recognizer's (every row shape has them).
#define VD_FIELD_TRIMMED(name, member, column) d->member = Trim(cell(Field::name));
  VD_EVENT_FIELDS(VD_FIELD_IGNORE, VD_FIELD_TRIMMED, VD_FIELD_IGNORE)
#undef VD_FIELD_TRIMMED
  if (d->target.empty()) return RecognizeResult::Skipped(SkipReason::kMissingTarget);
  return RecognizeResult::Recognized();
}

}  // namespace vd::events
