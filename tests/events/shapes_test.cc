// Source shapes beyond the plain fixtures: multivalue misalignment, Sentinel JSON in a
// cell, classic WinEventLog, the generator's CSV columns, mixed headers, app initiators,
// tuning columns.

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "events/recognizer.h"
#include "expect_event.h"
#include "splunk_rows.h"

namespace vd::events::testing {
namespace {

// Graph docs example 1 (targetResources[0] is a Group, [1] the User; "Type" spelled
// with a capital T) with its activity renamed to a reset.
std::string GraphExample1AsReset() {
  std::string body = ReadFile("graph/directoryaudit-list.example1.json");
  size_t v = body.find('[');
  size_t end = body.rfind(']');
  std::string rec = body.substr(v + 1, end - v - 1);
  size_t at = rec.find("Add member to group");
  rec.replace(at, 19, "Reset user password");
  return rec;
}

TEST(MisalignedTargetsTest, GroupWithoutUpnBeforeTheUserResolvesThroughRaw) {
  TestRow row = FlattenJsonLikeSplunk(GraphExample1AsReset());
  // Splunk dropped the Group's missing upn: two types, one upn.
  ASSERT_EQ(row.Get("targetResources{}.Type"), "Group\nUser");
  ASSERT_EQ(row.Get("targetResources{}.userPrincipalName"), "bob@contoso.com");
  for (bool with_raw : {true, false}) {
    TestRow r2 = row;
    if (!with_raw) r2.Drop("_raw");
    StringPool pool;
    Recognizer r(&pool);
    IdentityEvent e;
    ASSERT_TRUE(RecognizeRow(&r, r2, &e).recognized()) << with_raw;
    EXPECT_EQ(pool.Get(e.target), "bob@contoso.com");
    EXPECT_EQ(pool.Get(e.initiator), "bob@wingtiptoysonline.com");
    EXPECT_EQ(pool.Get(e.initiator_ip), "127.0.0.1");
    EXPECT_EQ(e.time, 1515532802721);  // activityDateTime 2018-01-09T21:20:02.7215374Z
  }
}

TEST(MisalignedTargetsTest, NullUpnShiftsPositionsRawIsTheTruth) {
  // A device entry whose upn is null, then the user, then a service account entry: the
  // extracted lists are types [Device, User, Other] and upns [jdoe@, svc@]; pairing by
  // position would name svc-sync.
  std::string rec =
      R"j({"id":"Directory_x1","activityDisplayName":"Reset password (by admin)",)j"
      R"j("activityDateTime":"2024-05-02T10:00:00Z","result":"success",)j"
      R"j("correlationId":"c-1","initiatedBy":{"user":{"userPrincipalName":"helpdesk1@contoso.com","ipAddress":"10.1.1.1"},"app":null},)j"
      R"j("targetResources":[{"id":"d1","type":"Device","userPrincipalName":null},)j"
      R"j({"id":"u1","type":"User","userPrincipalName":"jdoe@contoso.com"},)j"
      R"j({"id":"s1","type":"Other","userPrincipalName":"svc-sync@contoso.com"}]})j";
  TestRow row = FlattenJsonLikeSplunk(rec, /*mv_encoding=*/true);
  ASSERT_EQ(row.Get("targetResources{}.type"), "Device\nUser\nOther");
  ASSERT_EQ(row.Get("targetResources{}.userPrincipalName"),
            "jdoe@contoso.com\nsvc-sync@contoso.com");
  StringPool pool;
  Recognizer r(&pool);
  IdentityEvent e;
  ASSERT_TRUE(RecognizeRow(&r, row, &e).recognized());
  EXPECT_EQ(pool.Get(e.target), "jdoe@contoso.com");
  EXPECT_EQ(pool.Get(e.target_key), "jdoe");

  // Without _raw there is no way to tell: skipped, not guessed.
  row.Drop("_raw");
  EXPECT_EQ(RecognizeRow(&r, row, &e).reason, SkipReason::kMissingTarget);
}

TEST(MisalignedTargetsTest, AlignedListsPickTheUserNotTheFirstEntry) {
  std::string rec =
      R"j({"activityDisplayName":"Admin registered security info","activityDateTime":"2024-05-02T10:00:00Z",)j"
      R"j("initiatedBy":{"user":{"userPrincipalName":"admin@contoso.com"}},)j"
      R"j("targetResources":[{"type":"Group","userPrincipalName":"grp@contoso.com"},{"type":"User","userPrincipalName":"amy@contoso.com"}]})j";
  TestRow row = FlattenJsonLikeSplunk(rec);
  row.Drop("_raw");
  StringPool pool;
  Recognizer r(&pool);
  IdentityEvent e;
  ASSERT_TRUE(RecognizeRow(&r, row, &e).recognized());
  EXPECT_EQ(pool.Get(e.target), "amy@contoso.com");
  EXPECT_EQ(e.kind, Kind::kMfa);
}

// --- Sentinel AuditLogs export --------------------------------------------------------

std::string OtrfRecordWith(std::string_view operation, std::string_view initiated_by,
                           std::string_view target_resources) {
  // The real OTRF row with its OperationName / InitiatedBy / TargetResources cells replaced.
  std::string line = ReadLines("otrf/GoldenSAMLADFSMailAccess__AADAuditEvents.json").at(0);
  rapidjson::Document d;
  d.Parse(line.c_str());
  auto& a = d.GetAllocator();
  d["OperationName"].SetString(operation.data(), static_cast<rapidjson::SizeType>(operation.size()),
                               a);
  d["InitiatedBy"].SetString(initiated_by.data(),
                             static_cast<rapidjson::SizeType>(initiated_by.size()), a);
  d["TargetResources"].SetString(target_resources.data(),
                                 static_cast<rapidjson::SizeType>(target_resources.size()), a);
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  d.Accept(w);
  return sb.GetString();
}

TEST(SentinelExportTest, JsonInCellsGiveInitiatorAndUserTarget) {
  std::string line = ReadLines("otrf/GoldenSAMLADFSMailAccess__AADAuditEvents.json").at(0);
  // The real row: InitiatedBy is a JSON string in a cell.
  TestRow real = FlattenJsonLikeSplunk(line);
  ASSERT_EQ(real.Get("InitiatedBy").substr(0, 9), "{\"user\":{");

  std::string rec = OtrfRecordWith(
      "Reset password (by admin)",
      R"j({"user":{"id":"aead923d","displayName":null,"userPrincipalName":"pgustavo@simulandlabs.com","ipAddress":null,"roles":[]}})j",
      R"j([{"id":"g1","displayName":"Ops","type":"Group","modifiedProperties":[]},{"id":"u9","displayName":null,"type":"User","userPrincipalName":"victim@simulandlabs.com","modifiedProperties":[]}])j");
  StringPool pool;
  Recognizer r(&pool);
  IdentityEvent e;
  ASSERT_TRUE(RecognizeRow(&r, FlattenJsonLikeSplunk(rec), &e).recognized());
  ExpectEvent(pool, e,
              Expected{Kind::kReset, Source::kEntra, Outcome::kSuccess, "pgustavo@simulandlabs.com",
                       "victim@simulandlabs.com", 1627910965983, "Reset password (by admin)", "",
                       "", "", "10065ffb-8199-48bc-8ff5-912cb5b8295a",
                       "Directory_10065ffb-8199-48bc-8ff5-912cb5b8295a_AUMVX_13992832"});
}

TEST(SentinelExportTest, AppInitiatedMfaChange) {
  std::string rec = OtrfRecordWith(
      "Update user",
      R"j({"app":{"appId":null,"displayName":"Azure MFA StrongAuthenticationService","servicePrincipalId":"s1"}})j",
      R"j([{"id":"u9","type":"User","userPrincipalName":"victim@simulandlabs.com","modifiedProperties":[)j"
      R"j({"displayName":"StrongAuthenticationMethod","oldValue":"[{\"MethodType\":6,\"Default\":true}]","newValue":"[]"}]}])j");
  StringPool pool;
  Recognizer r(&pool);
  IdentityEvent e;
  ASSERT_TRUE(RecognizeRow(&r, FlattenJsonLikeSplunk(rec), &e).recognized());
  EXPECT_EQ(e.kind, Kind::kMfa);
  EXPECT_EQ(pool.Get(e.detail), "StrongAuthenticationMethod removed");
  EXPECT_EQ(pool.Get(e.initiator), "Azure MFA StrongAuthenticationService");
  EXPECT_EQ(pool.Get(e.initiator_app), "Azure MFA StrongAuthenticationService");
  EXPECT_EQ(pool.Get(e.initiator_key), "azure mfa strongauthenticationservice");
}

