#include "csv/reader.h"

#include <algorithm>
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

// Classifies 64 bytes at once for the slow path (the fast path has block_scan_*.cc).
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
    m.quote |=
        static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote))))
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

Status Reader::ErrorStatus(size_t rows, size_t offset, const char* what) {
  return Status::Parse("CSV row " + std::to_string(rows + 1) + ", byte offset " +
                       std::to_string(offset) + ": " + what);
}

bool Reader::Fail(const char* what, const char* at) {
  fail_rows_ = rows_;
  fail_offset_ = static_cast<size_t>(at - begin_);
  fail_what_ = what;
  status_ = ErrorStatus(fail_rows_, fail_offset_, what);
  pos_ = end_;
  return false;
}

Status Reader::StatusAfter(size_t rows_before, size_t bytes_before) const {
  if (status_.ok()) return status_;
  return ErrorStatus(rows_before + fail_rows_, bytes_before + fail_offset_, fail_what_);
}

namespace {

// Compacts the '""' pairs of a validated quoted cell's text in place; returns its end.
char* Unescape(char* text, char* close) {
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

// The widest block scan this CPU runs.
SimdLevel HardwareLevel() {
#if defined(VD_CSV_X86_KERNELS)
  static const SimdLevel level = [] {
    __builtin_cpu_init();
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") &&
          __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt"))) {
      return SimdLevel::kBaseline;
    }
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi2") &&
        __builtin_cpu_supports("bmi2")) {
      return SimdLevel::kAvx512;
    }
    return SimdLevel::kAvx2;
  }();
  return level;
#else
  return SimdLevel::kBaseline;
#endif
}

// VD_CSV_NO_WIDE_SIMD=1 forces the baseline scan and VD_CSV_NO_AVX512=1 caps it at AVX2
// (the tests run every level).
SimdLevel DefaultLevel() {
  static const SimdLevel level = [] {
    SimdLevel l = HardwareLevel();
    if (std::getenv("VD_CSV_NO_WIDE_SIMD") != nullptr) return SimdLevel::kBaseline;
    if (std::getenv("VD_CSV_NO_AVX512") != nullptr && l == SimdLevel::kAvx512) {
      return SimdLevel::kAvx2;
    }
    return l;
  }();
  return level;
}

internal::ScanFn KernelFor(SimdLevel level) {
#if defined(VD_CSV_X86_KERNELS)
  if (level == SimdLevel::kAvx512) return internal::ScanAvx512;
  if (level == SimdLevel::kAvx2) return internal::ScanAvx2;
#endif
  (void)level;
  return internal::ScanBaseline;
}

// {length, pointer} or {pointer, length}: how this library lays out a string_view,
// which the AVX-512 cutter writes as raw 16-byte slots.
static_assert(sizeof(std::string_view) == 2 * sizeof(uint64_t));
enum class ViewLayout { kUnknown, kLengthFirst, kPointerFirst };
ViewLayout StringViewLayout() {
  static const char text[] = "ab";
  std::string_view v(text, 2);
  uint64_t words[2];
  std::memcpy(words, &v, sizeof words);
  uint64_t p = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(text));
  if (words[0] == 2 && words[1] == p) return ViewLayout::kLengthFirst;
  if (words[0] == p && words[1] == 2) return ViewLayout::kPointerFirst;
  return ViewLayout::kUnknown;
}

internal::CutFn CutFor(SimdLevel level) {
#if defined(VD_CSV_X86_KERNELS)
  if (level == SimdLevel::kAvx512 && StringViewLayout() != ViewLayout::kUnknown) {
    return internal::CutAvx512;
  }
#endif
  (void)level;
  return nullptr;
}

}  // namespace

Reader::Reader(char* data, size_t size) : Reader(data, size, DefaultLevel()) {}

