#include "events/multivalue.h"

#include <gtest/gtest.h>

namespace vd::events {
namespace {

TEST(MvSplitterTest, PlainColumnSplitsOnNewline) {
  MvSplitter s;
  ASSERT_EQ(s.Split("Group\nUser", ""), 2u);
  EXPECT_EQ(s[0], "Group");
  EXPECT_EQ(s[1], "User");
  EXPECT_EQ(s.Split("", ""), 0u);
  EXPECT_EQ(s.Split("one", ""), 1u);
}

TEST(MvSplitterTest, EncodedColumnWinsAndKeepsNewlinesAndDollars) {
  MvSplitter s;
  ASSERT_EQ(s.Split("a\r\nb\nc", "$a\r\nb$;$c$$1$"), 2u);
  EXPECT_EQ(s[0], "a\r\nb");
  EXPECT_EQ(s[1], "c$1");
  EXPECT_EQ(s.IndexOf("C$1"), 1u);
}

TEST(MvSplitterTest, MalformedEncodingFallsBackToPlain) {
  MvSplitter s;
  for (const char* bad : {"$a", "a$", "$a$;", "$a$$", "$a$x$b$"}) {
    ASSERT_EQ(s.Split("p\nq", bad), 2u) << bad;
    EXPECT_EQ(s[0], "p");
  }
}

TEST(MvSplitterTest, ViewsSurviveGrowthOfTheDecodeBuffer) {
  std::string enc;
  for (int i = 0; i < 500; ++i)
    enc += (i ? ";$" : "$") + std::string(100, static_cast<char>('a' + i % 26)) + "$";
  MvSplitter s;
  ASSERT_EQ(s.Split("", enc), 500u);
  EXPECT_EQ(s[0], std::string(100, 'a'));
  EXPECT_EQ(s[499], std::string(100, static_cast<char>('a' + 499 % 26)));
}

}  // namespace
}  // namespace vd::events
