#include "detect/printed_names.h"

namespace vd::detect {

PrintedNames::PrintedNames(const std::vector<events::IdentityEvent>& sorted,
                           const StrOrder& order)
    : order_(order) {
  for (const events::IdentityEvent& e : sorted) {
    if (e.initiator_key != events::kEmptyStr && e.initiator != events::kEmptyStr) {
      spelling_.emplace(e.initiator_key, e.initiator);  // emplace keeps the earliest
    }
    if (e.target_key != events::kEmptyStr && e.target != events::kEmptyStr) {
      spelling_.emplace(e.target_key, e.target);
    }
  }
}

std::string_view PrintedNames::Of(events::StrId key) const {
  auto it = spelling_.find(key);
  return order_.Text(it == spelling_.end() ? key : it->second);
}

}  // namespace vd::detect