Reader::Reader(char* data, size_t size, SimdLevel max_level)
    : begin_(data),
      end_(data + size),
      pos_(data),
      level_(std::min(max_level, HardwareLevel())),
      kernel_(KernelFor(level_)),
      cut_(CutFor(level_)),
      view_pointer_first_(StringViewLayout() == ViewLayout::kPointerFirst),
      block_(data) {
  // The index for one window: every byte may be a delimiter, and at most every other
  // one the start of a '""'. Small bodies get a small index.
  size_t rounded = (size + kBlock - 1) & ~(kBlock - 1);
  window_bytes_ = std::max(kBlock, std::min(kWindow, rounded));
  size_t idx_entries = window_bytes_ + internal::kIndexSlack;
  size_t esc_entries = window_bytes_ / 2 + 2;  // + the carried-over entry and the end mark
  storage_.reset(new uint32_t[idx_entries + esc_entries]);
  idx_ = storage_.get();
  esc_ = idx_ + idx_entries;
  if (cut_ != nullptr) {
    cells_.reset(new std::string_view[idx_entries + 8]);
    ends_.reset(new uint32_t[idx_entries + 16]);
  }
}

void Reader::CutWindow(char* first) {
  size_t start = static_cast<size_t>(cur_ - idx_);
  size_t n = static_cast<size_t>(lim_ - idx_);
  size_t rows = cut_(cur_, n - start, window_, first, cells_.get() + start, ends_.get(),
                     static_cast<uint32_t>(start), view_pointer_first_);
  end_cur_ = ends_.get();
  end_lim_ = end_cur_ + rows;
  // Cells holding a '""' (rare outside _raw-style text): undo the escapes in place.
  // Escapes past the last entry belong to the cell still open (see ScanWindow).
  const uint32_t* esc = esc_cur_;
  size_t k = start;
  while (*esc != internal::kNoEscape) {
    uint32_t e = *esc;
    while (k < n && (idx_[k] & internal::kPositionMask) < e) ++k;
    if (k == n) break;
    uint32_t off = idx_[k] & internal::kPositionMask;
    while (*esc <= off) ++esc;
    char* begin = k == start ? first : window_ + (idx_[k - 1] & internal::kPositionMask) + 1;
    cells_[k] = QuotedCellWithEscapes(begin, window_ + off);
    ++k;
  }
  esc_cur_ = esc;
}

std::string_view* Reader::ReserveRow(size_t count, size_t more) {
  while (row_capacity_ - count < more) GrowRow(count);
  return row_.get() + count;
}

bool Reader::NextRowFromWindow(std::span<const std::string_view>* cells) {
  if (stage_ == Stage::kCold) {
    ScanWindow();
    CutWindow(pos_);
  }
  size_t count = 0;  // cells of a row that began in an earlier window, gathered in row_
  char* cell = pos_;
  while (true) {
    if (end_cur_ < end_lim_) return TakeCutRow(count, cells);
    // The row goes on past this window: keep its cells so far.
    size_t k = static_cast<size_t>(cur_ - idx_);
    size_t rest = static_cast<size_t>(lim_ - cur_);
    if (rest != 0) {
      std::copy(cells_.get() + k, cells_.get() + k + rest, ReserveRow(count, rest));
      count += rest;
      cell = window_ + (lim_[-1] & internal::kPositionMask) + 1;
      cur_ = lim_;
    }
    if (stage_ == Stage::kMore) {
      ScanWindow();
      CutWindow(cell);
      continue;
    }
    if (stage_ == Stage::kBad || carry_.inside != 0) {  // the slow path reports errors
      stage_ = Stage::kCold;
      bool ok = SlowRow(cell, count);
      if (ok) *cells = {row_.get(), row_size_};
      return ok;
    }
    // The last cell runs to the end of the data.
    *ReserveRow(count, 1) = CellToEnd(cell, *esc_cur_ != internal::kNoEscape);
    pos_ = end_;
    ++rows_;
    row_size_ = count + 1;
    *cells = {row_.get(), row_size_};
    return true;
  }
}

