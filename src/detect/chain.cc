#include "detect/chain.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "common/huge_pages.h"
#include "detect/finding_id.h"
#include "detect/max_add_tree.h"

namespace vd::detect {
namespace {

using events::IdentityEvent;

// The first flat sign-in at or after a position whose IP is new (first_seen >= x).
struct NewIpTree {
  explicit NewIpTree(const std::vector<int32_t>& first_seen)
      : tree(std::span<const int32_t>(first_seen), &storage) {}
  MaxAddTree<int32_t>::Storage storage;
  MaxAddTree<int32_t> tree;
};

constexpr uint32_t kNoSlot = UINT32_MAX;

// Offsets of a compressed list per slot: slot s owns [begin[s], begin[s + 1]).
std::vector<uint32_t> Offsets(const std::vector<uint32_t>& count_per_slot) {
  std::vector<uint32_t> begin(count_per_slot.size() + 1, 0);
  for (size_t s = 0; s < count_per_slot.size(); ++s) begin[s + 1] = begin[s] + count_per_slot[s];
  return begin;
}

// Items 0..n-1 grouped by slot: slot s holds items[begin[s], begin[s + 1]).
struct SlotGroups {
  std::vector<uint32_t> begin;
  std::vector<uint32_t> items;
};

// Stable counting sort of items 0..n-1 by slot_of(i) (< slots, or kNoSlot: left out), so each
// slot keeps its items in index order. slot_of is asked once per item.
template <class SlotOf>
SlotGroups GroupBySlot(size_t n, uint32_t slots, SlotOf slot_of) {
  std::vector<uint32_t> count(slots, 0);
  std::vector<uint32_t> slot(n);
  for (size_t i = 0; i < n; ++i) {
    slot[i] = slot_of(i);
    if (slot[i] != kNoSlot) ++count[slot[i]];
  }
  SlotGroups g;
  g.begin = Offsets(count);
  g.items.resize(g.begin.back());
  std::vector<uint32_t>& at = count;  // reused: where the next item of each slot goes
  std::copy(g.begin.begin(), g.begin.end() - 1, at.begin());
  for (size_t i = 0; i < n; ++i) {
    if (slot[i] != kNoSlot) g.items[at[slot[i]]++] = static_cast<uint32_t>(i);
  }
  return g;
}

// The MFA changes and sign-ins of the targets of resets (allow-listed ones too: allow-listing
// never stops a chain, DESIGN.md §3.6), per target slot,
// as flat arrays (one allocation each, however many targets): slot_of is indexed by target
// key id, so nothing is hashed per event.
struct Histories {
  std::vector<uint32_t> slot_of;  // by target key id; kNoSlot when no reset targets it
  // By slot: some MFA change of the slot is itself a recovery (an MFA reset or TAP), which
  // a recovery of its kind by its initiator does not pair with (DESIGN.md §3.6).
  std::vector<uint8_t> has_recovery_mfa;
  // MFA changes of slot s: [mfa_begin[s], mfa_begin[s + 1]), in EventLess (so time) order.
  std::vector<uint32_t> mfa_begin;
  std::vector<uint32_t> mfa;  // indices into d.mfa
  std::vector<TimeMs> mfa_times;
  // The same changes regrouped per operation (operations in text order), each in time
  // order: runs [run_begin[s], run_begin[s + 1]) of slot s, run r covering
  // op_times[run_start[r], run_start[r + 1]).
  std::vector<uint32_t> run_begin;
  std::vector<StrId> run_op;
  std::vector<uint32_t> run_start;  // one more than runs
  std::vector<TimeMs> op_times;
  // Sign-ins of slot s: [signin_begin[s], signin_begin[s + 1]), in time order.
  std::vector<uint32_t> signin_begin;
  std::vector<uint32_t> signins;  // indices into d.signins
  std::vector<TimeMs> signin_times;
  // For flat sign-in k: flat index of the slot's first sign-in with the same IP (an IP first
  // seen at flat index >= p is not among the slot's sign-ins before p); -1 for an empty IP,
  // which is never "new".
  std::vector<int32_t> first_seen;
  // Known addresses of slot s (vc_kind=known_ip, §3.7): [known_begin[s], known_begin[s + 1]),
  // sorted by (address id, first seen); known_first[s] = the earliest first seen of the slot.
  std::vector<uint32_t> known_begin;
  std::vector<std::pair<StrId, TimeMs>> known;
  std::vector<TimeMs> known_first;

