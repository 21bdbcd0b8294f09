// vishingcorrelate's protocol behaviour in process: the real command driven by the real loop.
#include "command/vishing_command.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "scp/chunk_reader.h"
#include "scp/command_loop.h"
#include "scp/metadata.h"
#include "support/string_io.h"

namespace vd::command {
namespace {

// The row count in the INFO summary ("... rows read: N ..." or "... rows read N ...").
long RowsRead(const std::vector<scp::Message>& messages) {
  for (const auto& m : messages) {
    size_t at = m.text.find("rows read");
    if (at == std::string::npos) continue;
    at += 9;
    while (at < m.text.size() && (m.text[at] == ':' || m.text[at] == ' ')) ++at;
    return std::strtol(m.text.c_str() + at, nullptr, 10);
  }
  return -1;
}

std::string Frame(std::string_view meta, std::string_view body = {}) {
  return "chunked 1.0," + std::to_string(meta.size()) + "," + std::to_string(body.size()) + "\n" +
         std::string(meta) + std::string(body);
}

std::string Getinfo(const std::string& args_json, const std::string& raw_json) {
  return Frame(R"({"action":"getinfo","preview":false,"searchinfo":{"args":)" + args_json +
               R"(,"raw_args":)" + raw_json + R"(,"command":"vishingcorrelate","sid":"1.2"}})");
}

constexpr std::string_view kExec = R"({"action":"execute","finished":false})";
constexpr std::string_view kExecDone = R"({"action":"execute","finished":true})";

struct Outcome {
  int code;
  std::vector<scp::ParsedReply> replies;
  std::vector<std::string> bodies;
};

Outcome Drive(const std::string& input) {
  scp::StringSource in(input, 1000);
  scp::StringSink out;
  VishingCommand command;
  Outcome o;
  o.code = scp::CommandLoop().Run(&in, &out, &command);
  scp::StringSource replies(out.data());
  scp::ReaderLimits strict;
  strict.strict_header = true;
  scp::ChunkReader reader(&replies, strict);
  scp::Chunk c;
  while (reader.Next(&c).ok()) {
    scp::ParsedReply r;
    EXPECT_TRUE(scp::ParseReplyMetadata(c.metadata, &r).ok());
    o.replies.push_back(r);
    o.bodies.push_back(c.body);
  }
  return o;
}

TEST(VishingCommandTest, ReportingInvocationAsksForTheMapPhase) {
  Outcome o = Drive(Getinfo(R"x(["mode=bulk","helpdesk_regex=(?i)(a|b)"])x",
                            R"x(["mode=bulk","helpdesk_regex=\"(?i)(a|b)\""])x"));
  EXPECT_EQ(o.code, 0);
  ASSERT_EQ(o.replies.size(), 1u);
  EXPECT_EQ(o.replies[0].type, "reporting");
  EXPECT_EQ(o.replies[0].streaming_preop,
            R"x(vishingcorrelate phase=map mode=bulk helpdesk_regex="(?i)(a|b)")x");
  EXPECT_TRUE(o.replies[0].required_fields.empty());
}

TEST(VishingCommandTest, MapInvocationIsStreamingAndAnswersEveryChunk) {
  std::string rows = "_time,user\n1,a\n2,\"b\nc\"\n";
  Outcome o = Drive(Getinfo(R"(["phase=map"])", R"(["phase=map"])") + Frame(kExec, rows) +
                    Frame(kExec, "") + Frame(kExec, "_time,user\n") + Frame(kExecDone, rows));
  EXPECT_EQ(o.code, 0);
  ASSERT_EQ(o.replies.size(), 5u);
  EXPECT_EQ(o.replies[0].type, "streaming");
  EXPECT_FALSE(o.replies[0].streaming_preop.has_value());
  EXPECT_TRUE(o.replies[0].required_fields.empty());
  for (size_t i = 1; i < 5; ++i) EXPECT_EQ(o.replies[i].finished, i == 4) << i;
}

TEST(VishingCommandTest, ReportingBuffersUntilFinished) {
  std::string rows = "vc_time,vc_kind\n1,reset\n2,mfa\n3,reset\n";
  Outcome o = Drive(Getinfo("[]", "[]") + Frame(kExec, rows) + Frame(kExec, "") +
                    Frame(kExec, "vc_time\n") + Frame(kExecDone, "vc_time,vc_kind\n4,reset\n"));
  EXPECT_EQ(o.code, 0);
  ASSERT_EQ(o.replies.size(), 5u);
  for (size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(o.replies[i].finished, false);
    EXPECT_TRUE(o.bodies[i].empty());
    EXPECT_TRUE(o.replies[i].messages.empty());
  }
  EXPECT_EQ(o.replies[4].finished, true);
  ASSERT_FALSE(o.replies[4].messages.empty());
  EXPECT_EQ(o.replies[4].messages[0].level, scp::MessageLevel::kInfo);
  EXPECT_EQ(RowsRead(o.replies[4].messages), 4);
}

TEST(VishingCommandTest, ArgumentErrorIsAnErrorReplyAndExit1) {
  Outcome o =
      Drive(Getinfo(R"(["window=soon"])", R"(["window=soon"])") + Frame(kExecDone, "a\n1\n"));
  EXPECT_EQ(o.code, 1);
  ASSERT_EQ(o.replies.size(), 1u);
  ASSERT_TRUE(o.replies[0].error.has_value());
  EXPECT_NE(o.replies[0].error->find("invalid argument window=soon"), std::string::npos);
  EXPECT_EQ(o.replies[0].finished, true);
  EXPECT_EQ(o.replies[0].messages.back().level, scp::MessageLevel::kError);
}

TEST(VishingCommandTest, UnterminatedQuoteIsAnErrorReply) {
  // The map invocation, and the reporting invocation with one thread, read each chunk before
  // answering it: the answer is the error.
  for (const char* args : {R"(["phase=map"])", R"(["threads=1"])"}) {
    Outcome o = Drive(Getinfo(args, args) + Frame(kExec, "a,b\n1,\"never closed\n2,3\n"));
    EXPECT_EQ(o.code, 1) << args;
    ASSERT_EQ(o.replies.size(), 2u);
    ASSERT_TRUE(o.replies[1].error.has_value());
    EXPECT_NE(o.replies[1].error->find("malformed CSV"), std::string::npos) << *o.replies[1].error;
  }
}

// With threads=2 (the default) the reporting invocation answers a chunk before the last at
// once and reads it meanwhile: a malformed one is the error of the next answer, or of the
// end of input, and the command still exits 1.
TEST(VishingCommandTest, ChunkReadMeanwhileReportsItsErrorInTheNextAnswer) {
  const std::string bad = "a,b\n1,\"never closed\n2,3\n";
  for (const char* args : {R"(["threads=2"])", "[]"}) {
    SCOPED_TRACE(args);
    Outcome at_next = Drive(Getinfo(args, args) + Frame(kExec, bad) + Frame(kExec, "a\n1\n"));
    EXPECT_EQ(at_next.code, 1);
    ASSERT_EQ(at_next.replies.size(), 3u);
    EXPECT_FALSE(at_next.replies[1].error.has_value());
    EXPECT_TRUE(at_next.bodies[1].empty());
    ASSERT_TRUE(at_next.replies[2].error.has_value());
    EXPECT_NE(at_next.replies[2].error->find("malformed CSV"), std::string::npos);
    EXPECT_EQ(at_next.replies[2].finished, true);

    Outcome at_last = Drive(Getinfo(args, args) + Frame(kExec, bad) + Frame(kExecDone, "a\n1\n"));
    EXPECT_EQ(at_last.code, 1);
    ASSERT_EQ(at_last.replies.size(), 3u);
    ASSERT_TRUE(at_last.replies[2].error.has_value());
    EXPECT_NE(at_last.replies[2].error->find("malformed CSV"), std::string::npos);

    Outcome at_eof = Drive(Getinfo(args, args) + Frame(kExec, bad));
    EXPECT_EQ(at_eof.code, 1);
    ASSERT_EQ(at_eof.replies.size(), 3u);
    EXPECT_FALSE(at_eof.replies[1].error.has_value());
    ASSERT_TRUE(at_eof.replies[2].error.has_value());
    EXPECT_NE(at_eof.replies[2].error->find("malformed CSV"), std::string::npos);

    // The last chunk is read before its answer, as with one thread.
    Outcome last = Drive(Getinfo(args, args) + Frame(kExec, "a\n1\n") + Frame(kExecDone, bad));
    EXPECT_EQ(last.code, 1);
    ASSERT_EQ(last.replies.size(), 3u);
    EXPECT_FALSE(last.replies[1].error.has_value());
    ASSERT_TRUE(last.replies[2].error.has_value());
  }
}

// Chunks read meanwhile are the same rows as chunks read at once: every row of many chunks
// (each a different size, so the two buffers the invocation swaps trade places with data of
// other lengths) is counted, and the findings are byte for byte those of one thread.
TEST(VishingCommandTest, ChunksReadMeanwhileGiveTheFindingsOfOneThread) {
  std::string input;
  long rows = 0;
  for (int c = 0; c < 9; ++c) {
    std::string body = "vc_time,vc_kind,vc_source,vc_initiator,vc_target,vc_result\n";
    for (int i = 0; i < 3 + c * 7; ++i, ++rows) {
      body += std::to_string(1700000000 + rows * 60) + ",reset,entra,helpdesk" +
              std::to_string(c % 3) + "@contoso.com,user" + std::to_string(rows % 11) +
              "@contoso.com,success\n";
    }
    input += Frame(c == 8 ? kExecDone : kExec, body);
  }
  Outcome one = Drive(Getinfo(R"(["threads=1"])", R"(["threads=1"])") + input);
  Outcome two = Drive(Getinfo(R"(["threads=2"])", R"(["threads=2"])") + input);
  ASSERT_EQ(one.code, 0);
  ASSERT_EQ(two.code, 0);
  ASSERT_EQ(one.replies.size(), 10u);
  ASSERT_EQ(two.replies.size(), 10u);
  EXPECT_EQ(RowsRead(two.replies[9].messages), rows);
  EXPECT_FALSE(two.bodies[9].empty());
  EXPECT_EQ(one.bodies[9], two.bodies[9]);
}

}  // namespace
}  // namespace vd::command