void Reader::ScanWindow() {
  uint64_t live = ~uint64_t{0};
  uint32_t* esc = esc_;
  if (stage_ == Stage::kCold) {
    size_t at = static_cast<size_t>(pos_ - begin_);
    scan_ = begin_ + (at & ~(kBlock - 1));
    live <<= (at & (kBlock - 1));
    carry_ = {0, uint64_t{1} << (at & (kBlock - 1)), 0};
    skip_lf_ = false;
  } else if (*esc_cur_ != internal::kNoEscape) {
    *esc++ = 0;  // the cell still open holds a '""' from the last window
  }
  window_ = const_cast<char*>(scan_);
  size_t avail = static_cast<size_t>(end_ - scan_);
  internal::ScanResult r;
  if (avail >= kBlock) {
    r = kernel_(scan_, avail, std::min(avail, window_bytes_) / kBlock, live, &carry_, 0, idx_, esc);
    scan_ += r.blocks * kBlock;
  } else {  // the tail: scan a zero-padded copy (NUL is not special)
    char tail[kBlock] = {};
    std::memcpy(tail, scan_, avail);
    r = kernel_(tail, avail, 1, live, &carry_, 0, idx_, esc);
    if (r.blocks != 0) scan_ = end_;
  }
  *r.esc_end = internal::kNoEscape;
  cur_ = idx_;
  lim_ = r.idx_end;
  esc_cur_ = esc_;
  stage_ = r.bad ? Stage::kBad : scan_ >= end_ ? Stage::kEnd : Stage::kMore;
  if (skip_lf_ && cur_ < lim_) {
    ++cur_;
    skip_lf_ = false;
  }
}

std::string_view Reader::CellToEnd(char* cell, bool escaped) {
  if (escaped) return QuotedCellWithEscapes(cell, end_);
  size_t q = cell < end_ && *cell == '"';
  return std::string_view(cell + q, static_cast<size_t>(end_ - cell) - 2 * q);
}

std::string_view Reader::QuotedCellWithEscapes(char* begin, char* end) {
  char* text = begin + 1;
  return std::string_view(text, static_cast<size_t>(Unescape(text, end - 1) - text));
}

std::string_view* Reader::GrowRow(size_t count) {
  size_t capacity = std::max<size_t>(32, 2 * row_capacity_);
  std::unique_ptr<std::string_view[]> grown(new std::string_view[capacity]);
  std::copy(row_.get(), row_.get() + count, grown.get());
  row_ = std::move(grown);
  row_capacity_ = capacity;
  return row_.get() + count;
}

bool Reader::Next(std::vector<std::string_view>* cells) {
  std::span<const std::string_view> row;
  if (!NextRow(&row)) {
    cells->clear();
    return false;
  }
  cells->assign(row.begin(), row.end());
  return true;
}

void Reader::SkipLfOfCrlf() {
  if (pos_ < end_ && *pos_ == '\n') {
    ++pos_;
    if (cur_ < lim_) {
      ++cur_;
      ++end_cur_;  // the LF ends a row too
    } else {
      skip_lf_ = true;
    }
  }
}

bool Reader::NextRowGeneral(std::span<const std::string_view>* cells) {
  *cells = {};
  if (pos_ >= end_ || !status_.ok()) return false;
  if (cut_ != nullptr) return NextRowFromWindow(cells);
  if (stage_ == Stage::kCold) ScanWindow();
  char* cell = pos_;
  // Everything the loop touches lives in locals: a store through `out` could alias any
  // member as far as the compiler knows.
  std::string_view* out = row_.get();
  std::string_view* out_end = out + row_capacity_;
  const uint32_t* cur = cur_;
  const uint32_t* lim = lim_;
  const uint32_t* esc = esc_cur_;
  uint32_t next_esc = *esc;
  char* window = window_;
  while (true) {
    // Stop where row_ is full, so the cell loop itself needs no capacity check.
    const uint32_t* stop = lim;
    if (static_cast<size_t>(lim - cur) > static_cast<size_t>(out_end - out)) {
      stop = cur + (out_end - out);
    }
    while (cur < stop) {
      uint32_t entry = *cur++;
      uint32_t off = entry & internal::kPositionMask;
      char* d = window + off;
      if (__builtin_expect(next_esc <= off, 0)) {  // a '""' lies before this delimiter
        while (*esc <= off) ++esc;
        next_esc = *esc;
        *out++ = QuotedCellWithEscapes(cell, d);
      } else {
        size_t q = entry >> 31;  // branch-free: quoted and bare cells mix unpredictably
        *out++ = std::string_view(cell + q, static_cast<size_t>(d - cell) - 2 * q);
      }
      cell = d + 1;
      if (entry & internal::kRowEndFlag) {
        if (*d == '\r' && cell < end_ && *cell == '\n') {  // CRLF: skip the LF's entry
          ++cell;
          if (cur < lim) {
            ++cur;
          } else {
            skip_lf_ = true;
          }
        }
        cur_ = cur;
        esc_cur_ = esc;
        pos_ = cell;
        ++rows_;
        row_size_ = static_cast<size_t>(out - row_.get());
        *cells = {row_.get(), row_size_};
        return true;
      }
    }
    if (cur < lim) {  // this row has more cells than row_ holds
      out = GrowRow(static_cast<size_t>(out - row_.get()));
      out_end = row_.get() + row_capacity_;
      continue;
    }
    cur_ = cur;
    esc_cur_ = esc;
    size_t count = static_cast<size_t>(out - row_.get());
    if (stage_ == Stage::kMore) {
      ScanWindow();
      cur = cur_;
      lim = lim_;
      esc = esc_cur_;
      next_esc = *esc;
      window = window_;
      continue;
    }
    if (stage_ == Stage::kBad || carry_.inside != 0) {  // the slow path reports errors
      stage_ = Stage::kCold;
      bool ok = SlowRow(cell, count);
      if (ok) *cells = {row_.get(), row_size_};
      return ok;
    }
    // The last cell runs to the end of the data.
    if (out == out_end) out = GrowRow(count);
    *out++ = CellToEnd(cell, next_esc != internal::kNoEscape);
    pos_ = end_;
    ++rows_;
    row_size_ = count + 1;
    *cells = {row_.get(), row_size_};
    return true;
  }
}

