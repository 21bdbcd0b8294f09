#include "events/multivalue.h"

#include "events/text_util.h"

namespace vd::events {

size_t MvSplitter::Split(Cells cells, MvColumn column) {
  return Split(CellAt(cells, column.plain), CellAt(cells, column.encoded));
}

size_t MvSplitter::Split(std::string_view plain, std::string_view encoded) {
  values_.clear();
  if (!encoded.empty() && DecodeEncoded(encoded)) return values_.size();
  values_.clear();
  if (plain.empty()) return 0;
  size_t start = 0;
  while (true) {
    size_t nl = plain.find('\n', start);
    if (nl == std::string_view::npos) {
      values_.push_back(plain.substr(start));
      break;
    }
    values_.push_back(plain.substr(start, nl - start));
    start = nl + 1;
  }
  return values_.size();
}

// "$a$;$b$$c$" -> {"a", "b$c"}. Returns false on anything else so the caller falls back
// to the plain column instead of trusting a half-decoded list.
bool MvSplitter::DecodeEncoded(std::string_view encoded) {
  decoded_.clear();
  spans_.clear();
  size_t i = 0;
  const size_t n = encoded.size();
  while (i < n) {
    if (encoded[i] != '$') return false;
    ++i;
    size_t begin = decoded_.size();
    bool closed = false;
    while (i < n) {
      if (encoded[i] == '$') {
        if (i + 1 < n && encoded[i + 1] == '$') {
          decoded_.push_back('$');
          i += 2;
          continue;
        }
        closed = true;
        ++i;
        break;
      }
      decoded_.push_back(encoded[i]);
      ++i;
    }
    if (!closed) return false;
    spans_.emplace_back(begin, decoded_.size() - begin);
    if (i < n) {
      if (encoded[i] != ';') return false;
      ++i;
      if (i == n) return false;  // trailing separator
    }
  }
  // Views are taken only now: decoded_ may have reallocated while growing.
  for (auto [at, len] : spans_) values_.emplace_back(decoded_.data() + at, len);
  return true;
}

size_t MvSplitter::IndexOf(std::string_view v) const {
  for (size_t i = 0; i < values_.size(); ++i) {
    if (EqualsIgnoreCase(values_[i], v)) return i;
  }
  return static_cast<size_t>(-1);
}

}  // namespace vd::events
