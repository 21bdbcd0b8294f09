#pragma once

// The block scan loop shared by every SIMD level. Included only by the block_scan_*.cc
// kernels, each compiled for its own instruction set; everything here has internal
// linkage so no out-of-line copy built for a wide level can be picked for another.

#include <cstddef>
#include <cstdint>

#include "csv/block_scan.h"

namespace vd::csv::internal {
namespace {

inline uint64_t DelimiterBit(char c) { return (c == ',') | (c == '\n') | (c == '\r'); }

struct Masks {
  uint64_t delim;    // ',' CR LF
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
template <class Isa>
inline ScanResult ScanBlocks(const char* p, size_t avail, size_t max_blocks, uint64_t live,
                             ScanCarry* carry, uint32_t pos, uint32_t* idx, uint32_t* esc) {
  uint64_t inside_carry = carry->inside;
  uint64_t start_carry = carry->cell_start;
  uint64_t quote_carry = carry->after_quote;
  uint64_t close_carry = carry->after_closing;
  size_t b = 0;
  bool bad = false;
  for (; b < max_blocks; ++b, p += kBlock, avail -= kBlock, pos += kBlock) {
    Masks m = Isa::Classify(p);
    uint64_t quotes = m.quote & live;
    uint64_t delims = m.delim & live;
    live = ~uint64_t{0};
    uint64_t inside = Isa::PrefixXor(quotes) ^ inside_carry;
    uint64_t structural = delims & ~inside;
    uint64_t opening = quotes & inside;
    uint64_t closing = quotes & ~inside;
    // An opening quote must start a cell or follow a closing quote ('""').
    uint64_t bad_bits = opening & ~((structural << 1) | start_carry | (quotes << 1) | quote_carry);
    // A closing quote must end the cell (delimiter or end of data) or start a '""'; one
    // in the last byte is checked against the next block's first byte, so no block
    // reads past itself.
    uint64_t last = avail > kBlock ? uint64_t{1} << 63 : uint64_t{1} << (avail - 1);
    bad_bits |= closing & ~(((delims | quotes) >> 1) | last);
    bad_bits |= close_carry & ~(delims | quotes) & 1;
    if (__builtin_expect(bad_bits != 0, 0)) {
      bad = true;
      break;
    }
    // The second quote of each '""' (an opening quote right after a closing one).
    uint64_t escapes = opening & ((closing << 1) | close_carry);
    // In a valid block a quote before a delimiter outside quotes closes a quoted cell.
    uint64_t quoted = structural & ((quotes << 1) | quote_carry);
    idx = Isa::Flatten(structural, quoted, m.newline, pos, idx);
    if (__builtin_expect(escapes != 0, 0)) esc = FlattenEscapes(escapes, pos, esc);
    inside_carry = static_cast<uint64_t>(static_cast<int64_t>(inside) >> 63);
    start_carry = structural >> 63;
    quote_carry = quotes >> 63;
    close_carry = closing >> 63;
  }
  carry->inside = inside_carry;
  carry->cell_start = start_carry;
  carry->after_quote = quote_carry;
  carry->after_closing = close_carry;
  return {b, idx, esc, bad};
}

}  // namespace
}  // namespace vd::csv::internal
