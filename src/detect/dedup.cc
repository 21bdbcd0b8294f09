#include "detect/dedup.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

namespace vd::detect {
namespace {

using events::IdentityEvent;
using events::Kind;
using events::Outcome;
using events::StrId;

uint64_t PairKey(StrId a, StrId b) { return (static_cast<uint64_t>(a) << 32) | b; }

// Folds one list (all in EventLess order) into groups keyed by `group_of`; appends each
// group's earliest event to `out` and returns how many events were merged away. Because
// every group's anchor is the earliest event of its group and events arrive in time order,
// only the newest group of a key can still be within `window` of an arriving event.
template <typename GroupOf>
int64_t FoldGroups(const std::vector<const IdentityEvent*>& list, DurationMs window,
                   GroupOf group_of, std::vector<IdentityEvent>* out) {
  struct CorrKey {
    uint64_t group_key;
    StrId corr;
    bool operator==(const CorrKey&) const = default;
  };
  struct CorrHash {
    size_t operator()(const CorrKey& k) const {
      return std::hash<uint64_t>()(k.group_key * 0x9E3779B97F4A7C15ull ^ k.corr);
    }
  };
  std::vector<const IdentityEvent*> anchors;
  std::unordered_map<uint64_t, size_t> newest_group;           // key -> index into anchors
  std::unordered_map<CorrKey, size_t, CorrHash> group_by_corr;  // (key, correlation id) -> group
  newest_group.reserve(list.size());
  int64_t merged = 0;
  for (const IdentityEvent* e : list) {
    const uint64_t key = group_of(*e);
    const bool has_corr = e->correlation_id != events::kEmptyStr;
    size_t group = SIZE_MAX;
    if (has_corr) {
      auto c = group_by_corr.find(CorrKey{key, e->correlation_id});
      if (c != group_by_corr.end()) group = c->second;
    }
    auto newest = newest_group.find(key);
    if (group == SIZE_MAX && newest != newest_group.end() &&
        e->time - anchors[newest->second]->time <= window) {
      group = newest->second;
    }
    if (group == SIZE_MAX) {
      group = anchors.size();
      anchors.push_back(e);
      newest_group[key] = group;
    } else {
      ++merged;
    }
    if (has_corr) group_by_corr.emplace(CorrKey{key, e->correlation_id}, group);
  }
  out->reserve(out->size() + anchors.size());
  // Anchors were appended in input order, which is EventLess order.
  for (const IdentityEvent* a : anchors) out->push_back(*a);
  return merged;
}

}  // namespace

DedupedEvents Dedup(const std::vector<IdentityEvent>& sorted, DurationMs dedup_window,
                    DetectStats* stats) {
  std::vector<const IdentityEvent*> ok_resets, bad_resets, ok_mfa;
  DedupedEvents out;
  std::unordered_set<uint64_t> seen_ids;  // (kind, event id)
  for (const IdentityEvent& e : sorted) {
    ++stats->events_in;
    switch (e.kind) {
      case Kind::kReset: ++stats->resets_in; break;
      case Kind::kMfa: ++stats->mfa_in; break;
      case Kind::kSignin: ++stats->signins_in; break;
    }
    if (e.event_id != events::kEmptyStr &&
        !seen_ids.insert(PairKey(static_cast<StrId>(e.kind), e.event_id)).second) {
      ++stats->duplicate_event_ids;
      continue;
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
