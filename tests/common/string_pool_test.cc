#include "common/string_pool.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace vd {
namespace {

TEST(StringPoolTest, EmptyStringIsIdZero) {
  StringPool pool;
  EXPECT_EQ(pool.Intern(""), kEmptyStr);
  EXPECT_EQ(pool.Get(kEmptyStr), "");
}

TEST(StringPoolTest, InternsOncePerDistinctString) {
  StringPool pool;
  StrId a = pool.Intern("jdoe");
  StrId b = pool.Intern(std::string("jd") + "oe");
  EXPECT_EQ(a, b);
  EXPECT_NE(a, pool.Intern("JDoe"));
  EXPECT_EQ(pool.Find("jdoe"), a);
  EXPECT_EQ(pool.Find("nobody"), StringPool::kNotFound);
}

TEST(StringPoolTest, ViewsStayValidAsPoolGrows) {
  StringPool pool;
  std::vector<std::pair<StrId, std::string>> kept;
  for (int i = 0; i < 200000; ++i) {
    std::string s = "user" + std::to_string(i);
    if (i % 997 == 0) s.append(20000, 'x');  // large strings take the separate path
    kept.emplace_back(pool.Intern(s), s);
  }
  for (auto& [id, s] : kept) ASSERT_EQ(pool.Get(id), s);
}

// Enough bytes for the record blocks to reach their largest size (4 MiB) several times.
TEST(StringPoolTest, ViewsStayValidAcrossLargeBlocks) {
  StringPool pool;
  std::vector<StrId> ids;
  auto text = [](size_t i) { return "someone" + std::to_string(i) + "@example.com"; };
  for (size_t i = 0; i < 1'000'000; ++i) ids.push_back(pool.Intern(text(i)));
  ASSERT_EQ(pool.size(), 1'000'001u);
  for (size_t i = 0; i < ids.size(); ++i) {
    ASSERT_EQ(pool.Get(ids[i]), text(i));
    ASSERT_EQ(pool.Find(text(i)), ids[i]);
  }
}

TEST(StringPoolTest, EachStringKeepsOneKeyBesideIt) {
  StringPool pool;
  const std::string jdoe = "jdoe@contoso.com";  // out of line: longer than a slot holds
  const uint64_t h = StringPool::Hash(jdoe);
  StringPool::Entry first = pool.InternEntry(jdoe, h);
  EXPECT_EQ(first.key, kEmptyStr);
  pool.SetKey(jdoe, h, 42);
  // The key survives the parts growing around it.
  for (int i = 0; i < 100000; ++i) pool.Intern(std::to_string(i).append("u"));
  StringPool::Entry again = pool.InternEntry(jdoe, h);
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.key, StrId{42});
  EXPECT_EQ(pool.InternEntry("7u", StringPool::Hash("7u")).key, kEmptyStr);
  EXPECT_EQ(pool.InternEntry("", StringPool::Hash("")).id, kEmptyStr);
}

// Inline strings of every length up to and past the slot's capacity, differing in one byte
// at every position: the word-at-a-time compare must see each difference.
TEST(StringPoolTest, StringsDifferingInOneByteAreDistinct) {
  StringPool pool;
  for (size_t n = 1; n <= 40; ++n) {
    const std::string base(n, 'a');
    const StrId base_id = pool.Intern(base);
    for (size_t at = 0; at < n; ++at) {
      std::string other = base;
      other[at] = 'b';
      const StrId id = pool.Intern(other);
      ASSERT_NE(id, base_id) << n << " " << at;
      ASSERT_EQ(pool.Get(id), other);
      ASSERT_EQ(pool.Intern(other), id);
    }
  }
}

}  // namespace
}  // namespace vd
