// The baseline kernel: SSE2 where the target has it (all of x86-64), else bytewise.
#include "csv/block_scan_impl.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vd::csv::internal {
namespace {

struct Baseline {
  static Masks Classify(const char* p) {
    Masks m{0, 0, 0};
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i quote = _mm_set1_epi8('"');
    for (int i = 0; i < 4; ++i) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
      __m128i nl = _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr));
      __m128i d = _mm_or_si128(_mm_cmpeq_epi8(v, comma), nl);
      m.delim |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(d))) << (16 * i);
      m.newline |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(nl))) << (16 * i);
      m.quote |=
          static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote))))
          << (16 * i);
    }
#else
    for (int i = 0; i < 64; ++i) {
      m.delim |= DelimiterBit(p[i]) << i;
      m.newline |= static_cast<uint64_t>(p[i] == '\n' || p[i] == '\r') << i;
      m.quote |= static_cast<uint64_t>(p[i] == '"') << i;
    }
#endif
    return m;
  }

  static uint64_t PrefixXor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
  }

  // No popcount in the baseline ISA: one entry per set bit.
  static uint32_t* Flatten(uint64_t bits, uint64_t quoted, uint64_t newline, uint32_t pos,
                           uint32_t* out) {
    return FlattenFlagged(bits, quoted, newline, pos, out);
  }
};

}  // namespace

ScanResult ScanBaseline(const char* p, size_t avail, size_t max_blocks, uint64_t live,
                        ScanCarry* carry, uint32_t pos, uint32_t* idx, uint32_t* esc) {
  return ScanBlocks<Baseline>(p, avail, max_blocks, live, carry, pos, idx, esc);
}

}  // namespace vd::csv::internal
