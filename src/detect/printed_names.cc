#include "detect/printed_names.h"

namespace vd::detect {

PrintedNames::PrintedNames(std::span<const events::IdentityEvent> events,
                           const std::vector<uint32_t>& event_order, const StrOrder& order)
    : order_(order), spelling_(order.IdLimit(), kEmptyStr) {
  auto keep_first = [&](StrId key, StrId spelling) {
    if (key != kEmptyStr && spelling != kEmptyStr && spelling_[key] == kEmptyStr) {
      spelling_[key] = spelling;
    }
  };
  for (const uint32_t at : event_order) {
    const events::IdentityEvent& e = events[at];
    keep_first(e.initiator_key, e.initiator);
    keep_first(e.target_key, e.target);
  }
}

std::string_view PrintedNames::Of(StrId key) const {
  StrId s = spelling_[key];
  return order_.Text(s == kEmptyStr ? key : s);
}

}  // namespace vd::detect
