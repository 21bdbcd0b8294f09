#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vd::csv {

// Low-level CSV writer appending to a std::string: ',' between cells, LF after each
// row. A cell is quoted only when it must be (cell_encoder.h), or when it is the only cell of
// its row and empty (an empty line would read back as the same row, but quoting keeps the
// row visible to every reader).
class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}

  // Streaming path: one whole row.
  void WriteRow(std::span<const std::string_view> cells);
  void WriteRow(std::initializer_list<std::string_view> cells) {
    WriteRow(std::span<const std::string_view>(cells.begin(), cells.size()));
  }

  // Cell by cell: WriteCell()... then EndRow().
  void WriteCell(std::string_view cell);
  void EndRow();

  static bool NeedsQuoting(std::string_view cell);

 private:
  std::string* out_;
  std::vector<uint8_t> quoted_;  // WriteRow: which cells need quotes
  // WriteRow: the previous row needed quotes, so this one goes straight to the sizing path
  // (a findings table quotes nearly every row; copying it first would be wasted).
  bool last_row_quoted_ = false;
  size_t cells_in_row_ = 0;
  bool only_cell_empty_ = false;
};

// Collects records (field -> one value or a list of values) and writes them as one CSV
// table: a single header that is the union of the fields of all rows, in first-seen
// order (Splunk's SDK lost fields missing from the first row), then one line per row.
// A field that holds two or more values in some row gets a companion `__mv_<field>`
// column (multivalue.h); those columns follow all the plain ones, as splunkd lays them
// out. Values are copied into one arena, so Set() does not allocate per cell once the
// arena has grown.
class TableWriter {
 public:
  TableWriter() = default;

  // Starts a new row; Set()/SetMulti() before the first BeginRow() start one implicitly.
  void BeginRow();
  // Sets `field` in the current row; setting a field twice keeps the last value.
  void Set(std::string_view field, std::string_view value);
  // A list of values: none = empty cell, one = plain value, more = multivalue.
  void SetMulti(std::string_view field, std::span<const std::string_view> values);

  size_t rows() const { return row_starts_.size(); }
  size_t fields() const { return names_.size(); }

  // Appends header and rows to *out (nothing at all when no row was begun) and
  // resets the writer for the next table.
  void Finish(std::string* out);

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Entry {
    uint32_t field;
    size_t plain_off;
    size_t plain_len;
    size_t mv_off;
    size_t mv_len;
  };

  uint32_t FieldId(std::string_view field);
  Entry& EntryFor(uint32_t field);
  void EnsureRow();

  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> ids_;
  std::vector<std::string> names_;  // first-seen order
  std::vector<bool> multi_;         // field needs an __mv_ column
  std::vector<size_t> last_row_;    // row (+1) in which the field was last set
  std::vector<Entry> entries_;      // all rows' entries, row after row
  std::vector<size_t> row_starts_;  // index of each row's first entry
  std::string arena_;
  std::string mv_scratch_;
};

}  // namespace vd::csv