namespace vd::command {
namespace {

// report_since=-15m counts back from the latest_time getinfo carries (splunkd sends epoch
// seconds as a string; "0" means none).
TEST(VishingCommandTest, ReportSinceCountsBackFromTheSearchLatestTime) {
  // Two chains: one whose events arrived at 1000-1100 s, one at 5000-5100 s (arrival = _time).
  const std::string rows =
      "vc_time,vc_kind,vc_source,vc_operation,vc_initiator,vc_target,vc_event_id\n"
      "1000,reset,entra,Reset user password,hd@contoso.com,a@contoso.com,e1\n"
      "1100,mfa,entra,User registered security info,a@contoso.com,a@contoso.com,e2\n"
      "5000,reset,entra,Reset user password,hd@contoso.com,b@contoso.com,e3\n"
      "5100,mfa,entra,User registered security info,b@contoso.com,b@contoso.com,e4\n";
  auto run = [&](const std::string& latest) {
    const std::string meta =
        R"({"action":"getinfo","preview":false,"searchinfo":{"args":["mode=chain","report_since=-15m"],)"
        R"("raw_args":["mode=chain","report_since=-15m"],"command":"vishingcorrelate","sid":"1.2",)"
        R"("earliest_time":"0","latest_time":")" +
        latest + R"("}})";
    return Drive(Frame(meta) + Frame(kExecDone, rows));
  };
  Outcome late = run("5500");  // since 4600: only b's chain
  ASSERT_EQ(late.code, 0);
  ASSERT_EQ(late.bodies.size(), 2u);
  EXPECT_EQ(late.bodies[1].find("a@contoso.com"), std::string::npos) << late.bodies[1];
  EXPECT_NE(late.bodies[1].find("b@contoso.com"), std::string::npos) << late.bodies[1];
  Outcome early = run("1500");  // since 600: both
  ASSERT_EQ(early.bodies.size(), 2u);
  EXPECT_NE(early.bodies[1].find("a@contoso.com"), std::string::npos);
  EXPECT_NE(early.bodies[1].find("b@contoso.com"), std::string::npos);
  Outcome unbounded = run("0");  // no latest time: before now, so neither
  ASSERT_EQ(unbounded.bodies.size(), 2u);
  EXPECT_EQ(unbounded.bodies[1].find("contoso.com"), std::string::npos) << unbounded.bodies[1];
}

}  // namespace
}  // namespace vd::command
