#include "scp/metadata.h"

#include <gtest/gtest.h>

#include "scp_test_util.h"

namespace vd::scp {
namespace {

using Code = Status::Code;

TEST(RequestMetadataTest, ParsesSplunk821Getinfo) {
  Status end;
  auto chunks = testing::ReadChunks(testing::ReadData("doubleage_streaming.input.bin"), &end);
  ASSERT_FALSE(chunks.empty());
  RequestMetadata m;
  ASSERT_TRUE(ParseRequestMetadata(chunks[0].metadata, &m).ok());
  EXPECT_EQ(m.action, Action::kGetInfo);
  EXPECT_FALSE(m.preview);
  EXPECT_EQ(m.searchinfo.command, "doubleage");
  EXPECT_EQ(m.searchinfo.splunk_version, "8.2.1");
  EXPECT_EQ(m.searchinfo.dispatch_dir.find("C:\\Program Files\\Splunk"), 0u)
      << m.searchinfo.dispatch_dir;
  EXPECT_EQ(m.searchinfo.maxresultrows, 50000);
  EXPECT_EQ(m.searchinfo.earliest_time, 0);
  EXPECT_TRUE(m.searchinfo.args.empty());
}

TEST(RequestMetadataTest, ArgsRawArgsAndTimesAsStringsOrNumbers) {
  RequestMetadata m;
  ASSERT_TRUE(
      ParseRequestMetadata(
          R"({"action": "getinfo", "searchinfo": {"args": ["pattern=\\w+", "text"], "raw_args": ["pattern=\"\\w+\"", "text"],
          "earliest_time": 1627333200.25, "latest_time": "1627336800", "maxresultrows": 10,
          "future_key": {"nested": [1, 2, {"x": null}]}}, "another": true})",
          &m)
          .ok());
  EXPECT_EQ(m.searchinfo.args, (std::vector<std::string>{"pattern=\\w+", "text"}));
  EXPECT_EQ(m.searchinfo.raw_args, (std::vector<std::string>{"pattern=\"\\w+\"", "text"}));
  EXPECT_EQ(m.searchinfo.earliest_time, 1627333200250);
  EXPECT_EQ(m.searchinfo.latest_time, 1627336800000);
  EXPECT_EQ(m.searchinfo.maxresultrows, 10);
}

TEST(RequestMetadataTest, ExecuteFinishedFlag) {
  RequestMetadata m;
  ASSERT_TRUE(ParseRequestMetadata(R"({"action":"execute","finished":true})", &m).ok());
  EXPECT_EQ(m.action, Action::kExecute);
  EXPECT_TRUE(m.finished);
  ASSERT_TRUE(ParseRequestMetadata(R"({"action":"execute"})", &m).ok());
  EXPECT_FALSE(m.finished);
  EXPECT_EQ(ParseRequestMetadata(R"({"action":"execute","finished":"yes"})", &m).code(),
            Code::kParse);
}

TEST(RequestMetadataTest, RefusesWhatIsNotAnObjectWithAnAction) {
  RequestMetadata m;
  EXPECT_EQ(ParseRequestMetadata("[]", &m).code(), Code::kParse);
  EXPECT_EQ(ParseRequestMetadata("\"getinfo\"", &m).code(), Code::kParse);
  EXPECT_EQ(ParseRequestMetadata("", &m).code(), Code::kParse);
  EXPECT_EQ(ParseRequestMetadata("{\"action\":\"getinfo\"", &m).code(), Code::kParse);
  EXPECT_EQ(ParseRequestMetadata("{\"action\":\"getinfo\"} x", &m).code(), Code::kParse);
  EXPECT_EQ(ParseRequestMetadata(std::string("{\"action\":\"getinfo\"}\0{", 22), &m).code(),
            Code::kParse);
  EXPECT_EQ(ParseRequestMetadata("{}", &m).code(), Code::kProtocol);
  EXPECT_EQ(ParseRequestMetadata(R"({"action":7})", &m).code(), Code::kProtocol);
  ASSERT_TRUE(ParseRequestMetadata(R"({"action":"frobnicate"})", &m).ok());
  EXPECT_EQ(m.action, Action::kOther);
  EXPECT_EQ(m.action_name, "frobnicate");
  EXPECT_EQ(ParseRequestMetadata(R"({"action":"getinfo","searchinfo":{"args":[1]}})", &m).code(),
            Code::kParse);
}

