#include "detect/printed_names.h"

namespace vd::detect {

PrintedNames::PrintedNames(const std::vector<events::IdentityEvent>& sorted,
                           const StrOrder& order)
    : order_(order), spelling_(order.IdLimit(), events::kEmptyStr) {
  auto keep_first = [&](events::StrId key, events::StrId spelling) {
    if (key != events::kEmptyStr && spelling != events::kEmptyStr &&
        spelling_[key] == events::kEmptyStr) {
      spelling_[key] = spelling;
    }
  };
  for (const events::IdentityEvent& e : sorted) {
    keep_first(e.initiator_key, e.initiator);
    keep_first(e.target_key, e.target);
  }
}

std::string_view PrintedNames::Of(events::StrId key) const {
  events::StrId s = spelling_[key];
  return order_.Text(s == events::kEmptyStr ? key : s);
}

}  // namespace vd::detect
