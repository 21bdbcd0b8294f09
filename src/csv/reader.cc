#include "csv/reader.h"

#include <cstdlib>
#include <cstring>
#include <string>

#if defined(__x86_64__)
#include <immintrin.h>
#define VD_CSV_X86 1
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vd::csv {
namespace {

struct Masks {
  uint64_t delim;
  uint64_t quote;
};

// Classifies 64 bytes at once; the hot path of the product.
inline Masks Classify(const char* p) {
#if defined(__SSE2__) || defined(VD_CSV_X86)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i quote = _mm_set1_epi8('"');
  Masks m{0, 0};
  for (int i = 0; i < 4; ++i) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    __m128i d = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                             _mm_cmpeq_epi8(v, cr));
    m.delim |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(d))) << (16 * i);
    m.quote |= static_cast<uint64_t>(static_cast<uint32_t>(
                   _mm_movemask_epi8(_mm_cmpeq_epi8(v, quote))))
               << (16 * i);
  }
  return m;
#else
  Masks m{0, 0};
  for (int i = 0; i < 64; ++i) {
    char c = p[i];
    if (c == ',' || c == '\n' || c == '\r') m.delim |= uint64_t{1} << i;
    if (c == '"') m.quote |= uint64_t{1} << i;
  }
  return m;
#endif
}

#if defined(VD_CSV_X86)
// Wide variants, chosen at run time: the shipped binary targets baseline x86-64.
__attribute__((target("avx2"))) inline Masks ClassifyAvx2(const char* p) {
  const __m256i comma = _mm256_set1_epi8(',');
  const __m256i lf = _mm256_set1_epi8('\n');
  const __m256i cr = _mm256_set1_epi8('\r');
  const __m256i quote = _mm256_set1_epi8('"');
  __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  __m256i dlo = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(lo, comma),
                                                _mm256_cmpeq_epi8(lo, lf)),
                                _mm256_cmpeq_epi8(lo, cr));
  __m256i dhi = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(hi, comma),
                                                _mm256_cmpeq_epi8(hi, lf)),
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

__attribute__((target("pclmul"))) inline uint64_t PrefixXorClmul(uint64_t x) {
  __m128i v = _mm_set_epi64x(0, static_cast<long long>(x));
  __m128i ones = _mm_set1_epi8(static_cast<char>(0xff));
  return static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_clmulepi64_si128(v, ones, 0)));
}

// VD_CSV_NO_WIDE_SIMD=1 forces the baseline path (its tests run both).
bool HasWideSimd() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") &&
                          std::getenv("VD_CSV_NO_WIDE_SIMD") == nullptr;
  return has;
}
#else
bool HasWideSimd() { return false; }
#endif

}  // namespace

Reader::Reader(char* data, size_t size)
    : begin_(data), end_(data + size), pos_(data), wide_(HasWideSimd()), block_(data) {}

bool Reader::LoadBlockFor(const char* p) {
  if (p >= end_) return false;
  size_t off = static_cast<size_t>(p - begin_) & ~(kBlock - 1);
  block_ = begin_ + off;
  if (static_cast<size_t>(end_ - block_) >= kBlock) {
    Masks m = Classify(block_);
    delim_mask_ = m.delim;
    quote_mask_ = m.quote;
  } else {  // the tail: classify a zero-padded copy (NUL is not special)
    char tail[kBlock] = {};
    std::memcpy(tail, block_, static_cast<size_t>(end_ - block_));
    Masks m = Classify(tail);
    delim_mask_ = m.delim;
    quote_mask_ = m.quote;
  }
  return true;
}

inline const char* Reader::FindDelimiter(const char* p) {
  while (true) {
    size_t off = static_cast<size_t>(p - block_);
    if (off < kBlock) {
      uint64_t m = delim_mask_ & (~uint64_t{0} << off);
      if (m != 0) return block_ + __builtin_ctzll(m);
      p = block_ + kBlock;
    }
    if (!LoadBlockFor(p)) return end_;
  }
}

inline const char* Reader::FindQuote(const char* p) {
  while (true) {
    size_t off = static_cast<size_t>(p - block_);
    if (off < kBlock) {
      uint64_t m = quote_mask_ & (~uint64_t{0} << off);
      if (m != 0) return block_ + __builtin_ctzll(m);
      p = block_ + kBlock;
    }
    if (!LoadBlockFor(p)) return end_;
  }
}

bool Reader::Fail(const char* what, const char* at) {
  std::string msg = "CSV row " + std::to_string(rows_ + 1) + ", byte offset " +
                    std::to_string(at - begin_) + ": " + what;
  status_ = Status::Parse(msg);
  pos_ = end_;
  return false;
}

