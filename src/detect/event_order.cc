#include "detect/event_order.h"

#include <algorithm>
#include <tuple>

namespace vd::detect {
namespace {

using events::IdentityEvent;
using events::StrId;

template <typename F>
void ForEachString(const IdentityEvent& e, F&& f) {
  f(e.operation);
  f(e.initiator);
  f(e.initiator_ip);
  f(e.initiator_app);
  f(e.target);
  f(e.correlation_id);
  f(e.event_id);
  f(e.detail);
  f(e.signin_ip);
  f(e.initiator_key);
  f(e.target_key);
  f(e.identity_initiator_override);
  f(e.identity_target_override);
}

}  // namespace

StrOrder::StrOrder(const std::vector<IdentityEvent>& events, const events::StringPool& pool)
    : pool_(pool), rank_(pool.size(), 0) {
  // Mark used ids, then rank them by text. Distinct ids always have distinct text (the
  // pool interns), so ranks are a strict order of the texts used.
  std::vector<uint8_t> used(pool.size(), 0);
  std::vector<StrId> ids;
  for (const IdentityEvent& e : events) {
    ForEachString(e, [&](StrId id) {
      if (!used[id]) {
        used[id] = 1;
        ids.push_back(id);
      }
    });
  }
  std::sort(ids.begin(), ids.end(),
            [&](StrId a, StrId b) { return pool.Get(a) < pool.Get(b); });
  for (size_t i = 0; i < ids.size(); ++i) rank_[ids[i]] = static_cast<uint32_t>(i);
}

bool EventLess(const IdentityEvent& a, const IdentityEvent& b, const StrOrder& o) {
  auto key = [&](const IdentityEvent& e) {
    return std::make_tuple(
        e.time, o.Rank(e.operation), o.Rank(e.event_id), static_cast<int>(e.kind),
        o.Rank(e.initiator_key), o.Rank(e.target_key), o.Rank(e.initiator), o.Rank(e.target),
        o.Rank(e.correlation_id), o.Rank(e.initiator_ip), o.Rank(e.initiator_app),
        o.Rank(e.detail), o.Rank(e.signin_ip), static_cast<int>(e.source),
        static_cast<int>(e.outcome), e.helpdesk, e.allowlisted,
        o.Rank(e.identity_initiator_override), o.Rank(e.identity_target_override));
  };
  return key(a) < key(b);
}

void SortEvents(std::vector<IdentityEvent>* events, const StrOrder& order) {
  std::sort(events->begin(), events->end(),
            [&](const IdentityEvent& a, const IdentityEvent& b) {
              return EventLess(a, b, order);
            });
}

}  // namespace vd::detect
