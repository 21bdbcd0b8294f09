// The AVX-512 kernel (compiled with -mavx512bw -mavx512vbmi2 -mpclmul -mbmi -mbmi2
// -mpopcnt; chosen at run time): compare-into-mask gives the 64-bit masks directly and
// VPCOMPRESSB flattens a block's delimiter positions without a per-bit loop.
#include <immintrin.h>

// GCC 12's AVX-512 headers seed conversions with _mm512_undefined_*(), which its own
// -Wmaybe-uninitialized then flags once inlined (GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "csv/block_scan_impl.h"

namespace vd::csv::internal {
namespace {

struct Avx512 {
  static Masks Classify(const char* p) {
    __m512i v = _mm512_loadu_si512(p);
    // One shuffle finds all four specials: their low nibbles (',' C, LF A, CR D, '"' 2)
    // differ, so table[low nibble] == byte only for them (bytes >= 0x80 look up 0).
    // Bytes 0..15 of every lane: -1 -1 '"' -1, -1 -1 -1 -1, -1 -1 LF -1, ',' CR -1 -1 (as
    // 32-bit words, so GCC keeps it in a register instead of re-broadcasting it per block).
    const __m512i table =
        _mm512_set4_epi32(static_cast<int>(0xffff0d2cu), static_cast<int>(0xff0affffu), -1,
                          static_cast<int>(0xff22ffffu));
    uint64_t special = _mm512_cmpeq_epi8_mask(_mm512_shuffle_epi8(table, v), v);
    uint64_t quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
    uint64_t comma = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(','));
    uint64_t delim = special & ~quote;
    return {delim, quote, delim & ~comma};
  }

  static uint64_t PrefixXor(uint64_t x) {
    __m128i v = _mm_set_epi64x(0, static_cast<long long>(x));
    __m128i ones = _mm_set1_epi8(static_cast<char>(0xff));
    return static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_clmulepi64_si128(v, ones, 0)));
  }

  // The byte offsets 0..63 carry the flags in bits 7 (quoted) and 6 (newline) through
  // the compress; widening moves them to bits 31 and 30.
  static __m512i Entries(__m128i tagged, __m512i pos) {
    __m512i x = _mm512_cvtepu8_epi32(tagged);
    __m512i flags_and_offset = _mm512_ternarylogic_epi32(  // (x | x << 24) & mask
        x, _mm512_slli_epi32(x, 24), _mm512_set1_epi32(static_cast<int>(0xc000003fu)), 0xa8);
    return _mm512_or_si512(flags_and_offset, pos);
  }

  static uint32_t* Flatten(uint64_t bits, uint64_t quoted, uint64_t newline, uint32_t pos,
                           uint32_t* out) {
    const __m512i iota = _mm512_set_epi8(
        63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41,
        40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18,
        17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    __m512i tagged =
        _mm512_mask_add_epi8(iota, quoted, iota, _mm512_set1_epi8(static_cast<char>(0x80)));
    tagged = _mm512_mask_add_epi8(tagged, newline, tagged, _mm512_set1_epi8(0x40));
    __m512i packed = _mm512_maskz_compress_epi8(bits, tagged);
    __m512i base = _mm512_set1_epi32(static_cast<int>(pos));
    int count = static_cast<int>(_mm_popcnt_u64(bits));
    _mm512_storeu_si512(out, Entries(_mm512_castsi512_si128(packed), base));
    if (__builtin_expect(count > 16, 0)) {
      _mm512_storeu_si512(out + 16, Entries(_mm512_extracti32x4_epi32(packed, 1), base));
      _mm512_storeu_si512(out + 32, Entries(_mm512_extracti32x4_epi32(packed, 2), base));
      _mm512_storeu_si512(out + 48, Entries(_mm512_extracti32x4_epi32(packed, 3), base));
    }
    return out + count;
  }
};

}  // namespace

ScanResult ScanAvx512(const char* p, size_t avail, size_t max_blocks, uint64_t live,
                      ScanCarry* carry, uint32_t pos, uint32_t* idx, uint32_t* esc) {
  return ScanBlocks<Avx512>(p, avail, max_blocks, live, carry, pos, idx, esc);
}

}  // namespace vd::csv::internal