// --- Classic WinEventLog --------------------------------------------------------------

// The offsec 4724 (EVTX sample) in the classic rendering, laid out like the Message body
// of the winlogbeat 4723 sample.
const char kClassic4724[] =
    "12/04/2021 10:09:13 PM\n"
    "LogName=Security\n"
    "EventCode=4724\n"
    "EventType=0\n"
    "ComputerName=rootdc1.offsec.lan\n"
    "SourceName=Microsoft Windows security auditing.\n"
    "Type=Information\n"
    "RecordNumber=233279999\n"
    "Keywords=Audit Success\n"
    "TaskCategory=User Account Management\n"
    "OpCode=Info\n"
    "Message=An attempt was made to reset an account's password.\n\n"
    "Subject:\n\tSecurity ID:\t\tS-1-5-21-4230534742-2542757381-3142984815-1111\n"
    "\tAccount Name:\t\tadmmig\n\tAccount Domain:\t\tOFFSEC\n\tLogon ID:\t\t0x10E6E8EF8\n\n"
    "Target Account:\n\tSecurity ID:\t\tS-1-5-21-4230534742-2542757381-3142984815-1242\n"
    "\tAccount Name:\t\thacker2\n\tAccount Domain:\t\tOFFSEC\n";

TEST(ClassicWinEventLogTest, FieldFormAndRawOnlyForm) {
  TestRow fields;
  fields.Set("_time", "1638655753.680");
  fields.Set("sourcetype", "WinEventLog");
  fields.Set("source", "WinEventLog:Security");
  fields.Set("EventCode", "4724");
  fields.Set("Keywords", "Audit Success");
  fields.Set("Account_Name", "admmig\nhacker2");
  fields.Set("Account_Domain", "OFFSEC\nOFFSEC");
  fields.Set("RecordNumber", "233279999");
  fields.Set("ComputerName", "rootdc1.offsec.lan");
  fields.Set("_raw", kClassic4724);
  TestRow raw_only;
  raw_only.Set("_time", "1638655753.680");
  raw_only.Set("sourcetype", "WinEventLog:Security");
  raw_only.Set("_raw", kClassic4724);
  for (const TestRow* row : {&fields, &raw_only}) {
    StringPool pool;
    Recognizer r(&pool);
    IdentityEvent e;
    ASSERT_TRUE(RecognizeRow(&r, *row, &e).recognized());
    ExpectEvent(
        pool, e,
        Expected{Kind::kReset, Source::kAd, Outcome::kSuccess, "OFFSEC\\admmig", "OFFSEC\\hacker2",
                 1638655753680, "4724", "", "", "", "", "rootdc1.offsec.lan:233279999"});
  }
}

