// Recoveries beyond the password (DESIGN.md §3.6): MFA resets and Temporary Access Passes
// start chains and count in bulk incidents, recovery=password restores the first version.
// The rows are Splunk-shaped: `_raw` is the record in its source's own format (the Graph
// directoryAudit schema of tests/data/events/graph/, the O365 management activity schema of
// tests/data/events/escu/), with the field values of each scenario written in. The values
// are synthetic (no public capture of an admin MFA deletion or TAP exists, see
// tests/data/events/PROVENANCE.md); the formats are the real ones. Everything runs through
// the real protocol path: vd_scp_drive plays splunkd, the map invocation runs on simulated
// indexers and the reporting invocation on their output.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/time.h"
#include "e2e_support.h"

namespace vd::e2e {
namespace {

// 2024-03-04 09:00:00 UTC.
constexpr int64_t kT0 = 1709542800;

std::string Iso(int64_t epoch) { return FormatIso8601(epoch * 1000); }

std::string CsvCell(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

struct Row {
  int64_t time;
  std::string sourcetype, operation, user_id, object_id, raw;
};

// An Entra audit record as Graph returns it (sourcetype ms:entra:audit, our input's).
Row Graph(int64_t t, const std::string& id, const std::string& activity,
          const std::string& initiator, const std::string& target,
          const std::string& result_reason = "") {
  std::string raw =
      R"({"id":")" + id + R"(","category":"UserManagement","correlationId":"c-)" + id +
      R"(","result":"success","resultReason":")" + result_reason + R"(","activityDisplayName":")" +
      activity + R"(","activityDateTime":")" + Iso(t) +
      R"(","loggedByService":"Authentication Methods","operationType":"Update",)"
      R"("initiatedBy":{"user":{"id":"u-1","displayName":null,"userPrincipalName":")" +
      initiator +
      R"(","ipAddress":"198.51.100.10"}},"targetResources":[{"id":"t-1",)"
      R"("displayName":null,"type":"User","userPrincipalName":")" +
      target + R"(","modifiedProperties":[]}],"additionalDetails":[]})";
  return {t, "ms:entra:audit", "", "", "", raw};
}

// An O365 "Update user." whose StrongAuthenticationMethod list goes from two methods to one.
Row O365MethodRemoved(int64_t t, const std::string& id, const std::string& actor,
                      const std::string& target) {
  std::string raw =
      R"({"CreationTime":")" + Iso(t).substr(0, 19) + R"(","Id":")" + id +
      R"(","Operation":"Update user.","RecordType":8,"ResultStatus":"Success",)"
      R"("Workload":"AzureActiveDirectory","ObjectId":")" +
      target + R"(","UserId":")" + actor +
      R"(","ModifiedProperties":[{"Name":"StrongAuthenticationMethod",)"
      R"("NewValue":"[\r\n  {\r\n    \"MethodType\": 6,\r\n    \"Default\": true\r\n  }\r\n]",)"
      R"("OldValue":"[\r\n  {\r\n    \"MethodType\": 6,\r\n    \"Default\": true\r\n  },\r\n)"
      R"(  {\r\n    \"MethodType\": 7,\r\n    \"Default\": false\r\n  }\r\n]"}],)"
      R"("Actor":[{"ID":")" +
      actor + R"(","Type":5}],"IntraSystemId":"i-)" + id + R"(","Target":[{"ID":")" + target +
      R"(","Type":5}]})";
  return {t, "o365:management:activity", "Update user.", actor, target, raw};
}

std::string Csv(std::vector<Row> rows) {
  std::string out = "_time,sourcetype,Operation,UserId,ObjectId,_raw\n";
  for (const Row& r : rows) {
    out += std::to_string(r.time) + "," + CsvCell(r.sourcetype) + "," + CsvCell(r.operation) + "," +
           CsvCell(r.user_id) + "," + CsvCell(r.object_id) + "," + CsvCell(r.raw) + "\n";
  }
  return out;
}

std::vector<detect::OutRecord> Drive(const std::vector<Row>& rows, const std::string& args = "",
                                     int indexers = 2) {
  const std::string path = TempPath("recovery.csv");
  WriteFile(path, Csv(rows));
  RunResult r = DriveWithPreop(path, args, indexers);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return Records(r.out);
}

std::vector<detect::OutRecord> Chains(const std::vector<detect::OutRecord>& all) {
  return WithField(all, "detection", "reset_mfa_chain");
}

