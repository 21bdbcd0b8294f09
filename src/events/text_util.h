#pragma once

#include <string_view>

namespace vd::events {

// Small byte-level helpers shared by the recognizers. None allocates.

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// ASCII-only case-insensitive equality (other bytes compare exactly).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix);
bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle);

// Strips ASCII whitespace at both ends.
std::string_view Trim(std::string_view s);

// Operation names are matched without their trailing period and surrounding blanks:
// O365 writes "Reset user password.", Entra "Reset user password", and Sentinel exports
// can carry a trailing space.
std::string_view OperationStem(std::string_view s);

// Sources spell "no value" in several ways: Sekoia's "<null>", Windows' "-", a literal
// "null" from a JSON-to-text conversion. All of them mean empty.
std::string_view Clean(std::string_view s);

// "true", "1", "yes", "t", "y" (any case) -> true; everything else false.
bool ParseBool(std::string_view s);

// Counts non-overlapping occurrences of `needle` in `haystack`.
size_t CountOccurrences(std::string_view haystack, std::string_view needle);

}  // namespace vd::events
