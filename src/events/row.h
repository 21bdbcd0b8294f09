#pragma once

#include <span>
#include <string_view>

namespace vd::events {

// A result row as the protocol layers hand it over, independent of CSV or JSON: the
// field names once per chunk (Header), then each row's cells aligned with them (Cells).
// Views point into the caller's buffer and are read only during the call that gets them.
// A multivalue field arrives as its plain column (values joined by '\n') and, when the
// producer sent it, an "__mv_<field>" column in Splunk's $a$;$b$ encoding.
using Header = std::span<const std::string_view>;
using Cells = std::span<const std::string_view>;

// Column index resolved once per header; kNoColumn when the header lacks the field.
inline constexpr int kNoColumn = -1;

inline int FindColumn(Header header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return kNoColumn;
}

// The cell of a resolved column, or "" when the column is absent or the row is short.
inline std::string_view CellAt(Cells cells, int column) {
  if (column < 0 || static_cast<size_t>(column) >= cells.size()) return {};
  return cells[static_cast<size_t>(column)];
}

// A field with both its plain column and its optional __mv_ companion.
struct MvColumn {
  int plain = kNoColumn;
  int encoded = kNoColumn;
  bool present() const { return plain != kNoColumn || encoded != kNoColumn; }
};

inline MvColumn FindMvColumn(Header header, std::string_view name) {
  MvColumn c;
  c.plain = FindColumn(header, name);
  for (size_t i = 0; i < header.size(); ++i) {
    std::string_view h = header[i];
    if (h.size() == name.size() + 5 && h.substr(0, 5) == "__mv_" && h.substr(5) == name) {
      c.encoded = static_cast<int>(i);
      break;
    }
  }
  return c;
}

}  // namespace vd::events
