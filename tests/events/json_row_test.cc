#include "events/json_row.h"

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "events/text_util.h"
#include "splunk_rows.h"

namespace vd::events::testing {
namespace {

std::map<std::string, std::string> AsMap(Header h, Cells c) {
  std::map<std::string, std::string> m;
  for (size_t i = 0; i < h.size(); ++i) m[std::string(h[i])] = std::string(c[i]);
  return m;
}

TEST(JsonRowTest, FlattensEveryFixtureLikeSplunk) {
  int n = 0;
  for (const char* f :
       {"escu/azure_monitor_aad__signin_50076.json",
        "escu/azure_monitor_aad__disable_strong_authentication.json",
        "escu/o365_management_activity__update_user_strongauthenticationmethod.json",
        "sekoia/raw__Beats_winlogbeat__security_event_4723.log",
        "sekoia/raw__Microsoft_microsoft-entraid-graphapi__test_event_0061.log",
        "graph/directoryaudit_beta_example1_update_user_StrongAuthenticationMethod.json"}) {
    std::string json = ReadFile(f);
    JsonRow row;
    ASSERT_TRUE(row.Parse(json).ok()) << f;
    TestRow expected = FlattenJsonLikeSplunk(json);
    std::vector<std::string_view> eh = expected.Header(), ec = expected.Cells();
    auto want = AsMap(eh, ec);
    auto got = AsMap(row.header(), row.cells());
    // _raw: JsonRow drops the file's trailing newline, as Splunk's line breaking does.
    want["_raw"] = std::string(Trim(want["_raw"]));
    got["_raw"] = std::string(Trim(got["_raw"]));
    EXPECT_EQ(got, want) << f;
    ++n;
  }
  EXPECT_EQ(n, 6);
}

TEST(JsonRowTest, NullsDroppedNumbersKeptAsText) {
  JsonRow row;
  ASSERT_TRUE(
      row.Parse(
             R"j({"a":null,"b":[{"t":"Group","u":null},{"t":"User","u":"x"}],"n":50076,"f":false,"e":[]})j")
          .ok());
  auto m = AsMap(row.header(), row.cells());
  EXPECT_EQ(m.count("a"), 0u);
  EXPECT_EQ(m["b{}.t"], "Group\nUser");
  EXPECT_EQ(m["b{}.u"], "x");
  EXPECT_EQ(m["n"], "50076");
  EXPECT_EQ(m["f"], "false");
  EXPECT_EQ(m.count("e{}"), 0u);
  EXPECT_EQ(m["_raw"].substr(0, 10), R"j({"a":null,)j");
}

TEST(JsonRowTest, RejectsNonObjectsAndOversizedLines) {
  JsonRow row;
  EXPECT_EQ(row.Parse("[1,2]").code(), Status::Code::kParse);
  EXPECT_EQ(row.Parse("{\"a\":").code(), Status::Code::kParse);
  EXPECT_EQ(row.Parse("").code(), Status::Code::kParse);
  EXPECT_EQ(row.header().size(), 0u);
  EXPECT_EQ(row.Parse("{\"a\":\"" + std::string(100, 'x') + "\"}", 50).code(),
            Status::Code::kLimit);
  EXPECT_TRUE(row.Parse("{\"a\":1}\r\n").ok());
}

// Field names are looked up once per distinct path, not once per value: a long key over a
// long array costs the input's size, not key length x array length (a 1 MB key over
// 250,000 elements was 2.5 * 10^11 bytes hashed and compared, seconds per row).
TEST(JsonRowTest, LongKeyOverLongArrayIsLinear) {
  const std::string key(1'000'000, 'k');
  std::string line = "{\"" + key + "\":[";
  for (int i = 0; i < 250'000; ++i) line += i ? ",\"1\"" : "\"1\"";
  line += "],\"" + key + "\":{\"a\":\"x\",\"b\":[{\"c\":\"1\"},{\"c\":\"2\"}]}}";
  JsonRow row;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(row.Parse(line).ok());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto m = AsMap(row.header(), row.cells());
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[key + "{}"].size(), 250'000u * 2 - 1);
  EXPECT_EQ(m[key + ".a"], "x");
  EXPECT_EQ(m[key + ".b{}.c"], "1\n2");
  // Linear work is a few milliseconds (tens under sanitizers); the quadratic was seconds.
  EXPECT_LT(seconds, 1.5);
}

// Different paths that flatten to the same name are one field, as before: "a.b" as a key
// and b nested in a; "x{}" over an array and a key "x{}".
TEST(JsonRowTest, PathsWithTheSameFlatNameShareAField) {
  JsonRow row;
  ASSERT_TRUE(row.Parse(R"j({"a.b":"1","a":{"b":"2"},"x{}":"3","x":["4"],"z":"5"})j").ok());
  std::vector<std::string> names(row.header().begin(), row.header().end());
  EXPECT_EQ(names, (std::vector<std::string>{"a.b", "x{}", "z", "_raw"}));
  auto m = AsMap(row.header(), row.cells());
  EXPECT_EQ(m["a.b"], "1\n2");
  EXPECT_EQ(m["x{}"], "3\n4");
}

}  // namespace
}  // namespace vd::events::testing
