#include "common/huge_pages.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace vd {
namespace {

TEST(HugePagesTest, AdviceOnAnySpanIsHarmless) {
  AdviseHugePages(nullptr, 0);
  AdviseHugePages(nullptr, size_t{64} << 20);
  std::string small(100, 'a');
  AdviseHugePages(small.data(), small.size());  // under the minimum: nothing happens
  std::vector<char> big(size_t{9} << 20, 'b');  // unaligned start and end
  AdviseHugePages(big.data() + 1, big.size() - 2);
  EXPECT_EQ(big.front(), 'b');
  EXPECT_EQ(big.back(), 'b');
  EXPECT_EQ(big[big.size() / 2], 'b');
}

TEST(HugePagesTest, ReserveHugeKeepsElementsInOrderAndDoubles) {
  std::vector<uint64_t> v;
  for (uint64_t i = 0; i < 2'000'000; ++i) {  // crosses the advice minimum several times
    const size_t before = v.capacity();
    ReserveHuge(&v, v.size() + 1);
    if (before < v.size() + 1) {
      EXPECT_GE(v.capacity(), 2 * before);
    } else {
      EXPECT_EQ(v.capacity(), before);  // room left: no reallocation
    }
    v.push_back(i * 7);
  }
  for (uint64_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], i * 7);
}

TEST(HugePagesTest, ReserveHugeMovesNonTrivialElements) {
  std::vector<std::string> v = {"a", std::string(100, 'x'), ""};
  ReserveHuge(&v, 1000);
  ASSERT_GE(v.capacity(), 1000u);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0], "a");
  EXPECT_EQ(v[1], std::string(100, 'x'));
  EXPECT_EQ(v[2], "");
}

TEST(HugePagesTest, HugeVectorIsFilled) {
  std::vector<uint32_t> v = HugeVector<uint32_t>(size_t{3} << 20, UINT32_MAX);
  ASSERT_EQ(v.size(), size_t{3} << 20);
  for (uint32_t x : v) ASSERT_EQ(x, UINT32_MAX);
  EXPECT_TRUE(HugeVector<int>(0).empty());
  std::vector<int> zeros = HugeVector<int>(5);
  EXPECT_EQ(zeros, std::vector<int>(5, 0));
}

}  // namespace
}  // namespace vd