TEST(ClassicWinEventLogTest, Winlogbeat4723MessageIsNotAReset) {
  TestRow row;
  row.Set("_time", "1731401944.757");
  row.Set("sourcetype", "WinEventLog:Security");
  std::string msg =
      FlattenJsonLikeSplunk(ReadFile("sekoia/raw__Beats_winlogbeat__security_event_4723.log"))
          .Get("message");
  row.Set("_raw", "EventCode=4723\nKeywords=Audit Success\nMessage=" + msg);
  StringPool pool;
  Recognizer r(&pool);
  IdentityEvent e;
  EXPECT_EQ(RecognizeRow(&r, row, &e).verdict, Verdict::kIrrelevant);
}

// --- The generator's columns (what a real search of the three families returns) --------

std::vector<std::string> ParseCsvLine(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  out.push_back(cur);
  return out;
}

TEST(GeneratorColumnsTest, OneHeaderManyShapes) {
  auto lines = ReadLines("gen_events_sample.csv");
  ASSERT_EQ(lines.size(), 8u);
  std::vector<std::string> header_s = ParseCsvLine(lines[0]);
  std::vector<std::string_view> header(header_s.begin(), header_s.end());
  StringPool pool;
  Recognizer r(&pool);
  r.SetHeader(header);  // once, for all rows
  std::vector<RecognizeResult> results;
  std::vector<IdentityEvent> events;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cells_s = ParseCsvLine(lines[i]);
    ASSERT_EQ(cells_s.size(), header.size());
    std::vector<std::string_view> cells(cells_s.begin(), cells_s.end());
    IdentityEvent e;
    results.push_back(r.Recognize(cells, &e));
    events.push_back(e);
  }
  ASSERT_TRUE(results[0].recognized());
  EXPECT_EQ(pool.Get(events[0].initiator), "adm-lbrown1");
  EXPECT_EQ(pool.Get(events[0].target), "kperez1344");
  EXPECT_EQ(events[0].time, 1748820737554);
  EXPECT_EQ(events[0].source, Source::kAd);

  ASSERT_TRUE(results[1].recognized());  // app-initiated Entra reset
  EXPECT_EQ(pool.Get(events[1].initiator), "Microsoft Entra Connect");
  EXPECT_EQ(pool.Get(events[1].initiator_key), "microsoft entra connect");
  EXPECT_EQ(pool.Get(events[1].target_key), "ajohnson123");

  ASSERT_TRUE(results[2].recognized());  // O365, whole-second epoch
  EXPECT_EQ(pool.Get(events[2].initiator_key), "adm-jtorres34");
  EXPECT_EQ(pool.Get(events[2].target), "janderson868@contoso.com");
  EXPECT_EQ(events[2].time, 1748815006000);

  EXPECT_EQ(results[3].verdict, Verdict::kIrrelevant);  // WS-00457$
  EXPECT_EQ(results[4].verdict, Verdict::kIrrelevant);  // Reset password (self-service)

  ASSERT_TRUE(results[5].recognized());
  EXPECT_EQ(events[5].outcome, Outcome::kFailure);
  ASSERT_TRUE(results[6].recognized());
  EXPECT_EQ(events[6].kind, Kind::kMfa);
  EXPECT_EQ(pool.Get(events[6].initiator_ip), "82.112.198.114");
}

