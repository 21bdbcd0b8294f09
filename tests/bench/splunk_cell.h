#pragma once

#include <string>
#include <string_view>

namespace vd::bench {

// Appends a cell quoted the way splunkd quotes result cells: bare when empty or purely
// ASCII alphanumeric, otherwise double-quoted with '"' doubled.
inline void AppendSplunkCell(std::string_view v, std::string* out) {
  bool bare = true;
  for (char c : v) {
    bare = bare && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
  }
  if (bare) {
    out->append(v);
    return;
  }
  out->push_back('"');
  for (char c : v) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace vd::bench
