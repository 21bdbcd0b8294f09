#include "csv/writer.h"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "csv/cell_encoder.h"
#include "csv/multivalue.h"
#include "csv/special_bytes.h"

namespace vd::csv {

using internal::HasSpecialByte;
using internal::kSpecial;
#if defined(__SSE2__)
using internal::LoadWord;
using internal::SpecialMask;
#endif

namespace {

// Inline into WriteRow, which asks once per cell of every row.
[[gnu::always_inline]] inline bool CellNeedsQuoting(std::string_view cell) {
  if (cell.empty()) return false;
  if (cell.front() == ' ' || cell.back() == ' ') return true;
  return HasSpecialByte(cell.data(), cell.size());
}

}  // namespace

bool Writer::NeedsQuoting(std::string_view cell) { return CellNeedsQuoting(cell); }

namespace {

// Writes at a position the caller sized.
class PointerOut {
 public:
  explicit PointerOut(char* p) : p_(p) {}
  void Put(char c) { *p_++ = c; }
  void Put(std::string_view s) {
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }
  char* end() const { return p_; }

 private:
  char* p_;
};

// Copies n bytes without a call: the cells of a result row are mostly 1 to 40 bytes, where
// the call into memcpy cost more than the copy. Reads and writes stay within [p, p + n).
inline void CopyShort(char* dst, const char* src, size_t n) {
#if defined(__SSE2__)
  if (n >= 16) {
    for (; n > 16; dst += 16, src += 16, n -= 16) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst),
                       _mm_loadu_si128(reinterpret_cast<const __m128i*>(src)));
    }
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + n - 16),
                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + n - 16)));
    return;
  }
  if (n >= 8) {
    const uint64_t head = LoadWord<uint64_t>(src), tail = LoadWord<uint64_t>(src + n - 8);
    std::memcpy(dst, &head, 8);
    std::memcpy(dst + n - 8, &tail, 8);
    return;
  }
  if (n >= 4) {
    const uint32_t head = LoadWord<uint32_t>(src), tail = LoadWord<uint32_t>(src + n - 4);
    std::memcpy(dst, &head, 4);
    std::memcpy(dst + n - 4, &tail, 4);
    return;
  }
  for (size_t i = 0; i < n; ++i) dst[i] = src[i];
#else
  std::memcpy(dst, src, n);
#endif
}

// Sizes the row, grows the output once, then copies every cell into place, quoting where
// needed: a row is tens of short cells, and an append per cell and per comma cost more than
// the copying itself. Which cells need quotes: a bit each for rows of up to 64 cells (no
// per-row fill of a vector), the vector beyond. Returns whether any cell needed quotes.
bool WriteRowSized(std::span<const std::string_view> cells, std::string* out,
                   std::vector<uint8_t>* quoted) {
  const size_t n = cells.size();
  const bool wide = n > 64;
  if (wide) quoted->assign(n, 0);
  uint64_t quoted_bits = 0;
  bool any_quoted = false;
  size_t size = std::max<size_t>(n, 1);  // the commas and the newline
  for (size_t i = 0; i < n; ++i) {
    std::string_view c = cells[i];
    size += c.size();
    if (CellNeedsQuoting(c)) {
      any_quoted = true;
      if (wide) {
        (*quoted)[i] = 1;
      } else {
        quoted_bits |= uint64_t{1} << i;
      }
      size += 2 + static_cast<size_t>(std::count(c.begin(), c.end(), '"'));
    }
  }
  size_t at = out->size();
  out->resize(at + size);
  char* p = out->data() + at;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) *p++ = ',';
    std::string_view c = cells[i];
    if (wide ? (*quoted)[i] != 0 : ((quoted_bits >> i) & 1) != 0) {
      PointerOut o(p);
      o.Put('"');
      PutEscaped(c, /*may_hold_quotes=*/true, &o);
      o.Put('"');
      p = o.end();
    } else {
      CopyShort(p, c.data(), c.size());
      p += c.size();
    }
  }
  *p = '\n';
  return any_quoted;
}

#if defined(__SSE2__)
// Copies `c` to dst as CopyShort does and checks it for quoting on the same loads: special
// bytes are ORed into *hits, a leading or trailing space (and the special bytes of cells under
// 4 bytes) set the returned flag.
[[gnu::always_inline]] inline bool CopyCheckingQuotes(char* dst, std::string_view c,
                                                      __m128i* hits) {
  const char* src = c.data();
  size_t n = c.size();
  if (n == 0) return false;
  const bool spaced = c.front() == ' ' || c.back() == ' ';
  if (n >= 16) {
    for (; n > 16; dst += 16, src += 16, n -= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src));
      *hits = _mm_or_si128(*hits, SpecialMask(v));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), v);
    }
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + n - 16));
    *hits = _mm_or_si128(*hits, SpecialMask(v));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + n - 16), v);
    return spaced;
  }
  if (n >= 8) {
    const uint64_t head = LoadWord<uint64_t>(src), tail = LoadWord<uint64_t>(src + n - 8);
    *hits = _mm_or_si128(*hits, SpecialMask(_mm_set_epi64x(static_cast<long long>(tail),
                                                           static_cast<long long>(head))));
    std::memcpy(dst, &head, 8);
    std::memcpy(dst + n - 8, &tail, 8);
    return spaced;
  }
  if (n >= 4) {
    const uint32_t head = LoadWord<uint32_t>(src), tail = LoadWord<uint32_t>(src + n - 4);
    *hits = _mm_or_si128(
        *hits, SpecialMask(_mm_set_epi32(0, 0, static_cast<int>(tail), static_cast<int>(head))));
    std::memcpy(dst, &head, 4);
    std::memcpy(dst + n - 4, &tail, 4);
    return spaced;
  }
  bool any = spaced;
  for (size_t i = 0; i < n; ++i) {
    dst[i] = src[i];
    any |= kSpecial[static_cast<unsigned char>(src[i])];
  }
  return any;
}
#endif

}  // namespace

