#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.h"

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
class Reader {
 public:
  Reader(char* data, size_t size);

  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Clears *cells and fills it with the next row's cells (at least one).
  bool Next(std::vector<std::string_view>* cells);

  const Status& status() const { return status_; }
  // Rows returned by Next() so far (the header row included).
  size_t rows_read() const { return rows_; }
  // Bytes consumed so far.
  size_t offset() const { return static_cast<size_t>(pos_ - begin_); }

 private:
  static constexpr size_t kBlock = 64;

  // Fast path: whole 64-byte blocks are classified with bit masks (quotes, delimiters,
  // in-quote regions by prefix XOR) and the cells cut at the structural delimiters. A
  // block whose quotes are not all well-formed (a quote inside an unquoted cell, bytes
  // after a closing quote) is left to the byte-exact slow path, which owns all error
  // reporting.
  void LoadFastBlock(const char* base, size_t from, bool fresh);

  // Slow path: finishes the row whose next cell starts at p, one cell at a time.
  bool SlowRow(char* p, std::vector<std::string_view>* cells);
  const char* FindDelimiter(const char* p);  // next ',' CR LF at or after p, or end_
  const char* FindQuote(const char* p);      // next '"' at or after p, or end_
  bool LoadBlockFor(const char* p);          // false when p >= end_
  bool Fail(const char* what, const char* at);

  char* begin_;
  char* end_;
  char* pos_;
  size_t rows_ = 0;
  Status status_;
  bool wide_;  // AVX2 + PCLMUL available

  // Fast path state for the block at fast_block_ (nullptr: none loaded). Bits are
  // relative to fast_block_; the carries describe its last byte for the next block.
  const char* fast_block_ = nullptr;
  bool fast_valid_ = false;
  uint64_t structural_ = 0;  // delimiters outside quotes
  uint64_t escapes_ = 0;     // first quote of each '""' inside a quoted cell
  uint64_t inside_carry_ = 0;
  bool last_structural_ = false;
  bool last_quote_ = false;

  // Slow path masks: bit i set when block_[i] is a delimiter / a quote. Computed from
  // the original bytes; in-place unescaping only writes behind the scan position.
  const char* block_ = nullptr;
  uint64_t delim_mask_ = 0;
  uint64_t quote_mask_ = 0;
};

// Reads every row of `data`, calling fn(const std::vector<std::string_view>&) for each.
// Returns the reader's final status.
template <class Fn>
Status ForEachRow(char* data, size_t size, Fn&& fn) {
  Reader reader(data, size);
  std::vector<std::string_view> cells;
  while (reader.Next(&cells)) fn(static_cast<const std::vector<std::string_view>&>(cells));
  return reader.status();
}

// Number of rows in `data` (header included); unescapes the buffer in place.
Result<size_t> CountRows(char* data, size_t size);

}  // namespace vd::csv
