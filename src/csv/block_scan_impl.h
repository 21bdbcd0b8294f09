#pragma once

// The block scan loop shared by every SIMD level. Included only by the block_scan_*.cc
// kernels, each compiled for its own instruction set; everything here has internal
// linkage so no out-of-line copy built for a wide level can be picked for another.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "csv/block_scan.h"

namespace vd::csv::internal {
namespace {

inline uint64_t DelimiterBit(char c) { return (c == ',') | (c == '\n') | (c == '\r'); }

struct Masks {
  uint64_t delim;  // ',' CR LF
  uint64_t quote;
  uint64_t newline;  // CR LF
};

// Escape positions are rare outside _raw-style cells: a plain bit loop.
inline uint32_t* FlattenEscapes(uint64_t bits, uint32_t pos, uint32_t* out) {
  while (bits != 0) {
    *out++ = pos + static_cast<uint32_t>(__builtin_ctzll(bits));
    bits &= bits - 1;
  }
  return out;
}

// One entry per set bit of `bits`, flagged from `quoted` and `newline`.
inline uint32_t* FlattenFlagged(uint64_t bits, uint64_t quoted, uint64_t newline, uint32_t pos,
                                uint32_t* out) {
  while (bits != 0) {
    unsigned i = static_cast<unsigned>(__builtin_ctzll(bits));
    *out++ = (pos + i) | static_cast<uint32_t>((quoted >> i) << 31) |
             (static_cast<uint32_t>((newline >> i) << 31) >> 1);
    bits &= bits - 1;
  }
  return out;
}

// Isa supplies: static Masks Classify(const char* p) for 64 readable bytes,
// static uint64_t PrefixXor(uint64_t) (bit i = parity of bits 0..i), and
// static uint32_t* Flatten(uint64_t bits, uint64_t quoted, uint64_t newline,
// uint32_t pos, uint32_t* out) (index entries as FlattenFlagged writes them).
//
// One block: checks its quoting (false, with nothing written, when the slow path must
// take it), then writes its index and escape entries and advances *carry. `live`
// masks bytes before the data's start (first block only) and `last` is the bit of the
// data's last byte when it is in this block (else bit 63): both are constants in the
// main loop, which is what keeps it short.
template <class Isa>
__attribute__((always_inline)) inline bool ScanBlock(const char* p, uint64_t live, uint64_t last,
                                                     uint32_t pos, ScanCarry* carry, uint32_t** idx,
                                                     uint32_t** esc) {
  // The hardware prefetcher alone leaves this loop waiting on DRAM (it runs slower than
  // a plain scan, so streams look sparse): asking 2 KB ahead gained ~15% in csv_bench.
  // A prefetch past the data never faults.
  __builtin_prefetch(p + 2048);
  Masks m = Isa::Classify(p);
  uint64_t quotes = m.quote & live;
  uint64_t delims = m.delim & live;
  uint64_t inside = Isa::PrefixXor(quotes) ^ carry->inside;
  uint64_t structural = delims & ~inside;
  uint64_t opening = quotes & inside;
  uint64_t closing = quotes & ~inside;
  uint64_t bounds = delims | quotes;
  // An opening quote must start a cell or follow a closing quote ('""'): the byte before
  // it is a delimiter (outside quotes, since the quote opens) or a quote.
  uint64_t bad = opening & ~((bounds << 1) | carry->after_boundary);
  // A closing quote must end the cell (delimiter or end of data) or start a '""'; one
  // in the last byte is checked against the next block's first byte, so no block
  // reads past itself.
  bad |= closing & ~((bounds >> 1) | last);
  bad |= carry->after_closing & ~bounds;
  if (__builtin_expect(bad != 0, 0)) return false;
  // Bit i set when byte i - 1 is a closing quote. In a valid block that marks the second
  // quote of each '""' among the opening quotes, and a quoted cell's end among the
  // delimiters outside quotes.
  uint64_t after_closing = (closing << 1) | carry->after_closing;
  uint64_t escapes = opening & after_closing;
  *idx = Isa::Flatten(structural, structural & after_closing, m.newline, pos, *idx);
  if (__builtin_expect(escapes != 0, 0)) *esc = FlattenEscapes(escapes, pos, *esc);
  *carry = {static_cast<uint64_t>(static_cast<int64_t>(inside) >> 63), bounds >> 63, closing >> 63};
  return true;
}

template <class Isa>
inline ScanResult ScanBlocks(const char* p, size_t avail, size_t max_blocks, uint64_t live,
                             ScanCarry* carry, uint32_t pos, uint32_t* idx, uint32_t* esc) {
  ScanCarry c = *carry;  // a local copy stays in registers
  constexpr uint64_t kAll = ~uint64_t{0};
  constexpr uint64_t kTop = uint64_t{1} << 63;
  // Blocks that end before the data does (avail counts the bytes readable from p).
  size_t inner = std::min(max_blocks, avail > kBlock ? (avail - 1) / kBlock : 0);
  size_t b = 0;
  bool bad = false;
  // The bit of the data's last byte when it is in block b, else bit 63.
  auto last_bit = [avail](size_t b) {
    size_t rest = avail - b * kBlock;
    return rest > kBlock ? kTop : uint64_t{1} << (rest - 1);
  };
  if (live != kAll && max_blocks > 0) {  // a start inside the first block
    bad = !ScanBlock<Isa>(p, live, last_bit(0), pos, &c, &idx, &esc);
    if (!bad) b = 1;
  }
  for (; !bad && b < inner; ++b) {
    if (!ScanBlock<Isa>(p + b * kBlock, kAll, kTop, pos + static_cast<uint32_t>(b * kBlock), &c,
                        &idx, &esc)) {
      bad = true;
      break;  // blocks counts only the blocks scanned
    }
  }
  if (!bad && b < max_blocks) {  // the block holding the data's last byte
    bad = !ScanBlock<Isa>(p + b * kBlock, kAll, last_bit(b),
                          pos + static_cast<uint32_t>(b * kBlock), &c, &idx, &esc);
    if (!bad) ++b;
  }
  *carry = c;
  return {b, idx, esc, bad};
}

}  // namespace
}  // namespace vd::csv::internal