  // An address of slot s first seen before r.
  bool KnownBefore(uint32_t s, StrId ip, TimeMs r) const {
    auto begin = known.begin() + known_begin[s], end = known.begin() + known_begin[s + 1];
    auto it = std::lower_bound(begin, end, std::make_pair(ip, INT64_MIN));
    return it != end && it->first == ip && it->second < r;
  }

  // First k in [lo, hi) with first_seen[k] >= x, else hi. Windows are short in practice: a
  // few entries are scanned, and only a long window builds the O(log n) tree (once).
  size_t FirstNewIp(size_t lo, size_t hi, int32_t x) const {
    constexpr size_t kScan = 32;
    const size_t scan_end = std::min(hi, lo + kScan);
    for (size_t k = lo; k < scan_end; ++k) {
      if (first_seen[k] >= x) return k;
    }
    if (scan_end == hi) return hi;
    if (!new_ip) new_ip = std::make_unique<NewIpTree>(first_seen);
    return new_ip->tree.FirstAtLeast(scan_end, hi, x);
  }

 private:
  mutable std::unique_ptr<NewIpTree> new_ip;
};

Histories BuildHistories(const DedupedEvents& d, const StrOrder& order) {
  Histories hs;
  hs.slot_of.assign(order.IdLimit(), kNoSlot);
  uint32_t slots = 0;
  for (const IdentityEvent& e : d.resets) {
    if (hs.slot_of[e.target_key] == kNoSlot) hs.slot_of[e.target_key] = slots++;
  }
  // MFA changes per slot (a stable counting sort keeps time order).
  SlotGroups mfa =
      GroupBySlot(d.mfa.size(), slots, [&](size_t i) { return hs.slot_of[d.mfa[i].target_key]; });
  hs.mfa_begin = std::move(mfa.begin);
  hs.mfa = std::move(mfa.items);
  hs.mfa_times.resize(hs.mfa.size());
  for (size_t k = 0; k < hs.mfa.size(); ++k) hs.mfa_times[k] = d.mfa[hs.mfa[k]].time;
  hs.has_recovery_mfa.assign(slots, 0);
  for (size_t k = 0; k < hs.mfa.size(); ++k) {
    if (events::IsRecovery(d.mfa[hs.mfa[k]].kind)) {
      hs.has_recovery_mfa[hs.slot_of[d.mfa[hs.mfa[k]].target_key]] = 1;
    }
  }
  // Operation ranks by text: the distinct operations are few; sort them once.
  std::vector<StrId> ops;
  for (uint32_t i : hs.mfa) ops.push_back(d.mfa[i].operation);
  std::sort(ops.begin(), ops.end());
  ops.erase(std::unique(ops.begin(), ops.end()), ops.end());
  std::vector<uint32_t> rank_by_id(ops.size());  // parallel to `ops` (ascending ids)
  {
    std::vector<uint32_t> by_text(ops.size());
    for (uint32_t r = 0; r < by_text.size(); ++r) by_text[r] = r;
    std::sort(by_text.begin(), by_text.end(),
              [&](uint32_t a, uint32_t b) { return order.Less(ops[a], ops[b]); });
    for (uint32_t r = 0; r < by_text.size(); ++r) rank_by_id[by_text[r]] = r;
  }
  auto op_rank = [&](StrId op) {
    return rank_by_id[static_cast<size_t>(std::lower_bound(ops.begin(), ops.end(), op) -
                                          ops.begin())];
  };
  // Per slot, (operation rank, time) order: stable counting sort by rank, then by slot.
  {
    std::vector<uint32_t> by_rank_count(ops.size(), 0);
    std::vector<uint32_t> rank_of_k(hs.mfa.size());
    for (uint32_t k = 0; k < hs.mfa.size(); ++k) {
      rank_of_k[k] = op_rank(d.mfa[hs.mfa[k]].operation);
      ++by_rank_count[rank_of_k[k]];
    }
    std::vector<uint32_t> rank_at = Offsets(by_rank_count);
    std::vector<uint32_t> by_rank(hs.mfa.size());  // flat MFA positions k
    for (uint32_t k = 0; k < hs.mfa.size(); ++k) {
      by_rank[rank_at[rank_of_k[k]]++] = k;
    }
    std::vector<uint32_t> slot_of_k(hs.mfa.size());
    for (uint32_t s = 0; s < slots; ++s) {
      for (uint32_t k = hs.mfa_begin[s]; k < hs.mfa_begin[s + 1]; ++k) slot_of_k[k] = s;
    }
    std::vector<uint32_t> at(hs.mfa_begin.begin(), hs.mfa_begin.end() - 1);
    std::vector<uint32_t> grouped(hs.mfa.size());
    for (uint32_t k : by_rank) grouped[at[slot_of_k[k]]++] = k;
    hs.op_times.resize(grouped.size());
    hs.run_begin.assign(static_cast<size_t>(slots) + 1, 0);
    for (uint32_t s = 0; s < slots; ++s) {
      hs.run_begin[s] = static_cast<uint32_t>(hs.run_op.size());
      for (uint32_t g = hs.mfa_begin[s]; g < hs.mfa_begin[s + 1]; ++g) {
        const uint32_t k = grouped[g];
        const StrId op = d.mfa[hs.mfa[k]].operation;
        if (g == hs.mfa_begin[s] || op != hs.run_op.back()) {
          hs.run_op.push_back(op);
          hs.run_start.push_back(g);
        }
        hs.op_times[g] = hs.mfa_times[k];
      }
    }
    hs.run_begin[slots] = static_cast<uint32_t>(hs.run_op.size());
    hs.run_start.push_back(static_cast<uint32_t>(grouped.size()));
  }
  // Sign-ins per slot.
  SlotGroups signins = GroupBySlot(d.signins.size(), slots,
                                   [&](size_t i) { return hs.slot_of[d.signins[i].target_key]; });
  hs.signin_begin = std::move(signins.begin);
  hs.signins = std::move(signins.items);
  hs.signin_times.resize(hs.signins.size());
  for (size_t k = 0; k < hs.signins.size(); ++k) {
    hs.signin_times[k] = d.signins[hs.signins[k]].time;
  }
  // Known addresses per slot, sorted by (address, first seen).
  hs.known_begin.assign(static_cast<size_t>(slots) + 1, 0);
  hs.known_first.assign(slots, INT64_MAX);
  {
    std::vector<uint32_t> known_count(slots, 0);
    for (const IdentityEvent& e : d.known_ips) {
      if (const uint32_t s = hs.slot_of[e.target_key]; s != kNoSlot) ++known_count[s];
    }
    hs.known_begin = Offsets(known_count);
    hs.known.resize(hs.known_begin.back());
    std::vector<uint32_t> at(hs.known_begin.begin(), hs.known_begin.end() - 1);
    for (const IdentityEvent& e : d.known_ips) {
      const uint32_t s = hs.slot_of[e.target_key];
      if (s == kNoSlot) continue;
      hs.known[at[s]++] = {e.signin_ip, e.time};
      hs.known_first[s] = std::min(hs.known_first[s], e.time);
    }
    for (uint32_t s = 0; s < slots; ++s) {
      std::sort(hs.known.begin() + hs.known_begin[s], hs.known.begin() + hs.known_begin[s + 1]);
    }
  }
  // First flat index of each IP within its slot: a slot's few sign-ins are compared pairwise,
  // a long history is sorted by (IP, index). No table indexed by IP id.
  hs.first_seen.resize(hs.signins.size());
  std::vector<std::pair<StrId, uint32_t>> by_ip;
  for (uint32_t s = 0; s < slots; ++s) {
    const uint32_t begin = hs.signin_begin[s], end = hs.signin_begin[s + 1];
    auto ip_of = [&](uint32_t k) { return d.signins[hs.signins[k]].signin_ip; };
    if (end - begin <= 16) {
      for (uint32_t k = begin; k < end; ++k) {
        const StrId ip = ip_of(k);
        uint32_t first = k;
        for (uint32_t j = begin; j < k; ++j) {
          if (ip_of(j) == ip) {
            first = j;
            break;
          }
        }
        hs.first_seen[k] = ip == kEmptyStr ? -1 : static_cast<int32_t>(first);
      }
      continue;
    }
    by_ip.clear();
    for (uint32_t k = begin; k < end; ++k) by_ip.emplace_back(ip_of(k), k);
    std::sort(by_ip.begin(), by_ip.end());
    for (size_t a = 0; a < by_ip.size();) {
      size_t b = a;
      for (; b < by_ip.size() && by_ip[b].first == by_ip[a].first; ++b) {
        hs.first_seen[by_ip[b].second] =
            by_ip[a].first == kEmptyStr ? -1 : static_cast<int32_t>(by_ip[a].second);
      }
      a = b;
    }
  }
  return hs;
}

// Positions in flat[begin, end) (ascending times), as flat indices.
size_t LowerBound(const std::vector<TimeMs>& v, size_t begin, size_t end, TimeMs t) {
  return static_cast<size_t>(std::lower_bound(v.begin() + static_cast<ptrdiff_t>(begin),
                                              v.begin() + static_cast<ptrdiff_t>(end), t) -
                             v.begin());
}
size_t UpperBound(const std::vector<TimeMs>& v, size_t begin, size_t end, TimeMs t) {
  return static_cast<size_t>(std::upper_bound(v.begin() + static_cast<ptrdiff_t>(begin),
                                              v.begin() + static_cast<ptrdiff_t>(end), t) -
                             v.begin());
}

// The sign-in leg of one row: reset at r, MFA change at m, target slot s.
void SigninLeg(const Histories& h, uint32_t s, const DedupedEvents& d, const StrOrder& order,
               TimeMs r, TimeMs m, DurationMs signin_window, ChainFinding* f) {
  const size_t begin = h.signin_begin[s], end = h.signin_begin[s + 1];
  const size_t baseline = LowerBound(h.signin_times, begin, end, r);  // before r: [begin, baseline)
  const size_t lo = LowerBound(h.signin_times, begin, end, m);
  const size_t hi = UpperBound(h.signin_times, begin, end, m + signin_window);
  // The baseline: the target's sign-ins before r, and its known addresses first seen before r.
  if (baseline > begin || h.known_first[s] < r) {
    f->signin_baseline = SigninBaseline::kKnown;
    size_t k = lo < hi ? h.FirstNewIp(lo, hi, static_cast<int32_t>(baseline)) : hi;
    while (k < hi && h.KnownBefore(s, d.signins[h.signins[k]].signin_ip, r)) {
      k = h.FirstNewIp(k + 1, hi, static_cast<int32_t>(baseline));
    }
    if (k < hi) {
      const IdentityEvent& signin = d.signins[h.signins[k]];
      f->signin_after_mfa = true;
      f->signin_ip = order.Text(signin.signin_ip);
      f->newest_arrival = std::max(f->newest_arrival, Arrival(signin));
    }
  } else {
    f->signin_baseline = SigninBaseline::kNone;
    if (lo < hi) f->signin_ip = order.Text(d.signins[h.signins[lo]].signin_ip);
  }
}

}  // namespace

std::vector<ChainFinding> FindChains(const DedupedEvents& d, const PrintedNames& names,
                                     const StrOrder& order, const Options& options,
                                     std::vector<TimeMs>* starts_chain) {
  std::vector<ChainFinding> out;
  starts_chain->assign(d.resets.size(), kNoChain);
  const DurationMs mfa_window = std::max<DurationMs>(options.mfa_window, 0);
  const DurationMs signin_window = std::max<DurationMs>(options.signin_window, 0);
  Histories histories = BuildHistories(d, order);

  // Each reset's MFA changes within the window, [lo, hi) of its target's flat list, found by
  // one sweep per target: the resets are grouped by target slot (a stable counting sort keeps
  // each slot's in time order), so two cursors walk that target's changes once, where a
  // binary search from every reset missed the cache each time.
  const size_t slots = histories.mfa_begin.size() - 1;
  struct Match {
    uint32_t reset;  // index in d.resets
    uint32_t lo, hi;
  };
  std::vector<Match> matches;
  {
    struct Timed {
      TimeMs time;
      uint32_t reset;
    };
    const SlotGroups by_target =
        GroupBySlot(d.resets.size(), static_cast<uint32_t>(slots), [&](size_t i) {
          const IdentityEvent& reset = d.resets[i];
          return histories.slot_of[reset.target_key];
        });
    const std::vector<uint32_t>& begin = by_target.begin;
    std::vector<Timed> grouped(by_target.items.size());
    for (size_t k = 0; k < grouped.size(); ++k) {
      grouped[k] = {d.resets[by_target.items[k]].time, by_target.items[k]};
    }
    for (size_t k = 0, g = 0; k < slots; ++k) {
      const uint32_t end = histories.mfa_begin[k + 1];
      uint32_t lo = histories.mfa_begin[k], hi = lo;
      for (; g < begin[k + 1]; ++g) {
        const TimeMs r = grouped[g].time;
        while (lo < end && histories.mfa_times[lo] < r) ++lo;
        hi = std::max(hi, lo);
        while (hi < end && histories.mfa_times[hi] <= r + mfa_window) ++hi;
        if (lo < hi) matches.push_back({grouped[g].reset, lo, hi});
      }
    }
  }
  // Rows are large (a dozen strings): count them first so the vector never regrows.
  size_t rows = 0;
  for (const Match& m : matches) rows += options.pairs == Pairs::kAll ? m.hi - m.lo : 1;
  out.reserve(rows);
  AdviseHugePages(out.data(), out.capacity() * sizeof(ChainFinding));

  std::vector<uint32_t> paired;  // a filtered window's flat positions
  for (const Match& match : matches) {
    const size_t i = match.reset;
    const IdentityEvent& reset = d.resets[i];
    const uint32_t s = histories.slot_of[reset.target_key];
    const TimeMs r = reset.time;
    const size_t lo = match.lo, hi = match.hi;
    // A recovery of the reset's own kind by its own initiator is the same action (a help desk
    // deleting methods in two steps), not its second leg. Only a slot holding MFA resets or
    // TAPs can have one; the others take the window whole.
    const bool filtered = histories.has_recovery_mfa[s] != 0;
    if (filtered) {
      paired.clear();
      for (size_t k = lo; k < hi; ++k) {
        const IdentityEvent& m = d.mfa[histories.mfa[k]];
        if (m.kind != reset.kind || m.initiator_key != reset.initiator_key) {
          paired.push_back(static_cast<uint32_t>(k));
        }
      }
      if (paired.empty()) continue;
    }
    const size_t first = filtered ? paired.front() : lo;
    (*starts_chain)[i] = std::max(Arrival(reset), Arrival(d.mfa[histories.mfa[first]]));

    ChainFinding base;
    base.reset_time = r;
    base.target_user = names.Of(reset.target_key);
    base.target_key = order.Text(reset.target_key);
    base.initiator_upn = names.Of(reset.initiator_key);
    base.initiator_ip = order.Text(reset.initiator_ip);
    base.initiator_app = order.Text(reset.initiator_app);
    base.reset_operation = order.Text(reset.operation);
    base.reset_source = reset.source;
    base.recovery_kind = reset.kind;
    base.reset_rank = static_cast<uint32_t>(i);
    base.mfa_change_count = static_cast<int64_t>(filtered ? paired.size() : hi - lo);
    if (filtered) {
      for (uint32_t k : paired) {
        base.mfa_operations.emplace_back(order.Text(d.mfa[histories.mfa[k]].operation));
      }
      std::sort(base.mfa_operations.begin(), base.mfa_operations.end());  // by text
      base.mfa_operations.erase(std::unique(base.mfa_operations.begin(), base.mfa_operations.end()),
                                base.mfa_operations.end());
    }
    // Runs are in operation-text order.
    for (uint32_t run = histories.run_begin[s]; !filtered && run < histories.run_begin[s + 1];
         ++run) {
      const size_t at =
          LowerBound(histories.op_times, histories.run_start[run], histories.run_start[run + 1], r);
      if (at < histories.run_start[run + 1] && histories.op_times[at] <= r + mfa_window) {
        base.mfa_operations.emplace_back(order.Text(histories.run_op[run]));
      }
    }
    const size_t count = filtered ? paired.size() : hi - lo;
    const size_t last = options.pairs == Pairs::kAll ? count : 1;
    for (size_t n = 0; n < last; ++n) {
      const size_t k = filtered ? paired[n] : lo + n;
      const IdentityEvent& mfa = d.mfa[histories.mfa[k]];
      // The last row of this reset takes base's operations list instead of copying it.
      ChainFinding f = n + 1 == last ? std::move(base) : base;
      f.mfa_time = mfa.time;
      f.mfa_rank = histories.mfa[k];
      const DurationMs gap = mfa.time - r;
      f.minutes_between = gap / 60'000;
      f.high_confidence = gap < options.high_confidence;
      f.mfa_operation = order.Text(mfa.operation);
      f.mfa_detail = order.Text(mfa.detail);
      f.mfa_source = mfa.source;
      f.finding_id = ChainFindingId(f.target_key, reset, mfa, order);
      f.newest_arrival = std::max(Arrival(reset), Arrival(mfa));
      SigninLeg(histories, s, d, order, r, mfa.time, signin_window, &f);
      f.severity = f.signin_after_mfa  ? Severity::kCritical
                   : f.high_confidence ? Severity::kHigh
                                       : Severity::kMedium;
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace vd::detect
