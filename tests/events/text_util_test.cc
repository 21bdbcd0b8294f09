#include "events/text_util.h"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace vd::events {
namespace {

// The byte-at-a-time definitions the fast paths must agree with.
bool RefValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      unsigned char t = static_cast<unsigned char>(s[i + k]);
      if ((t & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (t & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

char RefLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool RefEqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (RefLower(a[i]) != RefLower(b[i])) return false;
  }
  return true;
}

TEST(IsValidUtf8, AsciiOfEveryLength) {
  for (size_t n = 0; n <= 70; ++n) {
    std::string s(n, 'a');
    EXPECT_TRUE(IsValidUtf8(s)) << n;
  }
}

// One bad byte (a lone continuation, a truncated lead, an overlong, a surrogate) at every
// position of buffers around the 4/8/16/32-byte boundaries of the fast paths.
TEST(IsValidUtf8, InvalidSequenceAtEveryPosition) {
  const std::string_view bad[] = {
      "\x80",         "\xBF",         "\xC0\xAF",         "\xC1\xBF",
      "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80",
      "\xFF",         "\xC3",         "\xE2\x82",         "\xF0\x9F\x98"};
  for (size_t n : {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65}) {
    for (std::string_view b : bad) {
      for (size_t at = 0; at < n; ++at) {
        std::string s(n, 'x');
        s.replace(at, std::min(b.size(), n - at), b.substr(0, n - at));
        ASSERT_EQ(IsValidUtf8(s), RefValidUtf8(s)) << "n=" << n << " at=" << at;
        ASSERT_FALSE(IsValidUtf8(s)) << "n=" << n << " at=" << at;
      }
    }
  }
}

TEST(IsValidUtf8, ValidMultibyteAtEveryPosition) {
  const std::string_view good[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                                   "\xF4\x8F\xBF\xBF", "\xEF\xBB\xBF"};
  for (size_t n : {4, 8, 15, 16, 17, 31, 32, 33, 64}) {
    for (std::string_view g : good) {
      for (size_t at = 0; at + g.size() <= n; ++at) {
        std::string s(n, 'y');
        s.replace(at, g.size(), g);
        ASSERT_TRUE(IsValidUtf8(s)) << "n=" << n << " at=" << at;
        // Cut in the middle of the sequence: invalid.
        ASSERT_FALSE(IsValidUtf8(std::string_view(s).substr(0, at + 1))) << n << " " << at;
      }
    }
  }
}

TEST(IsValidUtf8, MatchesReferenceOnRandomBytes) {
  std::mt19937 rng(7);
  const unsigned char alphabet[] = {'a',  'Z',  '0',  0x7F, 0x80, 0x8F, 0x9F, 0xA0, 0xBF, 0xC2,
                                    0xC3, 0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
  for (int iter = 0; iter < 200000; ++iter) {
    size_t n = rng() % 40;
    std::string s;
    for (size_t i = 0; i < n; ++i) {
      // Mostly ASCII, as cells are, so that the odd byte lands anywhere.
      s.push_back(rng() % 4 ? 'q' : static_cast<char>(alphabet[rng() % sizeof alphabet]));
    }
    ASSERT_EQ(IsValidUtf8(s), RefValidUtf8(s)) << iter;
  }
}

TEST(EqualsIgnoreCase, OneDifferenceAtEveryPosition) {
  // Pairs that differ by 0x20 but are not letters, and non-ASCII bytes, must not match.
  const std::pair<char, char> pairs[] = {
      {'A', 'a'}, {'Z', 'z'},       {'M', 'm'},    {'@', '`'},    {'[', '{'},     {'0', 'P'},
      {'a', 'b'}, {'\xC1', '\xE1'}, {'\xC1', 'A'}, {'\xC1', 'a'}, {'\x80', '\0'}, {'\xDA', '\xFA'}};
  for (size_t n = 1; n <= 40; ++n) {
    for (auto [x, y] : pairs) {
      for (size_t at = 0; at < n; ++at) {
        std::string a(n, 'k'), b(n, 'K');
        a[at] = x;
        b[at] = y;
        ASSERT_EQ(EqualsIgnoreCase(a, b), RefEqualsIgnoreCase(a, b)) << n << " " << at << " " << x;
        ASSERT_EQ(EqualsIgnoreCase(b, a), RefEqualsIgnoreCase(b, a)) << n << " " << at;
      }
    }
  }
  EXPECT_TRUE(EqualsIgnoreCase("", ""));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abcd"));
  EXPECT_TRUE(EqualsIgnoreCase("Reset User Password", "reset user PASSWORD"));
}

TEST(EqualsIgnoreCase, MatchesReferenceOnRandomBytes) {
  std::mt19937 rng(11);
  for (int iter = 0; iter < 200000; ++iter) {
    size_t n = rng() % 30;
    std::string a, b;
    for (size_t i = 0; i < n; ++i) {
      char c = static_cast<char>(rng() % 256);
      a.push_back(c);
      int r = rng() % 8;
      b.push_back(r == 0   ? static_cast<char>(c ^ 0x20)
                  : r == 1 ? static_cast<char>(rng() % 256)
                           : c);
    }
    ASSERT_EQ(EqualsIgnoreCase(a, b), RefEqualsIgnoreCase(a, b)) << iter;
  }
}

TEST(ContainsIgnoreCase, Cases) {
  EXPECT_TRUE(ContainsIgnoreCase("XmlWinEventLog:Security", "wineventlog"));
  EXPECT_TRUE(ContainsIgnoreCase("wineventlog", "WINEVENTLOG"));
  EXPECT_FALSE(ContainsIgnoreCase("azure:aad:audit", "WinEventLog"));
  EXPECT_FALSE(ContainsIgnoreCase("WinEventLo", "WinEventLog"));
  EXPECT_TRUE(ContainsIgnoreCase("anything", ""));
  EXPECT_TRUE(ContainsIgnoreCase("aaaaab", "aab"));
  EXPECT_FALSE(ContainsIgnoreCase("@@@", "```"));
}

TEST(Trim, EdgeCases) {
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" "), "");
  EXPECT_EQ(Trim(" \t\r\n\v\f"), "");
  EXPECT_EQ(Trim("a"), "a");
  EXPECT_EQ(Trim(" a"), "a");
  EXPECT_EQ(Trim("a "), "a");
  EXPECT_EQ(Trim("\ta b\n"), "a b");
  EXPECT_EQ(Trim("a\x0b"), "a");
  EXPECT_EQ(Trim("\x0c"
                 "a"),
            "a");
  // Bytes just outside the whitespace range are kept.
  EXPECT_EQ(Trim("\x08"
                 "a\x0e"),
            "\x08"
            "a\x0e");
  EXPECT_EQ(Trim("\x1f"
                 "a!"),
            "\x1f"
            "a!");
  EXPECT_EQ(Trim("\xA0x\x85"), "\xA0x\x85");
  EXPECT_EQ(Trim(std::string_view("\0a\0", 3)), std::string_view("\0a\0", 3));
  // Inner whitespace stays; only the ends go.
  EXPECT_EQ(Trim("  a  b  "), "a  b");
  for (int c = 0; c < 256; ++c) {
    std::string s =
        std::string(1, static_cast<char>(c)) + "x" + std::string(1, static_cast<char>(c));
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    EXPECT_EQ(Trim(s), space ? std::string_view("x") : std::string_view(s)) << c;
  }
}

}  // namespace
}  // namespace vd::events