TEST(RequestMetadataTest, HundredThousandLevelsOfNestingAreRefusedCleanly) {
  const int depth = 100000;
  std::string arrays = std::string(depth, '[') + std::string(depth, ']');
  std::string objects;
  for (int i = 0; i < depth; ++i) objects += "{\"a\":";
  objects += "1" + std::string(depth, '}');
  RequestMetadata m;
  for (const std::string& nested :
       {arrays, objects, "{\"action\":\"getinfo\",\"x\":" + arrays + "}"}) {
    Status s = ParseRequestMetadata(nested, &m);
    EXPECT_EQ(s.code(), Code::kParse);
    EXPECT_NE(s.message().find("nested deeper"), std::string::npos) << s.message();
  }
  // Unclosed nesting is just as safe.
  EXPECT_EQ(ParseRequestMetadata(std::string(depth, '['), &m).code(), Code::kParse);
  // Moderate nesting in an unknown key is fine.
  std::string ok =
      "{\"action\":\"getinfo\",\"x\":" + std::string(60, '[') + std::string(60, ']') + "}";
  EXPECT_TRUE(ParseRequestMetadata(ok, &m).ok());
}

TEST(RequestMetadataTest, LoneSurrogateEscapesAreTolerated) {
  RequestMetadata m;
  ASSERT_TRUE(
      ParseRequestMetadata(
          R"({"action":"getinfo","searchinfo":{"command":"a\ud800b\udc00c\ud83d\ude00"}})", &m)
          .ok());
  EXPECT_EQ(m.searchinfo.command,
            "a\xef\xbf\xbd"
            "b\xef\xbf\xbd"
            "c\xf0\x9f\x98\x80");
}

// A lone low surrogate alone (no high one to make the parser refuse) used to come through as
// the bytes ED B0 80, which are not UTF-8, into an argument an error reply echoes.
TEST(RequestMetadataTest, ALoneLowSurrogateAloneBecomesTheReplacementCharacter) {
  RequestMetadata m;
  ASSERT_TRUE(ParseRequestMetadata(
                  R"({"action":"getinfo","searchinfo":{"args":["mode=\udc00x","a\\udc00"]}})", &m)
                  .ok());
  ASSERT_EQ(m.searchinfo.args.size(), 2u);
  EXPECT_EQ(m.searchinfo.args[0], "mode=\xef\xbf\xbdx");
  EXPECT_EQ(m.searchinfo.args[1], "a\\udc00");  // an escaped backslash, not an escape
}

TEST(ReplyMetadataTest, SerializesInTheProtocolsKeyOrder) {
  ReplyMetadata r;
  r.finished = true;
  r.error = "bad \"x\"";
  r.messages.push_back({MessageLevel::kWarn, "careful"});
  r.messages.push_back({MessageLevel::kError, "bad \"x\""});
  EXPECT_EQ(
      SerializeReplyMetadata(r),
      R"({"inspector":{"messages":[["WARN","careful"],["ERROR","bad \"x\""]]},"error":"bad \"x\"","finished":true})");
  ReplyMetadata g;
  g.type = "reporting";
  g.streaming_preop = "sum phase=\"map\" total=\"total\" value1";
  EXPECT_EQ(SerializeReplyMetadata(g),
            R"({"type":"reporting","streaming_preop":"sum phase=\"map\" total=\"total\" value1"})");
  EXPECT_EQ(SerializeReplyMetadata(ReplyMetadata{}), "{}");
}

TEST(ReplyMetadataTest, RoundTripsThroughTheReplyParser) {
  ReplyMetadata r;
  r.type = "streaming";
  r.required_fields = std::vector<std::string>{"age", "_time"};
  r.generating = false;
  r.messages.push_back({MessageLevel::kInfo, "rows read: 5 \xe0\xb8\x97"});
  r.finished = false;
  ParsedReply p;
  ASSERT_TRUE(ParseReplyMetadata(SerializeReplyMetadata(r), &p).ok());
  EXPECT_EQ(p.type, "streaming");
  EXPECT_EQ(p.required_fields, (std::vector<std::string>{"age", "_time"}));
  EXPECT_EQ(p.generating, false);
  EXPECT_EQ(p.finished, false);
  ASSERT_EQ(p.messages.size(), 1u);
  EXPECT_EQ(p.messages[0].level, MessageLevel::kInfo);
  EXPECT_EQ(p.messages[0].text, "rows read: 5 \xe0\xb8\x97");
  EXPECT_EQ(ParseReplyMetadata(R"({"finished":"no"})", &p).code(), Code::kProtocol);
  EXPECT_EQ(ParseReplyMetadata(R"({"inspector":{"messages":[["ERROR"]]}})", &p).code(),
            Code::kProtocol);
}

}  // namespace
}  // namespace vd::scp
