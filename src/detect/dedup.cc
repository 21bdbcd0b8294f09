#include "detect/dedup.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace vd::detect {
namespace {

using events::IdentityEvent;
using events::Kind;
using events::Outcome;
using events::StrId;

uint64_t PairKey(StrId a, StrId b) { return (static_cast<uint64_t>(a) << 32) | b; }

// Folds one list (all in EventLess order) into groups keyed by `group_of`; appends each
// group's earliest event to `out` and returns how many events were merged away. The list is
// regrouped by key with a sort (stable through the position), so each key's events are
// walked in time order with no per-key hash state. Because every group's anchor is its
// earliest event and events arrive in time order, only the key's newest group can still be
// within `window` of an arriving event; older groups are reachable through correlation ids.
template <typename GroupOf>
int64_t FoldGroups(const std::vector<const IdentityEvent*>& list, DurationMs window,
                   GroupOf group_of, std::vector<IdentityEvent>* out) {
  std::vector<std::pair<uint64_t, uint32_t>> by_key(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    by_key[i] = {group_of(*list[i]), static_cast<uint32_t>(i)};
  }
  std::sort(by_key.begin(), by_key.end());
  std::vector<uint32_t> anchors;                     // positions in `list`
  std::unordered_map<StrId, size_t> group_by_corr;   // within one key: corr id -> anchor slot
  int64_t merged = 0;
  for (size_t run = 0; run < by_key.size();) {
    const uint64_t key = by_key[run].first;
    const size_t first_anchor = anchors.size();
    group_by_corr.clear();
    for (; run < by_key.size() && by_key[run].first == key; ++run) {
      const uint32_t pos = by_key[run].second;
      const IdentityEvent& e = *list[pos];
      const bool has_corr = e.correlation_id != events::kEmptyStr;
      size_t group = SIZE_MAX;
      if (has_corr) {
        auto c = group_by_corr.find(e.correlation_id);
        if (c != group_by_corr.end()) group = c->second;
      }
      if (group == SIZE_MAX && anchors.size() > first_anchor &&
          e.time - list[anchors.back()]->time <= window) {
        group = anchors.size() - 1;
      }
      if (group == SIZE_MAX) {
        group = anchors.size();
        anchors.push_back(pos);
      } else {
        ++merged;
      }
      if (has_corr) group_by_corr.emplace(e.correlation_id, group);
    }
  }
  std::sort(anchors.begin(), anchors.end());  // back to EventLess order
  out->reserve(out->size() + anchors.size());
  for (uint32_t pos : anchors) out->push_back(*list[pos]);
  return merged;
}

}  // namespace

DedupedEvents Dedup(const std::vector<IdentityEvent>& sorted, const StrOrder& order,
                    DurationMs dedup_window, DetectStats* stats) {
  std::vector<const IdentityEvent*> ok_resets, bad_resets, ok_mfa;
  DedupedEvents out;
  // Event ids already seen, one bit per kind, indexed by id: no hashing on 1 M events.
  std::vector<uint8_t> seen_ids(order.IdLimit(), 0);
  for (const IdentityEvent& e : sorted) {
    ++stats->events_in;
    switch (e.kind) {
      case Kind::kReset: ++stats->resets_in; break;
      case Kind::kMfa: ++stats->mfa_in; break;
      case Kind::kSignin: ++stats->signins_in; break;
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
          (e.outcome == Outcome::kSuccess ? ok_resets : bad_resets).push_back(&e);
        }
        break;
      case Kind::kMfa:
        if (e.target_key == events::kEmptyStr) {
          ++stats->missing_identity;
        } else if (e.outcome != Outcome::kSuccess) {
          ++stats->mfa_failed;
        } else {
          ok_mfa.push_back(&e);
        }
        break;
      case Kind::kSignin:
        if (e.target_key == events::kEmptyStr) {
          ++stats->missing_identity;
        } else if (e.outcome != Outcome::kSuccess) {
          ++stats->signins_failed;
        } else {
          out.signins.push_back(e);
        }
        break;
    }
  }
  auto by_people = [](const IdentityEvent& e) { return PairKey(e.initiator_key, e.target_key); };
  auto by_target_op = [](const IdentityEvent& e) { return PairKey(e.target_key, e.operation); };
  stats->resets_merged += FoldGroups(ok_resets, dedup_window, by_people, &out.resets);
  stats->resets_merged += FoldGroups(bad_resets, dedup_window, by_people, &out.failed_resets);
  stats->mfa_merged += FoldGroups(ok_mfa, dedup_window, by_target_op, &out.mfa);
  stats->admin_resets = static_cast<int64_t>(out.resets.size());
  stats->allowlisted_resets = std::count_if(out.resets.begin(), out.resets.end(),
                                            [](const IdentityEvent& e) { return e.allowlisted; });
  stats->failed_resets = static_cast<int64_t>(out.failed_resets.size());
  stats->mfa_changes = static_cast<int64_t>(out.mfa.size());
  stats->signins = static_cast<int64_t>(out.signins.size());
  return out;
}

}  // namespace vd::detect
