#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/string_pool.h"
#include "events/event_fields.h"
#include "events/event_view.h"
#include "events/identity_event.h"

namespace vd::events {

// The compact rows the map phase emits and the reporting phase (or a user's own SPL)
// feeds back in: the vc_* columns of DESIGN.md §3, kVcColumns (events/event_fields.h).

// Spellings used in vc_kind / vc_source / vc_result.
std::string_view KindName(Kind kind);  // kKindNames: reset | mfa | signin | known_ip | ...
inline std::string_view VcSourceName(Source source) { return NamesOf(source).vc; }
std::string_view OutcomeName(Outcome outcome);  // success | failure
// Parsers for the same spellings (ASCII case-insensitive); false for anything else.
bool TryParseKind(std::string_view text, Kind* out);
bool TryParseSource(std::string_view text, Source* out);
bool TryParseOutcome(std::string_view text, Outcome* out);

// Fills `cells` (aligned with kVcColumns) for one event: spellings, not keys; vc_time as
// epoch seconds (FormatEpochSeconds) written into *time_text, which must outlive the
// cells; vc_identity_* only when the event carried an override; vc_helpdesk /
// vc_allowlisted "true" or empty; vc_arrival as epoch seconds into *arrival_text, empty when
// unknown. Other views point into `pool` or static storage. Reading the row back with
// Recognizer gives an identical IdentityEvent.
void WriteNormalizedCells(const IdentityEvent& event, const StringPool& pool,
                          std::string* time_text, std::string* arrival_text,
                          std::span<std::string_view, kVcColumnCount> cells);

// The same cells from an EventView (the map phase's path: no pool involved). The views
// point into the EventView's strings, *time_text or static storage.
void WriteNormalizedCells(const EventView& event, std::string* time_text, std::string* arrival_text,
                          std::span<std::string_view, kVcColumnCount> cells);

}  // namespace vd::events
