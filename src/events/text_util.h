#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "common/text.h"

namespace vd::events {

// Small byte-level helpers shared by the recognizers. None allocates.

// Trim and EqualsIgnoreCase are vd:: (common/text.h), found here by name lookup.

namespace text_internal {
bool IsAsciiLong(const char* p, size_t n);  // n >= 16
// No byte has bit 7 set. Inline: the UTF-8 check runs on about ten fields of every
// recognized row, and the call cost more than the check of a 20-byte field.
inline bool IsAscii(const char* p, size_t n) {
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  if (n >= 16) return IsAsciiLong(p, n);
  // Two overlapping words cover 4 to 15 bytes with no byte loop over 3 bytes.
  if (n >= 8) {
    uint64_t a, b;
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + n - 8, 8);
    return ((a | b) & kHigh) == 0;
  }
  if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    return ((a | b) & 0x80808080u) == 0;
  }
  unsigned acc = 0;
  for (size_t i = 0; i < n; ++i) acc |= static_cast<unsigned char>(p[i]);
  return (acc & 0x80) == 0;
}
bool IsValidUtf8Slow(std::string_view s);
}  // namespace text_internal

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
// Nearly every cell is ASCII: that is checked 16 bytes at a time before the decoder runs.
inline bool IsValidUtf8(std::string_view s) {
  return text_internal::IsAscii(s.data(), s.size()) || text_internal::IsValidUtf8Slow(s);
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix);
bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle);

// Operation names are matched without their trailing period and surrounding blanks:
// O365 writes "Reset user password.", Entra "Reset user password", and Sentinel exports
// can carry a trailing space.
std::string_view OperationStem(std::string_view s);

// Sources spell "no value" in several ways: Sekoia's "<null>", Windows' "-", a literal
// "null" from a JSON-to-text conversion. All of them mean empty.
std::string_view Clean(std::string_view s);

// "true", "1", "yes", "t", "y" (any case) -> true; everything else false.
bool ParseBool(std::string_view s);

// Counts non-overlapping occurrences of `needle` in `haystack`.
size_t CountOccurrences(std::string_view haystack, std::string_view needle);

}  // namespace vd::events
