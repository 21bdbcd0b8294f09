#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "csv/block_scan.h"
#include "csv/cell_cut.h"

namespace vd::csv {

// RFC 4180 reader over a mutable byte buffer (one chunk body): ',' delimiter, '"'
// quoting, '""' for a quote inside a quoted cell; quoted cells may hold ',' CR and LF.
// Rows end with LF, CRLF or a lone CR; the last row may lack its terminator. An empty
// line is a row with one empty cell. A '"' inside an unquoted cell is kept as data.
// Bytes are opaque: invalid UTF-8 and NUL pass through untouched.
//
// Cells are string_views into the buffer. A quoted cell's escapes are undone in place
// (the unescaped text is never longer), so reading allocates nothing per cell, and
// the buffer must outlive the views and may not be re-read afterwards.
//
// Errors (Status kParse, naming the 1-based row and the byte offset): a quoted cell
// that is never closed, and bytes other than ',' CR LF after a closing quote. After an
// error or at the end Next() returns false; status() tells which.
//
// How: stage 1 (block_scan.h) classifies a 16 KB window of 64-byte blocks with SIMD
// masks and flattens the delimiters outside quotes into a flat index whose entries also
// say "the cell ending here is quoted" and "this ends the row"; stage 2 (NextRow) turns
// a row's slice of the index into string_views in a tight loop (with AVX-512, the whole
// window's index at once, eight cells per step, and rows are handed out as spans of
// that array: cell_cut.h). A block whose quotes are not all well-formed stops stage 1,
// and that row goes to a byte-exact slow path, which owns every error message. Memory:
// the index for one window (with its escape list ~100 KB) plus the widest row;
// with AVX-512 also the window's cells (16 bytes per slot, ~260 KB); both sized by
// min(body size, 16 KB).
//
// Instruction sets the block scan may use; the widest the CPU has is chosen unless a
// lower cap is given (or VD_CSV_NO_WIDE_SIMD=1 / VD_CSV_NO_AVX512=1 is set).
enum class SimdLevel { kBaseline, kAvx2, kAvx512 };

class Reader {
 public:
  Reader(char* data, size_t size);
  // As above with the block scan capped at `max_level` (tests compare the levels).
  Reader(char* data, size_t size, SimdLevel max_level);

  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Clears *cells and fills it with the next row's cells (at least one).
  bool Next(std::vector<std::string_view>* cells);
  // The same rows without copying the cells out: *cells views an array the reader owns
  // and reuses, valid until the next call. The faster way to read a body.
  bool NextRow(std::span<const std::string_view>* cells) {
    // Inline for the common case (AVX-512 stage 2): the row lies in the window already cut.
    if (end_cur_ < end_lim_) return TakeCutRow(0, cells);
    return NextRowGeneral(cells);
  }

  const Status& status() const { return status_; }
  // The same error as if the data had been preceded by `rows_before` rows in `bytes_before`
  // bytes: for a reader of the second part of a body split at a row start (FindRowStart).
  Status StatusAfter(size_t rows_before, size_t bytes_before) const;
  // Rows returned by Next() so far (the header row included).
  size_t rows_read() const { return rows_; }
  // Bytes consumed so far.
  size_t offset() const { return static_cast<size_t>(pos_ - begin_); }
  // The block scan in use.
  SimdLevel simd_level() const { return level_; }

 private:
  static constexpr size_t kBlock = internal::kBlock;
  // Bytes classified per stage-1 window: the index stays in L1/L2 while stage 2 reads it.
  static constexpr size_t kWindow = 16 * 1024;

  enum class Stage : uint8_t {
    kCold,  // nothing scanned for pos_ (start, or after the slow path)
    kMore,  // the window ended; more blocks follow
    kBad,   // the scan stopped before a block the slow path must read
    kEnd,   // the scan reached the end of the data
  };

