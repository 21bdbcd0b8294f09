#include "events/text_util.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vd::events {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ull;

}  // namespace

namespace text_internal {

bool IsAsciiLong(const char* p, size_t n) {
#if defined(__SSE2__)
  // OR 16-byte blocks, the last one overlapping; one movemask.
  __m128i acc = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));
  for (; n > 16; p += 16, n -= 16) {
    acc = _mm_or_si128(acc, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  return _mm_movemask_epi8(acc) == 0;
#else
  uint64_t acc, w;
  std::memcpy(&acc, p + n - 8, 8);
  for (; n > 8; p += 8, n -= 8) {
    std::memcpy(&w, p, 8);
    acc |= w;
  }
  return (acc & kHighBits) == 0;
#endif
}

bool IsValidUtf8Slow(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    // ASCII runs between multi-byte sequences eight bytes at a time.
    while (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if ((w & kHighBits) != 0) break;
      p += 8;
    }
    if (p == end) break;
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p < len) return false;
    for (int i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
      return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += len;
  }
  return true;
}

}  // namespace text_internal

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  if (haystack.size() < needle.size()) return false;
  // The first byte rejects nearly every position before a whole compare is made.
  const char first = AsciiLower(needle.front());
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (AsciiLower(haystack[i]) == first &&
        vd::text_internal::EqualsIgnoreCaseSameSize(haystack.data() + i, needle.data(),
                                                    needle.size())) {
      return true;
    }
  }
  return false;
}

std::string_view OperationStem(std::string_view s) {
  s = Trim(s);
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return Trim(s);
}

std::string_view Clean(std::string_view s) {
  s = Trim(s);
  if (s == "-" || s == "<null>" || s == "null" || s == "NULL" || s == "N/A") return {};
  return s;
}

bool ParseBool(std::string_view s) {
  s = Trim(s);
  return EqualsIgnoreCase(s, "true") || s == "1" || EqualsIgnoreCase(s, "yes") ||
         EqualsIgnoreCase(s, "t") || EqualsIgnoreCase(s, "y");
}

size_t CountOccurrences(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return 0;
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace vd::events