namespace {

// Bit i set when an odd number of bits 0..i are set: with quote bits, the in-quote mask.
inline uint64_t PrefixXor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

inline bool IsDelimiter(char c) { return c == ',' || c == '\n' || c == '\r'; }

// Compacts the '""' pairs of a validated quoted cell's text in place; returns its end.
__attribute__((noinline)) char* Unescape(char* text, char* close) {
  // JSON-like _raw text has a quote every few bytes, so after the first one a byte loop
  // beats memchr + memmove per quote.
  char* q = static_cast<char*>(std::memchr(text, '"', static_cast<size_t>(close - text)));
  if (q == nullptr) return close;
  // Quotes come in validated pairs: keep the first, drop the second. JSON-like _raw
  // text has a quote every few bytes, so once the output lags the input by 16 bytes
  // (a 16-byte store can no longer touch unread input) copy 16-byte stretches up to the
  // next quote; before that, and for the tail, a branch-free byte loop.
  char* write = q;
  char* read = q;
  bool second = false;  // the next quote is the second of its pair
  while (read < close) {
#if defined(__SSE2__) || defined(VD_CSV_X86)
    if (!second && read - write >= 16 && close - read >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(read));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(write), v);
      unsigned mask =
          static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"'))));
      if (mask == 0) {
        write += 16;
        read += 16;
      } else {
        unsigned k = static_cast<unsigned>(__builtin_ctz(mask));
        write += k + 1;
        read += k + 2;
      }
      continue;
    }
#endif
    char c = *read++;
    *write = c;
    bool is_quote = c == '"';
    write += !(is_quote && second);
    second = second != is_quote;
  }
  return write;
}

// The cell [begin, end) of a validated block: a quoted cell is '"' text '"'.
// `end` must be readable (a delimiter) unless end == begin is possible at end of data,
// hence `at_end`.
__attribute__((always_inline)) inline void EmitCell(char* begin, char* end, bool escaped,
                                                 bool at_end,
                                                 std::vector<std::string_view>* cells) {
  bool quoted = at_end ? (begin < end && *begin == '"') : (*begin == '"');
  if (__builtin_expect(escaped, 0)) {
    char* text = begin + 1;
    cells->emplace_back(text, static_cast<size_t>(Unescape(text, end - 1) - text));
    return;
  }
  size_t q = quoted ? 1 : 0;  // branch-free: quoted and bare cells mix unpredictably
  cells->emplace_back(begin + q, static_cast<size_t>(end - begin) - 2 * q);
}


}  // namespace

// Quote and delimiter bits of the 64 bytes at p (readable), and their in-quote mask.
struct BlockBits {
  uint64_t quotes;
  uint64_t delims;
  uint64_t in_quotes;
};

#if defined(VD_CSV_X86)
static __attribute__((target("avx2,pclmul"))) BlockBits ClassifyWide(const char* p, uint64_t live) {
  Masks m = ClassifyAvx2(p);
  uint64_t quotes = m.quote & live;
  return {quotes, m.delim & live, PrefixXorClmul(quotes)};
}
#endif

static inline BlockBits ClassifyBase(const char* p, uint64_t live) {
  Masks m = Classify(p);
  uint64_t quotes = m.quote & live;
  return {quotes, m.delim & live, PrefixXor(quotes)};
}

void Reader::LoadFastBlock(const char* base, size_t from, bool fresh) {
  size_t n = static_cast<size_t>(end_ - base);
  uint64_t live = ~uint64_t{0} << from;
  char tail[kBlock];
  const char* bytes = base;
  if (n < kBlock) {  // classify a zero-padded copy (NUL is not special)
    std::memset(tail, 0, kBlock);
    std::memcpy(tail, base, n);
    bytes = tail;
  }
#if defined(VD_CSV_X86)
  BlockBits b = wide_ ? ClassifyWide(bytes, live) : ClassifyBase(bytes, live);
#else
  BlockBits b = ClassifyBase(bytes, live);
#endif
  uint64_t quotes = b.quotes;
  uint64_t delims = b.delims;
  uint64_t inside = b.in_quotes ^ (fresh ? 0 : inside_carry_);
  uint64_t structural = delims & ~inside;
  uint64_t opening = quotes & inside;
  uint64_t closing = quotes & ~inside;

  // An opening quote must start a cell or follow a closing quote ('""').
  uint64_t cell_starts = (structural << 1) | (fresh ? uint64_t{1} << from : last_structural_);
  uint64_t after_quote = (quotes << 1) | (!fresh && last_quote_ ? 1 : 0);
  uint64_t bad = opening & ~(cell_starts | after_quote);
  // A closing quote must end the cell (delimiter or end of data) or start a '""'.
  uint64_t may_follow = (delims >> 1) | (quotes >> 1);
  uint64_t next_is_quote = 0;
  constexpr uint64_t kTop = uint64_t{1} << 63;
  if (n > kBlock) {
    char next = base[kBlock];
    if (IsDelimiter(next)) may_follow |= kTop;
    if (next == '"') next_is_quote = kTop;
  } else {
    may_follow |= uint64_t{1} << (n - 1);
  }
  bad |= closing & ~(may_follow | next_is_quote);

  fast_block_ = base;
  fast_valid_ = bad == 0;
  structural_ = structural;
  escapes_ = closing & ((quotes >> 1) | next_is_quote);
  inside_carry_ = (inside >> 63) ? ~uint64_t{0} : 0;
  last_structural_ = (structural >> 63) != 0;
  last_quote_ = (quotes >> 63) != 0;
}