bool Reader::SlowRow(char* p, size_t count) {
  auto push = [&](std::string_view cell) {
    std::string_view* slot = count < row_capacity_ ? row_.get() + count : GrowRow(count);
    *slot = cell;
    ++count;
  };
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
        push(std::string_view(text, static_cast<size_t>(write - text)));
        p = q + 1;
        break;
      }
    } else {
      char* d = const_cast<char*>(FindDelimiter(p));
      push(std::string_view(p, static_cast<size_t>(d - p)));
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
  row_size_ = count;
  return true;
}

Result<size_t> CountRows(char* data, size_t size) {
  Reader reader(data, size);
  std::span<const std::string_view> cells;
  while (reader.NextRow(&cells)) {
  }
  if (!reader.status().ok()) return reader.status();
  return reader.rows_read();
}

size_t FindRowStart(const char* data, size_t size, size_t from) {
  return FindRowStart(data, size, from, DefaultLevel());
}

size_t FindRowStart(const char* data, size_t size, size_t from, SimdLevel max_level) {
  constexpr size_t kNone = SIZE_MAX;
  constexpr size_t kWindow = 16 * 1024;
  constexpr size_t kBlock = internal::kBlock;
  if (from >= size) return kNone;
  const internal::ScanFn kernel = KernelFor(std::min(max_level, HardwareLevel()));
  // The reader's stage 1 over whole blocks from the start: its index holds every CR and LF
  // outside quotes, exactly the row ends the reader sees, and it stops before any block
  // whose quoting it cannot vouch for.
  std::vector<uint32_t> idx(kWindow + internal::kIndexSlack), esc(kWindow / 2 + 2);
  internal::ScanCarry carry = {0, 1, 0};
  const char* scan = data;
  const char* end = data + size;
  while (static_cast<size_t>(end - scan) >= kBlock) {
    const size_t avail = static_cast<size_t>(end - scan);
    internal::ScanResult r = kernel(scan, avail, std::min(avail, kWindow) / kBlock, ~uint64_t{0},
                                    &carry, 0, idx.data(), esc.data());
    for (const uint32_t* e = idx.data(); e < r.idx_end; ++e) {
      if ((*e & internal::kRowEndFlag) == 0) continue;
      const size_t at = static_cast<size_t>(scan - data) + (*e & internal::kPositionMask);
      size_t start = at + 1;
      if (data[at] == '\r' && start < size && data[start] == '\n') ++start;
      if (start < from) continue;
      return start < size ? start : kNone;
    }
    if (r.bad || r.blocks == 0) return kNone;
    scan += r.blocks * kBlock;
  }
  return kNone;  // none before the last partial block: not worth a split
}

}  // namespace vd::csv
