#pragma once

// Stage 2 of the CSV reader, eight cells at a time (AVX-512; chosen at run time beside
// the block scan). Internal to src/csv. With it the reader cuts a whole window's index
// into cells at once (no branch per cell or per row) and hands rows out as spans of
// that array; the scalar loop in reader.cc stays the reference for the other levels.

#include <cstddef>
#include <cstdint>

namespace vd::csv::internal {

// Writes one cell for each index entry idx[0..n) (positions relative to `window`) into
// `cells`, an array of std::string_view-sized slots ({length, pointer}, or {pointer,
// length} when `pointer_first`) with room for n + 8 (groups are stored whole). Cell k
// runs from one past entry k-1 (cell 0 from `first`) to entry k, without its quotes
// when the entry is flagged quoted; '""' escapes are left for the caller to undo.
// Writes k + `base` for every row-end entry k to `ends` (room for n + 16 needed) and
// returns how many.
using CutFn = size_t (*)(const uint32_t* idx, size_t n, char* window, char* first, void* cells,
                         uint32_t* ends, uint32_t base, bool pointer_first);

#if defined(VD_CSV_X86_KERNELS)
size_t CutAvx512(const uint32_t* idx, size_t n, char* window, char* first, void* cells,
                 uint32_t* ends, uint32_t base, bool pointer_first);
#endif

}  // namespace vd::csv::internal
