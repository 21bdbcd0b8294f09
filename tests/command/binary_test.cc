// The built vishingcorrelate executable driven over pipes like splunkd drives it: recorded
// 8.2.1 sessions, malformed input, a 100 MB cell, and the map/reduce emulation. Every run is
// guarded by a timeout and an allocation limit (RLIMIT_AS in plain builds; under ASan, whose
// shadow memory an address-space limit would kill, allocator limits via ASAN_OPTIONS). The
// guards catch hangs and runaway allocation; no timing is asserted.
#include <stdlib.h>
#include <zlib.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "scp/byte_io.h"
#include "scp/chunk_reader.h"
#include "splunkd_emulator/child_process.h"
#include "splunkd_emulator/driver.h"
#include "support/string_io.h"

#if defined(__SANITIZE_ADDRESS__)
#define VD_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VD_UNDER_ASAN 1
#endif
#endif

namespace vd::scp {
namespace {

using splunkd_emulator::ChildProcess;
using splunkd_emulator::Driver;
using splunkd_emulator::DriverOptions;
using splunkd_emulator::PreopResult;
using splunkd_emulator::Reply;
using splunkd_emulator::RunWithPreop;
using splunkd_emulator::SpawnOptions;

constexpr uint64_t kAddressSpaceLimit = 512ull << 20;

// The row count in the INFO summary ("... rows read: N ..." or "... rows read N ...").
long RowsRead(const std::vector<Message>& messages) {
  for (const auto& m : messages) {
    size_t at = m.text.find("rows read");
    if (at == std::string::npos) continue;
    at += 9;
    while (at < m.text.size() && (m.text[at] == ':' || m.text[at] == ' ')) ++at;
    return std::strtol(m.text.c_str() + at, nullptr, 10);
  }
  return -1;
}

std::string ReadData(const std::string& name) {
  std::string out;
  gzFile f = gzopen((std::string(VD_TEST_DATA) + "/scp/" + name).c_str(), "rb");
  if (!f) return out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  gzclose(f);
  return out;
}

std::string Frame(std::string_view meta, std::string_view body = {}) {
  return "chunked 1.0," + std::to_string(meta.size()) + "," + std::to_string(body.size()) + "\n" +
         std::string(meta) + std::string(body);
}

constexpr std::string_view kExec = R"({"action":"execute","finished":false})";
constexpr std::string_view kExecDone = R"({"action":"execute","finished":true})";

DriverOptions Options(const std::string& args = "") {
  DriverOptions o;
  o.command = {VD_VISHINGCORRELATE};
  o.args = args;
  o.timeout_ms = 60000;
#ifdef VD_UNDER_ASAN
  setenv("ASAN_OPTIONS",
         "allocator_may_return_null=1:max_allocation_size_mb=1024:hard_rss_limit_mb=2048", 1);
#else
  o.address_space_limit = kAddressSpaceLimit;
#endif
  return o;
}

std::vector<Chunk> Chunks(const std::string& bytes) {
  StringSource src(bytes);
  ChunkReader reader(&src);
  std::vector<Chunk> out;
  Chunk c;
  while (reader.Next(&c).ok()) out.push_back(c);
  return out;
}

class RecordedSessionTest : public ::testing::TestWithParam<const char*> {};

// splunkd's own bytes, chunk by chunk: one valid reply per request, finished echoed, exit 0.
TEST_P(RecordedSessionTest, AnswersEveryRequestOnceAndExitsZero) {
  std::vector<Chunk> requests = Chunks(ReadData(GetParam()));
  ASSERT_FALSE(requests.empty());
  for (bool map_phase : {false, true}) {
    SCOPED_TRACE(map_phase ? "phase=map" : "reporting");
    Driver driver(Options(map_phase ? "phase=map" : ""));
    ASSERT_TRUE(driver.Start().ok());
    Reply reply;
    if (map_phase) {  // our getinfo (with phase=map) in place of the recorded one
      ASSERT_TRUE(driver.GetInfo(&reply).ok());
      EXPECT_EQ(reply.meta.type, "streaming");
    } else {
      ASSERT_TRUE(driver.SendRaw(Frame(requests[0].metadata)).ok());
      ASSERT_TRUE(driver.ReadReply(&reply).ok());
      EXPECT_EQ(reply.meta.type, "reporting");
      EXPECT_EQ(reply.meta.streaming_preop, "vishingcorrelate phase=map");
    }
    EXPECT_FALSE(reply.HasError());
    for (size_t i = 1; i < requests.size(); ++i) {
      bool finished = requests[i].metadata.find("\"finished\":true") != std::string::npos;
      ASSERT_TRUE(driver.SendRaw(Frame(requests[i].metadata, requests[i].body)).ok());
      Status s = driver.ReadReply(&reply);
      ASSERT_TRUE(s.ok()) << s.message();
      EXPECT_FALSE(reply.HasError()) << reply.metadata;
      EXPECT_EQ(reply.meta.finished, finished) << reply.metadata;
    }
    int code = -1;
    Status s = driver.Finish(&code);  // also checks nothing follows the last reply
    EXPECT_TRUE(s.ok()) << s.message();
    EXPECT_EQ(code, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Splunk821, RecordedSessionTest,
                         ::testing::Values("accumages_stateful.input.bin",
                                           "averageage_reporting.input.bin",
                                           "doubleage_streaming.input.bin",
                                           "generateevents_generating_stateful.input.bin",
                                           "reporting.input.bin", "sortages_events.input.bin",
                                           "stateful.input.bin", "streaming.input.bin",
                                           "events.input.bin"));

TEST(BinaryTest, MultiChunkRecordingsThroughTheBinary) {
  for (const char* name : {"multibyte_input.gz", "sum.map.input.gz", "countmatches.input"}) {
    SCOPED_TRACE(name);
    std::vector<Chunk> requests = Chunks(ReadData(name));
    Driver driver(Options());
    ASSERT_TRUE(driver.Start().ok());
    Reply reply;
    ASSERT_TRUE(driver.GetInfo(&reply).ok());
    for (size_t i = 1; i < requests.size(); ++i) {
      ASSERT_TRUE(driver.SendRaw(Frame(requests[i].metadata, requests[i].body)).ok());
      ASSERT_TRUE(driver.ReadReply(&reply).ok());
      EXPECT_FALSE(reply.HasError()) << reply.metadata;
    }
    // The reporting invocation's summary counts every row it was given.
    EXPECT_GE(RowsRead(reply.meta.messages), 0) << reply.metadata;
    int code = -1;
    EXPECT_TRUE(driver.Finish(&code).ok());
    EXPECT_EQ(code, 0);
  }
}

struct Malformed {
  const char* name;
  std::string bytes;  // sent after (or instead of) a valid getinfo
  bool after_getinfo;
  bool close_stdin;  // false: the command must notice without EOF
  const char* needle;
};

std::vector<Malformed> MalformedInputs() {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::string deep_obj;
  for (int i = 0; i < 100000; ++i) deep_obj += "{\"a\":";
  deep_obj += "0" + std::string(100000, '}');
  return {
      {"garbage_header", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", false, false, "invalid chunk header"},
      {"garbage_after_getinfo", "hello world\n", true, false, "invalid chunk header"},
      {"non_numeric_lengths", "chunked 1.0,abc,def\n", true, false, "invalid chunk header"},
      {"negative_length", "chunked 1.0,-37,0\n", true, false, "invalid chunk header"},
      {"absurd_metadata_length", "chunked 1.0,99999999999999,0\n", false, false,
       "99999999999999 metadata bytes"},
      {"absurd_body_length", "chunked 1.0,37,99999999999999\n" + std::string(kExec), true, false,
       "99999999999999 body bytes"},
      {"huge_declared_small_sent",
       "chunked 1.0,37,900000000\n" + std::string(kExec) + std::string(1 << 20, 'x'), true, true,
       "body after 1048576 of 900000000"},
      {"truncated_metadata", "chunked 1.0,37,10\n{\"action\":\"exec", true, true,
       "inside the chunk metadata"},
      {"truncated_body", "chunked 1.0,37,100\n" + std::string(kExec) + "a,b\n1,2\n", true, true,
       "inside the chunk body"},
      {"truncated_header", "chunked 1.0,37", true, true, "inside a chunk header"},
      {"invalid_json", Frame("{\"action\":\"execute\",}", "a\n"), true, false, "not valid JSON"},
      {"metadata_not_object", Frame("[\"execute\"]"), true, false, "not a JSON object"},
      {"metadata_string", Frame("\"getinfo\""), false, false, "not a JSON object"},
      {"deep_array_nesting", Frame(deep), false, false, "nested deeper"},
      {"deep_object_nesting", Frame(deep_obj), true, false, "nested deeper"},
      {"unknown_action", Frame(R"({"action":"cancel"})"), true, false, "unknown action \"cancel\""},
      {"execute_before_getinfo", Frame(kExec, "a\n1\n"), false, false,
       "execute request before getinfo"},
      {"unterminated_quote", Frame(kExecDone, "a,b\n1,\"open\n2,3\n"), true, false,
       "malformed CSV"},
      {"second_getinfo", Frame(R"({"action":"getinfo"})"), true, false, "second getinfo"},
  };
}

class MalformedTest : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedTest, ErrorReplyAndNonZeroExit) {
  const Malformed& m = GetParam();
  Driver driver(Options());
  ASSERT_TRUE(driver.Start().ok());
  Reply reply;
  if (m.after_getinfo) {
    ASSERT_TRUE(driver.GetInfo(&reply).ok());
  }
  (void)driver.SendRaw(m.bytes);  // may fail with EPIPE once the command has given up
  if (m.close_stdin) driver.child()->CloseStdin();
  Status s = driver.ReadReply(&reply);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_TRUE(reply.meta.error.has_value()) << reply.metadata;
  EXPECT_NE(reply.meta.error->find(m.needle), std::string::npos) << *reply.meta.error;
  EXPECT_EQ(reply.meta.finished, true);
  ASSERT_FALSE(reply.meta.messages.empty());
  EXPECT_EQ(reply.meta.messages.back().level, MessageLevel::kError);
  // inspector comes before error in the JSON text, as Splunk's MLTK requires.
  EXPECT_LT(reply.metadata.find("\"inspector\""), reply.metadata.find("\"error\""));
  int code = -1;
  driver.child()->CloseStdin();
  EXPECT_TRUE(driver.child()->Wait(60000, &code).ok());
  EXPECT_EQ(code, 1);
}

INSTANTIATE_TEST_SUITE_P(All, MalformedTest, ::testing::ValuesIn(MalformedInputs()),
                         [](const ::testing::TestParamInfo<Malformed>& info) {
                           return info.param.name;
                         });

TEST(BinaryTest, ArgumentErrorsReachTheUser) {
  Driver driver(Options("mode=fast window=1h"));
  ASSERT_TRUE(driver.Start().ok());
  Reply reply;
  ASSERT_TRUE(driver.GetInfo(&reply).ok());
  ASSERT_TRUE(reply.meta.error.has_value());
  EXPECT_NE(reply.meta.error->find("invalid argument mode=fast: expected one of all|bulk|chain"),
            std::string::npos)
      << *reply.meta.error;
  int code = -1;
  driver.child()->CloseStdin();
  EXPECT_TRUE(driver.child()->Wait(60000, &code).ok());
  EXPECT_EQ(code, 1);
}

TEST(BinaryTest, HundredMegabyteCellIsProcessed) {
  std::string body = "_time,_raw\n1700000000,\"";
  body.append(100u << 20, 'x');
  body += "\"\n1700000001,small\n";
  for (const char* args : {"phase=map", ""}) {
    SCOPED_TRACE(args);
    Driver driver(Options(args));
    ASSERT_TRUE(driver.Start().ok());
    Reply reply;
    ASSERT_TRUE(driver.GetInfo(&reply).ok());
    Status s = driver.Execute(body, true, &reply);
    ASSERT_TRUE(s.ok()) << s.message();
    EXPECT_FALSE(reply.HasError()) << reply.metadata;
    if (std::string(args).empty()) {
      EXPECT_EQ(RowsRead(reply.meta.messages), 2) << reply.metadata;
    }
    int code = -1;
    EXPECT_TRUE(driver.Finish(&code).ok());
    EXPECT_EQ(code, 0);
  }
}

TEST(BinaryTest, EofRightAfterGetinfoIsACleanExit) {
  Driver driver(Options());
  ASSERT_TRUE(driver.Start().ok());
  Reply reply;
  ASSERT_TRUE(driver.GetInfo(&reply).ok());
  int code = -1;
  EXPECT_TRUE(driver.Finish(&code).ok());
  EXPECT_EQ(code, 0);
}

TEST(BinaryTest, SplunkdGoingAwayIsNotACrash) {
  // stdout closed by the reader: the reply write fails with EPIPE, the command exits 1 quietly
  // instead of dying from SIGPIPE.
  SpawnOptions spawn;
  spawn.argv = {VD_VISHINGCORRELATE};
  auto child = ChildProcess::Spawn(spawn);
  ASSERT_TRUE(child.ok());
  ChildProcess& c = *child.value();
  close(c.stdout_fd());
  FdSink in(c.stdin_fd(), 60000);
  std::string meta = R"({"action":"getinfo","searchinfo":{"args":[]}})";
  (void)in.Write(Frame(meta));
  c.CloseStdin();
  int code = -1;
  ASSERT_TRUE(c.Wait(60000, &code).ok());
  EXPECT_EQ(code, 1);  // not 128 + SIGPIPE
}

TEST(BinaryTest, MapReduceEmulationAcrossIndexers) {
  std::string csv = "_time,EventCode,TargetUserName,SubjectUserName\n";
  for (int i = 0; i < 1000; ++i) {
    csv += std::to_string(1700000000 + i) + ",4724,user" + std::to_string(i) + ",\"help,desk\"\n";
  }
  DriverOptions o = Options(R"x(mode=bulk helpdesk_regex="(?i)(help|desk)")x");
  o.chunk_rows = 128;
  PreopResult result;
  Status s = RunWithPreop(o, csv, 3, &result);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(result.streaming_preop,
            R"x(vishingcorrelate phase=map mode=bulk helpdesk_regex="(?i)(help|desk)")x");
  ASSERT_EQ(result.maps.size(), 3u);
  size_t chunks = 0;
  for (const auto& m : result.maps) {
    EXPECT_EQ(m.exit_code, 0);
    EXPECT_EQ(m.getinfo.meta.type, "streaming");
    chunks += m.chunks_sent;
  }
  EXPECT_EQ(chunks, 3u * 3u);  // 333/333/334 rows in chunks of 128
  EXPECT_EQ(result.report.exit_code, 0);
  EXPECT_EQ(result.report.getinfo.meta.type, "reporting");
}

TEST(BinaryTest, DriveToolRunsTheMainJob) {
  std::string path = std::string(VD_BINARY_DIR) + "/drive_tool_input.csv";
  FILE* f = fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  fputs("a,b\n1,2\n3,\"x\ny\"\n", f);
  fclose(f);
  SpawnOptions spawn;
  spawn.argv = {VD_SCP_DRIVE, "--emulate-preop", "--indexers", "2",  "--chunk-rows",     "1",
                "--args",     "mode=chain",      path,         "--", VD_VISHINGCORRELATE};
  auto child = ChildProcess::Spawn(spawn);
  ASSERT_TRUE(child.ok());
  child.value()->CloseStdin();
  FdSource out(child.value()->stdout_fd(), 60000);
  char buf[4096];
  size_t n = 0;
  while (out.Read(buf, sizeof buf, &n).ok() && n > 0) {
  }
  int code = -1;
  ASSERT_TRUE(child.value()->Wait(60000, &code).ok());
  EXPECT_EQ(code, 0);
}

}  // namespace
}  // namespace vd::scp
