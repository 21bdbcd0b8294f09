#pragma once

// Stage 1 of the CSV reader: classifies 64-byte blocks and flattens the positions of
// the structural delimiters (',' CR LF outside quotes) into a flat index, so stage 2
// (Reader::Next) can cut cells in a tight loop. Internal to src/csv.
//
// One kernel per SIMD level, each in its own translation unit compiled for that level
// and chosen at run time: the shipped binary targets baseline x86-64.

#include <cstddef>
#include <cstdint>

namespace vd::csv::internal {

inline constexpr size_t kBlock = 64;
// Terminates the escape list; compares above every position.
inline constexpr uint32_t kNoEscape = 0xffffffffu;
// Entries a kernel may write past the last one it reports (branch-free flattening).
inline constexpr size_t kIndexSlack = 64;
// An index entry is a position (low 30 bits) and two flags: the cell this delimiter
// ends is quoted (its last byte is the closing quote), and the delimiter is CR or LF.
inline constexpr uint32_t kQuotedFlag = 0x80000000u;
inline constexpr uint32_t kRowEndFlag = 0x40000000u;
inline constexpr uint32_t kPositionMask = 0x3fffffffu;

// What the next block needs to know about the bytes before it.
struct ScanCarry {
  uint64_t inside;          // all ones when the last byte was inside a quoted cell
  uint64_t after_boundary;  // a quote may open a cell at the set bit: bit 0 when the last
                            // byte was a delimiter or a quote; bit k at a start mid-block
  uint64_t after_closing;   // bit 0 set when the last byte was a closing quote
};

struct ScanResult {
  size_t blocks;      // blocks classified and flattened
  uint32_t* idx_end;  // one past the last index entry written
  uint32_t* esc_end;  // one past the last escape entry written
  bool bad;           // stopped at a block the fast path must not cut (see below)
};

// Scans up to `max_blocks` blocks at `p`; `avail` bytes are readable from p (the data
// end). Bits below the first
// set bit of `live` (first block only) are not part of the data being read.
//
// Writes `pos` + bit (with its flags) for every structural delimiter to idx (plus up to kIndexSlack
// scratch entries), and for every '""' inside a quoted cell the position of its second
// quote to esc. Stops before the first block whose quotes are not all well-formed (an
// opening quote that does not start a cell, bytes other than a delimiter or quote
// after a closing quote); the byte-exact slow path owns those and all error reporting.
using ScanFn = ScanResult (*)(const char* p, size_t avail, size_t max_blocks, uint64_t live,
                              ScanCarry* carry, uint32_t pos, uint32_t* idx, uint32_t* esc);

ScanResult ScanBaseline(const char* p, size_t avail, size_t max_blocks, uint64_t live,
                        ScanCarry* carry, uint32_t pos, uint32_t* idx, uint32_t* esc);
#if defined(VD_CSV_X86_KERNELS)
ScanResult ScanAvx2(const char* p, size_t avail, size_t max_blocks, uint64_t live, ScanCarry* carry,
                    uint32_t pos, uint32_t* idx, uint32_t* esc);
ScanResult ScanAvx512(const char* p, size_t avail, size_t max_blocks, uint64_t live,
                      ScanCarry* carry, uint32_t pos, uint32_t* idx, uint32_t* esc);
#endif

}  // namespace vd::csv::internal
