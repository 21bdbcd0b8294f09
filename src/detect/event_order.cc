#include "detect/event_order.h"

#include <algorithm>
#include <cstdint>

#include "common/huge_pages.h"

namespace vd::detect {
namespace {

using events::IdentityEvent;

// Three-way compare helpers; the first difference decides.
int Cmp(int64_t a, int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

}  // namespace

bool EventLess(const IdentityEvent& a, const IdentityEvent& b, const StrOrder& o) {
  // Time first: almost every comparison ends here, without touching a string.
  if (a.time != b.time) return a.time < b.time;
  int c = 0;
  if ((c = o.Compare(a.operation, b.operation)) != 0) return c < 0;
  if ((c = o.Compare(a.event_id, b.event_id)) != 0) return c < 0;
  if ((c = Cmp(static_cast<int>(a.kind), static_cast<int>(b.kind))) != 0) return c < 0;
  for (auto field :
       {&IdentityEvent::initiator_key, &IdentityEvent::target_key, &IdentityEvent::initiator,
        &IdentityEvent::target, &IdentityEvent::correlation_id, &IdentityEvent::initiator_ip,
        &IdentityEvent::initiator_app, &IdentityEvent::detail, &IdentityEvent::signin_ip,
        &IdentityEvent::identity_initiator_override, &IdentityEvent::identity_target_override}) {
    if ((c = o.Compare(a.*field, b.*field)) != 0) return c < 0;
  }
  if ((c = Cmp(static_cast<int>(a.source), static_cast<int>(b.source))) != 0) return c < 0;
  if ((c = Cmp(static_cast<int>(a.outcome), static_cast<int>(b.outcome))) != 0) return c < 0;
  if ((c = Cmp(a.helpdesk, b.helpdesk)) != 0) return c < 0;
  return Cmp(a.allowlisted, b.allowlisted) < 0;
}

namespace {

// LSD radix sort of 64-bit words on bits [shift0, shift0 + bits of `range`), 11 bits a pass:
// as many passes as the range needs, each stable.
void RadixSort(std::vector<uint64_t>* words, uint64_t range, int shift0) {
  constexpr int kBits = 11;
  constexpr size_t kBuckets = size_t{1} << kBits;
  std::vector<uint64_t> other = HugeVector<uint64_t>(words->size());
  std::vector<uint32_t> count(kBuckets);
  for (int shift = 0; shift < 64 && (range >> shift) != 0; shift += kBits) {
    const int at = shift0 + shift;
    std::fill(count.begin(), count.end(), 0u);
    for (uint64_t w : *words) ++count[(w >> at) & (kBuckets - 1)];
    uint32_t sum = 0;
    for (uint32_t& c : count) {
      const uint32_t k = c;
      c = sum;
      sum += k;
    }
    for (uint64_t w : *words) other[count[(w >> at) & (kBuckets - 1)]++] = w;
    words->swap(other);
  }
}

// Positions of `events` in ascending time order, stable. Splunk hands events newest first,
// so a monotone input is recognized in one scan; otherwise an LSD radix sort on the time's
// offset from the minimum replaces a comparison sort over 72-byte events (wider spans, rare,
// sort (offset, position) pairs).
std::vector<uint32_t> TimeOrder(std::span<const IdentityEvent> events) {
  const size_t n = events.size();
  std::vector<uint32_t> idx(n);
  bool ascending = true, descending = true;
  TimeMs lo = events[0].time, hi = events[0].time;
  for (size_t i = 1; i < n; ++i) {
    const TimeMs t = events[i].time;
    ascending &= events[i - 1].time <= t;
    descending &= events[i - 1].time >= t;
    lo = std::min(lo, t);
    hi = std::max(hi, t);
  }
  if (ascending || descending) {
    // Equal times may come in any order: the tie runs are sorted afterwards.
    for (size_t i = 0; i < n; ++i) idx[i] = static_cast<uint32_t>(descending ? n - 1 - i : i);
    return idx;
  }
  const uint64_t range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (range <= UINT32_MAX) {
    // A span of up to 49 days: (offset << 32 | position) sorts as one 64-bit word.
    std::vector<uint64_t> keys = HugeVector<uint64_t>(n);
    for (size_t i = 0; i < n; ++i) {
      keys[i] = (static_cast<uint64_t>(events[i].time - lo) << 32) | i;
    }
    RadixSort(&keys, range, 32);
    for (size_t i = 0; i < n; ++i) idx[i] = static_cast<uint32_t>(keys[i]);
    return idx;
  }
  struct Item {
    uint64_t key;
    uint32_t pos;
  };
  std::vector<Item> items(n);
  for (size_t i = 0; i < n; ++i) {
    items[i] = {static_cast<uint64_t>(events[i].time) - static_cast<uint64_t>(lo),
                static_cast<uint32_t>(i)};
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.key != b.key ? a.key < b.key : a.pos < b.pos;
  });
  for (size_t i = 0; i < n; ++i) idx[i] = items[i].pos;
  return idx;
}

}  // namespace

std::vector<uint32_t> EventOrder(std::span<const IdentityEvent> ev, const StrOrder& order) {
  const size_t n = ev.size();
  if (n == 0) return {};
  std::vector<uint32_t> idx = TimeOrder(ev);
  // Runs of equal time get the full comparison (operation, event id, then every field).
  for (size_t a = 0; a < n;) {
    const TimeMs t = ev[idx[a]].time;
    size_t b = a + 1;
    while (b < n && ev[idx[b]].time == t) ++b;
    if (b - a > 1) {
      std::sort(idx.begin() + static_cast<ptrdiff_t>(a), idx.begin() + static_cast<ptrdiff_t>(b),
                [&](uint32_t x, uint32_t y) { return EventLess(ev[x], ev[y], order); });
    }
    a = b;
  }
  return idx;
}

}  // namespace vd::detect
