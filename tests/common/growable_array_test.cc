#include "common/growable_array.h"

#include <cstdint>
#include <utility>

#include <gtest/gtest.h>

namespace vd {
namespace {

struct Item {
  uint64_t a = 7;
  uint32_t b = 9;
};

TEST(GrowableArrayTest, KeepsEveryElementAcrossManyGrowths) {
  GrowableArray<Item> items;
  EXPECT_TRUE(items.empty());
  // 3 M elements of 16 bytes: 48 MB, grown from 2 MB five times.
  for (uint32_t i = 0; i < 3'000'000; ++i) items.push_back({i, i * 3});
  ASSERT_EQ(items.size(), 3'000'000u);
  for (uint32_t i = 0; i < items.size(); i += 997) {
    ASSERT_EQ(items[i].a, i);
    ASSERT_EQ(items[i].b, i * 3);
  }
  EXPECT_EQ(items.span().size(), items.size());
  EXPECT_EQ(items.span().data(), items.data());
}

TEST(GrowableArrayTest, AppendValueInitializes) {
  GrowableArray<Item> items;
  Item* first = items.Append(5);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(first[i].a, 7u);
    EXPECT_EQ(first[i].b, 9u);
  }
  EXPECT_EQ(items.size(), 5u);
}

TEST(GrowableArrayTest, MovesAndClears) {
  GrowableArray<Item> items;
  for (uint32_t i = 0; i < 1000; ++i) items.push_back({i, i});
  GrowableArray<Item> moved(std::move(items));
  EXPECT_EQ(moved.size(), 1000u);
  EXPECT_EQ(moved[999].a, 999u);
  EXPECT_TRUE(items.empty());  // NOLINT(bugprone-use-after-move): the moved-from state
  items = std::move(moved);
  EXPECT_EQ(items.size(), 1000u);
  items.clear();
  EXPECT_TRUE(items.empty());
  items.push_back({1, 2});  // usable again
  EXPECT_EQ(items[0].b, 2u);
}

}  // namespace
}  // namespace vd