// --- Keys across sources, tuning columns, time forms ----------------------------------

TEST(CrossSourceKeysTest, OnPremResetAndCloudRegistrationShareTheTargetKey) {
  TestRow ad;
  ad.Set("_time", "1714644000");
  ad.Set("EventCode", "4724");
  ad.Set("SubjectUserName", "helpdesk07");
  ad.Set("SubjectDomainName", "CONTOSO");
  ad.Set("TargetUserName", "JDoe");
  ad.Set("TargetDomainName", "CONTOSO");
  TestRow cloud = FlattenJsonLikeSplunk(
      R"j({"activityDisplayName":"User registered security info","activityDateTime":"2024-05-02T10:12:00Z",)j"
      R"j("initiatedBy":{"user":{"userPrincipalName":"jdoe@contoso.com","ipAddress":"203.0.113.9"}},)j"
      R"j("targetResources":[{"type":"User","userPrincipalName":"jdoe@contoso.com"}]})j");
  for (auto [mode, same] :
       {std::pair{IdentityMode::kLocalpart, true}, std::pair{IdentityMode::kUpn, false},
        std::pair{IdentityMode::kExact, false}}) {
    StringPool pool;
    Recognizer r(&pool, mode);
    IdentityEvent a, b;
    ASSERT_TRUE(RecognizeRow(&r, ad, &a).recognized());
    ASSERT_TRUE(RecognizeRow(&r, cloud, &b).recognized());
    EXPECT_EQ(pool.Get(a.target), "CONTOSO\\JDoe");
    EXPECT_EQ(a.target_key == b.target_key, same) << static_cast<int>(mode);
  }
}

TEST(TuningColumnsTest, OverridesAndFlagsApplyToRawRows) {
  TestRow row;
  row.Set("_time", "2014-06-11T08:19:59.000-0700");  // ISO with offset, as a real recording
  row.Set("EventCode", "4724");
  row.Set("SubjectUserName", "svc-reset");
  row.Set("TargetUserName", "jdoe");
  row.Set("vc_identity_initiator", "");
  row.Set("vc_identity_target", "person:1234");
  row.Set("vc_helpdesk", "true");
  row.Set("vc_allowlisted", "false");
  StringPool pool;
  Recognizer r(&pool);
  IdentityEvent e;
  ASSERT_TRUE(RecognizeRow(&r, row, &e).recognized());
  EXPECT_EQ(e.time, 1402499999000);
  EXPECT_EQ(pool.Get(e.target_key), "person:1234");
  EXPECT_EQ(pool.Get(e.identity_target_override), "person:1234");
  EXPECT_EQ(pool.Get(e.initiator_key), "svc-reset");
  EXPECT_EQ(e.identity_initiator_override, kEmptyStr);
  EXPECT_TRUE(e.helpdesk);
  EXPECT_FALSE(e.allowlisted);
}

TEST(O365ShapesTest, OperationsWithAndWithoutPeriod) {
  for (const char* op : {"Reset user password", "Set force change user password.",
                         "Change user password.", "reset user password. "}) {
    TestRow row;
    row.Set("_time", "1700000000");
    row.Set("Operation", op);
    row.Set("UserId", "admin@contoso.com");
    row.Set("ObjectId", "jdoe@contoso.com");
    row.Set("ResultStatus", "Success");
    StringPool pool;
    Recognizer r(&pool);
    IdentityEvent e;
    ASSERT_TRUE(RecognizeRow(&r, row, &e).recognized()) << op;
    EXPECT_EQ(e.kind, Kind::kReset);
  }
}

