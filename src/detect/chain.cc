#include "detect/chain.h"

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>

namespace vd::detect {
namespace {

using events::IdentityEvent;
using events::StrId;

// Static max tree answering "first position in [lo, hi) whose value >= x" in O(log n).
class FirstAtLeast {
 public:
  explicit FirstAtLeast(const std::vector<int64_t>& values) {
    size_ = 1;
    while (size_ < values.size()) size_ <<= 1;
    max_.assign(2 * size_, INT64_MIN);
    std::copy(values.begin(), values.end(), max_.begin() + static_cast<ptrdiff_t>(size_));
    for (size_t v = size_ - 1; v >= 1; --v) max_[v] = std::max(max_[2 * v], max_[2 * v + 1]);
  }
  // Returns hi when there is none.
  size_t Find(size_t lo, size_t hi, int64_t x) const {
    size_t r = Find(1, 0, size_, lo, hi, x);
    return r == SIZE_MAX ? hi : r;
  }

 private:
  size_t Find(size_t v, size_t l, size_t r, size_t lo, size_t hi, int64_t x) const {
    if (r <= lo || hi <= l || max_[v] < x) return SIZE_MAX;
    if (r - l == 1) return l;
    size_t mid = l + (r - l) / 2;
    size_t got = Find(2 * v, l, mid, lo, hi, x);
    return got != SIZE_MAX ? got : Find(2 * v + 1, mid, r, lo, hi, x);
  }
  size_t size_ = 1;
  std::vector<int64_t> max_;
};

// One target's MFA changes and sign-ins, in EventLess (so time) order.
struct TargetHistory {
  std::vector<uint32_t> mfa;                 // indices into d.mfa
  std::vector<TimeMs> mfa_times;
  std::vector<std::pair<StrId, std::vector<TimeMs>>> mfa_by_op;  // sorted by op text
  std::vector<uint32_t> signins;             // indices into d.signins
  std::vector<TimeMs> signin_times;
  // For sign-in k: index of the first sign-in with the same IP (an IP first seen at index
  // >= p is not among the first p sign-ins); -1 for an empty IP, which is never "new".
  std::vector<int64_t> first_seen;
  std::unique_ptr<FirstAtLeast> new_ip;
};

// Histories of the targets of non-allow-listed resets, found through a table indexed by
// target key id (no hashing per event).
struct Histories {
  std::vector<uint32_t> slot;  // by target key id; kNoSlot when no reset targets it
  std::vector<TargetHistory> of;
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  TargetHistory* Find(StrId key) {
    return slot[key] == kNoSlot ? nullptr : &of[slot[key]];
  }
};

Histories BuildHistories(const DedupedEvents& d, const StrOrder& order) {
  Histories hs;
  hs.slot.assign(order.IdLimit(), Histories::kNoSlot);
  for (const IdentityEvent& e : d.resets) {
    if (!e.allowlisted && hs.slot[e.target_key] == Histories::kNoSlot) {
      hs.slot[e.target_key] = static_cast<uint32_t>(hs.of.size());
      hs.of.emplace_back();
    }
  }
  for (size_t i = 0; i < d.mfa.size(); ++i) {
    TargetHistory* h = hs.Find(d.mfa[i].target_key);
    if (h == nullptr) continue;
    h->mfa.push_back(static_cast<uint32_t>(i));
    h->mfa_times.push_back(d.mfa[i].time);
  }
  for (size_t i = 0; i < d.signins.size(); ++i) {
    TargetHistory* h = hs.Find(d.signins[i].target_key);
    if (h == nullptr) continue;
    h->signins.push_back(static_cast<uint32_t>(i));
    h->signin_times.push_back(d.signins[i].time);
  }
  for (TargetHistory& h : hs.of) {
    std::unordered_map<StrId, size_t> op_slot;
    for (uint32_t i : h.mfa) {
      auto [it, fresh] = op_slot.try_emplace(d.mfa[i].operation, h.mfa_by_op.size());
      if (fresh) h.mfa_by_op.emplace_back(d.mfa[i].operation, std::vector<TimeMs>{});
      h.mfa_by_op[it->second].second.push_back(d.mfa[i].time);
    }
    std::sort(h.mfa_by_op.begin(), h.mfa_by_op.end(), [&](const auto& a, const auto& b) {
      return order.Less(a.first, b.first);
    });
    std::unordered_map<StrId, int64_t> first_index;
    h.first_seen.reserve(h.signins.size());
    for (size_t k = 0; k < h.signins.size(); ++k) {
      StrId ip = d.signins[h.signins[k]].signin_ip;
      if (ip == events::kEmptyStr) {
        h.first_seen.push_back(-1);
      } else {
        h.first_seen.push_back(first_index.try_emplace(ip, static_cast<int64_t>(k)).first->second);
      }
    }
    if (!h.signins.empty()) h.new_ip = std::make_unique<FirstAtLeast>(h.first_seen);
  }
  return hs;
}

size_t LowerBound(const std::vector<TimeMs>& v, TimeMs t) {
  return static_cast<size_t>(std::lower_bound(v.begin(), v.end(), t) - v.begin());
}
size_t UpperBound(const std::vector<TimeMs>& v, TimeMs t) {
  return static_cast<size_t>(std::upper_bound(v.begin(), v.end(), t) - v.begin());
}

// The sign-in leg of one row: reset at r, MFA change at m.
void SigninLeg(const TargetHistory& h, const DedupedEvents& d, const StrOrder& order,
               TimeMs r, TimeMs m, DurationMs signin_window, ChainFinding* f) {
  const size_t baseline = LowerBound(h.signin_times, r);  // sign-ins strictly before r
  const size_t lo = LowerBound(h.signin_times, m);
  const size_t hi = UpperBound(h.signin_times, m + signin_window);
  if (baseline > 0) {
    f->signin_baseline = SigninBaseline::kKnown;
    size_t k = lo < hi ? h.new_ip->Find(lo, hi, static_cast<int64_t>(baseline)) : hi;
    if (k < hi) {
      f->signin_after_mfa = true;
      f->signin_ip = std::string(order.Text(d.signins[h.signins[k]].signin_ip));
    }
  } else {
    f->signin_baseline = SigninBaseline::kNone;
    if (lo < hi) f->signin_ip = std::string(order.Text(d.signins[h.signins[lo]].signin_ip));
  }
}

}  // namespace

std::vector<ChainFinding> FindChains(const DedupedEvents& d, const PrintedNames& names,
                                     const StrOrder& order, const Options& options,
                                     std::vector<bool>* starts_chain) {
  std::vector<ChainFinding> out;
  starts_chain->assign(d.resets.size(), false);
  const DurationMs mfa_window = std::max<DurationMs>(options.mfa_window, 0);
  const DurationMs signin_window = std::max<DurationMs>(options.signin_window, 0);
  Histories histories = BuildHistories(d, order);

  for (size_t i = 0; i < d.resets.size(); ++i) {
    const IdentityEvent& reset = d.resets[i];
    if (reset.allowlisted) continue;
    const TargetHistory& h = *histories.Find(reset.target_key);
    const TimeMs r = reset.time;
    const size_t lo = LowerBound(h.mfa_times, r);
    const size_t hi = UpperBound(h.mfa_times, r + mfa_window);
    if (lo >= hi) continue;
    (*starts_chain)[i] = true;

    ChainFinding base;
    base.reset_time = r;
    base.target_user = std::string(names.Of(reset.target_key));
    base.target_key = std::string(order.Text(reset.target_key));
    base.initiator_upn = std::string(names.Of(reset.initiator_key));
    base.initiator_ip = std::string(order.Text(reset.initiator_ip));
    base.initiator_app = std::string(order.Text(reset.initiator_app));
    base.reset_operation = std::string(order.Text(reset.operation));
    base.reset_source = reset.source;
    base.reset_rank = static_cast<uint32_t>(i);
    base.mfa_change_count = static_cast<int64_t>(hi - lo);
    for (const auto& [op, times] : h.mfa_by_op) {  // already in operation-text order
      auto it = std::lower_bound(times.begin(), times.end(), r);
      if (it != times.end() && *it <= r + mfa_window) {
        base.mfa_operations.emplace_back(order.Text(op));
      }
    }
    const size_t last = options.pairs == Pairs::kAll ? hi : lo + 1;
    for (size_t k = lo; k < last; ++k) {
      const IdentityEvent& mfa = d.mfa[h.mfa[k]];
      ChainFinding f = base;
      f.mfa_time = mfa.time;
      f.mfa_rank = h.mfa[k];
      const DurationMs gap = mfa.time - r;
      f.minutes_between = gap / 60'000;
      f.high_confidence = gap < options.high_confidence;
      f.mfa_operation = std::string(order.Text(mfa.operation));
      f.mfa_detail = std::string(order.Text(mfa.detail));
      f.mfa_source = mfa.source;
      SigninLeg(h, d, order, r, mfa.time, signin_window, &f);
      f.severity = f.signin_after_mfa  ? Severity::kCritical
                   : f.high_confidence ? Severity::kHigh
                                       : Severity::kMedium;
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace vd::detect
