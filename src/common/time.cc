#include "common/time.h"

#include <charconv>
#include <cstdio>
#include <cstring>

namespace vd {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Reads exactly n digits at text[*pos].
bool ReadDigits(std::string_view text, size_t* pos, size_t n, int64_t* out) {
  if (*pos + n > text.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

// Reads the fraction after the separator at text[*pos] (which it skips): at least one digit;
// digits beyond milliseconds are truncated (Graph writes seven).
bool ReadFractionMillis(std::string_view text, size_t* pos, int64_t* millis) {
  size_t p = *pos + 1;
  size_t start = p;
  int64_t scale = 100;
  *millis = 0;
  while (p < text.size() && IsDigit(text[p])) {
    if (scale > 0) *millis += (text[p] - '0') * scale;
    scale /= 10;
    ++p;
  }
  *pos = p;
  return p != start;
}

bool TryParseEpoch(std::string_view text, TimeMs* out) {
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
    negative = text[pos] == '-';
    ++pos;
  }
  size_t int_start = pos;
  int64_t seconds = 0;
  while (pos < text.size() && IsDigit(text[pos])) {
    if (pos - int_start >= 12) return false;  // beyond year 33658: not a log time
    seconds = seconds * 10 + (text[pos] - '0');
    ++pos;
  }
  if (pos == int_start) return false;
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.' && !ReadFractionMillis(text, &pos, &millis)) {
    return false;
  }
  if (pos != text.size()) return false;
  TimeMs v = seconds * 1000 + millis;
  *out = negative ? -v : v;
  return true;
}

bool TryParseIso(std::string_view text, TimeMs* out) {
  size_t pos = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, &pos, 4, &year)) return false;
  if (pos >= text.size() || text[pos++] != '-') return false;
  if (!ReadDigits(text, &pos, 2, &month)) return false;
  if (pos >= text.size() || text[pos++] != '-') return false;
  if (!ReadDigits(text, &pos, 2, &day)) return false;
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' '))
    return false;
  ++pos;
  if (!ReadDigits(text, &pos, 2, &hour)) return false;
  if (pos >= text.size() || text[pos++] != ':') return false;
  if (!ReadDigits(text, &pos, 2, &minute)) return false;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!ReadDigits(text, &pos, 2, &second)) return false;
  }
  int64_t millis = 0;
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',') &&
      !ReadFractionMillis(text, &pos, &millis)) {
    return false;
  }
  int64_t offset_minutes = 0;
  if (pos < text.size()) {
    char c = text[pos];
    if (c == 'Z' || c == 'z') {
      ++pos;
    } else if (c == '+' || c == '-') {
      ++pos;
      int64_t oh, om = 0;
      if (!ReadDigits(text, &pos, 2, &oh)) return false;
      if (pos < text.size() && text[pos] == ':') ++pos;
      if (pos < text.size() && !ReadDigits(text, &pos, 2, &om)) return false;
      if (oh > 23 || om > 59) return false;
      offset_minutes = (oh * 60 + om) * (c == '-' ? -1 : 1);
    } else {
      return false;
    }
  }
  if (pos != text.size()) return false;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) {
    return false;
  }
  // 2025-02-31 is no date (it used to roll over into March).
  static constexpr int64_t kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kMonthDays[month - 1] + (month == 2 && leap ? 1 : 0)) return false;
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  *out = secs * 1000 + millis;
  return true;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

namespace {

// Splunk's _time of nearly every row: ten digits of epoch seconds, then nothing or a '.'
// and one to three digits. Parsed without a per-byte loop (the eight leading digits as one
// word); any other shape returns false and takes the general parser, which gives the same
// value for these.
bool TryParseEpochTenDigits(std::string_view text, TimeMs* out) {
  const size_t n = text.size();
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
  return false;  // the word parse below assumes little-endian loads
#endif
  if (n != 10 && (n < 12 || n > 14 || text[10] != '.')) return false;
  uint64_t w;
  std::memcpy(&w, text.data(), 8);
  // Every byte 0x30-0x39: high nibble 3, and still 3 after adding 6.
  constexpr uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ull, kThrees = 0x3030303030303030ull;
  if ((w & kHigh) != kThrees || ((w + 0x0606060606060606ull) & kHigh) != kThrees) return false;
  // Little-endian, the first digit in the low byte: pairs, then quads, then all eight
  // (Lemire's eight-digit parse).
  w = ((w & 0x0F0F0F0F0F0F0F0Full) * 2561) >> 8;
  w = ((w & 0x00FF00FF00FF00FFull) * 6553601) >> 16;
  w = ((w & 0x0000FFFF0000FFFFull) * 42949672960001ull) >> 32;
  int64_t seconds = static_cast<int64_t>(w);
  for (size_t i = 8; i < 10; ++i) {
    if (!IsDigit(text[i])) return false;
    seconds = seconds * 10 + (text[i] - '0');
  }
  int64_t millis = 0;
  int64_t scale = 100;
  for (size_t i = 11; i < n; ++i, scale /= 10) {
    if (!IsDigit(text[i])) return false;
    millis += (text[i] - '0') * scale;
  }
  *out = seconds * 1000 + millis;
  return true;
}

}  // namespace

