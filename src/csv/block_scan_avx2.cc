// The AVX2 kernel (compiled with -mavx2 -mpclmul -mbmi -mpopcnt; chosen at run time).
#include <immintrin.h>

#include "csv/block_scan_impl.h"

namespace vd::csv::internal {
namespace {

struct Avx2 {
  static Masks Classify(const char* p) {
    const __m256i comma = _mm256_set1_epi8(',');
    const __m256i lf = _mm256_set1_epi8('\n');
    const __m256i cr = _mm256_set1_epi8('\r');
    const __m256i quote = _mm256_set1_epi8('"');
    __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    __m256i nlo = _mm256_or_si256(_mm256_cmpeq_epi8(lo, lf), _mm256_cmpeq_epi8(lo, cr));
    __m256i nhi = _mm256_or_si256(_mm256_cmpeq_epi8(hi, lf), _mm256_cmpeq_epi8(hi, cr));
    __m256i dlo = _mm256_or_si256(_mm256_cmpeq_epi8(lo, comma), nlo);
    __m256i dhi = _mm256_or_si256(_mm256_cmpeq_epi8(hi, comma), nhi);
    Masks m;
    m.newline = static_cast<uint32_t>(_mm256_movemask_epi8(nlo)) |
                (static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(nhi))) << 32);
    m.delim = static_cast<uint32_t>(_mm256_movemask_epi8(dlo)) |
              (static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(dhi))) << 32);
    m.quote = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, quote))) |
              (static_cast<uint64_t>(
                   static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, quote))))
               << 32);
    return m;
  }

  static uint64_t PrefixXor(uint64_t x) {
    __m128i v = _mm_set_epi64x(0, static_cast<long long>(x));
    __m128i ones = _mm_set1_epi8(static_cast<char>(0xff));
    return static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_clmulepi64_si128(v, ones, 0)));
  }

  // simdjson's flattening: eight unconditional writes cover most blocks without a
  // data-dependent branch; the rest go eight at a time.
  static uint32_t* Flatten(uint64_t bits, uint64_t quoted, uint64_t newline, uint32_t pos,
                           uint32_t* out) {
    int count = static_cast<int>(_mm_popcnt_u64(bits));
    for (int i = 0; i < count || i == 0; i += 8) {
      for (int k = 0; k < 8; ++k) {
        unsigned b = static_cast<unsigned>(_tzcnt_u64(bits));  // 64 once bits run out
        out[i + k] = (pos + b) | static_cast<uint32_t>((quoted >> (b & 63)) << 31) |
                     (static_cast<uint32_t>((newline >> (b & 63)) << 31) >> 1);
        bits = _blsr_u64(bits);
      }
    }
    return out + count;
  }
};

}  // namespace

ScanResult ScanAvx2(const char* p, size_t avail, size_t max_blocks, uint64_t live, ScanCarry* carry,
                    uint32_t pos, uint32_t* idx, uint32_t* esc) {
  return ScanBlocks<Avx2>(p, avail, max_blocks, live, carry, pos, idx, esc);
}

}  // namespace vd::csv::internal
