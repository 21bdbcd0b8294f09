#include "detect/dedup.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "common/huge_pages.h"

namespace vd::detect {
namespace {

using events::IdentityEvent;
using events::Kind;
using events::Outcome;

constexpr uint32_t kNone = UINT32_MAX;

// What folding reads of one event, side by side: the list's events are gathered once (one
// scattered read each) and then grouped and walked in these records, in order. Walking the
// 72-byte events through their positions instead missed the cache at every step of every
// pass, several times per event.
struct Keyed {
  StrId a, b;  // the group's key pair
  StrId correlation_id;
  uint32_t pos;  // the event's position in `sorted`
  TimeMs time;
};

// Scratch tables indexed by StrId, allocated once per Dedup and left clean (all kNone /
// stamp 0) between uses, so grouping and correlation-id look-ups need no hashing and no
// per-key clearing.
struct Scratch {
  Scratch(size_t id_limit, size_t events)
      : dense(HugeVector<uint32_t>(id_limit, kNone)),
        corr(HugeVector<CorrSlot>(id_limit)),
        kept(HugeVector<uint8_t>(events)) {}
  std::vector<uint32_t> dense;  // key id -> dense key number while one pass runs
  struct CorrSlot {
    uint32_t stamp = 0;  // the key run that wrote `group`; any other value = absent
    uint32_t group = 0;
  };
  std::vector<CorrSlot> corr;  // correlation id -> group within the current key run
  uint32_t run = 0;            // current key run's stamp (never 0 while in use)
  std::vector<uint8_t> kept;   // by event position: a group's anchor
  // FoldGroups' and GroupStable's working arrays, reused from one list to the next.
  std::vector<Keyed> records, records_tmp;
  std::vector<uint32_t> bucket, start;
};

// Stable counting sort of `records` by the key `key` gives: equal keys become contiguous,
// each key's records keep their order. Buckets come in order of first appearance: callers
// need grouping only, never an order between keys.
template <StrId Keyed::*key>
void GroupStable(Scratch* s, std::vector<Keyed>* records, std::vector<Keyed>* tmp) {
  const size_t n = records->size();
  s->bucket.resize(n);
  s->start.clear();
  for (size_t i = 0; i < n; ++i) {
    uint32_t& dense = s->dense[(*records)[i].*key];
    if (dense == kNone) {
      dense = static_cast<uint32_t>(s->start.size());
      s->start.push_back(0);
    }
    s->bucket[i] = dense;
    ++s->start[dense];
  }
  uint32_t sum = 0;
  for (uint32_t& c : s->start) {
    const uint32_t k = c;
    c = sum;
    sum += k;
  }
  for (const Keyed& r : *records) s->dense[r.*key] = kNone;
  tmp->resize(n);
  for (size_t i = 0; i < n; ++i) (*tmp)[s->start[s->bucket[i]]++] = (*records)[i];
  records->swap(*tmp);
}

// Folds one list (positions into `sorted`, in EventLess order) into groups keyed
// by the pair (key_a, key_b); appends each group's earliest event to `out` and returns how
// many events were merged away. The list is regrouped by key with two stable counting
// sorts, so each key's events are walked in time order. Because every group's anchor is its
// earliest event and events arrive in time order, only the key's newest group can still be
// within `window` of an arriving event; older groups are reachable through correlation ids.
template <typename KeyA, typename KeyB>
int64_t FoldGroups(std::span<const IdentityEvent> sorted, const std::vector<uint32_t>& list,
                   DurationMs window, KeyA key_a, KeyB key_b, Scratch* s,
                   std::vector<uint32_t>* out) {
  std::vector<Keyed>& grouped = s->records;
  grouped.resize(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const IdentityEvent& e = sorted[list[i]];
    grouped[i] = {key_a(e), key_b(e), e.correlation_id, list[i], e.time};
  }
  GroupStable<&Keyed::b>(s, &grouped, &s->records_tmp);
  GroupStable<&Keyed::a>(s, &grouped, &s->records_tmp);
  std::vector<Keyed> anchors;  // in key-run order
  int64_t merged = 0;
  for (size_t run = 0; run < grouped.size();) {
    const StrId a = grouped[run].a, b = grouped[run].b;
    const size_t first_anchor = anchors.size();
    ++s->run;
    for (; run < grouped.size(); ++run) {
      const Keyed& e = grouped[run];
      if (e.a != a || e.b != b) break;
      const bool has_corr = e.correlation_id != kEmptyStr;
      size_t group = SIZE_MAX;
      if (has_corr && s->corr[e.correlation_id].stamp == s->run) {
        group = s->corr[e.correlation_id].group;
      }
      if (group == SIZE_MAX && anchors.size() > first_anchor &&
          e.time - anchors.back().time <= window) {
        group = anchors.size() - 1;
      }
      if (group == SIZE_MAX) {
        group = anchors.size();
        anchors.push_back(e);
      } else {
        ++merged;
      }
      if (has_corr && s->corr[e.correlation_id].stamp != s->run) {
        s->corr[e.correlation_id] = {s->run, static_cast<uint32_t>(group)};
      }
    }
  }
  // Back to EventLess order: walk `list` and keep the marked positions.
  for (const Keyed& anchor : anchors) s->kept[anchor.pos] = 1;
  out->reserve(out->size() + anchors.size());
  for (uint32_t pos : list) {
    if (s->kept[pos]) {
      out->push_back(pos);
      s->kept[pos] = 0;
    }
  }
  return merged;
}

// The recovery kinds, each folded on its own (kinds never merge).
constexpr Kind kRecoveryKinds[] = {Kind::kReset, Kind::kMfaReset, Kind::kTap};
constexpr size_t kRecoveryKindCount = std::size(kRecoveryKinds);
size_t RecoverySlot(Kind kind) {
  return kind == Kind::kReset ? 0 : kind == Kind::kMfaReset ? 1 : 2;
}

// Keeps, of `all` (positions in EventLess order), those in any of `kept` (each a subset of
// `all`), appending them to `out` in `all`'s order.
void MergeKept(const std::vector<uint32_t>& all, std::span<const std::vector<uint32_t>> kept,
               Scratch* s, std::vector<uint32_t>* out) {
  for (const std::vector<uint32_t>& list : kept) {
    for (uint32_t pos : list) s->kept[pos] = 1;
  }
  for (uint32_t pos : all) {
    if (s->kept[pos]) {
      out->push_back(pos);
      s->kept[pos] = 0;
    }
  }
}

// Folds recoveries per kind by (initiator, target) into `out` (EventLess order); `all` lists
// every position of `by_kind` in that order. One kind alone (the common case) folds straight
// into `out`.
template <typename KeyA, typename KeyB>
int64_t FoldPerKind(std::span<const IdentityEvent> sorted, const std::vector<uint32_t>& all,
                    const std::vector<uint32_t> (&by_kind)[kRecoveryKindCount], DurationMs window,
                    KeyA key_a, KeyB key_b, Scratch* s, std::vector<uint32_t>* out) {
  size_t non_empty = 0;
  for (const auto& list : by_kind) non_empty += list.empty() ? 0 : 1;
  int64_t merged = 0;
  if (non_empty <= 1) {
    for (const auto& list : by_kind) {
      if (!list.empty()) merged += FoldGroups(sorted, list, window, key_a, key_b, s, out);
    }
    return merged;
  }
  std::vector<uint32_t> kept[kRecoveryKindCount];
  for (size_t k = 0; k < kRecoveryKindCount; ++k) {
    merged += FoldGroups(sorted, by_kind[k], window, key_a, key_b, s, &kept[k]);
  }
  MergeKept(all, kept, s, out);
  return merged;
}

}  // namespace

DedupedEvents Dedup(std::span<const IdentityEvent> events, const std::vector<uint32_t>& event_order,
                    const StrOrder& order, DurationMs dedup_window, DetectStats* stats,
                    Recovery recovery) {
  DedupedEvents out;
  out.all = events;
  const std::span<const IdentityEvent> sorted = events;  // walked through event_order
  for (EventList* list :
       {&out.resets, &out.failed_resets, &out.mfa, &out.signins, &out.known_ips}) {
    list->base_ = sorted.data();
  }
  // Positions in `sorted`, each list in EventLess order: recoveries per kind, all successful
  // (or failed) recoveries, MFA changes, and everything that may become the MFA leg.
  std::vector<uint32_t> ok_by_kind[kRecoveryKindCount], bad_by_kind[kRecoveryKindCount];
  std::vector<uint32_t> ok_resets, bad_resets, ok_mfa, mfa_side;
  // Event ids already seen, one bit per kind, indexed by id: no hashing on 1 M events.
  std::vector<uint8_t> seen_ids(order.IdLimit(), 0);
  for (const uint32_t at : event_order) {
    const IdentityEvent& e = sorted[at];
    ++stats->events_in;
    // recovery=password: MFA resets and TAPs are MFA changes, as in the first version.
    Kind kind = e.kind;
    if (recovery == Recovery::kPassword && (kind == Kind::kMfaReset || kind == Kind::kTap)) {
      kind = Kind::kMfa;
    }
    if (kind == Kind::kCreated) {
      ++stats->created_in;
      continue;
    }
    if (IsRecovery(kind)) {
      ++stats->resets_in;
    } else if (kind == Kind::kMfa) {
      ++stats->mfa_in;
    } else if (kind == Kind::kSignin) {
      ++stats->signins_in;
    } else {
      ++stats->known_ips_in;
    }
    if (e.event_id != kEmptyStr) {
      const uint8_t bit = static_cast<uint8_t>(1u << static_cast<unsigned>(e.kind));
      if (seen_ids[e.event_id] & bit) {
        ++stats->duplicate_event_ids;
        continue;
      }
      seen_ids[e.event_id] |= bit;
    }
    // An MFA reset or TAP that is no recovery (by the account itself, or by no one) is an MFA
    // change; a password reset so is self-service or unusable.
    if (kind != Kind::kReset && IsRecovery(kind) && e.target_key != kEmptyStr &&
        (e.initiator_key == kEmptyStr || e.initiator_key == e.target_key)) {
      kind = Kind::kMfa;
    }
    switch (kind) {
      case Kind::kReset:
      case Kind::kMfaReset:
      case Kind::kTap:
        if (e.initiator_key == kEmptyStr || e.target_key == kEmptyStr) {
          ++stats->missing_identity;
        } else if (e.initiator_key == e.target_key) {
          ++stats->self_service;
        } else if (e.outcome == Outcome::kSuccess) {
          ok_by_kind[RecoverySlot(kind)].push_back(at);
          ok_resets.push_back(at);
          if (kind != Kind::kReset) mfa_side.push_back(at);
        } else {
          bad_by_kind[RecoverySlot(kind)].push_back(at);
          bad_resets.push_back(at);
        }
        break;
      case Kind::kMfa:
        if (e.target_key == kEmptyStr) {
          ++stats->missing_identity;
        } else if (e.outcome != Outcome::kSuccess) {
          ++stats->mfa_failed;
        } else {
          ok_mfa.push_back(at);
          mfa_side.push_back(at);
        }
        break;
      case Kind::kSignin:
        if (e.target_key == kEmptyStr) {
          ++stats->missing_identity;
        } else if (e.outcome != Outcome::kSuccess) {
          ++stats->signins_failed;
        } else {
          out.signins.pos_.push_back(at);
        }
        break;
      case Kind::kKnownIp:
        // The baseline of §3.7: only an address tells anything.
        if (e.target_key == kEmptyStr) {
          ++stats->missing_identity;
        } else if (e.signin_ip != kEmptyStr) {
          out.known_ips.pos_.push_back(at);
        }
        break;
      case Kind::kCreated:
        break;
    }
  }
  Scratch scratch(order.IdLimit(), sorted.size());
  auto initiator = [](const IdentityEvent& e) { return e.initiator_key; };
  auto target = [](const IdentityEvent& e) { return e.target_key; };
  auto operation = [](const IdentityEvent& e) { return e.operation; };
  stats->resets_merged += FoldPerKind(sorted, ok_resets, ok_by_kind, dedup_window, initiator,
                                      target, &scratch, &out.resets.pos_);
  stats->resets_merged += FoldPerKind(sorted, bad_resets, bad_by_kind, dedup_window, initiator,
                                      target, &scratch, &out.failed_resets.pos_);
  if (mfa_side.size() == ok_mfa.size()) {  // no MFA reset or TAP among the recoveries
    stats->mfa_merged +=
        FoldGroups(sorted, ok_mfa, dedup_window, target, operation, &scratch, &out.mfa.pos_);
  } else {
    // The MFA leg: the MFA changes after their dedup, and the MFA resets and TAPs kept as
    // recoveries (deduped as such), in EventLess order.
    std::vector<uint32_t> kept[2];
    stats->mfa_merged +=
        FoldGroups(sorted, ok_mfa, dedup_window, target, operation, &scratch, &kept[0]);
    for (uint32_t pos : out.resets.pos_) {
      if (sorted[pos].kind != Kind::kReset) kept[1].push_back(pos);
    }
    MergeKept(mfa_side, kept, &scratch, &out.mfa.pos_);
  }
  stats->admin_resets = static_cast<int64_t>(out.resets.size());
  int64_t allowlisted = 0;
  for (const IdentityEvent& e : out.resets) allowlisted += e.allowlisted ? 1 : 0;
  stats->allowlisted_resets = allowlisted;
  stats->failed_resets = static_cast<int64_t>(out.failed_resets.size());
  stats->mfa_changes = static_cast<int64_t>(out.mfa.size());
  stats->signins = static_cast<int64_t>(out.signins.size());
  stats->known_ips = static_cast<int64_t>(out.known_ips.size());
  return out;
}

}  // namespace vd::detect
