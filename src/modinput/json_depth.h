#pragma once

#include <cstddef>
#include <string_view>

namespace vd::modinput {

// The deepest nesting of arrays and objects in a JSON text ('[' and '{' outside strings),
// counting stops past `limit` (the answer is then limit + 1). RapidJSON's DOM parser and
// Value::Accept recurse once per level, so a body of a few hundred KB of '[' exhausts the
// stack: callers refuse deeper texts before parsing them.
inline size_t JsonNestingDepth(std::string_view text, size_t limit) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest && (deepest = depth) > limit) return limit + 1;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// Graph records are a few levels deep (targetResources[].modifiedProperties[]...).
inline constexpr size_t kMaxGraphJsonDepth = 64;

}  // namespace vd::modinput
