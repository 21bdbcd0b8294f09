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
    __m256i dlo = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(lo, comma), _mm256_cmpeq_epi8(lo, lf)),
        _mm256_cmpeq_epi8(lo, cr));
    __m256i dhi = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(hi, comma), _mm256_cmpeq_epi8(hi, lf)),
        _mm256_cmpeq_epi8(hi, cr));
    Masks m;
    m.delim = static_cast<uint32_t>(_mm256_movemask_epi8(dlo)) |
              (static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(dhi))) << 32);
    m.quote = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, quote))) |
              (static_cast<uint64_t>(static_cast<uint32_t>(
                   _mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, quote))))
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
  static uint32_t* Flatten(uint64_t bits, uint32_t pos, uint32_t* out) {
    int count = _mm_popcnt_u64(bits);
    for (int i = 0; i < 8; ++i) {
      out[i] = pos + static_cast<uint32_t>(_tzcnt_u64(bits));
      bits = _blsr_u64(bits);
    }
    if (__builtin_expect(count > 8, 0)) {
      for (int i = 8; i < count; i += 8) {
        for (int k = 0; k < 8; ++k) {
          out[i + k] = pos + static_cast<uint32_t>(_tzcnt_u64(bits));
          bits = _blsr_u64(bits);
        }
      }
    }
    return out + count;
  }
};

}  // namespace

ScanResult ScanAvx2(const char* p, size_t avail, size_t max_blocks, uint64_t live,
                    ScanCarry* carry, uint32_t pos, uint32_t* idx, uint32_t* esc) {
  return ScanBlocks<Avx2>(p, avail, max_blocks, live, carry, pos, idx, esc);
}

}  // namespace vd::csv::internal
