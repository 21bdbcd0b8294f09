#include "scp/command_loop.h"

#include <gtest/gtest.h>

#include "scp/metadata.h"
#include "scp_test_util.h"
#include "support/string_io.h"

namespace vd::scp {
namespace {

using testing::Frame;

constexpr std::string_view kGetinfo =
    R"({"action":"getinfo","searchinfo":{"args":["x=1"],"command":"echo"}})";
constexpr std::string_view kExec = R"({"action":"execute","finished":false})";
constexpr std::string_view kExecDone = R"({"action":"execute","finished":true})";

// A small real command: echoes every body, counts calls, can be told to fail.
class EchoCommand : public SearchCommand {
 public:
  Status GetInfo(const GetInfoRequest& request, GetInfoReply* reply) override {
    args = request.searchinfo.args;
    if (fail_getinfo) {
      reply->messages.push_back({MessageLevel::kWarn, "about to fail"});
      return Status::InvalidArgument("echo: invalid argument x=1: expected nothing");
    }
    reply->type = "stateful";
    return Status::Ok();
  }
  Status Execute(const ExecuteRequest& request, ExecuteReply* reply) override {
    ++executes;
    if (fail_execute) return Status::Parse("echo: malformed body");
    reply->body = *request.body;
    return Status::Ok();
  }
  Status EndOfInput() override {
    ++ends;
    return fail_at_end ? Status::Parse("echo: the last body was malformed") : Status::Ok();
  }
  std::vector<std::string> args;
  int executes = 0;
  int ends = 0;
  bool fail_getinfo = false;
  bool fail_execute = false;
  bool fail_at_end = false;
};

struct LoopRun {
  int code;
  std::vector<ParsedReply> replies;
  std::vector<std::string> bodies;
};

LoopRun RunLoop(const std::string& input, EchoCommand* command, size_t max_read = SIZE_MAX) {
  StringSource in(input, max_read);
  StringSink out;
  LoopRun run;
  run.code = CommandLoop().Run(&in, &out, command);
  ReaderLimits strict;
  strict.strict_header = true;
  Status end;
  for (const Chunk& c : testing::ReadChunks(out.data(), &end, SIZE_MAX, strict)) {
    ParsedReply r;
    EXPECT_TRUE(ParseReplyMetadata(c.metadata, &r).ok()) << c.metadata;
    run.replies.push_back(r);
    run.bodies.push_back(c.body);
  }
  EXPECT_EQ(end.code(), Status::Code::kEndOfStream) << end.message();
  return run;
}

void ExpectFatal(const LoopRun& run, std::string_view needle) {
  EXPECT_EQ(run.code, 1);
  ASSERT_FALSE(run.replies.empty());
  const ParsedReply& last = run.replies.back();
  ASSERT_TRUE(last.error.has_value());
  EXPECT_NE(last.error->find(needle), std::string::npos) << *last.error;
  EXPECT_EQ(last.finished, true);
  ASSERT_FALSE(last.messages.empty());
  EXPECT_EQ(last.messages.back().level, MessageLevel::kError);
  EXPECT_EQ(last.messages.back().text, *last.error);
}

TEST(CommandLoopTest, OneReplyPerRequestWithFinishedEchoed) {
  EchoCommand cmd;
  std::string input = Frame(kGetinfo) + Frame(kExec, "a,b\n1,2\n") + Frame(kExec, "a,b\n") +
                      Frame(kExec, "") + Frame(kExecDone, "a,b\n");
  LoopRun run = RunLoop(input, &cmd, 3);
  EXPECT_EQ(run.code, 0);
  ASSERT_EQ(run.replies.size(), 5u);
  EXPECT_EQ(run.replies[0].type, "stateful");
  EXPECT_FALSE(run.replies[0].finished.has_value());
  EXPECT_EQ(cmd.args, std::vector<std::string>{"x=1"});
  EXPECT_EQ(run.replies[1].finished, false);
  EXPECT_EQ(run.bodies[1], "a,b\n1,2\n");
  EXPECT_EQ(run.bodies[2], "a,b\n");  // header-only answered
  EXPECT_EQ(run.bodies[3], "");       // empty answered
  EXPECT_EQ(run.replies[4].finished, true);
  EXPECT_EQ(cmd.executes, 4);
}

TEST(CommandLoopTest, EndOfInputIsACleanExit) {
  EchoCommand cmd;
  EXPECT_EQ(RunLoop("", &cmd).code, 0);
  LoopRun probe = RunLoop(Frame(kGetinfo), &cmd);  // splunkd's getinfo-only probe
  EXPECT_EQ(probe.code, 0);
  EXPECT_EQ(probe.replies.size(), 1u);
}

// A command that answers before it is done with a request reports what went wrong when the
// input ends: one more reply, the error, and exit 1.
TEST(CommandLoopTest, EndOfInputErrorIsAnErrorReply) {
  EchoCommand cmd;
  cmd.fail_at_end = true;
  LoopRun run = RunLoop(Frame(kGetinfo) + Frame(kExec, "a\n1\n"), &cmd);
  ExpectFatal(run, "echo: the last body was malformed");
  ASSERT_EQ(run.replies.size(), 3u);
  EXPECT_EQ(run.bodies[1], "a\n1\n");
  EXPECT_EQ(cmd.ends, 1);

  EchoCommand fine;
  EXPECT_EQ(RunLoop(Frame(kGetinfo) + Frame(kExecDone, "a\n"), &fine).code, 0);
  EXPECT_EQ(fine.ends, 1);
}

TEST(CommandLoopTest, ProtocolFaultsGetAnErrorReplyAndExit1) {
  struct Case {
    std::string input;
    std::string_view needle;
  } cases[] = {
      {Frame(kExec, "a\n1\n"), "execute request before getinfo"},
      {Frame(kGetinfo) + Frame(R"({"action":"frobnicate"})"), "unknown action \"frobnicate\""},
      {"GET / HTTP/1.1\r\n\r\n", "invalid chunk header"},
      {"chunked 1.0,abc,def\n", "invalid chunk header"},
      {"chunked 1.0,-3,0\n", "invalid chunk header"},
      {"chunked 1.0,99999999999999,0\n", "99999999999999 metadata bytes"},
      {Frame(kGetinfo) + "chunked 1.0,37,99999999999999\n", "99999999999999 body bytes"},
      {Frame(kGetinfo) + "chunked 1.0,37,10\n" + std::string(kExec) + "abc", "body after 3 of 10"},
      {Frame(kGetinfo).substr(0, 30), "inside the chunk metadata"},
      {Frame("{\"action\":"), "not valid JSON"},
      {Frame("[1,2]"), "not a JSON object"},
      {Frame(std::string(100000, '[') + std::string(100000, ']')), "nested deeper"},
      {Frame(kGetinfo) + Frame(kGetinfo), "second getinfo"},
      {Frame(kGetinfo, "a\n"), "getinfo request with a body"},
  };
  for (const auto& c : cases) {
    EchoCommand cmd;
    SCOPED_TRACE(c.needle);
    LoopRun run = RunLoop(c.input, &cmd);
    ExpectFatal(run, c.needle);
  }
}

TEST(CommandLoopTest, CommandErrorsBecomeErrorReplies) {
  EchoCommand cmd;
  cmd.fail_getinfo = true;
  LoopRun run = RunLoop(Frame(kGetinfo) + Frame(kExec, "a\n"), &cmd);
  ExpectFatal(run, "echo: invalid argument x=1");
  ASSERT_EQ(run.replies.size(), 1u);  // nothing after the fatal reply
  EXPECT_EQ(run.replies[0].messages.front().level, MessageLevel::kWarn);

  EchoCommand cmd2;
  cmd2.fail_execute = true;
  LoopRun run2 = RunLoop(Frame(kGetinfo) + Frame(kExec, "a\n") + Frame(kExecDone, "a\n"), &cmd2);
  ExpectFatal(run2, "echo: malformed body");
  EXPECT_EQ(run2.replies.size(), 2u);
}

TEST(CommandLoopTest, BrokenOutputEndsTheRun) {
  class BrokenSink : public ByteSink {
   public:
    Status Write(std::string_view, std::string_view, std::string_view) override {
      return Status::Io("write: Broken pipe");
    }
  } sink;
  StringSource in(Frame(kGetinfo) + Frame(kExec, "a\n"));
  EchoCommand cmd;
  EXPECT_EQ(CommandLoop().Run(&in, &sink, &cmd), 1);
  EXPECT_EQ(cmd.executes, 0);
}

TEST(CommandLoopTest, RecordedSessionsAreAnsweredOnePerRequest) {
  for (const char* name :
       {"accumages_stateful.input.bin", "averageage_reporting.input.bin",
        "doubleage_streaming.input.bin", "generateevents_generating_stateful.input.bin",
        "reporting.input.bin", "sortages_events.input.bin", "stateful.input.bin",
        "streaming.input.bin", "events.input.bin", "countmatches.input", "sum.reduce.input",
        "multibyte_input.gz"}) {
    SCOPED_TRACE(name);
    std::string bytes = testing::ReadData(name);
    ASSERT_FALSE(bytes.empty());
    Status end;
    size_t requests = testing::ReadChunks(bytes, &end).size();
    EchoCommand cmd;
    LoopRun run = RunLoop(bytes, &cmd, 4096);
    EXPECT_EQ(run.code, 0);
    EXPECT_EQ(run.replies.size(), requests);
  }
}

}  // namespace
}  // namespace vd::scp
