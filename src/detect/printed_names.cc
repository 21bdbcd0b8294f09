#include "detect/printed_names.h"

namespace vd::detect {

PrintedNames::PrintedNames(std::span<const events::IdentityEvent> events,
                           const std::vector<uint32_t>& event_order, const StrOrder& order)
    : order_(order), spelling_(order.IdLimit(), events::kEmptyStr) {
  auto keep_first = [&](events::StrId key, events::StrId spelling) {
    if (key != events::kEmptyStr && spelling != events::kEmptyStr &&
        spelling_[key] == events::kEmptyStr) {
      spelling_[key] = spelling;
    }
  };
  for (const uint32_t at : event_order) {
    const events::IdentityEvent& e = events[at];
    keep_first(e.initiator_key, e.initiator);
    keep_first(e.target_key, e.target);
  }
}

std::string_view PrintedNames::Of(events::StrId key) const {
  events::StrId s = spelling_[key];
  return order_.Text(s == events::kEmptyStr ? key : s);
}

}  // namespace vd::detect
