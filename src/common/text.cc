#include "common/text.h"

#include <cstdint>
#include <cstring>

namespace vd::text_internal {
namespace {

template <class Word>
Word Load(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

constexpr uint64_t kHighBits = 0x8080808080808080ull;

// 'A'-'Z' bytes of w turned into 'a'-'z', eight at a time; every other byte (including
// non-ASCII ones) is unchanged. A byte is upper case when its low seven bits are >= 'A'
// (adding 0x3F sets bit 7) but not > 'Z' (adding 0x25 does not), and bit 7 was clear.
uint64_t LowerWord(uint64_t w) {
  const uint64_t low7 = w & ~kHighBits;
  const uint64_t ge_a = low7 + 0x3F3F3F3F3F3F3F3Full;
  const uint64_t gt_z = low7 + 0x2525252525252525ull;
  const uint64_t upper = (ge_a ^ gt_z) & ~w & kHighBits;
  return w | (upper >> 2);
}

}  // namespace

bool EqualsIgnoreCaseSameSize(const char* a, const char* b, size_t n) {
  // Eight bytes at a time, the last word overlapping.
  if (n >= 8) {
    for (; n > 8; a += 8, b += 8, n -= 8) {
      const uint64_t wa = Load<uint64_t>(a), wb = Load<uint64_t>(b);
      if (wa != wb && LowerWord(wa) != LowerWord(wb)) return false;
    }
    const uint64_t wa = Load<uint64_t>(a + n - 8), wb = Load<uint64_t>(b + n - 8);
    return wa == wb || LowerWord(wa) == LowerWord(wb);
  }
  // 4 to 7 bytes ("User", "success", "true"): two overlapping 4-byte halves in one word.
  if (n >= 4) {
    const uint64_t wa = (uint64_t{Load<uint32_t>(a + n - 4)} << 32) | Load<uint32_t>(a);
    const uint64_t wb = (uint64_t{Load<uint32_t>(b + n - 4)} << 32) | Load<uint32_t>(b);
    return wa == wb || LowerWord(wa) == LowerWord(wb);
  }
  for (size_t i = 0; i < n; ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

std::string_view TrimSlow(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace vd::text_internal