bool Reader::Next(std::vector<std::string_view>* cells) {
  cells->clear();
  if (pos_ >= end_ || !status_.ok()) return false;
  char* cell = pos_;
  if (fast_block_ == nullptr || !fast_valid_ || pos_ < fast_block_ ||
      pos_ >= fast_block_ + kBlock) {
    size_t at = static_cast<size_t>(pos_ - begin_);
    LoadFastBlock(begin_ + (at & ~(kBlock - 1)), at & (kBlock - 1), /*fresh=*/true);
  }
  char* block = const_cast<char*>(fast_block_);
  uint64_t structural = structural_;  // locals: stores into *cells cannot alias them
  uint64_t escapes = escapes_;
  size_t from = static_cast<size_t>(pos_ - block);
  bool escaped = false;
  while (true) {
    if (!fast_valid_) return SlowRow(cell, cells);
    uint64_t bits = structural & (~uint64_t{0} << from);
    while (bits != 0) {
      unsigned i = static_cast<unsigned>(__builtin_ctzll(bits));
      char* d = block + i;
      if (__builtin_expect(escapes != 0, 0)) {
        uint64_t below = (uint64_t{1} << i) - 1;
        if (cell > block) below &= ~uint64_t{0} << (cell - block);
        escaped |= (escapes & below) != 0;
      }
      EmitCell(cell, d, escaped, /*at_end=*/false, cells);
      escaped = false;
      char c = *d;
      if (c == ',') {
        cell = d + 1;
        bits &= bits - 1;
        continue;
      }
      char* next = d + 1;
      if (c == '\r' && next < end_ && *next == '\n') ++next;
      pos_ = next;
      ++rows_;
      return true;
    }
    // The cell runs on past this block.
    if (cell < block + kBlock) {
      uint64_t rest = ~uint64_t{0};
      if (cell > block) rest <<= (cell - block);
      escaped |= (escapes & rest) != 0;
    }
    if (block + kBlock >= end_) {
      if (inside_carry_ != 0) return SlowRow(cell, cells);  // unterminated: report it
      EmitCell(cell, end_, escaped, /*at_end=*/true, cells);
      pos_ = end_;
      ++rows_;
      return true;
    }
    block += kBlock;
    LoadFastBlock(block, 0, /*fresh=*/false);
    structural = structural_;
    escapes = escapes_;
    from = 0;
  }
}

bool Reader::SlowRow(char* p, std::vector<std::string_view>* cells) {
  fast_block_ = nullptr;
  LoadBlockFor(p);
  while (true) {
    if (p < end_ && *p == '"') {
      char* open = p;
      char* text = p + 1;
      char* write = nullptr;  // set once the cell held an escaped quote
      char* segment = text;
      while (true) {
        char* q = const_cast<char*>(FindQuote(segment));
        if (q >= end_) return Fail("unterminated quoted cell", open);
        if (q + 1 < end_ && q[1] == '"') {  // "" -> "
          if (write == nullptr) {
            write = q + 1;
          } else {
            size_t n = static_cast<size_t>(q + 1 - segment);
            std::memmove(write, segment, n);
            write += n;
          }
          segment = q + 2;
          continue;
        }
        if (write != nullptr) {
          size_t n = static_cast<size_t>(q - segment);
          std::memmove(write, segment, n);
          write += n;
        } else {
          write = q;
        }
        cells->emplace_back(text, static_cast<size_t>(write - text));
        p = q + 1;
        break;
      }
    } else {
      char* d = const_cast<char*>(FindDelimiter(p));
      cells->emplace_back(p, static_cast<size_t>(d - p));
      p = d;
    }
    if (p >= end_) break;
    char c = *p;
    if (c == ',') {
      ++p;
      continue;
    }
    if (c == '\n') {
      ++p;
      break;
    }
    if (c == '\r') {
      ++p;
      if (p < end_ && *p == '\n') ++p;
      break;
    }
    return Fail("unexpected byte after a closing quote", p);
  }
  pos_ = p;
  ++rows_;
  return true;
}

Result<size_t> CountRows(char* data, size_t size) {
  Reader reader(data, size);
  std::vector<std::string_view> cells;
  while (reader.Next(&cells)) {
  }
  if (!reader.status().ok()) return reader.status();
  return reader.rows_read();
}

}  // namespace vd::csv
