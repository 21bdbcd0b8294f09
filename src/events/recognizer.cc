#include "events/recognizer.h"

#include <algorithm>

#include "common/time.h"
#include "events/identity.h"
#include "events/text_util.h"

namespace vd::events {
namespace {

// An app initiated when it is named and no different user is: its display name is both the
// spelling and (folded) the key.
bool ByApp(const EventDraft& d) {
  return !d.initiator_app.empty() && (d.initiator.empty() || d.initiator == d.initiator_app);
}

// Positions of the initiator and target spellings among the interned fields.
constexpr size_t kInitiatorText = TextIndex(Field::kInitiator);
constexpr size_t kTargetText = TextIndex(Field::kTarget);

}  // namespace

std::string_view ReasonName(SkipReason reason) {
  switch (reason) {
    case SkipReason::kNone:
      return "none";
    case SkipReason::kMissingTime:
      return "missing time";
    case SkipReason::kBadTime:
      return "unparseable time";
    case SkipReason::kMissingTarget:
      return "missing target";
    case SkipReason::kMissingInitiator:
      return "missing initiator";
    case SkipReason::kInvalidUtf8:
      return "invalid UTF-8";
    case SkipReason::kMalformedRaw:
      return "malformed _raw";
    case SkipReason::kOversized:
      return "oversized field";
    case SkipReason::kBadValue:
      return "invalid vc_* value";
  }
  return "unknown";
}

Recognizer::Recognizer(StringPool* pool, IdentityMode mode) : Recognizer(pool, mode, true) {}

Recognizer::Recognizer(StringPool* pool, IdentityMode mode, bool raw_fallback)
    : pool_(pool), mode_(mode), raw_fallback_enabled_(raw_fallback) {
  initiator_key_.reserve(256);
  target_key_.reserve(256);
}

Recognizer::~Recognizer() = default;

StrId Recognizer::Intern(std::string_view s) { return pool_->Intern(s); }

StrId Recognizer::UserKeyOf(std::string_view spelling, uint64_t hash, StrId key,
                            std::string* scratch) {
  if (key != kEmptyStr) return key;
  // Not known when interned; an earlier row of the same batch may have set it since.
  if (const StrId now = pool_->InternEntry(spelling, hash).key; now != kEmptyStr) return now;
  UserKey(spelling, mode_, scratch);
  const StrId derived = Intern(*scratch);
  pool_->SetKey(spelling, hash, derived);
  return derived;
}

StrId Recognizer::AppKeyOf(StrId name, std::string* scratch) {
  if (name < app_key_of_.size() && app_key_of_[name] != kEmptyStr) return app_key_of_[name];
  AppKey(pool_->Get(name), mode_, scratch);
  const StrId key = Intern(*scratch);
  if (name >= app_key_of_.size()) app_key_of_.resize(std::max<size_t>(pool_->size(), name + 1));
  app_key_of_[name] = key;
  return key;
}

void Recognizer::SetHeader(Header h) {
  time_ = FindColumn(h, "_time");
  raw_ = FindColumn(h, "_raw");
  indextime_ = FindColumn(h, "_indextime");
  arrival_ = FindColumn(h, kVcColumns[Index(Field::kArrival)]);
  identity_initiator_ = FindColumn(h, kVcColumns[Index(Field::kIdentityInitiator)]);
  identity_target_ = FindColumn(h, kVcColumns[Index(Field::kIdentityTarget)]);
  helpdesk_ = FindColumn(h, kVcColumns[Index(Field::kHelpdesk)]);
  allowlisted_ = FindColumn(h, kVcColumns[Index(Field::kAllowlisted)]);
  std::apply([h](auto&... shape) { (shape.SetHeader(h), ...); }, shapes_);
}

RecognizeResult Recognizer::Extract(Cells c, EventDraft* d) {
  RecognizeResult result;
  const bool applied = std::apply(
      [&](auto&... shape) {
        return ((shape.Applies(c) && (result = shape.Recognize(c, d), true)) || ...);
      },
      shapes_);
  if (applied) return result;

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

  std::array<std::string_view, kInternedFields> fields;
#define VD_FIELD_DRAFT(name, member, column) fields[TextIndex(Field::name)] = d.member;
  VD_EVENT_FIELDS(VD_FIELD_IGNORE, VD_FIELD_DRAFT, VD_FIELD_IGNORE)
#undef VD_FIELD_DRAFT
  fields[TextIndex(Field::kIdentityInitiator)] = override_initiator;
  fields[TextIndex(Field::kIdentityTarget)] = override_target;
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

  const bool by_app = ByApp(d);

  // Arrival (report_since): vc_arrival (the map phase's, or the SPL's), else _indextime; a
  // value that does not parse is no arrival (the event then counts by its time).
  TimeMs arrival = kNoArrival;
  std::string_view arrival_text = Trim(CellAt(c, arrival_));
  if (arrival_text.empty()) arrival_text = Trim(CellAt(c, indextime_));
  if (!arrival_text.empty() && !TryParseTime(arrival_text, &arrival)) arrival = kNoArrival;

  v->time = time;
  v->arrival = arrival;
  v->kind = d.kind;
  v->source = d.source;
  v->outcome = d.outcome;
  v->helpdesk = ParseBool(CellAt(c, helpdesk_));
  v->allowlisted = ParseBool(CellAt(c, allowlisted_));
#define VD_FIELD_COPY(name, member, column) v->member = d.member;
  VD_EVENT_FIELDS(VD_FIELD_IGNORE, VD_FIELD_COPY, VD_FIELD_IGNORE)
#undef VD_FIELD_COPY
  if (by_app) v->initiator = d.initiator_app;
  v->identity_initiator_override = override_initiator;
  v->identity_target_override = override_target;
  return RecognizeResult::Recognized();
}

RecognizeResult Recognizer::Finish(Cells c, const EventDraft& d, IdentityEvent* out) {
  EventView v;
  RecognizeResult r = Validate(c, d, &v);
  if (!r.recognized()) return r;
  InternView(v, ByApp(d), nullptr, out);
  return RecognizeResult::Recognized();
}

void Recognizer::InternedFields(const EventView& v,
                                std::array<std::string_view, kInternedFields>* f) {
#define VD_FIELD_VIEW(name, member, column) (*f)[TextIndex(Field::name)] = v.member;
  VD_EVENT_FIELDS(VD_FIELD_IGNORE, VD_FIELD_VIEW, VD_FIELD_VIEW)
#undef VD_FIELD_VIEW
}

void Recognizer::InternView(const EventView& v, bool by_app, const uint64_t* hashes,
                            IdentityEvent* out) {
  SpellingKeys keys;
  InternFields(v, hashes, out, &keys);
  AssignKeys(v, by_app, hashes, keys, out);
}

void Recognizer::InternFields(const EventView& v, const uint64_t* hashes, IdentityEvent* out,
                              SpellingKeys* keys) {
  std::array<std::string_view, kInternedFields> f;
  InternedFields(v, &f);
  std::array<StringPool::Entry, kInternedFields> id;
  for (size_t i = 0; i < kInternedFields; ++i) {
    id[i] = pool_->InternEntry(f[i], hashes ? hashes[i] : StringPool::Hash(f[i]));
  }
  IdentityEvent e;
  e.time = v.time;
  e.arrival = v.arrival;
  e.kind = v.kind;
  e.source = v.source;
  e.outcome = v.outcome;
  e.helpdesk = v.helpdesk;
  e.allowlisted = v.allowlisted;
#define VD_FIELD_ID(name, member, column) e.member = id[TextIndex(Field::name)].id;
  VD_EVENT_FIELDS(VD_FIELD_IGNORE, VD_FIELD_ID, VD_FIELD_ID)
#undef VD_FIELD_ID
  *out = e;
  *keys = {id[kInitiatorText].key, id[kTargetText].key};
}

void Recognizer::AssignKeys(const EventView& v, bool by_app, const uint64_t* hashes,
                            SpellingKeys keys, IdentityEvent* e) {
  if (e->identity_initiator_override != kEmptyStr) {
    e->initiator_key = e->identity_initiator_override;
  } else if (by_app) {
    e->initiator_key = AppKeyOf(e->initiator, &initiator_key_);
  } else if (e->initiator != kEmptyStr) {
    e->initiator_key =
        UserKeyOf(v.initiator, hashes ? hashes[kInitiatorText] : StringPool::Hash(v.initiator),
                  keys.initiator, &initiator_key_);
  } else {
    e->initiator_key = kEmptyStr;
  }
  if (e->identity_target_override != kEmptyStr) {
    e->target_key = e->identity_target_override;
  } else if (e->target != kEmptyStr) {
    e->target_key = UserKeyOf(v.target, hashes ? hashes[kTargetText] : StringPool::Hash(v.target),
                              keys.target, &target_key_);
  } else {
    e->target_key = kEmptyStr;
  }
}

void Recognizer::RecognizeBatch(std::span<const Cells> rows, RecognizeResult* results,
                                IdentityEvent* out) {
  const size_t n = rows.size();
  batch_views_.resize(n);
  batch_by_app_.resize(n);
  batch_keys_.resize(n);
  batch_vc_.resize(n);
  batch_hashes_.resize(n * kInternedFields);
  // Stage 1, no pool access: vc_* rows are validated to views into their own cells (what
  // Extract then Finish would check, in the same order). Other rows wait for stage 2.
  for (size_t i = 0; i < n; ++i) {
    batch_vc_[i] = vc().Applies(rows[i]);
    if (!batch_vc_[i]) continue;
    EventDraft d;
    results[i] = vc().Recognize(rows[i], &d);
    if (results[i].recognized()) results[i] = Validate(rows[i], d, &batch_views_[i]);
    batch_by_app_[i] = ByApp(d);
  }
  // Stage 2, in row order: row i + kAhead's strings are hashed and their slots prefetched,
  // row i + kAhead / 2's out-of-line bytes prefetched, row i interned.
  constexpr size_t kAhead = 8;
  std::array<std::string_view, kInternedFields> f;
  auto fast = [&](size_t i) { return batch_vc_[i] && results[i].recognized(); };
  auto hash_row = [&](size_t i) {
    InternedFields(batch_views_[i], &f);
    uint64_t* h = &batch_hashes_[i * kInternedFields];
    for (size_t k = 0; k < kInternedFields; ++k) {
      h[k] = f[k].empty() ? 0 : StringPool::Hash(f[k]);
      if (!f[k].empty()) pool_->Prefetch(h[k]);
    }
  };
  for (size_t i = 0; i < std::min(n, kAhead); ++i) {
    if (fast(i)) hash_row(i);
  }
  for (size_t i = 0; i < n; ++i) {
    if (i + kAhead < n && fast(i + kAhead)) hash_row(i + kAhead);
    if (const size_t j = i + kAhead / 2; j < n && fast(j)) {
      const uint64_t* h = &batch_hashes_[j * kInternedFields];
      for (size_t k = 0; k < kInternedFields; ++k) {
        if (h[k] != 0) pool_->PrefetchBytes(h[k]);
      }
    }
    if (!batch_vc_[i]) {
      results[i] = Recognize(rows[i], &out[i]);
    } else if (results[i].recognized()) {
      InternFields(batch_views_[i], &batch_hashes_[i * kInternedFields], &out[i], &batch_keys_[i]);
    }
  }
  // Stage 3: the keys, from the pool keys that came with the spellings.
  for (size_t i = 0; i < n; ++i) {
    if (fast(i)) {
      AssignKeys(batch_views_[i], batch_by_app_[i], &batch_hashes_[i * kInternedFields],
                 batch_keys_[i], &out[i]);
    }
  }
}

}  // namespace vd::events