void Writer::WriteRow(std::span<const std::string_view> cells) {
  if (cells.size() == 1 && cells[0].empty()) {
    out_->append("\"\"\n");
    return;
  }
#if defined(__SSE2__)
  // Nearly no cell of a vc_* row needs quotes: the row is copied in one pass as if none did,
  // each cell checked on the loads that copy it; a row that turns out to need quotes is cut
  // off and written again by the sizing path, which then takes the rows that follow until one
  // needs no quotes (multivalue findings rows need them nearly always).
  if (last_row_quoted_) {
    last_row_quoted_ = WriteRowSized(cells, out_, &quoted_);
    return;
  }
  const size_t n = cells.size();
  size_t size = std::max<size_t>(n, 1);  // the commas and the newline
  for (std::string_view c : cells) size += c.size();
  const size_t at = out_->size();
  out_->resize(at + size);
  char* p = out_->data() + at;
  __m128i hits = _mm_setzero_si128();
  bool flagged = false;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) *p++ = ',';
    flagged |= CopyCheckingQuotes(p, cells[i], &hits);
    p += cells[i].size();
  }
  *p = '\n';
  if (!flagged && _mm_movemask_epi8(hits) == 0) return;
  out_->resize(at);
#endif
  last_row_quoted_ = WriteRowSized(cells, out_, &quoted_);
}

void Writer::WriteCell(std::string_view cell) {
  if (cells_in_row_ > 0) out_->push_back(',');
  StringOut out(out_);
  PutCell(cell, &out);
  only_cell_empty_ = cells_in_row_ == 0 && cell.empty();
  ++cells_in_row_;
}

void Writer::EndRow() {
  if (cells_in_row_ == 1 && only_cell_empty_) out_->append("\"\"");
  out_->push_back('\n');
  cells_in_row_ = 0;
  only_cell_empty_ = false;
}

uint32_t TableWriter::FieldId(std::string_view field) {
  auto it = ids_.find(field);
  if (it != ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(names_.size());
  ids_.emplace(std::string(field), id);
  names_.emplace_back(field);
  multi_.push_back(false);
  last_row_.push_back(0);
  return id;
}

void TableWriter::EnsureRow() {
  if (row_starts_.empty()) BeginRow();
}

void TableWriter::BeginRow() { row_starts_.push_back(entries_.size()); }

TableWriter::Entry& TableWriter::EntryFor(uint32_t field) {
  EnsureRow();
  size_t row = row_starts_.size();  // 1-based
  if (last_row_[field] == row) {
    for (size_t i = row_starts_.back(); i < entries_.size(); ++i) {
      if (entries_[i].field == field) return entries_[i];
    }
  }
  last_row_[field] = row;
  entries_.push_back(Entry{field, 0, 0, 0, 0});
  return entries_.back();
}

void TableWriter::Set(std::string_view field, std::string_view value) {
  Entry& e = EntryFor(FieldId(field));
  e.plain_off = arena_.size();
  e.plain_len = value.size();
  e.mv_off = arena_.size();
  e.mv_len = 0;
  arena_.append(value);
}

void TableWriter::SetMulti(std::string_view field, std::span<const std::string_view> values) {
  uint32_t id = FieldId(field);
  if (values.size() >= 2) multi_[id] = true;
  Entry& e = EntryFor(id);
  // Encode into the arena: plain part, then the __mv_ part.
  mv_scratch_.clear();
  e.plain_off = arena_.size();
  AppendMultivalue(values, &arena_, &mv_scratch_);
  e.plain_len = arena_.size() - e.plain_off;
  e.mv_off = arena_.size();
  e.mv_len = mv_scratch_.size();
  arena_.append(mv_scratch_);
}

void TableWriter::Finish(std::string* out) {
  if (!row_starts_.empty()) {
    Writer w(out);
    for (const std::string& name : names_) w.WriteCell(name);
    for (size_t f = 0; f < names_.size(); ++f) {
      if (multi_[f]) w.WriteCell("__mv_" + names_[f]);
    }
    w.EndRow();

    // One slot per field, refilled for every row.
    std::vector<const Entry*> slot(names_.size(), nullptr);
    for (size_t r = 0; r < row_starts_.size(); ++r) {
      size_t begin = row_starts_[r];
      size_t end = r + 1 < row_starts_.size() ? row_starts_[r + 1] : entries_.size();
      std::fill(slot.begin(), slot.end(), nullptr);
      for (size_t i = begin; i < end; ++i) slot[entries_[i].field] = &entries_[i];
      for (size_t f = 0; f < names_.size(); ++f) {
        w.WriteCell(slot[f]
                        ? std::string_view(arena_).substr(slot[f]->plain_off, slot[f]->plain_len)
                        : std::string_view());
      }
      for (size_t f = 0; f < names_.size(); ++f) {
        if (!multi_[f]) continue;
        w.WriteCell(slot[f] ? std::string_view(arena_).substr(slot[f]->mv_off, slot[f]->mv_len)
                            : std::string_view());
      }
      w.EndRow();
    }
  }
  ids_.clear();
  names_.clear();
  multi_.clear();
  last_row_.clear();
  entries_.clear();
  row_starts_.clear();
  arena_.clear();
}

}  // namespace vd::csv
