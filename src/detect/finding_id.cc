#include "detect/finding_id.h"

#include <charconv>

namespace vd::detect {

void FindingIdHash::Bytes(const void* data, size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) {
    h_ ^= p[i];
    h_ *= 1099511628211ull;
  }
}

void FindingIdHash::Add(std::string_view part) {
  // The length first: ("ab", "c") and ("a", "bc") differ.
  const uint64_t n = part.size();
  unsigned char len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(n >> (8 * i));
  Bytes(len, sizeof len);
  Bytes(part.data(), part.size());
}

void FindingIdHash::AddEvent(const events::IdentityEvent& e, const StrOrder& order) {
  const std::string_view id = order.Text(e.event_id);
  if (!id.empty()) {
    Add("id");
    Add(id);
    return;
  }
  char buf[24];
  char* end = std::to_chars(buf, buf + sizeof buf, e.time).ptr;
  Add("time");
  Add(std::string_view(buf, static_cast<size_t>(end - buf)));
  Add(order.Text(e.operation));
}

uint64_t BulkFindingId(std::string_view initiator_key, const events::IdentityEvent& first,
                       const StrOrder& order) {
  FindingIdHash h("bulk_reset");
  h.Add(initiator_key);
  h.AddEvent(first, order);
  return h.value();
}

uint64_t ChainFindingId(std::string_view target_key, const events::IdentityEvent& recovery,
                        const events::IdentityEvent& mfa, const StrOrder& order) {
  FindingIdHash h("reset_mfa_chain");
  h.Add(target_key);
  h.AddEvent(recovery, order);
  h.AddEvent(mfa, order);
  return h.value();
}

std::string_view FormatFindingId(uint64_t id, std::span<char, kFindingIdChars> out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < kFindingIdChars; ++i) {
    out[kFindingIdChars - 1 - i] = kHex[(id >> (4 * i)) & 0xF];
  }
  return std::string_view(out.data(), kFindingIdChars);
}

}  // namespace vd::detect
