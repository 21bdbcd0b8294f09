#include "detect/event_order.h"

#include <algorithm>

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
  for (auto field : {&IdentityEvent::initiator_key, &IdentityEvent::target_key,
                     &IdentityEvent::initiator, &IdentityEvent::target,
                     &IdentityEvent::correlation_id, &IdentityEvent::initiator_ip,
                     &IdentityEvent::initiator_app, &IdentityEvent::detail,
                     &IdentityEvent::signin_ip, &IdentityEvent::identity_initiator_override,
                     &IdentityEvent::identity_target_override}) {
    if ((c = o.Compare(a.*field, b.*field)) != 0) return c < 0;
  }
  if ((c = Cmp(static_cast<int>(a.source), static_cast<int>(b.source))) != 0) return c < 0;
  if ((c = Cmp(static_cast<int>(a.outcome), static_cast<int>(b.outcome))) != 0) return c < 0;
  if ((c = Cmp(a.helpdesk, b.helpdesk)) != 0) return c < 0;
  return Cmp(a.allowlisted, b.allowlisted) < 0;
}

void SortEvents(std::vector<IdentityEvent>* events, const StrOrder& order) {
  std::sort(events->begin(), events->end(),
            [&](const IdentityEvent& a, const IdentityEvent& b) {
              return EventLess(a, b, order);
            });
}

}  // namespace vd::detect
