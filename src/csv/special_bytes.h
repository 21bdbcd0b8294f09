#pragma once

// The bytes that force a CSV cell into quotes, found 16 at a time: shared by the writer and
// the inline csv::Inspect (cell_encoder.h; every value of a large findings table passes there
// twice).

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vd::csv::internal {

// ',' '"' LF CR: the bytes that force quoting.
inline constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = t[static_cast<unsigned char>('"')] = true;
  t[static_cast<unsigned char>('\n')] = t[static_cast<unsigned char>('\r')] = true;
  return t;
}();

#if defined(__SSE2__)
// Which of the 16 bytes are ',' '"' LF or CR (and '$' with kDollar), as a movemask.
template <bool kDollar = false>
inline __m128i SpecialMask(__m128i v) {
  __m128i m = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
  if constexpr (kDollar) m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('$')));
  return m;
}
template <bool kDollar = false>
inline int SpecialBytes(__m128i v) {
  return _mm_movemask_epi8(SpecialMask<kDollar>(v));
}

template <class Word>
Word LoadWord(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}
#endif

// Every cell of every result row passes here, and most are short: 16 bytes at a time
// with the last 16 overlapping, and cells of 4 to 15 bytes as two overlapping halves in
// one register (NUL padding is not special), so no cell takes a byte-at-a-time loop
// longer than 3 bytes.
// With kDollar, '$' counts as special too (the __mv_ encoding doubles it).
template <bool kDollar = false>
[[gnu::always_inline]] inline bool HasSpecialByte(const char* p, size_t n) {
#if defined(__SSE2__)
  if (n >= 16) {
    for (; n > 16; p += 16, n -= 16) {
      if (SpecialBytes<kDollar>(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))) != 0) {
        return true;
      }
    }
    return SpecialBytes<kDollar>(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16))) !=
           0;
  }
  if (n >= 8) {
    return SpecialBytes<kDollar>(
               _mm_set_epi64x(static_cast<long long>(LoadWord<uint64_t>(p + n - 8)),
                              static_cast<long long>(LoadWord<uint64_t>(p)))) != 0;
  }
  if (n >= 4) {
    return SpecialBytes<kDollar>(_mm_set_epi32(0, 0,
                                               static_cast<int>(LoadWord<uint32_t>(p + n - 4)),
                                               static_cast<int>(LoadWord<uint32_t>(p)))) != 0;
  }
#endif
  bool any = false;
  for (size_t i = 0; i < n; ++i) {
    any |= kSpecial[static_cast<unsigned char>(p[i])] || (kDollar && p[i] == '$');
  }
  return any;
}

}  // namespace vd::csv::internal
