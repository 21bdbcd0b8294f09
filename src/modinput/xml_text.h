#pragma once

#include <string>
#include <string_view>

namespace vd::modinput {

// Appends `text` to `out` as XML character data (also safe inside a double-quoted
// attribute). splunkd requires UTF-8 and XML 1.0 forbids most C0 controls even when
// escaped, so invalid UTF-8 sequences and forbidden controls become U+FFFD instead of
// producing a stream splunkd would reject as a whole.
void AppendXmlEscaped(std::string_view text, std::string* out);

inline std::string XmlEscape(std::string_view text) {
  std::string out;
  AppendXmlEscaped(text, &out);
  return out;
}

}  // namespace vd::modinput