TEST(RecoveryChainTest, AdminMfaDeletionThenUserRegistrationIsAnMfaResetChain) {
  std::vector<Row> rows = {
      Graph(kT0, "a1", "Admin deleted security info", "helpdesk7@contoso.com", "john@contoso.com",
            "Admin deleted Microsoft Authenticator App method for user"),
      Graph(kT0 + 8 * 60, "a2", "User registered security info", "john@contoso.com",
            "john@contoso.com", "User registered Microsoft Authenticator App"),
  };
  std::vector<detect::OutRecord> chains = Chains(Drive(rows));
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_EQ(Field(chains[0], "RecoveryKind"), "mfa_reset");
  EXPECT_EQ(Field(chains[0], "severity"), "high");
  EXPECT_EQ(Field(chains[0], "MinutesBetween"), "8");
  EXPECT_EQ(Field(chains[0], "ResetOperation"), "Admin deleted security info");
  EXPECT_EQ(Field(chains[0], "MFAOperation"), "User registered security info");
  EXPECT_EQ(Field(chains[0], "InitiatorUPN"), "helpdesk7@contoso.com");
  EXPECT_EQ(Field(chains[0], "ResetTime"), std::to_string(kT0));
  // The first version had no chain here: the deletion was only an MFA change.
  EXPECT_TRUE(Chains(Drive(rows, "recovery=password")).empty());
}

TEST(RecoveryChainTest, TemporaryAccessPassThenRegistrationIsATapChain) {
  std::vector<Row> rows = {
      Graph(kT0, "b1", "Create Temporary Access Pass method for user", "helpdesk7@contoso.com",
            "mary@contoso.com"),
      Graph(kT0 + 15 * 60, "b2", "User registered security info", "mary@contoso.com",
            "mary@contoso.com", "User registered Microsoft Authenticator App"),
  };
  std::vector<detect::OutRecord> chains = Chains(Drive(rows));
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_EQ(Field(chains[0], "RecoveryKind"), "tap");
  EXPECT_EQ(Field(chains[0], "severity"), "high");
  EXPECT_EQ(Field(chains[0], "MinutesBetween"), "15");
}

TEST(RecoveryChainTest, AdminRegisteredTemporaryAccessPassIsATap) {
  std::vector<Row> rows = {
      Graph(kT0, "c1", "Admin registered security info", "helpdesk7@contoso.com", "ann@contoso.com",
            "Admin registered temporary access pass method for user"),
      Graph(kT0 + 40 * 60, "c2", "User registered security info", "ann@contoso.com",
            "ann@contoso.com", "User registered Microsoft Authenticator App"),
      // An admin registering a phone for the user is an MFA change, not a recovery.
      Graph(kT0, "c3", "Admin registered security info", "helpdesk7@contoso.com", "bob@contoso.com",
            "Admin registered Mobile Phone SMS"),
      Graph(kT0 + 10 * 60, "c4", "User registered security info", "bob@contoso.com",
            "bob@contoso.com", "User registered Microsoft Authenticator App"),
  };
  std::vector<detect::OutRecord> chains = Chains(Drive(rows));
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_EQ(Field(chains[0], "TargetUser"), "ann@contoso.com");
  EXPECT_EQ(Field(chains[0], "RecoveryKind"), "tap");
  EXPECT_EQ(Field(chains[0], "severity"), "medium");  // 40 min: not high confidence
}

TEST(RecoveryChainTest, O365MethodListShrunkByAnotherAccountThenEntraRegistration) {
  std::vector<Row> rows = {
      O365MethodRemoved(kT0, "d1", "helpdesk7@contoso.com", "john@contoso.com"),
      Graph(kT0 + 20 * 60, "d2", "User registered security info", "john@contoso.com",
            "john@contoso.com", "User registered Microsoft Authenticator App"),
  };
  std::vector<detect::OutRecord> chains = Chains(Drive(rows));
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_EQ(Field(chains[0], "RecoveryKind"), "mfa_reset");
  EXPECT_EQ(Field(chains[0], "ResetSource"), "O365");
  EXPECT_EQ(Field(chains[0], "MFASource"), "Entra");
  EXPECT_EQ(Field(chains[0], "ResetOperation"), "Update user.");
  // The user shrinking their own list is an MFA change: no recovery, no chain.
  rows[0] = O365MethodRemoved(kT0, "d1", "john@contoso.com", "john@contoso.com");
  EXPECT_TRUE(Chains(Drive(rows)).empty());
}

TEST(RecoveryChainTest, SameKindBySameInitiatorIsOneActionNotAChain) {
  std::vector<Row> rows = {
      // A help desk deleting two methods two minutes apart (beyond dedup_window)...
      Graph(kT0, "e1", "Admin deleted security info", "helpdesk7@contoso.com", "john@contoso.com"),
      Graph(kT0 + 2 * 60, "e2", "Admin deleted security info", "helpdesk7@contoso.com",
            "john@contoso.com"),
  };
  // ...is no chain by itself.
  EXPECT_TRUE(Chains(Drive(rows)).empty());
  // A password reset followed by an admin deletion (by anyone) is a chain, as in the KQL
  // seed; and the user's registration after it chains from each deletion too.
  rows.push_back(Graph(kT0 - 5 * 60, "e0", "Reset password (by admin)", "helpdesk7@contoso.com",
                       "john@contoso.com"));
  rows.push_back(Graph(kT0 + 8 * 60, "e3", "User registered security info", "john@contoso.com",
                       "john@contoso.com"));
  std::vector<detect::OutRecord> chains = Chains(Drive(rows));
  ASSERT_EQ(chains.size(), 3u);
  std::vector<std::string> kinds;
  for (const auto& c : chains) kinds.push_back(Field(c, "RecoveryKind"));
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"mfa_reset", "mfa_reset", "reset"}));
  for (const auto& c : chains) {
    if (Field(c, "RecoveryKind") == "reset") {
      EXPECT_EQ(Field(c, "MFAOperation"), "Admin deleted security info");
      EXPECT_EQ(Field(c, "MFAChangeCount"), "3");
    } else {
      // The other deletion by the same help desk does not count as its second leg.
      EXPECT_EQ(Field(c, "MFAOperation"), "User registered security info");
      EXPECT_EQ(Field(c, "MFAChangeCount"), "1");
    }
  }
}

