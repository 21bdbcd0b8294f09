#include "csv/multivalue.h"

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace vd::csv {
namespace {

using Values = std::vector<std::string>;

Values Decode(std::string_view mv, bool* ok = nullptr) {
  Values v;
  bool r = DecodeMultivalue(mv, &v);
  if (ok) *ok = r;
  return v;
}

TEST(Multivalue, EncodeSplunkExample) {
  std::vector<std::string_view> values = {"v1", "v$2", "", "v;4"};
  std::string plain, mv;
  EncodeMultivalue(values, &plain, &mv);
  EXPECT_EQ(plain, "v1\nv$2\n\nv;4");
  EXPECT_EQ(mv, "$v1$;$v$$2$;$$;$v;4$");
}

TEST(Multivalue, SingleAndNoValueLeaveMvEmpty) {
  std::string plain = "stale", mv = "stale";
  std::vector<std::string_view> one = {"a$b"};
  EncodeMultivalue(one, &plain, &mv);
  EXPECT_EQ(plain, "a$b");
  EXPECT_EQ(mv, "");
  EncodeMultivalue({}, &plain, &mv);
  EXPECT_EQ(plain, "");
  EXPECT_EQ(mv, "");
}

TEST(Multivalue, DecodeChecksFromTheProtocolNotes) {
  EXPECT_EQ(Decode("$$;$$"), (Values{"", ""}));
  EXPECT_EQ(Decode("$x$;$$$$$"), (Values{"x", "$"}));
  EXPECT_EQ(Decode("$FIREFLY-WIN$;$beatles$"), (Values{"FIREFLY-WIN", "beatles"}));
  EXPECT_EQ(Decode("$v1$;$v$$2$;$$;$v;4$"), (Values{"v1", "v$2", "", "v;4"}));
}

// Expected values produced by Python's re.findall with the SDK's pattern.
TEST(Multivalue, DecodeMatchesPythonFindall) {
  struct Case {
    std::string_view mv;
    Values want;
  };
  const Case cases[] = {
      {"$a$", {"a"}},          {"$$", {""}},
      {"$$$", {""}},           {"$$$$", {"$"}},
      {"$a$$;b$", {"a$;b"}},   {"$a$\n", {"a"}},
      {"$a$x;$b$", {"b"}},     {";$a$", {"a"}},
      {"$a$;", {"a"}},         {"$$$;$$", {"", ""}},
      {"$$$$;$$$", {"$", ""}}, {"$a\n$;$b$", {"a\n", "b"}},
      {"$a$$$;$", {"a$"}},     {"$a$b$;$c$", {"b", "c"}},
  };
  for (const Case& c : cases) {
    bool ok = false;
    EXPECT_EQ(Decode(c.mv, &ok), c.want) << c.mv;
    EXPECT_TRUE(ok) << c.mv;
  }
}

TEST(Multivalue, MalformedIsFalse) {
  for (std::string_view bad : {"abc", "$", "$ab", "$a$\nx", "x$"}) {
    bool ok = true;
    EXPECT_EQ(Decode(bad, &ok), Values{}) << bad;
    EXPECT_FALSE(ok) << bad;
  }
  bool ok = false;
  EXPECT_EQ(Decode("", &ok), Values{});
  EXPECT_TRUE(ok);
}

// Straight backtracking emulation of re.findall(r'\$((?:\$\$|[^$])*)\$(?:;|$)', s):
// quadratic, but written without the run reasoning the real decoder relies on.
Values NaiveFindall(std::string_view s) {
  Values out;
  size_t n = s.size(), pos = 0;
  auto term = [&](size_t p) { return p == n || s[p] == ';' || (p + 1 == n && s[p] == '\n'); };
  while (pos < n) {
    bool matched = false;
    for (size_t start = pos; start < n && !matched; ++start) {
      if (s[start] != '$') continue;
      std::vector<size_t> bounds = {start + 1};
      size_t p = start + 1;
      while (p < n) {
        if (s[p] == '$' && p + 1 < n && s[p + 1] == '$') {
          p += 2;
        } else if (s[p] != '$') {
          p += 1;
        } else {
          break;
        }
        bounds.push_back(p);
      }
      for (size_t k = bounds.size(); k-- > 0;) {
        size_t b = bounds[k];
        if (b < n && s[b] == '$' && term(b + 1)) {
          std::string item;
          for (size_t i = start + 1; i < b; ++i) {
            item += s[i];
            if (s[i] == '$') ++i;
          }
          out.push_back(item);
          pos = (b + 1 < n && s[b + 1] == ';') ? b + 2 : b + 1;
          matched = true;
          break;
        }
      }
    }
    if (!matched) break;
  }
  return out;
}

TEST(Multivalue, DecodeMatchesNaiveEmulationOnRandomInputs) {
  std::mt19937 rng(7);
  const char alphabet[] = {'$', '$', '$', ';', 'a', '\n'};
  for (int iter = 0; iter < 50000; ++iter) {
    std::string s;
    size_t len = rng() % 16;
    for (size_t i = 0; i < len; ++i) s += alphabet[rng() % sizeof(alphabet)];
    ASSERT_EQ(Decode(s), NaiveFindall(s)) << "mv: " << s;
  }
}

TEST(Multivalue, RoundTripsArbitraryValues) {
  std::mt19937 rng(11);
  const char alphabet[] = {'$', ';', 'x', '\n', '"', ','};
  for (int iter = 0; iter < 5000; ++iter) {
    size_t count = 2 + rng() % 4;
    Values values(count);
    for (std::string& v : values) {
      size_t len = rng() % 6;
      for (size_t i = 0; i < len; ++i) v += alphabet[rng() % sizeof(alphabet)];
    }
    std::vector<std::string_view> views(values.begin(), values.end());
    std::string plain, mv;
    EncodeMultivalue(views, &plain, &mv);
    bool ok = false;
    ASSERT_EQ(Decode(mv, &ok), values) << mv;
    ASSERT_TRUE(ok);
  }
}

TEST(Multivalue, LongDollarRunsDecodeInLinearTime) {
  // Quadratic retrying would take minutes here; a linear decoder is instant.
  std::string s(4 << 20, '$');
  s += 'x';
  Values v = Decode(s);
  EXPECT_TRUE(v.empty());
  std::string value(1 << 20, '$');
  std::vector<std::string_view> views = {value, "b"};
  std::string plain, mv;
  EncodeMultivalue(views, &plain, &mv);
  EXPECT_EQ(Decode(mv), (Values{value, "b"}));
}

}  // namespace
}  // namespace vd::csv
