#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace vd {

// Times are integer milliseconds since the Unix epoch: exact comparisons and ties
// (dedup, pairing) never depend on floating-point rounding.
using TimeMs = int64_t;
using DurationMs = int64_t;

// Accepts epoch seconds with an optional fraction ("1627354345.934", "-1.5") or ISO-8601
// date-times: "2014-06-11T08:19:59.000-0700", "2018-01-09T21:20:02.7215374Z",
// "2024-03-01 10:00:00+01:00", "2024-03-01T10:00:00" (no offset = UTC). Fractions beyond
// milliseconds are truncated. Returns false on anything else; never throws.
bool TryParseTime(std::string_view text, TimeMs* out);

// Durations as used in arguments: a non-negative integer followed by s, m, h or d
// ("10s", "30m", "4h", "1d"). A bare "0" is accepted. Returns false otherwise.
bool TryParseDuration(std::string_view text, DurationMs* out);

// Epoch seconds with up to three decimals and no trailing zeros: 1627354345934 -> "1627354345.934",
// 1627354345000 -> "1627354345".
std::string FormatEpochSeconds(TimeMs t);
// The same text into *out (replacing its contents; no allocation once it has room).
void FormatEpochSeconds(TimeMs t, std::string* out);
// The same text written into buf (at its end), returned as a view into it: no string to
// assign once per map output row. kEpochSecondsChars holds any TimeMs ("-9223372036854775.808").
inline constexpr size_t kEpochSecondsChars = 24;
std::string_view FormatEpochSeconds(TimeMs t, std::span<char, kEpochSecondsChars> buf);

// ISO-8601 UTC with milliseconds: "2024-03-01T10:00:00.000Z".
std::string FormatIso8601(TimeMs t);

// Days-from-civil (Howard Hinnant): days since 1970-01-01 for a proleptic Gregorian date.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);

}  // namespace vd
