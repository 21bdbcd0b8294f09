#include "csv/reader.h"

#include <cstring>
#include <string>

#if defined(__SSE2__)
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
#if defined(__SSE2__)
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

}  // namespace

Reader::Reader(char* data, size_t size)
    : begin_(data), end_(data + size), pos_(data), block_(data) {
  if (size > 0) LoadBlockFor(data);
}

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

bool Reader::Next(std::vector<std::string_view>* cells) {
  cells->clear();
  if (pos_ >= end_ || !status_.ok()) return false;
  char* p = pos_;
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
