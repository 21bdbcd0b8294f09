#pragma once

#include <cstddef>
#include <string_view>

namespace vd {

// Byte-level text helpers for every layer. None allocates.

namespace text_internal {
inline bool IsAsciiSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool EqualsIgnoreCaseSameSize(const char* a, const char* b, size_t n);
std::string_view TrimSlow(std::string_view s);
}  // namespace text_internal

inline char AsciiLower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// ASCII-only case-insensitive equality (other bytes compare exactly). Inline so that the
// common mismatch, a different length, costs no call.
inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         text_internal::EqualsIgnoreCaseSameSize(a.data(), b.data(), a.size());
}

// Strips ASCII whitespace (space, \t \n \v \f \r) at both ends. Inline: nearly every cell has
// none, which the two end bytes show without a call.
inline std::string_view Trim(std::string_view s) {
  if (s.empty() ||
      (!text_internal::IsAsciiSpace(s.front()) && !text_internal::IsAsciiSpace(s.back())))
    return s;
  return text_internal::TrimSlow(s);
}

}  // namespace vd
