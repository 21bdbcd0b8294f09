#pragma once

// The one CSV cell encoder: what a value looks like inside a cell and inside an __mv_ item,
// written piece by piece to any output with Put(char) and Put(std::string_view). csv::Writer
// (over a string) and the command's findings table (which counts a table's bytes with it
// before writing the same bytes to the protocol) both encode through it.
//
// A cell is quoted only when it must be: it holds ',' '"' CR or LF, or starts or ends with a
// space. Inside quotes '"' is doubled. An __mv_ item (multivalue.h) is "$" value "$" with
// every '$' doubled.

#include <cstdint>
#include <string>
#include <string_view>

#include "csv/special_bytes.h"

namespace vd::csv {

// What a value costs inside a cell: whether it holds a byte that forces quoting (',' '"' CR
// LF), and how many '"' (doubled inside quotes) and '$' (doubled in an __mv_ item) it holds.
struct ValueShape {
  bool special = false;
  uint32_t quotes = 0;
  uint32_t dollars = 0;
};

inline ValueShape Inspect(std::string_view value) {
  ValueShape shape;
  // Nearly every value has none of the five bytes: one vector check, then done.
  if (!internal::HasSpecialByte</*kDollar=*/true>(value.data(), value.size())) return shape;
  for (char c : value) {
    shape.special |= internal::kSpecial[static_cast<unsigned char>(c)];
    shape.quotes += c == '"';
    shape.dollars += c == '$';
  }
  return shape;
}

// Appends to a std::string.
class StringOut {
 public:
  explicit StringOut(std::string* out) : out_(out) {}
  void Put(char c) { out_->push_back(c); }
  void Put(std::string_view s) { out_->append(s); }

 private:
  std::string* out_;
};

// `v` as it stands between the quotes of a cell: '"' doubled. `may_hold_quotes` false (the
// value is known to hold none, e.g. Inspect().quotes == 0) skips the search.
template <class Out>
void PutEscaped(std::string_view v, bool may_hold_quotes, Out* out) {
  if (!may_hold_quotes) {
    out->Put(v);
    return;
  }
  size_t from = 0;
  for (size_t q = v.find('"'); q != std::string_view::npos; q = v.find('"', q + 1)) {
    out->Put(v.substr(from, q + 1 - from));
    out->Put('"');
    from = q + 1;
  }
  out->Put(v.substr(from));
}

// `v` as one cell: quoted and escaped when it must be, as is otherwise.
template <class Out>
void PutCell(std::string_view v, Out* out) {
  if (v.empty()) return;
  const ValueShape shape = Inspect(v);
  if (!shape.special && v.front() != ' ' && v.back() != ' ') {
    out->Put(v);
    return;
  }
  out->Put('"');
  PutEscaped(v, shape.quotes != 0, out);
  out->Put('"');
}

// One __mv_ item of `v` (whose Inspect() is `shape`): "$" v "$" with '$' doubled, and '"'
// doubled too when `in_quotes` (the __mv_ cell it goes into is quoted).
template <class Out>
void PutMultivalueItem(std::string_view v, const ValueShape& shape, bool in_quotes, Out* out) {
  out->Put('$');
  if (shape.dollars == 0 && (!in_quotes || shape.quotes == 0)) {
    out->Put(v);
  } else {
    for (char c : v) {
      out->Put(c);
      if (c == '$' || (c == '"' && in_quotes)) out->Put(c);
    }
  }
  out->Put('$');
}

}  // namespace vd::csv
