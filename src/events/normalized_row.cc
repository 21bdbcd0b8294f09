#include "events/normalized_row.h"

#include "common/time.h"
#include "events/text_util.h"

namespace vd::events {

std::string_view KindName(Kind kind) {
  const size_t i = static_cast<size_t>(kind);
  return i < kKindCount ? kKindNames[i] : kKindNames[0];
}

std::string_view OutcomeName(Outcome outcome) {
  return outcome == Outcome::kFailure ? "failure" : "success";
}

bool TryParseKind(std::string_view text, Kind* out) {
  text = Trim(text);
  for (size_t i = 0; i < kKindCount; ++i) {
    if (EqualsIgnoreCase(text, kKindNames[i])) {
      *out = static_cast<Kind>(i);
      return true;
    }
  }
  return false;
}

bool TryParseSource(std::string_view text, Source* out) {
  text = Trim(text);
  for (size_t i = 0; i < kSourceCount; ++i) {
    if (EqualsIgnoreCase(text, kSourceNames[i].vc)) {
      *out = static_cast<Source>(i);
      return true;
    }
  }
  return false;
}

bool TryParseOutcome(std::string_view text, Outcome* out) {
  text = Trim(text);
  if (EqualsIgnoreCase(text, "success")) {
    *out = Outcome::kSuccess;
  } else if (EqualsIgnoreCase(text, "failure")) {
    *out = Outcome::kFailure;
  } else {
    return false;
  }
  return true;
}

// The value fields by hand (each has its own format), the string fields from the list.
void WriteNormalizedCells(const IdentityEvent& e, const StringPool& pool, std::string* time_text,
                          std::string* arrival_text,
                          std::span<std::string_view, kVcColumnCount> cells) {
  FormatEpochSeconds(e.time, time_text);
  cells[Index(Field::kTime)] = *time_text;
  cells[Index(Field::kKind)] = KindName(e.kind);
  cells[Index(Field::kSource)] = VcSourceName(e.source);
  cells[Index(Field::kResult)] = OutcomeName(e.outcome);
  cells[Index(Field::kHelpdesk)] = e.helpdesk ? "true" : "";
  cells[Index(Field::kAllowlisted)] = e.allowlisted ? "true" : "";
  arrival_text->clear();
  if (e.arrival != kNoArrival) FormatEpochSeconds(e.arrival, arrival_text);
  cells[Index(Field::kArrival)] = *arrival_text;
#define VD_FIELD_CELL(name, member, column) cells[Index(Field::name)] = pool.Get(e.member);
  VD_EVENT_FIELDS(VD_FIELD_IGNORE, VD_FIELD_CELL, VD_FIELD_CELL)
#undef VD_FIELD_CELL
}

void WriteNormalizedCells(const EventView& e, std::string* time_text, std::string* arrival_text,
                          std::span<std::string_view, kVcColumnCount> cells) {
  // Once per output row: the digits go straight into *time_text's storage (sized once) and
  // the cell views them there, with no assign per row.
  if (time_text->size() != kEpochSecondsChars) time_text->resize(kEpochSecondsChars);
  cells[Index(Field::kTime)] = FormatEpochSeconds(
      e.time, std::span<char, kEpochSecondsChars>(time_text->data(), kEpochSecondsChars));
  cells[Index(Field::kKind)] = KindName(e.kind);
  cells[Index(Field::kSource)] = VcSourceName(e.source);
  cells[Index(Field::kResult)] = OutcomeName(e.outcome);
  cells[Index(Field::kHelpdesk)] = e.helpdesk ? "true" : "";
  cells[Index(Field::kAllowlisted)] = e.allowlisted ? "true" : "";
  if (e.arrival == kNoArrival) {
    cells[Index(Field::kArrival)] = std::string_view();
  } else {
    if (arrival_text->size() != kEpochSecondsChars) arrival_text->resize(kEpochSecondsChars);
    cells[Index(Field::kArrival)] = FormatEpochSeconds(
        e.arrival, std::span<char, kEpochSecondsChars>(arrival_text->data(), kEpochSecondsChars));
  }
#define VD_FIELD_CELL(name, member, column) cells[Index(Field::name)] = e.member;
  VD_EVENT_FIELDS(VD_FIELD_IGNORE, VD_FIELD_CELL, VD_FIELD_CELL)
#undef VD_FIELD_CELL
}

}  // namespace vd::events
