#include "common/time.h"

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace vd {
namespace {

TimeMs Parse(std::string_view s) {
  TimeMs t = -1;
  EXPECT_TRUE(TryParseTime(s, &t)) << s;
  return t;
}

TEST(TryParseTimeTest, EpochSecondsWithFraction) {
  EXPECT_EQ(Parse("1627354345.934"), 1627354345934);
  EXPECT_EQ(Parse("1627354345"), 1627354345000);
  EXPECT_EQ(Parse("1627354345.9"), 1627354345900);
  EXPECT_EQ(Parse("1627354345.93499"), 1627354345934);  // truncated, not rounded
}

TEST(TryParseTimeTest, IsoWithCompactOffsetFromRealRecording) {
  // sum.map.input (Splunk 6.3) carries _time as "2014-06-11T08:19:59.000-0700".
  EXPECT_EQ(Parse("2014-06-11T08:19:59.000-0700"), Parse("2014-06-11T15:19:59Z"));
  EXPECT_EQ(Parse("2014-06-11T15:19:59Z"), 1402499999000);
}

TEST(TryParseTimeTest, IsoGraphStyleSevenFractionDigits) {
  EXPECT_EQ(Parse("2018-01-09T21:20:02.7215374Z"), Parse("2018-01-09T21:20:02Z") + 721);
}

TEST(TryParseTimeTest, IsoColonOffsetSpaceSeparatorAndNoOffset) {
  EXPECT_EQ(Parse("2024-03-01 10:00:00+01:00"), Parse("2024-03-01T09:00:00Z"));
  EXPECT_EQ(Parse("2024-03-01T10:00:00"), Parse("2024-03-01T10:00:00Z"));
  EXPECT_EQ(Parse("2024-03-01T10:00"), Parse("2024-03-01T10:00:00Z"));
}

TEST(TryParseTimeTest, RejectsGarbage) {
  TimeMs t;
  for (std::string_view s : {"", "abc", "12a", "2024-13-01T00:00:00Z", "2024-01-01T25:00:00Z",
                             "2024-01-01T00:00:00+9999", "1.", ".5", "2024-01-01T00:00:00Zjunk",
                             "99999999999999999999"}) {
    EXPECT_FALSE(TryParseTime(s, &t)) << s;
  }
}

// Days past the end of their month used to roll over (2025-02-31 read as 2025-03-03).
TEST(TryParseTimeTest, RejectsDaysTheMonthDoesNotHave) {
  TimeMs t;
  for (std::string_view s : {"2025-02-31T10:00:00Z", "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
                             "2024-04-31T00:00:00Z", "2024-06-31T00:00:00Z", "2024-09-31T00:00:00Z",
                             "2024-11-31T00:00:00Z", "2024-01-32T00:00:00Z"}) {
    EXPECT_FALSE(TryParseTime(s, &t)) << s;
  }
  EXPECT_EQ(Parse("2024-02-29T00:00:00Z"), Parse("2024-03-01T00:00:00Z") - 86'400'000);
  EXPECT_EQ(Parse("2000-02-29T00:00:00Z"), Parse("2000-03-01T00:00:00Z") - 86'400'000);
  EXPECT_EQ(Parse("2024-12-31T23:59:59Z") + 1000, Parse("2025-01-01T00:00:00Z"));
}

// The extremes of TimeMs format without overflow (INT64_MIN used to wrap).
TEST(FormatTest, Iso8601AtTheExtremes) {
  EXPECT_EQ(FormatIso8601(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601(INT64_MIN), "-292275055-05-16T16:47:04.192Z");
  EXPECT_EQ(FormatIso8601(INT64_MAX), "292278994-08-17T07:12:55.807Z");
}

TEST(TryParseDurationTest, AcceptsUnits) {
  DurationMs d;
  ASSERT_TRUE(TryParseDuration("10s", &d));
  EXPECT_EQ(d, 10000);
  ASSERT_TRUE(TryParseDuration("30m", &d));
  EXPECT_EQ(d, 1800000);
  ASSERT_TRUE(TryParseDuration("4h", &d));
  EXPECT_EQ(d, 14400000);
  ASSERT_TRUE(TryParseDuration("1d", &d));
  EXPECT_EQ(d, 86400000);
  ASSERT_TRUE(TryParseDuration("0", &d));
  EXPECT_EQ(d, 0);
}

TEST(TryParseDurationTest, RejectsMalformed) {
  DurationMs d;
  for (std::string_view s : {"", "abc", "4", "h", "-1h", "1.5h", "4w", "4hh", "99999999999999h"}) {
    EXPECT_FALSE(TryParseDuration(s, &d)) << s;
  }
}

TEST(FormatTest, EpochSecondsTrimsZeros) {
  EXPECT_EQ(FormatEpochSeconds(1627354345934), "1627354345.934");
  EXPECT_EQ(FormatEpochSeconds(1627354345900), "1627354345.9");
  EXPECT_EQ(FormatEpochSeconds(1627354345000), "1627354345");
  EXPECT_EQ(FormatEpochSeconds(-1500), "-1.5");
  EXPECT_EQ(FormatEpochSeconds(-1), "-0.001");
  EXPECT_EQ(FormatEpochSeconds(0), "0");
  EXPECT_EQ(FormatEpochSeconds(5), "0.005");
  EXPECT_EQ(FormatEpochSeconds(10), "0.01");
  EXPECT_EQ(FormatEpochSeconds(1020), "1.02");
  EXPECT_EQ(FormatEpochSeconds(INT64_MIN), "-9223372036854775.808");
  EXPECT_EQ(FormatEpochSeconds(INT64_MAX), "9223372036854775.807");
  // Round trip through the parser over a spread of values.
  for (TimeMs t = -100003; t < 100003; t += 997) {
    TimeMs back = 0;
    ASSERT_TRUE(TryParseTime(FormatEpochSeconds(t), &back)) << t;
    EXPECT_EQ(back, t);
  }
}

// The seconds are written two digits at a time: every digit count, odd and even, and the
// values around each power of ten agree with printf.
TEST(FormatTest, EpochSecondsEveryDigitCount) {
  auto expected = [](TimeMs t) {
    const bool neg = t < 0;
    const uint64_t a = neg ? static_cast<uint64_t>(-(t + 1)) + 1 : static_cast<uint64_t>(t);
    char buf[48];
    int n =
        std::snprintf(buf, sizeof buf, "%s%llu.%03u", neg ? "-" : "",
                      static_cast<unsigned long long>(a / 1000), static_cast<unsigned>(a % 1000));
    std::string s(buf, static_cast<size_t>(n));
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
  };
  for (uint64_t p = 1; p <= 1000000000000000ull; p *= 10) {
    for (int64_t d : {-1, 0, 1}) {
      for (TimeMs ms : {0, 1, 120, 999}) {
        const TimeMs t = static_cast<TimeMs>(p + static_cast<uint64_t>(d)) * 1000 + ms;
        ASSERT_EQ(FormatEpochSeconds(t), expected(t)) << t;
        ASSERT_EQ(FormatEpochSeconds(-t), expected(-t)) << -t;
      }
    }
  }
  for (TimeMs t = 0; t < 2000000; t += 7) ASSERT_EQ(FormatEpochSeconds(t), expected(t)) << t;
  ASSERT_EQ(FormatEpochSeconds(1748822399999), "1748822399.999");
}

// The buffer form gives the same text as the string form, as a view into the buffer's end.
TEST(FormatTest, EpochSecondsIntoABuffer) {
  char buf[kEpochSecondsChars];
  for (TimeMs t : {TimeMs{0}, TimeMs{5}, TimeMs{-1}, TimeMs{1020}, TimeMs{1748822399999},
                   TimeMs{1748822399000}, TimeMs{-1500}, TimeMs{INT64_MIN}, TimeMs{INT64_MAX}}) {
    std::string_view v = FormatEpochSeconds(t, buf);
    EXPECT_EQ(v, FormatEpochSeconds(t)) << t;
    EXPECT_EQ(v.data() + v.size(), buf + kEpochSecondsChars) << t;
  }
}

// Ten-digit epoch seconds take a word-at-a-time parse; a leading blank sends the same text
// through the general parser, which must agree on every verdict and value, including a
// non-digit at every position and every length around the fast shapes.
TEST(TryParseTimeTest, TenDigitEpochFastPathAgreesWithTheGeneralParser) {
  std::mt19937_64 rng(3);
  const char odd[] = {'/', ':', '.', 'a', ' ', '-', '\0', '\x80'};
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s = std::to_string(1000000000 + rng() % 9000000000ull);
    const size_t frac = rng() % 5;
    if (frac > 0) {
      s += '.';
      for (size_t i = 1; i < frac; ++i) s += static_cast<char>('0' + rng() % 10);
    }
    if (rng() % 3 == 0) s[rng() % s.size()] = odd[rng() % sizeof odd];
    if (rng() % 10 == 0) s += static_cast<char>('0' + rng() % 10);
    TimeMs fast = -7, general = -7;
    const bool ok_fast = TryParseTime(s, &fast);
    const bool ok_general = TryParseTime(" " + s, &general);
    ASSERT_EQ(ok_fast, ok_general) << s;
    if (ok_fast) {
      ASSERT_EQ(fast, general) << s;
    }
  }
  EXPECT_EQ(Parse("1748822399.999"), 1748822399999);
  EXPECT_EQ(Parse("1748822399.9"), 1748822399900);
  EXPECT_EQ(Parse("0000000000.01"), 10);
  EXPECT_EQ(Parse("9999999999"), 9999999999000);
  EXPECT_EQ(Parse("17488223990.5"), 17488223990500);  // eleven digits: the general parser
  TimeMs t;
  EXPECT_FALSE(TryParseTime("1748822399.", &t));
  EXPECT_FALSE(TryParseTime("174882239x.5", &t));
}

TEST(FormatTest, Iso8601RoundTrips) {
  EXPECT_EQ(FormatIso8601(1402499999000), "2014-06-11T15:19:59.000Z");
  for (TimeMs t : {0LL, 951782400123LL, 1709287200000LL, -86400000LL}) {
    EXPECT_EQ(Parse(FormatIso8601(t)), t);
  }
}

}  // namespace
}  // namespace vd