  // Stage 1: classifies the next window (from pos_ when kCold) into the index.
  void ScanWindow();
  // NextRow past the inline case: the scalar stage 2, window ends, the slow path.
  bool NextRowGeneral(std::span<const std::string_view>* cells);
  // NextRow with cut_: rows come from the window's cell array.
  bool NextRowFromWindow(std::span<const std::string_view>* cells);
  // Hands out the row ending at the next row-end entry of the cut window (end_cur_ <
  // end_lim_), after the `count` cells of it already gathered in row_ (0: none, and the
  // row is a span of cells_ with no copy).
  bool TakeCutRow(size_t count, std::span<const std::string_view>* cells) {
    uint32_t e = *end_cur_++;
    size_t k = static_cast<size_t>(cur_ - idx_);
    size_t size = e + 1 - k;
    char* d = window_ + (idx_[e] & internal::kPositionMask);
    cur_ = idx_ + e + 1;
    pos_ = d + 1;
    ++rows_;
    if (count == 0) {
      row_size_ = size;
      *cells = {cells_.get() + k, size};
    } else {
      std::copy(cells_.get() + k, cells_.get() + k + size, ReserveRow(count, size));
      row_size_ = count + size;
      *cells = {row_.get(), row_size_};
    }
    if (__builtin_expect(*d == '\r', 0)) SkipLfOfCrlf();
    return true;
  }
  // After a row ending in CR: a LF right after it is part of the same row end.
  void SkipLfOfCrlf();
  // Cuts the window's index from cur_ into cells_ and ends_; `first` is where the
  // first cell starts. Undoes the escapes of the cells that hold '""'.
  void CutWindow(char* first);
  // Makes room for `more` cells after the first `count` of row_.
  std::string_view* ReserveRow(size_t count, size_t more);
  // Stage 2 helper for a cell with '""' escapes (or one ending the data).
  static std::string_view QuotedCellWithEscapes(char* begin, char* end);
  // The data's last cell, [cell, end_): quotes stripped, and '""' undone when `escaped`.
  std::string_view CellToEnd(char* cell, bool escaped);

  // Slow path: finishes the row whose next cell starts at p, one cell at a time; the
  // row's first `count` cells are already in row_.
  bool SlowRow(char* p, size_t count);
  // Doubles row_ (a row with more cells than ever before); returns the slot at `count`.
  std::string_view* GrowRow(size_t count);
  const char* FindDelimiter(const char* p);  // next ',' CR LF at or after p, or end_
  const char* FindQuote(const char* p);      // next '"' at or after p, or end_
  bool LoadBlockFor(const char* p);          // false when p >= end_
  bool Fail(const char* what, const char* at);
  static Status ErrorStatus(size_t row, size_t offset, const char* what);

  char* begin_;
  char* end_;
  char* pos_;
  size_t rows_ = 0;
  Status status_;
  // Where the error was (0-based row count before it, byte offset), and what.
  size_t fail_rows_ = 0, fail_offset_ = 0;
  const char* fail_what_ = nullptr;
  SimdLevel level_;
  internal::ScanFn kernel_;
  internal::CutFn cut_;      // cuts a window's cells eight at a time, or null (scalar)
  bool view_pointer_first_;  // std::string_view is laid out {pointer, length}

  // Stage 1 output for the window at window_: structural delimiter offsets (idx) and
  // '""' offsets (esc, ending in kNoEscape), both relative to window_. One allocation
  // per reader, sized by min(data size, kWindow).
  std::unique_ptr<uint32_t[]> storage_;
  uint32_t* idx_ = nullptr;
  uint32_t* esc_ = nullptr;
  const uint32_t* cur_ = nullptr;  // next unread index entry
  const uint32_t* lim_ = nullptr;  // one past the last index entry
  const uint32_t* esc_cur_ = nullptr;
  char* window_ = nullptr;
  const char* scan_ = nullptr;  // next block to classify
  size_t window_bytes_ = 0;
  internal::ScanCarry carry_{};
  Stage stage_ = Stage::kCold;
  bool skip_lf_ = false;  // the next index entry is the LF of a CRLF already consumed

  // With cut_: one cell per index entry of the window (cells_[k] ends at idx_[k]) and
  // the indexes of the row-end entries from the one after cur_ (end_cur_ to end_lim_).
  std::unique_ptr<std::string_view[]> cells_;
  std::unique_ptr<uint32_t[]> ends_;
  const uint32_t* end_cur_ = nullptr;
  const uint32_t* end_lim_ = nullptr;

  // The current row's cells, row_size_ of them (capacity row_capacity_).
  std::unique_ptr<std::string_view[]> row_;
  size_t row_size_ = 0;
  size_t row_capacity_ = 0;

  // Slow path masks: bit i set when block_[i] is a delimiter / a quote. Computed from
  // the original bytes; in-place unescaping only writes behind the scan position.
  const char* block_ = nullptr;
  uint64_t delim_mask_ = 0;
  uint64_t quote_mask_ = 0;
};

// The offset of the first row that starts at or after `from` when `data` is read from its
// start (the byte after the previous row's CR, LF or CRLF; the body's own start does not
// count), without touching the bytes: where a body can be cut in two for two readers. SIZE_MAX when
// there is none, or when the quoting before it is not well-formed (the reader's byte-exact slow
// path would decide; read it whole).
size_t FindRowStart(const char* data, size_t size, size_t from);
// The same with the block scan capped at `max_level` (tests compare the levels).
size_t FindRowStart(const char* data, size_t size, size_t from, SimdLevel max_level);

// Number of rows in `data` (header included); unescapes the buffer in place.
Result<size_t> CountRows(char* data, size_t size);

}  // namespace vd::csv