std::vector<Row> BulkRows() {
  // One help desk, five users, 40 minutes: three MFA resets and two password resets.
  return {
      Graph(kT0, "f1", "Admin deleted security info", "hd.operator@contoso.com", "u1@contoso.com"),
      Graph(kT0 + 10 * 60, "f2", "Admin deleted security info", "hd.operator@contoso.com",
            "u2@contoso.com"),
      Graph(kT0 + 20 * 60, "f3", "Admin deleted security info", "hd.operator@contoso.com",
            "u3@contoso.com"),
      Graph(kT0 + 30 * 60, "f4", "Reset password (by admin)", "hd.operator@contoso.com",
            "u4@contoso.com"),
      Graph(kT0 + 40 * 60, "f5", "Reset password (by admin)", "hd.operator@contoso.com",
            "u5@contoso.com"),
  };
}

TEST(RecoveryBulkTest, EveryKindCountsInOneIncident) {
  std::vector<detect::OutRecord> bulk = WithField(Drive(BulkRows()), "detection", "bulk_reset");
  ASSERT_EQ(bulk.size(), 1u);
  EXPECT_EQ(Field(bulk[0], "UniqueTargets"), "5");
  EXPECT_EQ(Field(bulk[0], "ResetCount"), "5");
  EXPECT_EQ(Field(bulk[0], "severity"), "critical");
  EXPECT_EQ(Values(bulk[0], "RecoveryKinds"), (std::vector<std::string>{"mfa_reset", "reset"}));
}

TEST(RecoveryBulkTest, RecoveryPasswordCountsOnlyPasswordResets) {
  std::vector<detect::OutRecord> bulk =
      WithField(Drive(BulkRows(), "recovery=password"), "detection", "bulk_reset");
  ASSERT_EQ(bulk.size(), 1u);
  EXPECT_EQ(Field(bulk[0], "UniqueTargets"), "2");
  EXPECT_EQ(Field(bulk[0], "severity"), "medium");
  EXPECT_EQ(Values(bulk[0], "RecoveryKinds"), (std::vector<std::string>{"reset"}));
}

TEST(RecoveryEquivalenceTest, IndexersAndInputOrderDoNotChangeFindings) {
  std::vector<Row> rows = BulkRows();
  for (const Row& r : std::vector<Row>{
           Graph(kT0 + 50 * 60, "g1", "User registered security info", "u1@contoso.com",
                 "u1@contoso.com"),
           Graph(kT0 + 5 * 60, "g2", "Create Temporary Access Pass method for user",
                 "helpdesk7@contoso.com", "u6@contoso.com"),
           Graph(kT0 + 9 * 60, "g3", "User registered security info", "u6@contoso.com",
                 "u6@contoso.com"),
           O365MethodRemoved(kT0 + 60, "g4", "helpdesk7@contoso.com", "u7@contoso.com"),
           Graph(kT0 + 3 * 60, "g5", "Admin deleted security info", "helpdesk7@contoso.com",
                 "u7@contoso.com"),
           Graph(kT0 + 4 * 60, "g6", "User registered security info", "u7@contoso.com",
                 "u7@contoso.com"),
       }) {
    rows.push_back(r);
  }
  const std::string path = TempPath("recovery_eq.csv");
  auto drive = [&](const std::vector<Row>& input, int indexers) {
    WriteFile(path, Csv(input));
    RunResult r = DriveWithPreop(path, "", indexers, 3);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  const std::string expected = drive(rows, 1);
  EXPECT_GE(Chains(Records(expected)).size(), 4u);
  EXPECT_EQ(drive(rows, 2), expected);
  EXPECT_EQ(drive(rows, 7), expected);
  std::vector<Row> desc = rows;
  std::sort(desc.begin(), desc.end(), [](const Row& a, const Row& b) { return a.time > b.time; });
  EXPECT_EQ(drive(desc, 2), expected);
  std::vector<Row> asc(desc.rbegin(), desc.rend());
  EXPECT_EQ(drive(asc, 7), expected);
  std::vector<Row> shuffled = rows;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
  EXPECT_EQ(drive(shuffled, 2), expected);
}

}  // namespace
}  // namespace vd::e2e
