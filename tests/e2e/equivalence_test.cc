// Map/reduce equivalence, input-order independence and the replay path, with the real
// executables: vd_scp_drive plays splunkd (getinfo, the phase=map invocation once per simulated
// indexer on its slice of the rows, then the reporting invocation on the concatenated map
// output), and vishingcorrelate --replay reads the same rows as an export. Every way of
// running the same rows must give byte-identical findings.
#include <algorithm>
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "e2e_support.h"

namespace vd::e2e {
namespace {

void ExpectSame(const RunResult& got, const std::string& want, const std::string& what) {
  EXPECT_EQ(got.exit_code, 0) << what << "\n" << got.err;
  EXPECT_FALSE(got.timed_out) << what;
  EXPECT_TRUE(got.out == want) << what << ": output differs (" << got.out.size() << " vs "
                               << want.size() << " bytes)";
}

class MixedWeek : public ::testing::TestWithParam<const char*> {};

// One week of generated traffic: the input split over 1, 2 and 7 indexers, in small and
// default chunks, the reporting invocation alone on raw rows (it recognizes raw rows too),
// and --replay: all the same bytes.
TEST_P(MixedWeek, EverySplitAndPathGivesTheSingleProcessResult) {
  const std::string args = GetParam();
  const std::string input = DataPath("e2e/mixed_desc.csv.gz");
  RunResult base = DriveWithPreop(input, args, 1);
  ASSERT_EQ(base.exit_code, 0) << base.err;
  std::vector<detect::OutRecord> records = Records(base.out);
  ASSERT_GT(records.size(), 10u);  // the week holds bulk incidents and chains
  EXPECT_FALSE(WithField(records, "detection", "bulk_reset").empty());
  if (args.find("mode=bulk") == std::string::npos) {
    EXPECT_FALSE(WithField(records, "detection", "reset_mfa_chain").empty());
  }
  for (int indexers : {2, 7}) {
    ExpectSame(DriveWithPreop(input, args, indexers), base.out,
               std::to_string(indexers) + " indexers");
  }
  ExpectSame(DriveWithPreop(input, args, 7, 997), base.out, "7 indexers, 997-row chunks");
  ExpectSame(DriveReportOnly(input, args), base.out, "reporting invocation on raw rows");
  std::vector<std::string> replay_args = SplitArgs(args);
  replay_args.push_back("--csv");
  ExpectSame(Replay(input, replay_args), base.out, "--replay --csv");
}

// asc (oldest first), desc (Splunk's order) and shuffled rows give identical findings.
TEST_P(MixedWeek, RowOrderDoesNotMatter) {
  const std::string args = GetParam();
  RunResult desc = DriveWithPreop(DataPath("e2e/mixed_desc.csv.gz"), args, 2);
  ASSERT_EQ(desc.exit_code, 0) << desc.err;
  ASSERT_FALSE(desc.out.empty());
  ExpectSame(DriveWithPreop(DataPath("e2e/mixed_asc.csv.gz"), args, 2), desc.out, "asc");
  ExpectSame(DriveWithPreop(DataPath("e2e/mixed_shuffled.csv.gz"), args, 3), desc.out, "shuffled");
  std::vector<std::string> replay_args = SplitArgs(args);
  replay_args.push_back("--csv");
  ExpectSame(Replay(DataPath("e2e/mixed_shuffled.csv.gz"), replay_args), desc.out,
             "shuffled --replay");
}

INSTANTIATE_TEST_SUITE_P(Arguments, MixedWeek,
                         ::testing::Values("", "mode=bulk binning=fixed", "pairs=all identity=upn",
                                           "window=30m min_targets=3 dedup_window=0"));

// The demo events exported as JSON lines (Graph / O365 records as their _raw, Windows events
// as Splunk JSON-export lines) give exactly what the protocol run gives on the CSV.
TEST(Replay, JsonLinesMatchTheProtocolRunOnTheCsv) {
  RunResult protocol = DriveWithPreop(DataPath("demo/demo_events.csv"), "", 2);
  ASSERT_EQ(protocol.exit_code, 0) << protocol.err;
  ASSERT_EQ(Records(protocol.out).size(), 5u);
  RunResult json = Replay(DataPath("e2e/demo_events.jsonl"), {"--csv"});
  ExpectSame(json, protocol.out, "JSON lines --replay");
  EXPECT_NE(json.err.find("INFO vishingcorrelate replay (JSON lines): rows read 30,"),
            std::string::npos)
      << json.err;

  // The readable table is the same whichever way the findings came.
  RunResult table = e2e::Run({VD_VISHINGCORRELATE, "--table"}, protocol.out);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  RunResult replay_table = Replay(DataPath("e2e/demo_events.jsonl"));
  ASSERT_EQ(replay_table.exit_code, 0) << replay_table.err;
  EXPECT_EQ(replay_table.out, table.out);
}

// Rows sharing timestamps (two initiators resetting one target in the same millisecond, one
// AD reset's 4724 + 4738, MFA changes at one instant with different operations, spellings that
// differ only in case) give the same output in every order and every split.
TEST(Ties, EqualTimestampsInAnyOrderGiveTheSameOutput) {
  const std::string header =
      "_time,sourcetype,EventCode,SubjectUserName,TargetUserName,Operation,UserId,ObjectId,"
      "activityDisplayName,initiatedBy.user.userPrincipalName,initiatedBy.user.ipAddress,"
      "targetResources{}.userPrincipalName,result,correlationId,id\n";
  std::vector<std::string> rows = {
      "1748600000.000,WinEventLog:Security,4724,adm-one,JDoe,,,,,,,,,,\n",
      "1748600000.000,WinEventLog:Security,4738,adm-one,JDoe,,,,,,,,,,\n",
      "1748600000.000,azure:aad:audit,,,,,,,Reset password (by admin),adm-two@contoso.com,10.0.0.2,"
      "jdoe@contoso.com,success,c-1,e-1\n",
      "1748600000.000,azure:aad:audit,,,,,,,Reset user password,adm-two@contoso.com,10.0.0.2,"
      "jdoe@contoso.com,success,c-1,e-2\n",
      "1748600000.000,o365:management:activity,,,,Reset user password.,adm-three@contoso.com,"
      "JDOE@contoso.com,,,,,Success,,\n",
      "1748600000.000,WinEventLog:Security,4724,adm-one,asmith,,,,,,,,,,\n",
      "1748600000.000,WinEventLog:Security,4724,adm-one,bjones,,,,,,,,,,\n",
      "1748600000.000,WinEventLog:Security,4724,adm-two,asmith,,,,,,,,,,\n",
      "1748600600.000,azure:aad:audit,,,,,,,User registered security info,jdoe@contoso.com,1.2.3.4,"
      "jdoe@contoso.com,success,c-2,e-3\n",
      "1748600600.000,azure:aad:audit,,,,,,,User changed default security "
      "info,jdoe@contoso.com,1.2.3.4,"
      "jdoe@contoso.com,success,c-3,e-4\n",
      "1748600600.000,azure:aad:audit,,,,,,,User registered security "
      "info,asmith@contoso.com,5.6.7.8,"
      "ASmith@contoso.com,success,c-4,e-5\n",
      "1748600600.000,azure:aad:audit,,,,,,,User registered security "
      "info,asmith@contoso.com,5.6.7.8,"
      "asmith@contoso.com,success,c-5,e-6\n",
  };
  std::map<std::string, std::string> want;  // by arguments: the first order's output
  std::mt19937 rng(20250602);
  for (int round = 0; round < 12; ++round) {
    if (round == 1) std::reverse(rows.begin(), rows.end());
    if (round > 1) std::shuffle(rows.begin(), rows.end(), rng);
    std::string csv = header;
    for (const std::string& r : rows) csv += r;
    std::string path = TempPath("ties.csv");
    WriteFile(path, csv);
    for (const char* args : {"", "pairs=all"}) {
      SCOPED_TRACE(std::string("round ") + std::to_string(round) + " args '" + args + "'");
      std::vector<std::string> replay_args = SplitArgs(args);
      replay_args.push_back("--csv");
      RunResult replay = Replay(path, replay_args);
      ASSERT_EQ(replay.exit_code, 0) << replay.err;
      RunResult drive = DriveWithPreop(path, args, 1 + round % 4, 1 + round % 3);
      ASSERT_EQ(drive.exit_code, 0) << drive.err;
      EXPECT_EQ(drive.out, replay.out);
      if (round == 0) {
        want[args] = replay.out;
        // Resets by different initiators never merge; jdoe's two MFA operations at one instant
        // stay two changes, asmith's two identical ones merge into one.
        std::vector<detect::OutRecord> records = Records(replay.out);
        auto chains = WithField(records, "detection", "reset_mfa_chain");
        auto bulk = WithField(records, "detection", "bulk_reset");
        ASSERT_EQ(bulk.size(), 2u) << replay.out;
        EXPECT_EQ(Field(bulk[0], "InitiatorAccount"), "adm-one");
        EXPECT_EQ(Values(bulk[0], "AffectedAccounts"),
                  (std::vector<std::string>{"JDoe", "asmith", "bjones"}));
        EXPECT_EQ(Field(bulk[1], "InitiatorAccount"), "adm-two");
        bool first = std::string(args).empty();
        // pairs=first: one row per reset (3 of jdoe, 2 of asmith); pairs=all: every pair (3x2 +
        // 2x1).
        ASSERT_EQ(chains.size(), first ? 5u : 8u) << replay.out;
        for (const detect::OutRecord& c : WithField(chains, "TargetUser", "JDoe")) {
          EXPECT_EQ(Field(c, "MFAChangeCount"), "2");
          // The first MFA change among equal times: by operation name.
          if (first) {
            EXPECT_EQ(Field(c, "MFAOperation"), "User changed default security info");
          }
        }
      } else {
        EXPECT_EQ(replay.out, want[args]);
      }
    }
  }
}

}  // namespace
}  // namespace vd::e2e

