// Bad arguments, bad files and bad rows, through both front doors: the protocol (vd_scp_drive
// playing splunkd, which reports the command's ERROR message and exits 2) and --replay (which
// prints "ERROR ..." on stderr and exits 1). Nothing crashes, nothing hangs.
#include <gtest/gtest.h>

#include "e2e_support.h"

namespace vd::e2e {
namespace {

struct BadArgument {
  const char* spl;         // as typed in SPL (the driver tokenizes it like splunkd)
  const char* replay_arg;  // the same as one shell word
  const char* names;       // what the message must name
  const char* form;        // ... and the accepted form it must state
};

const BadArgument kBadArguments[] = {
    {"window=abc", "window=abc", "window=abc", "positive duration such as 30s, 15m, 4h or 1d"},
    {"mode=foo", "mode=foo", "mode=foo", "one of all|bulk|chain"},
    {"helpdesk_regex=\"(unclosed\"", "helpdesk_regex=(unclosed", "helpdesk_regex=(unclosed",
     "an RE2 regular expression"},
    {"colour=blue", "colour=blue", "unknown argument colour", "accepted: mode window mfa_window"},
    {"min_targets=0", "min_targets=0", "min_targets=0", "an integer from 1 to"},
    {"mfa_window=-4h", "mfa_window=-4h", "mfa_window=-4h", "positive duration"},
    {"pairs=some", "pairs=some", "pairs=some", "one of first|all"},
};

class BadArgumentTest : public ::testing::TestWithParam<BadArgument> {};

TEST_P(BadArgumentTest, ProtocolRunSaysWhichArgumentAndTheAcceptedForm) {
  const BadArgument& a = GetParam();
  RunResult r = DriveWithPreop(DataPath("demo/demo_events.csv"), a.spl);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 2) << r.err;  // the command reported an error
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("ERROR vishingcorrelate: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(a.names), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(a.form), std::string::npos) << r.err;
}

TEST_P(BadArgumentTest, ReplaySaysWhichArgumentAndTheAcceptedForm) {
  const BadArgument& a = GetParam();
  RunResult r = Replay(DataPath("demo/demo_events.csv"), {a.replay_arg});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(r.err.rfind("ERROR vishingcorrelate: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(a.names), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(a.form), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(E2e, BadArgumentTest, ::testing::ValuesIn(kBadArguments));

TEST(ReplayErrors, BadFilesAndOptionsExitOneWithAClearMessage) {
  struct Case {
    std::vector<std::string> argv;
    const char* message;
  };
  std::string malformed = TempPath("unclosed_quote.csv");
  WriteFile(malformed, "_time,EventCode\n1748600000,\"4724\n");
  const Case cases[] = {
      {{"--replay", TempPath("does_not_exist.csv")}, "cannot open"},
      {{"--replay", VD_BINARY_DIR}, "it is a directory"},
      {{"--replay", malformed}, "malformed CSV"},
      {{"--replay"}, "--replay takes one FILE"},
      {{"--replay", malformed, "--colour"}, "unknown option --colour"},
      {{"--replay", DataPath("demo/demo_events.csv"), "phase=map"}, "phase=map"},
      {{"--replay", DataPath("demo/demo_events.csv"), "mode=bulk", "mode=chain"},
       "given more than once"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {VD_VISHINGCORRELATE};
    argv.insert(argv.end(), c.argv.begin(), c.argv.end());
    RunResult r = e2e::Run(argv);
    SCOPED_TRACE(c.message);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(r.err.rfind("ERROR ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
}

TEST(CommandLine, HelpAndUsage) {
  RunResult help = e2e::Run({VD_VISHINGCORRELATE, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--replay FILE [--csv] [key=value ...]"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("--table"), std::string::npos);
  RunResult wrong = e2e::Run({VD_VISHINGCORRELATE, "--frobnicate"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("usage:"), std::string::npos) << wrong.err;

  // --table refuses what is not a result table, and prints "no findings" for an empty one.
  RunResult raw =
      e2e::Run({VD_VISHINGCORRELATE, "--table"}, ReadFile(DataPath("demo/demo_events.csv")));
  EXPECT_EQ(raw.exit_code, 1);
  EXPECT_NE(raw.err.find("not a vishingcorrelate result table"), std::string::npos) << raw.err;
  RunResult empty = e2e::Run({VD_VISHINGCORRELATE, "--table"}, "");
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_EQ(empty.out, "no findings\n");
}

// Rows that look relevant but cannot be read (no time, a time that is no time, a reset with no
// target or no initiator, a vc_* row with an unknown kind) are skipped and counted by reason in
// the INFO summary; the readable rows around them still make their findings.
TEST(BadRows, SkippedAndCountedNeverACrash) {
  const std::string csv =
      "_time,sourcetype,EventCode,SubjectUserName,TargetUserName,activityDisplayName,"
      "initiatedBy.user.userPrincipalName,targetResources{}.userPrincipalName,result,vc_kind\n"
      // readable: a 3-target burst by adm-x
      "1748600000,WinEventLog:Security,4724,adm-x,u1,,,,,\n"
      "1748600060,WinEventLog:Security,4724,adm-x,u2,,,,,\n"
      "1748600120,WinEventLog:Security,4724,adm-x,u3,,,,,\n"
      // unreadable
      ",WinEventLog:Security,4724,adm-x,u4,,,,,\n"
      "yesterday,WinEventLog:Security,4724,adm-x,u5,,,,,\n"
      "1748600180,WinEventLog:Security,4724,adm-x,,,,,,\n"
      "1748600240,azure:aad:audit,,,,Reset password (by admin),,u6@contoso.com,success,\n"
      "1748600300,,,,,,,,,teleport\n"
      // irrelevant: a group change
      "1748600360,azure:aad:audit,,,,Add member to "
      "group,adm-x@contoso.com,u7@contoso.com,success,\n";
  std::string path = TempPath("bad_rows.csv");
  WriteFile(path, csv);

  RunResult drive = DriveWithPreop(path, "", 2, 2);
  ASSERT_EQ(drive.exit_code, 0) << drive.err;
  RunResult replay = Replay(path, {"--csv"});
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_EQ(replay.out, drive.out);
  std::vector<detect::OutRecord> rows = Records(replay.out);
  ASSERT_EQ(rows.size(), 1u) << replay.out;
  EXPECT_EQ(Field(rows[0], "UniqueTargets"), "3");

  // The map phase (split over two indexers) reads the raw rows and counts the skips.
  for (const char* needle : {"missing time", "unparseable time", "missing target",
                             "missing initiator", "invalid vc_* value"}) {
    SCOPED_TRACE(needle);
    EXPECT_NE(drive.err.find(needle), std::string::npos) << drive.err;
    EXPECT_NE(replay.err.find(std::string(needle) + " 1"), std::string::npos) << replay.err;
  }
  EXPECT_NE(replay.err.find("rows read 9, recognized 3, irrelevant 1, skipped 5 ("),
            std::string::npos)
      << replay.err;
}

// JSON lines that are not JSON objects are skipped and counted; the rest still counts.
TEST(BadRows, MalformedJsonLinesAreCounted) {
  std::string lines = ReadFile(DataPath("e2e/demo_events.jsonl"));
  ASSERT_FALSE(lines.empty());
  lines.insert(0, "{\"truncated\": \n[1,2,3]\n\n");
  lines +=
      "{\"activityDisplayName\":\"Reset password (by admin)\",\"activityDateTime\":\"not a time\","
      "\"initiatedBy\":{\"user\":{\"userPrincipalName\":\"a@contoso.com\"}},"
      "\"targetResources\":[{\"type\":\"User\",\"userPrincipalName\":\"b@contoso.com\"}]}\n";
  std::string path = TempPath("bad.jsonl");
  WriteFile(path, lines);
  RunResult r = Replay(path, {"--csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Records(r.out).size(), 5u);  // the demo's findings, unchanged
  EXPECT_NE(r.err.find("rows read 33,"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("malformed JSON lines skipped 2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unparseable time 1"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vd::e2e