// Account creations (DESIGN.md §3.6): Windows 4720 with the event data of the SEKOIA winlogbeat
// 4720 test input (shared fixtures, okta_lure_onboarding/), as Splunk extracts XmlWinEventLog,
// and O365 "Add user." (Operation spelled as the Azure AD workload writes it).
TEST(CreatedShapesTest, Windows4720AndO365AddUser) {
  TestRow win;
  win.Set("_time", "1731386822.389");
  win.Set("sourcetype", "XmlWinEventLog");
  win.Set("source", "XmlWinEventLog:Security");
  win.Set("EventCode", "4720");
  win.Set("SubjectUserName", "user-name");
  win.Set("SubjectDomainName", "RESEAU-COMPANY");
  win.Set("TargetUserName", "USER");
  win.Set("TargetDomainName", "RESEAU-COMPANY");
  win.Set("Keywords", "Audit Success");
  StringPool pool;
  Recognizer r(&pool);
  IdentityEvent e;
  ASSERT_TRUE(RecognizeRow(&r, win, &e).recognized());
  ExpectEvent(pool, e,
              Expected{Kind::kCreated, Source::kAd, Outcome::kSuccess, "RESEAU-COMPANY\\user-name",
                       "RESEAU-COMPANY\\USER", 1731386822389, "4720"});
  TestRow o365;
  o365.Set("_time", "1700000000");
  o365.Set("Operation", "Add user.");
  o365.Set("UserId", "admin@contoso.com");
  o365.Set("ObjectId", "newhire@contoso.com");
  o365.Set("ResultStatus", "Success");
  ASSERT_TRUE(RecognizeRow(&r, o365, &e).recognized());
  EXPECT_EQ(e.kind, Kind::kCreated);
  EXPECT_EQ(pool.Get(e.target), "newhire@contoso.com");
  // 4722 (account enabled) stays irrelevant.
  win.Set("EventCode", "4722");
  EXPECT_FALSE(RecognizeRow(&r, win, &e).recognized());
}

TEST(O365ShapesTest, StrongAuthFromMultivalueWhenRawIsAbsent) {
  std::string rec =
      ReadFile("escu/o365_management_activity__update_user_strongauthenticationmethod.json");
  // With the __mv_ encoding the values keep their "\r\n": counts are known.
  TestRow mv = FlattenJsonLikeSplunk(rec, true);
  mv.Drop("_raw");
  mv.Set("_time", "1697830379");
  StringPool pool;
  Recognizer r(&pool);
  IdentityEvent e;
  ASSERT_TRUE(RecognizeRow(&r, mv, &e).recognized());
  EXPECT_EQ(pool.Get(e.detail), "StrongAuthenticationMethod registered");
  // Plain '\n'-joined columns cannot be split back into values: still an MFA change, but
  // the direction is unknown.
  TestRow plain = FlattenJsonLikeSplunk(rec, false);
  plain.Drop("_raw");
  plain.Set("_time", "1697830379");
  ASSERT_TRUE(RecognizeRow(&r, plain, &e).recognized());
  EXPECT_EQ(e.kind, Kind::kMfa);
  EXPECT_EQ(pool.Get(e.detail), "StrongAuthenticationMethod");
}

TEST(EntraShapesTest, UpdateUserWithoutStrongAuthIsIrrelevantEvenWithoutRaw) {
  TestRow row =
      FlattenJsonLikeSplunk(ReadFile("escu/azure_monitor_aad__update_user_accountenabled.json"));
  row.Drop("_raw");
  StringPool pool;
  Recognizer r(&pool);
  IdentityEvent e;
  EXPECT_EQ(RecognizeRow(&r, row, &e).verdict, Verdict::kIrrelevant);
  TestRow mfa = FlattenJsonLikeSplunk(
      ReadFile("graph/directoryaudit_beta_example1_update_user_StrongAuthenticationMethod.json"));
  mfa.Drop("_raw");
  ASSERT_TRUE(RecognizeRow(&r, mfa, &e).recognized());
  EXPECT_EQ(pool.Get(e.detail), "StrongAuthenticationMethod");
}

}  // namespace
}  // namespace vd::events::testing