namespace vd::e2e {
namespace {

// A generated week of vc_* rows with arrivals (_indextime, up to hours late) and known_ip
// baseline rows, in a random order: what the app's full-chain search hands the command.
std::string ArrivalWeek(uint32_t seed, bool shuffled) {
  std::mt19937 rng(seed);
  std::vector<std::string> rows;
  const long t0 = 1748217600;  // 2025-05-26 00:00 UTC
  auto add = [&](long t, long late, const char* kind, const char* source, const char* op,
                 const std::string& initiator, const std::string& target, const std::string& ip) {
    rows.push_back(std::to_string(t) + "," + std::to_string(t + late) + "," + kind + "," + source +
                   "," + op + "," + initiator + "," + target + "," + ip + ",ev-" +
                   std::to_string(rows.size()));
  };
  for (int u = 0; u < 60; ++u) {
    const std::string user = "user" + std::to_string(u) + "@contoso.com";
    const std::string home = "24.0.0." + std::to_string(u + 1);
    rows.push_back(std::to_string(t0 - 20 * 86400) + ",,known_ip,,,," + user + "," + home + ",");
    for (int d = 0; d < 7; ++d) {
      add(t0 + d * 86400 + 9 * 3600 + static_cast<long>(rng() % 3600), 300, "signin", "entra",
          "Sign-in activity", "", user, rng() % 10 == 0 ? "203.0.113." + std::to_string(u) : home);
    }
    if (u % 3 == 0) {
      const long r = t0 + static_cast<long>(rng() % (6 * 86400));
      const long late = u % 2 ? 60 : static_cast<long>(rng() % 30000);  // O365-like tail
      add(r, late, "reset", u % 2 ? "ad" : "o365", "Reset user password.",
          "helpdesk" + std::to_string(u % 4) + "@contoso.com", user, "");
      add(r + static_cast<long>(rng() % 7200), static_cast<long>(rng() % 900), "mfa", "entra",
          "User registered security info", user, user, "");
      add(r + 9000, 400, "signin", "entra", "Sign-in activity", "", user,
          u % 6 == 0 ? "198.18.0." + std::to_string(u) : home);
    }
  }
  if (shuffled) std::shuffle(rows.begin(), rows.end(), rng);
  std::string csv =
      "vc_time,_indextime,vc_kind,vc_source,vc_operation,vc_initiator,vc_target,vc_signin_ip,"
      "vc_event_id\n";
  for (const std::string& r : rows) csv += r + "\n";
  return csv;
}

// report_since and known_ip rows keep map/reduce equivalence and input-order independence:
// the arrivals travel through the map phase as vc_arrival.
TEST(ReportSince, EverySplitAndOrderGivesTheSameFindings) {
  const std::string sorted = TempPath("arrival_week_sorted.csv");
  const std::string shuffled = TempPath("arrival_week_shuffled.csv");
  WriteFile(sorted, ArrivalWeek(5, false));
  WriteFile(shuffled, ArrivalWeek(5, true));
  for (const char* args :
       {"mode=all report_since=1748563200", "mode=chain report_since=1748736000"}) {
    SCOPED_TRACE(args);
    RunResult base = DriveWithPreop(sorted, args, 1);
    ASSERT_EQ(base.exit_code, 0) << base.err;
    RunResult all = DriveWithPreop(sorted, "mode=all", 1);
    ASSERT_EQ(all.exit_code, 0) << all.err;
    const size_t kept = Records(base.out).size();
    EXPECT_GT(kept, 0u);
    EXPECT_LT(kept, Records(all.out).size());  // report_since left some findings out
    for (int indexers : {2, 7}) {
      ExpectSame(DriveWithPreop(sorted, args, indexers, 37), base.out,
                 std::to_string(indexers) + " indexers");
      ExpectSame(DriveWithPreop(shuffled, args, indexers), base.out,
                 "shuffled, " + std::to_string(indexers) + " indexers");
    }
    ExpectSame(DriveReportOnly(shuffled, args), base.out, "reporting invocation alone");
  }
  // The known_ip rows are the baseline: with them some new-IP verdicts change.
  RunResult with_known = DriveWithPreop(sorted, "mode=chain", 2);
  ASSERT_EQ(with_known.exit_code, 0) << with_known.err;
  std::string without = ReadFile(sorted);
  std::string filtered;
  size_t at = 0;
  while (at < without.size()) {
    const size_t end = without.find('\n', at);
    const std::string line = without.substr(at, end - at + 1);
    if (line.find(",known_ip,") == std::string::npos) filtered += line;
    at = end + 1;
  }
  const std::string no_known = TempPath("arrival_week_no_known.csv");
  WriteFile(no_known, filtered);
  RunResult plain = DriveWithPreop(no_known, "mode=chain", 2);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  auto baselines = [](const std::string& out) {
    size_t known = 0;
    for (const auto& r : Records(out)) known += Field(r, "SignInBaseline") == "known" ? 1 : 0;
    return known;
  };
  EXPECT_GT(baselines(with_known.out), baselines(plain.out));
}

}  // namespace
}  // namespace vd::e2e
