// Stage 2 with AVX-512 (compiled with -mavx512f -mavx512bw -mavx512vl; chosen at run time
// with the AVX-512 block scan): eight index entries become eight {pointer, length} cells per
// step at a constant stride, so no step waits on the one before. Internal linkage
// beside the one entry point, as in the block_scan_*.cc kernels, so no AVX-512 copy of
// a shared inline function exists.
#include <immintrin.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC bug 105593, see block_scan_avx512.cc
#endif

#include "csv/block_scan.h"
#include "csv/cell_cut.h"

namespace vd::csv::internal {

size_t CutAvx512(const uint32_t* idx, size_t n, char* window, char* first, void* cells,
                 uint32_t* ends, uint32_t base, bool pointer_first) {
  char* out = static_cast<char*>(cells);
  uint32_t* ends_out = ends;
  const __m512i window_base =
      _mm512_set1_epi64(static_cast<long long>(reinterpret_cast<uintptr_t>(window)));
  const __m512i position_mask = _mm512_set1_epi64(kPositionMask);
  const __m512i row_end_flag = _mm512_set1_epi64(kRowEndFlag);
  const __m512i one = _mm512_set1_epi64(1);
  // Interleaves lengths (a) and pointers (b) into cell slots, four per register.
  const __m512i low = pointer_first ? _mm512_set_epi64(3, 11, 2, 10, 1, 9, 0, 8)
                                    : _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
  const __m512i high = _mm512_add_epi64(low, _mm512_set1_epi64(4));
  __m256i index = _mm256_add_epi32(_mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0),
                                   _mm256_set1_epi32(static_cast<int>(base)));
  const __m256i eight = _mm256_set1_epi32(8);
  // The delimiter before the next group's first cell (its lane 7).
  __m512i prev_d =
      _mm512_set1_epi64(static_cast<long long>(reinterpret_cast<uintptr_t>(first - 1)));
  for (size_t k = 0; k < n; k += 8) {
    size_t left = n - k;
    __mmask16 valid = static_cast<__mmask16>(left >= 8 ? 0xffu : (1u << left) - 1);
    __m512i entries =
        _mm512_cvtepu32_epi64(_mm512_castsi512_si256(_mm512_maskz_loadu_epi32(valid, idx + k)));
    __m512i d = _mm512_add_epi64(_mm512_and_si512(entries, position_mask), window_base);
    __m512i prev = _mm512_alignr_epi64(d, prev_d, 7);
    prev_d = d;
    // A quoted cell drops its quotes: begin + 1, length - 2.
    __m512i quoted = _mm512_srli_epi64(entries, 31);
    __m512i begin = _mm512_add_epi64(_mm512_add_epi64(prev, one), quoted);
    __m512i length = _mm512_sub_epi64(_mm512_sub_epi64(d, begin), quoted);
    _mm512_storeu_si512(out, _mm512_permutex2var_epi64(length, low, begin));
    _mm512_storeu_si512(out + 64, _mm512_permutex2var_epi64(length, high, begin));
    out += 16 * 8;
    __mmask8 row_ends =
        _mm512_mask_test_epi64_mask(static_cast<__mmask8>(valid), entries, row_end_flag);
    // Register compress and a whole 32-byte store (the slack absorbs it): a compress
    // straight to memory is slow on some cores, and a 64-byte store costs two store slots.
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(ends_out),
                        _mm256_maskz_compress_epi32(row_ends, index));
    ends_out += __builtin_popcount(static_cast<unsigned>(row_ends));
    index = _mm256_add_epi32(index, eight);
  }
  return static_cast<size_t>(ends_out - ends);
}

}  // namespace vd::csv::internal
