#include "events/recognizer.h"

#include <algorithm>

#include "common/time.h"
#include "events/identity.h"
#include "events/text_util.h"

namespace vd::events {

std::string_view ReasonName(SkipReason reason) {
  switch (reason) {
    case SkipReason::kNone: return "none";
    case SkipReason::kMissingTime: return "missing time";
    case SkipReason::kBadTime: return "unparseable time";
    case SkipReason::kMissingTarget: return "missing target";
    case SkipReason::kMissingInitiator: return "missing initiator";
    case SkipReason::kInvalidUtf8: return "invalid UTF-8";
    case SkipReason::kMalformedRaw: return "malformed _raw";
    case SkipReason::kOversized: return "oversized field";
    case SkipReason::kBadValue: return "invalid vc_* value";
  }
  return "unknown";
}

Recognizer::Recognizer(StringPool* pool, IdentityMode mode) : Recognizer(pool, mode, true) {}

Recognizer::Recognizer(StringPool* pool, IdentityMode mode, bool raw_fallback)
    : pool_(pool),
      mode_(mode),
      raw_fallback_enabled_(raw_fallback) {
  initiator_key_.reserve(256);
  target_key_.reserve(256);
}

Recognizer::~Recognizer() = default;

StrId Recognizer::Intern(std::string_view s) { return pool_->Intern(s); }

StrId Recognizer::KeyOf(StrId spelling, bool app, std::string* scratch) {
  std::vector<StrId>& memo = app ? app_key_of_ : user_key_of_;
  if (spelling < memo.size() && memo[spelling] != kEmptyStr) return memo[spelling];
  if (app) {
    AppKey(pool_->Get(spelling), mode_, scratch);
  } else {
    UserKey(pool_->Get(spelling), mode_, scratch);
  }
  StrId key = Intern(*scratch);
  if (spelling >= memo.size()) memo.resize(std::max<size_t>(pool_->size(), spelling + 1));
  memo[spelling] = key;
  return key;
}

void Recognizer::SetHeader(Header h) {
  time_ = FindColumn(h, "_time");
  raw_ = FindColumn(h, "_raw");
  identity_initiator_ = FindColumn(h, "vc_identity_initiator");
  identity_target_ = FindColumn(h, "vc_identity_target");
  helpdesk_ = FindColumn(h, "vc_helpdesk");
  allowlisted_ = FindColumn(h, "vc_allowlisted");
  vc_.SetHeader(h);
  windows_.SetHeader(h);
  o365_.SetHeader(h);
  sentinel_.SetHeader(h);
  signin_.SetHeader(h);
  entra_.SetHeader(h);
}

RecognizeResult Recognizer::Extract(Cells c, EventDraft* d) {
  if (vc_.Applies(c)) return vc_.Recognize(c, d);
  if (windows_.Applies(c)) return windows_.Recognize(c, d);
  if (o365_.Applies(c)) return o365_.Recognize(c, d);
  if (sentinel_.Applies(c)) return sentinel_.Recognize(c, d);
  if (signin_.Applies(c)) return signin_.Recognize(c, d);
  if (entra_.Applies(c)) return entra_.Recognize(c, d);

  // None of the extracted fields: a JSON _raw (a sourcetype without KV_MODE=json, or
  // another add-on's field names) is flattened the way Splunk would and tried again.
  std::string_view raw = Trim(CellAt(c, raw_));
  if (!raw_fallback_enabled_ || raw.empty() || raw.front() != '{') {
    return RecognizeResult::Irrelevant();
  }
  if (raw.size() > kMaxParsedRawBytes) return RecognizeResult::Skipped(SkipReason::kOversized);
  if (!raw_row_) {
    raw_row_ = std::make_unique<JsonRow>();
    raw_recognizer_.reset(new Recognizer(pool_, mode_, /*raw_fallback=*/false));
  }
  if (!raw_row_->Parse(raw).ok()) return RecognizeResult::Skipped(SkipReason::kMalformedRaw);
  raw_recognizer_->SetHeader(raw_row_->header());
  return raw_recognizer_->Extract(raw_row_->cells(), d);
}

RecognizeResult Recognizer::Recognize(Cells cells, IdentityEvent* out) {
  EventDraft draft;
  RecognizeResult r = Extract(cells, &draft);
  if (!r.recognized()) return r;
  return Finish(cells, draft, out);
}

RecognizeResult Recognizer::RecognizeView(Cells cells, EventView* out) {
  EventDraft draft;
  RecognizeResult r = Extract(cells, &draft);
  if (!r.recognized()) return r;
  return Validate(cells, draft, out);
}

RecognizeResult Recognizer::Validate(Cells c, const EventDraft& d, EventView* v) {
  std::string_view override_initiator = Trim(CellAt(c, identity_initiator_));
  std::string_view override_target = Trim(CellAt(c, identity_target_));

  const std::string_view fields[] = {d.operation, d.initiator,      d.initiator_ip,
                                     d.initiator_app, d.target,     d.correlation_id,
                                     d.event_id,  d.detail,         d.signin_ip,
                                     override_initiator, override_target};
  for (std::string_view f : fields) {
    if (f.size() > kMaxKeyFieldBytes) return RecognizeResult::Skipped(SkipReason::kOversized);
  }
  for (std::string_view f : fields) {
    if (!IsValidUtf8(f)) return RecognizeResult::Skipped(SkipReason::kInvalidUtf8);
  }
  if (d.target.empty()) return RecognizeResult::Skipped(SkipReason::kMissingTarget);
  if (d.kind == Kind::kReset && d.initiator.empty() && d.initiator_app.empty()) {
    return RecognizeResult::Skipped(SkipReason::kMissingInitiator);
  }

  // Time: the row's _time, else the source's own field (vc_time always wins on vc rows).
  std::string_view time_text = Trim(CellAt(c, time_));
  if (d.time_overrides_row ? !d.source_time.empty() : time_text.empty()) time_text = d.source_time;
  if (time_text.empty()) return RecognizeResult::Skipped(SkipReason::kMissingTime);
  TimeMs time = 0;
  if (!TryParseTime(time_text, &time)) return RecognizeResult::Skipped(SkipReason::kBadTime);

  // An app initiated when it is named and no different user is: its display name is
  // both the spelling and (folded) the key.
  bool by_app = !d.initiator_app.empty() && (d.initiator.empty() || d.initiator == d.initiator_app);

  v->time = time;
  v->kind = d.kind;
  v->source = d.source;
  v->outcome = d.outcome;
  v->helpdesk = ParseBool(CellAt(c, helpdesk_));
  v->allowlisted = ParseBool(CellAt(c, allowlisted_));
  v->operation = d.operation;
  v->initiator = by_app ? d.initiator_app : d.initiator;
  v->initiator_ip = d.initiator_ip;
  v->initiator_app = d.initiator_app;
  v->target = d.target;
  v->correlation_id = d.correlation_id;
  v->event_id = d.event_id;
  v->detail = d.detail;
  v->signin_ip = d.signin_ip;
  v->identity_initiator_override = override_initiator;
  v->identity_target_override = override_target;
  return RecognizeResult::Recognized();
}

RecognizeResult Recognizer::Finish(Cells c, const EventDraft& d, IdentityEvent* out) {
  EventView v;
  RecognizeResult r = Validate(c, d, &v);
  if (!r.recognized()) return r;

  bool by_app = !d.initiator_app.empty() && (d.initiator.empty() || d.initiator == d.initiator_app);

  IdentityEvent e;
  e.time = v.time;
  e.kind = v.kind;
  e.source = v.source;
  e.outcome = v.outcome;
  e.helpdesk = v.helpdesk;
  e.allowlisted = v.allowlisted;
  e.operation = Intern(v.operation);
  e.initiator = Intern(v.initiator);
  e.initiator_ip = Intern(v.initiator_ip);
  e.initiator_app = Intern(v.initiator_app);
  e.target = Intern(v.target);
  e.correlation_id = Intern(v.correlation_id);
  e.event_id = Intern(v.event_id);
  e.detail = Intern(v.detail);
  e.signin_ip = Intern(v.signin_ip);
  e.identity_initiator_override = Intern(v.identity_initiator_override);
  e.identity_target_override = Intern(v.identity_target_override);
  e.initiator_key = v.identity_initiator_override.empty()
                        ? KeyOf(e.initiator, by_app, &initiator_key_)
                        : e.identity_initiator_override;
  e.target_key = v.identity_target_override.empty() ? KeyOf(e.target, false, &target_key_)
                                                    : e.identity_target_override;
  *out = e;
  return RecognizeResult::Recognized();
}

}  // namespace vd::events
