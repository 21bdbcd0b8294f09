#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vd::csv {

// Splunk's multivalue encoding (the `__mv_<field>` companion column of the chunked
// protocol's CSV body). For values v1..vn with n >= 2:
//   plain column:  v1 "\n" v2 ... "\n" vn
//   __mv_ column:  "$" v1' "$;$" v2' "$" ... where vi' is vi with every '$' doubled.
// With fewer than two values the plain column holds the value (or nothing) and the
// __mv_ column stays empty, as the Splunk SDK writes it.

// Replaces *plain and *mv with the encoding of `values`.
void EncodeMultivalue(std::span<const std::string_view> values, std::string* plain,
                      std::string* mv);

// Appends the encoding of `values` to *plain and *mv (for writers that keep one arena).
void AppendMultivalue(std::span<const std::string_view> values, std::string* plain,
                      std::string* mv);

// Appends one value's __mv_ item: "$" value-with-doubled-dollars "$".
void AppendMultivalueItem(std::string_view value, std::string* mv);

// Decodes an __mv_ cell exactly as the Splunk SDK does: every match of
//   \$(?P<item>(?:\$\$|[^$])*)\$(?:;|$)
// found by Python's re.findall (leftmost, non-overlapping; bytes between matches are
// skipped), with "$$" -> "$" in each item. So "$$;$$" -> ["", ""] and
// "$x$;$$$$$" -> ["x", "$"]. Runs in linear time on any input.
// Returns true and fills *values (cleared first) when `mv` is empty (zero values: the
// caller uses the plain column) or yields at least one item. Returns false, with
// *values empty, when `mv` is non-empty but holds no item at all (malformed: the SDK
// would silently turn the field into an empty list; callers should fall back to the
// plain column).
bool DecodeMultivalue(std::string_view mv, std::vector<std::string>* values);

}  // namespace vd::csv