bool TryParseTime(std::string_view text, TimeMs* out) {
  if (TryParseEpochTenDigits(text, out)) return true;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return false;
  if (text.size() >= 10 && text[4] == '-' && IsDigit(text[0])) return TryParseIso(text, out);
  return TryParseEpoch(text, out);
}

bool TryParseDuration(std::string_view text, DurationMs* out) {
  if (text == "0") {
    *out = 0;
    return true;
  }
  if (text.size() < 2 || text.size() > 12) return false;
  int64_t unit;
  switch (text.back()) {
    case 's':
      unit = 1000;
      break;
    case 'm':
      unit = 60 * 1000;
      break;
    case 'h':
      unit = 3600 * 1000;
      break;
    case 'd':
      unit = 86400 * 1000;
      break;
    default:
      return false;
  }
  std::string_view digits = text.substr(0, text.size() - 1);
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || n < 0) return false;
  *out = n * unit;
  return true;
}

std::string_view FormatEpochSeconds(TimeMs t, std::span<char, kEpochSecondsChars> buf) {
  // Digits written backwards into a buffer, no snprintf: once per map output row and two or
  // three times per finding.
  bool negative = t < 0;
  uint64_t a = negative ? static_cast<uint64_t>(-(t + 1)) + 1 : static_cast<uint64_t>(t);
  uint64_t secs = a / 1000;
  unsigned ms = static_cast<unsigned>(a % 1000);
  char* end = buf.data() + buf.size();
  char* p = end;
  if (ms != 0) {
    char digits[3] = {static_cast<char>('0' + ms / 100), static_cast<char>('0' + ms / 10 % 10),
                      static_cast<char>('0' + ms % 10)};
    int n = 3;
    while (digits[n - 1] == '0') --n;
    p -= n;
    for (int i = 0; i < n; ++i) p[i] = digits[i];
    *--p = '.';
  }
  // Two digits per division: epoch seconds have ten digits.
  while (secs >= 100) {
    const unsigned pair = static_cast<unsigned>(secs % 100) * 2;
    secs /= 100;
    p -= 2;
    p[0] = kDigitPairs[pair];
    p[1] = kDigitPairs[pair + 1];
  }
  if (secs >= 10) {
    const unsigned pair = static_cast<unsigned>(secs) * 2;
    p -= 2;
    p[0] = kDigitPairs[pair];
    p[1] = kDigitPairs[pair + 1];
  } else {
    *--p = static_cast<char>('0' + secs);
  }
  if (negative) *--p = '-';
  return std::string_view(p, static_cast<size_t>(end - p));
}

void FormatEpochSeconds(TimeMs t, std::string* out) {
  char buf[kEpochSecondsChars];
  out->assign(FormatEpochSeconds(t, buf));
}

std::string FormatEpochSeconds(TimeMs t) {
  std::string out;
  FormatEpochSeconds(t, &out);
  return out;
}

std::string FormatIso8601(TimeMs t) {
  // Floor division without forming t - ms, which wraps for t near INT64_MIN.
  int64_t ms = ((t % 1000) + 1000) % 1000;
  int64_t secs = t / 1000 - (t % 1000 < 0 ? 1 : 0);
  int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  int64_t sod = secs - days * 86400;
  // civil_from_days (Howard Hinnant)
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[40];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                        (long long)y, m, d, (long long)(sod / 3600), (long long)(sod / 60 % 60),
                        (long long)(sod % 60), (long long)ms);
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace vd
