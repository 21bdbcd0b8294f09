#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vd::events {

// The normalized event's fields, defined once: every vc_* column (DESIGN.md §3) in the order
// the map phase writes them. The lists below expand this table (an X-macro, as LLVM's .def
// files are used) into the Field enum, the column names, and the text members of
// IdentityEvent (interned ids), EventView and EventDraft (views), so a new field is one line
// here and a new source names no field it does not set.
//
//   VALUE(enumerator, column)          typed members (time, kind, ...), written out by hand in
//                                      each struct: each has its own type, parser and format
//   TEXT(enumerator, member, column)   a string a source recognizer extracts (EventDraft)
//   TUNING(enumerator, member, column) a string the app's lookups set in SPL on any row; read
//                                      by Recognizer for every shape, so not in EventDraft
#define VD_EVENT_FIELDS(VALUE, TEXT, TUNING)                                       \
  VALUE(kTime, "vc_time")                                                          \
  VALUE(kKind, "vc_kind")                                                          \
  VALUE(kSource, "vc_source")                                                      \
  TEXT(kOperation, operation, "vc_operation")                                      \
  TEXT(kInitiator, initiator, "vc_initiator")                                      \
  TEXT(kInitiatorIp, initiator_ip, "vc_initiator_ip")                              \
  TEXT(kInitiatorApp, initiator_app, "vc_initiator_app")                           \
  TEXT(kTarget, target, "vc_target")                                               \
  VALUE(kResult, "vc_result")                                                      \
  TEXT(kCorrelationId, correlation_id, "vc_correlation_id")                        \
  TEXT(kEventId, event_id, "vc_event_id")                                          \
  TEXT(kDetail, detail, "vc_detail")                                               \
  TEXT(kSigninIp, signin_ip, "vc_signin_ip")                                       \
  TUNING(kIdentityInitiator, identity_initiator_override, "vc_identity_initiator") \
  TUNING(kIdentityTarget, identity_target_override, "vc_identity_target")          \
  VALUE(kHelpdesk, "vc_helpdesk")                                                  \
  VALUE(kAllowlisted, "vc_allowlisted")                                            \
  VALUE(kArrival, "vc_arrival")

// Expansion helpers for the list above (a struct's members are expanded where it is defined).
#define VD_FIELD_IGNORE(...)
#define VD_FIELD_ONE(...) +1
#define VD_FIELD_ENUMERATOR_VALUE(e, column) e,
#define VD_FIELD_ENUMERATOR(e, member, column) e,
#define VD_FIELD_COLUMN_VALUE(e, column) column,
#define VD_FIELD_COLUMN(e, member, column) column,
#define VD_FIELD_TEXT_ENUMERATOR(e, member, column) Field::e,

// Every field, by its vc_* column's position.
enum class Field : uint8_t {
  VD_EVENT_FIELDS(VD_FIELD_ENUMERATOR_VALUE, VD_FIELD_ENUMERATOR, VD_FIELD_ENUMERATOR)
};
inline constexpr size_t kVcColumnCount =
    0 VD_EVENT_FIELDS(VD_FIELD_ONE, VD_FIELD_ONE, VD_FIELD_ONE);
inline constexpr size_t Index(Field f) { return static_cast<size_t>(f); }

// The vc_* column names, by Field.
inline constexpr std::array<std::string_view, kVcColumnCount> kVcColumns = {
    VD_EVENT_FIELDS(VD_FIELD_COLUMN_VALUE, VD_FIELD_COLUMN, VD_FIELD_COLUMN)};

// The string fields (TEXT and TUNING, in table order): what Recognizer validates and interns,
// in this order.
inline constexpr auto kTextFields = std::to_array<Field>(
    {VD_EVENT_FIELDS(VD_FIELD_IGNORE, VD_FIELD_TEXT_ENUMERATOR, VD_FIELD_TEXT_ENUMERATOR)});
inline constexpr size_t kTextFieldCount = kTextFields.size();
// The position of a string field in kTextFields.
constexpr size_t TextIndex(Field f) {
  for (size_t i = 0; i < kTextFieldCount; ++i) {
    if (kTextFields[i] == f) return i;
  }
  return kTextFieldCount;  // not a string field: a compile error where a constant is needed
}

}  // namespace vd::events
