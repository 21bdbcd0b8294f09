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
using events::StrId;

constexpr uint32_t kNone = UINT32_MAX;

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
};

// Stable counting sort of `items` (positions into `sorted`) by the key `key_of` gives:
// equal keys become contiguous, each key's events keep their order. Buckets come in order
// of first appearance: callers need grouping only, never an order between keys.
template <typename KeyOf>
void GroupStable(std::span<const IdentityEvent> sorted, KeyOf key_of, Scratch* s,
                 std::vector<uint32_t>* items, std::vector<uint32_t>* tmp) {
  const size_t n = items->size();
  tmp->resize(n);
  std::vector<uint32_t> start;
  std::vector<uint32_t>& bucket = *tmp;  // first: each item's dense key
  for (size_t i = 0; i < n; ++i) {
    const StrId k = key_of(sorted[(*items)[i]]);
    if (s->dense[k] == kNone) {
      s->dense[k] = static_cast<uint32_t>(start.size());
      start.push_back(0);
    }
    bucket[i] = s->dense[k];
    ++start[bucket[i]];
  }
  uint32_t sum = 0;
  for (uint32_t& c : start) {
    const uint32_t k = c;
    c = sum;
    sum += k;
  }
  for (size_t i = 0; i < n; ++i) s->dense[key_of(sorted[(*items)[i]])] = kNone;
  std::vector<uint32_t> out(n);
  for (size_t i = 0; i < n; ++i) out[start[bucket[i]]++] = (*items)[i];
  items->swap(out);
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
  std::vector<uint32_t> grouped = list, tmp;
  GroupStable(sorted, key_b, s, &grouped, &tmp);
  GroupStable(sorted, key_a, s, &grouped, &tmp);
  std::vector<uint32_t> anchors;  // positions in `sorted`, in key-run order
  int64_t merged = 0;
  for (size_t run = 0; run < grouped.size();) {
    const IdentityEvent& head = sorted[grouped[run]];
    const StrId a = key_a(head), b = key_b(head);
    const size_t first_anchor = anchors.size();
    ++s->run;
    for (; run < grouped.size(); ++run) {
      const uint32_t pos = grouped[run];
      const IdentityEvent& e = sorted[pos];
      if (key_a(e) != a || key_b(e) != b) break;
      const bool has_corr = e.correlation_id != events::kEmptyStr;
      size_t group = SIZE_MAX;
      if (has_corr && s->corr[e.correlation_id].stamp == s->run) {
        group = s->corr[e.correlation_id].group;
      }
      if (group == SIZE_MAX && anchors.size() > first_anchor &&
          e.time - sorted[anchors.back()].time <= window) {
        group = anchors.size() - 1;
      }
      if (group == SIZE_MAX) {
        group = anchors.size();
        anchors.push_back(pos);
      } else {
        ++merged;
      }
      if (has_corr && s->corr[e.correlation_id].stamp != s->run) {
        s->corr[e.correlation_id] = {s->run, static_cast<uint32_t>(group)};
      }
    }
  }
  // Back to EventLess order: walk `list` and keep the marked positions.
  for (uint32_t pos : anchors) s->kept[pos] = 1;
  out->reserve(out->size() + anchors.size());
  for (uint32_t pos : list) {
    if (s->kept[pos]) {
      out->push_back(pos);
      s->kept[pos] = 0;
    }
  }
  return merged;
}

}  // namespace

DedupedEvents Dedup(std::vector<IdentityEvent> sorted, const StrOrder& order,
                    DurationMs dedup_window, DetectStats* stats) {
  std::vector<uint32_t> identity(sorted.size());
  for (size_t i = 0; i < identity.size(); ++i) identity[i] = static_cast<uint32_t>(i);
  DedupedEvents out = Dedup(sorted, identity, order, dedup_window, stats);
  out.owned = std::move(sorted);  // the lists' positions stay valid: the buffer moves whole
  return out;
}

DedupedEvents Dedup(std::span<const IdentityEvent> events, const std::vector<uint32_t>& event_order,
                    const StrOrder& order, DurationMs dedup_window, DetectStats* stats) {
  DedupedEvents out;
  out.all = events;
  const std::span<const IdentityEvent> sorted = events;  // walked through event_order
  for (EventList* list : {&out.resets, &out.failed_resets, &out.mfa, &out.signins}) {
    list->base_ = sorted.data();
  }
  std::vector<uint32_t> ok_resets, bad_resets, ok_mfa;  // positions in `sorted`
  // Event ids already seen, one bit per kind, indexed by id: no hashing on 1 M events.
  std::vector<uint8_t> seen_ids(order.IdLimit(), 0);
  for (const uint32_t at : event_order) {
    const IdentityEvent& e = sorted[at];
    ++stats->events_in;
    switch (e.kind) {
      case Kind::kReset:
        ++stats->resets_in;
        break;
      case Kind::kMfa:
        ++stats->mfa_in;
        break;
      case Kind::kSignin:
        ++stats->signins_in;
        break;
    }
    if (e.event_id != events::kEmptyStr) {
      const uint8_t bit = static_cast<uint8_t>(1u << static_cast<unsigned>(e.kind));
      if (seen_ids[e.event_id] & bit) {
        ++stats->duplicate_event_ids;
        continue;
      }
      seen_ids[e.event_id] |= bit;
    }
    switch (e.kind) {
      case Kind::kReset:
        if (e.initiator_key == events::kEmptyStr || e.target_key == events::kEmptyStr) {
          ++stats->missing_identity;
        } else if (e.initiator_key == e.target_key) {
          ++stats->self_service;
        } else {
          (e.outcome == Outcome::kSuccess ? ok_resets : bad_resets).push_back(at);
        }
        break;
      case Kind::kMfa:
        if (e.target_key == events::kEmptyStr) {
          ++stats->missing_identity;
        } else if (e.outcome != Outcome::kSuccess) {
          ++stats->mfa_failed;
        } else {
          ok_mfa.push_back(at);
        }
        break;
      case Kind::kSignin:
        if (e.target_key == events::kEmptyStr) {
          ++stats->missing_identity;
        } else if (e.outcome != Outcome::kSuccess) {
          ++stats->signins_failed;
        } else {
          out.signins.pos_.push_back(at);
        }
        break;
    }
  }
  Scratch scratch(order.IdLimit(), sorted.size());
  auto initiator = [](const IdentityEvent& e) { return e.initiator_key; };
  auto target = [](const IdentityEvent& e) { return e.target_key; };
  auto operation = [](const IdentityEvent& e) { return e.operation; };
  stats->resets_merged +=
      FoldGroups(sorted, ok_resets, dedup_window, initiator, target, &scratch, &out.resets.pos_);
  stats->resets_merged += FoldGroups(sorted, bad_resets, dedup_window, initiator, target, &scratch,
                                     &out.failed_resets.pos_);
  stats->mfa_merged +=
      FoldGroups(sorted, ok_mfa, dedup_window, target, operation, &scratch, &out.mfa.pos_);
  stats->admin_resets = static_cast<int64_t>(out.resets.size());
  int64_t allowlisted = 0;
  for (const IdentityEvent& e : out.resets) allowlisted += e.allowlisted ? 1 : 0;
  stats->allowlisted_resets = allowlisted;
  stats->failed_resets = static_cast<int64_t>(out.failed_resets.size());
  stats->mfa_changes = static_cast<int64_t>(out.mfa.size());
  stats->signins = static_cast<int64_t>(out.signins.size());
  return out;
}

}  // namespace vd::detect
