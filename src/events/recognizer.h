#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "common/string_pool.h"
#include "events/entra_audit_recognizer.h"
#include "events/event_draft.h"
#include "events/event_fields.h"
#include "events/event_view.h"
#include "events/identity_event.h"
#include "events/json_row.h"
#include "events/o365_recognizer.h"
#include "events/recognize_result.h"
#include "events/row.h"
#include "events/sentinel_recognizer.h"
#include "events/signin_recognizer.h"
#include "events/vc_recognizer.h"
#include "events/windows_recognizer.h"

namespace vd::events {

// Turns one result row into a normalized IdentityEvent, whatever source shape it has
// (DESIGN.md §3.1). The shape is chosen per row by the fields present, in the order of
// Shapes below: vc_* row, Windows event, O365 record, Sentinel AuditLogs export, Entra
// sign-in, Entra audit (Graph / Event Hub); a row with none of their fields but a JSON _raw
// is read by flattening _raw (JsonRow) and trying again. A new source is one recognizer
// (SetHeader, Applies, Recognize filling an EventDraft) added to Shapes.
//
//   Recognizer r(&pool);               // identity=localpart
//   r.SetHeader(header);               // once per chunk / header
//   for each row: switch (r.Recognize(cells, &event).verdict) ...
//
// Hot path: SetHeader resolves every column index once; Recognize does no lookups by
// name and no per-cell allocation, and interns strings only for recognized events.
// The tuning columns vc_identity_initiator / vc_identity_target (identity-map keys that
// override the derived keys), vc_helpdesk and vc_allowlisted are honoured on every row.
// Not thread-safe; one per thread. Recognizers sharing a pool must share one identity mode:
// the pool keeps each spelling's identity key beside it.
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
  // The same verdict as Recognize; on kRecognized *out holds the event's strings, which
  // equal pool.Get() of the ids Recognize would have interned (nothing is interned here).
  RecognizeResult RecognizeView(Cells cells, EventView* out);
  // Recognize over several rows: results[i] and out[i] (written only when recognized) are
  // what Recognize(rows[i], &out[i]) in turn would give, and the pool receives the same
  // strings in the same order, so ids are identical too. The rows' cells must stay valid
  // until it returns. Why: interning waits on cache misses (the pool is tens of MB); vc_*
  // rows (views into their cells) are validated first, then their strings are hashed and
  // the pool prefetched a few rows ahead of the interning. Other shapes go through
  // Recognize at their turn.
  void RecognizeBatch(std::span<const Cells> rows, RecognizeResult* results, IdentityEvent* out);

  IdentityMode mode() const { return mode_; }

 private:
  Recognizer(StringPool* pool, IdentityMode mode, bool raw_fallback);
  // Chooses the source shape and extracts the draft.
  RecognizeResult Extract(Cells cells, EventDraft* draft);
  // Validates (sizes, UTF-8, target, initiator, time) and resolves the initiator spelling
  // and the tuning columns into *view.
  RecognizeResult Validate(Cells cells, const EventDraft& draft, EventView* view);
  // Validate, then InternView.
  RecognizeResult Finish(Cells cells, const EventDraft& draft, IdentityEvent* out);
  // The interning half of Finish, and the only place strings enter the pool (then the keys
  // are derived). `hashes` (StringPool::Hash of each of the view's
  // kInternedFields strings, in InternedFields order) may be null.
  static constexpr size_t kInternedFields = kTextFieldCount;
  static void InternedFields(const EventView& v,
                             std::array<std::string_view, kInternedFields>* fields);
  void InternView(const EventView& v, bool by_app, const uint64_t* hashes, IdentityEvent* out);
  // InternView's two steps: the view's strings into the pool (with the keys the pool keeps
  // beside the initiator and target spellings: their identity keys, once known), then the
  // identity keys (from the overrides, else from those pool keys or derived).
  struct SpellingKeys {
    StrId initiator = kEmptyStr, target = kEmptyStr;
  };
  void InternFields(const EventView& v, const uint64_t* hashes, IdentityEvent* out,
                    SpellingKeys* keys);
  void AssignKeys(const EventView& v, bool by_app, const uint64_t* hashes, SpellingKeys keys,
                  IdentityEvent* e);

  StringPool* pool_;
  IdentityMode mode_;
  bool raw_fallback_enabled_;

  int time_ = kNoColumn, raw_ = kNoColumn, indextime_ = kNoColumn, arrival_ = kNoColumn;
  int identity_initiator_ = kNoColumn, identity_target_ = kNoColumn, helpdesk_ = kNoColumn,
      allowlisted_ = kNoColumn;

  // The source recognizers, tried in this order; the first that Applies() to a row reads it.
  using Shapes = std::tuple<VcRecognizer, WindowsRecognizer, O365Recognizer, SentinelRecognizer,
                            SigninRecognizer, EntraAuditRecognizer>;
  Shapes shapes_;
  VcRecognizer& vc() { return std::get<VcRecognizer>(shapes_); }

  // _raw-only rows: the flattened record and a recognizer for its header.
  std::unique_ptr<JsonRow> raw_row_;
  std::unique_ptr<Recognizer> raw_recognizer_;

  StrId Intern(std::string_view s);
  // The identity key (UserKey) of a spelling interned with pool key `key`: that key once set,
  // else derived, interned and kept as the spelling's pool key. A person recurs on many
  // rows; deriving and interning the key again each time was a third of the interning.
  StrId UserKeyOf(std::string_view spelling, uint64_t hash, StrId key, std::string* scratch);
  // The key of an app initiator (AppKey), memoized by the display name's id (apps are few).
  StrId AppKeyOf(StrId name, std::string* scratch);

  std::string initiator_key_, target_key_;
  // RecognizeBatch's scratch, reused: per row, its view (vc_* rows), whether it initiated by
  // app, whether it took the vc_* path, and its strings' hashes.
  std::vector<EventView> batch_views_;
  std::vector<uint8_t> batch_by_app_, batch_vc_;
  std::vector<SpellingKeys> batch_keys_;
  std::vector<uint64_t> batch_hashes_;
  std::vector<StrId> app_key_of_;  // by display name id; kEmptyStr: not yet known
};

}  // namespace vd::events
