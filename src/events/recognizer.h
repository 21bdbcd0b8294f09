#pragma once

#include <memory>
#include <string>

#include "events/entra_audit_recognizer.h"
#include "events/event_draft.h"
#include "events/identity_event.h"
#include "events/json_row.h"
#include "events/o365_recognizer.h"
#include "events/recognize_result.h"
#include "events/row.h"
#include "events/sentinel_recognizer.h"
#include "events/signin_recognizer.h"
#include "events/string_pool.h"
#include "events/vc_recognizer.h"
#include "events/windows_recognizer.h"

namespace vd::events {

// Turns one result row into a normalized IdentityEvent, whatever source shape it has
// (DESIGN.md §3.1). The shape is chosen per row by the fields present, in this order:
// vc_* row, Windows event, O365 record, Sentinel AuditLogs export, Entra sign-in, Entra
// audit (Graph / Event Hub); a row with none of their fields but a JSON _raw is read by
// flattening _raw (JsonRow) and trying again.
//
//   Recognizer r(&pool);               // identity=localpart
//   r.SetHeader(header);               // once per chunk / header
//   for each row: switch (r.Recognize(cells, &event).verdict) ...
//
// Hot path: SetHeader resolves every column index once; Recognize does no lookups by
// name and no per-cell allocation, and interns strings only for recognized events.
// The tuning columns vc_identity_initiator / vc_identity_target (identity-map keys that
// override the derived keys), vc_helpdesk and vc_allowlisted are honoured on every row.
// Not thread-safe; one per thread.
class Recognizer {
 public:
  explicit Recognizer(StringPool* pool, IdentityMode mode = IdentityMode::kLocalpart);
  ~Recognizer();
  Recognizer(const Recognizer&) = delete;
  Recognizer& operator=(const Recognizer&) = delete;

  void SetHeader(Header header);
  // `cells` must be aligned with the last header (missing trailing cells read as empty).
  // *out is written only when the verdict is kRecognized.
  RecognizeResult Recognize(Cells cells, IdentityEvent* out);

  IdentityMode mode() const { return mode_; }

 private:
  Recognizer(StringPool* pool, IdentityMode mode, bool raw_fallback);
  // Chooses the source shape and extracts the draft.
  RecognizeResult Extract(Cells cells, EventDraft* draft);
  // Validates, derives the keys and interns: the only place strings enter the pool.
  RecognizeResult Finish(Cells cells, const EventDraft& draft, IdentityEvent* out);

  StringPool* pool_;
  IdentityMode mode_;
  bool raw_fallback_enabled_;

  int time_ = kNoColumn, raw_ = kNoColumn;
  int identity_initiator_ = kNoColumn, identity_target_ = kNoColumn, helpdesk_ = kNoColumn,
      allowlisted_ = kNoColumn;

  VcRecognizer vc_;
  WindowsRecognizer windows_;
  O365Recognizer o365_;
  SentinelRecognizer sentinel_;
  SigninRecognizer signin_;
  EntraAuditRecognizer entra_;

  // _raw-only rows: the flattened record and a recognizer for its header.
  std::unique_ptr<JsonRow> raw_row_;
  std::unique_ptr<Recognizer> raw_recognizer_;

  // Interns through a small direct-mapped cache: the same operations, initiators and
  // targets recur row after row, and a cache hit (one hash, one compare) avoids walking
  // the pool's hash table (measured: most of the per-row cost without it).
  StrId Intern(std::string_view s);
  static constexpr size_t kInternCacheSize = 1 << 14;  // power of two
  std::unique_ptr<StrId[]> intern_cache_;

  std::string initiator_key_, target_key_;
};

}  // namespace vd::events
