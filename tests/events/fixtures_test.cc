// Every event of the real fixture files: resets, MFA changes and sign-ins are recognized
// with the initiator, target, time and operation their own fields carry; everything else
// is irrelevant (never skipped). Expectations were written by reading each file.

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/time.h"
#include "events/recognizer.h"
#include "expect_event.h"
#include "splunk_rows.h"

namespace vd::events::testing {
namespace {

using K = Kind;
using S = Source;
using O = Outcome;

struct JsonCase {
  std::string file;
  size_t line;  // index within a JSON-lines file (0 for single-object files)
  std::string sourcetype;
  std::string splunk_time;           // _time as splunkd sends it (epoch seconds)
  TimeMs source_time_ms;             // what the record's own time field says (fallback test)
  std::optional<Expected> expected;  // nullopt: must be irrelevant
};

std::vector<JsonCase> JsonCases() {
  const std::string hub = "azure:monitor:aad";
  const std::string o365 = "o365:management:activity";
  const std::string graph = "azure:aad:audit";
  std::vector<JsonCase> c;
  c.push_back(
      {"escu/azure_monitor_aad__disable_strong_authentication.json", 0, hub, "1689033695.025",
       1689033695025,
       // Per-user MFA turned off by another account: an MFA reset (DESIGN.md §3.6).
       Expected{K::kMfaReset, S::kEntra, O::kSuccess, "oops@splunkresearch.com",
                "Abigail.Clark@splunkresearch.com", 1689033695025, "Disable Strong Authentication",
                "", "", "StrongAuthenticationRequirement", "7e3ee05c-ce4f-4ff1-8230-55555c25c97e",
                "Directory_7e3ee05c-ce4f-4ff1-8230-55555c25c97e_DADCR_14299826"}});
  c.push_back({"escu/azure_monitor_aad__enable_account.json", 0, hub, "1690208895.222",
               1690208895222, std::nullopt});
  Expected reset_by_admin{K::kReset,
                          S::kEntra,
                          O::kSuccess,
                          "tommyr@splunkresearch.com",
                          "testuser@splunkresearch.com",
                          1690208935064,
                          "Reset password (by admin)",
                          "40.81.4.144",
                          "",
                          "",
                          "724ff6ae-0f36-4f2f-a20f-f043e0c73006",
                          "SSPR_724ff6ae-0f36-4f2f-a20f-f043e0c73006_P1CQE_8605821"};
  c.push_back({"escu/azure_monitor_aad__reset_password_by_admin.json", 0, hub, "1690208935.064",
               1690208935064, reset_by_admin});
  // Sign-in with resultType/errorCode 50076 (MFA required): a sign-in, but not a success.
  // _time is the record's "time"; the fallback is properties.createdDateTime.
  c.push_back({"escu/azure_monitor_aad__signin_50076.json", 0, hub, "1698178411.444", 1698177671949,
               Expected{K::kSignin, S::kEntra, O::kFailure, "user15@splunkresearch.onmicrosoft.com",
                        "user15@splunkresearch.onmicrosoft.com", 1698178411444, "Sign-in activity",
                        "", "", "", "1f577997-0710-4bd4-848e-5854f748f7dc",
                        "22608a25-1d9b-44b5-b0f2-cb94f06b2d00", "1.2.3.4"}});
  const std::string seq =
      "escu/azure_monitor_aad__splunkresearch_2023-07-24_enable_update_reset_sequence.ndjson";
  c.push_back({seq, 0, hub, "1690208895.222", 1690208895222, std::nullopt});
  c.push_back({seq, 1, hub, "1690208895.223", 1690208895223, std::nullopt});
  c.push_back({seq, 2, hub, "1690208935.064", 1690208935064, reset_by_admin});
  c.push_back({"escu/azure_monitor_aad__update_user_accountenabled.json", 0, hub, "1690208895.223",
               1690208895223, std::nullopt});
  c.push_back({"escu/azure_monitor_aad__user_registered_security_info.json", 0, hub,
               "1675113090.869", 1675113090869,
               Expected{K::kMfa, S::kEntra, O::kSuccess, "User30@splunkresearch.com",
                        "User30@splunkresearch.com", 1675113090869, "User registered security info",
                        "72.1.2.43", "", "User registered App Password",
                        "14279c94-7ebc-409f-be4e-7861f13c8a79",
                        "IAMUX_14279c94-7ebc-409f-be4e-7861f13c8a79_K2ATV_323947358"}});
  c.push_back(
      {"escu/o365_management_activity__disable_strong_authentication.json", 0, o365, "1608071720",
       1608071720000,
       // An MFA reset by the account itself: detect/ takes it as an MFA change, no recovery.
       Expected{K::kMfaReset, S::kO365, O::kSuccess, "rodsoto@rodsoto.onmicrosoft.com",
                "rodsoto@rodsoto.onmicrosoft.com", 1608071720000, "Disable Strong Authentication.",
                "", "", "StrongAuthenticationRequirement", "7d96ab40-6e16-48e5-bf78-677c89683775",
                "a5aea9c5-b879-495a-b764-119b2bd54d80"}});
  // MethodType list [6,7] -> [7,6,0,5]: two methods more = registered.
  c.push_back(
      {"escu/o365_management_activity__update_user_strongauthenticationmethod.json", 0, o365,
       "1697830379", 1697830379000,
       Expected{K::kMfa, S::kO365, O::kSuccess, "victim@splunkresearch1.onmicrosoft.com",
                "victim@splunkresearch1.onmicrosoft.com", 1697830379000, "Update user.", "", "",
                "StrongAuthenticationMethod registered", "32734207-053e-4ad1-87a3-4da1dfa69c58",
                "d06df1c6-b3f2-4595-90b9-99b8f91811c3"}});
  c.push_back({"escu/o365_management_activity__userloggedin.json", 0, o365, "1701722525",
               1701722525000,
               Expected{K::kSignin, S::kO365, O::kSuccess, "user15@splunkresearch.onmicrosoft.com",
                        "user15@splunkresearch.onmicrosoft.com", 1701722525000, "UserLoggedIn", "",
                        "", "", "52d72a62-132b-487b-bb7f-c4c119f90700",
                        "52d72a62-132b-487b-bb7f-c4c119f90700", "54.68.231.63"}});
  // elastic/beats O365 excerpt: only the reset counts; Update user (no MFA property),
  // Add member to role, the StsRefresh companion, Delete user, license change do not.
  const std::string beats = "elastic/08-azuread-users.excerpt.ndjson";
  c.push_back({beats, 0, o365, "1612454419", 1612454419000, std::nullopt});
  c.push_back({beats, 1, o365, "1612456314", 1612456314000, std::nullopt});
  c.push_back({beats, 2, o365, "1612456362", 1612456362000, std::nullopt});
  c.push_back({beats, 3, o365, "1612456362", 1612456362000,
               Expected{K::kReset, S::kO365, O::kSuccess, "root@testsiem4.onmicrosoft.com",
                        "newuser@testsiem4.onmicrosoft.com", 1612456362000, "Reset user password.",
                        "", "", "", "7ac51b77-568d-4c36-a7c2-dc8d964e446e",
                        "f94fd47b-4dde-41e5-acc8-9d75946e499e"}});
  c.push_back({beats, 4, o365, "1612456314", 1612456314000, std::nullopt});
  c.push_back({beats, 5, o365, "1612456397", 1612456397000, std::nullopt});
  c.push_back({beats, 6, o365, "1612456394", 1612456394000, std::nullopt});
  // Sekoia intake tests (anonymized real events).
  // An account created (context for NewAccount, DESIGN.md §3.6); ipAddress is "<null>".
  c.push_back(
      {"sekoia/raw__Azure_azure-ad__add_user.log", 0, hub, "1561368568.624", 1561368568624,
       Expected{K::kCreated, S::kEntra, O::kSuccess, "user1", "user1", 1561368568624, "Add user",
                "", "", "", "22222222-2222-2222-2222-222222222222", "Directory_HR9C4_45223131"}});
  // A self-service change (user1 -> user1): recognized with both keys; the analytics drop
  // initiator == target.  callerIpAddress/ipAddress are the literal "<null>".
  c.push_back({"sekoia/raw__Azure_azure-ad__change_user_password.log", 0, hub, "1561368727.463",
               1561368727463,
               Expected{K::kReset, S::kEntra, O::kSuccess, "user1", "user1", 1561368727463,
                        "Change user password", "", "", "", "11111111-1111-1111-1111-111111111111",
                        "Directory_1PF86_84995790"}});
  c.push_back({"sekoia/raw__Azure_azure-ad__update_ststoken.log", 0, hub, "1561368727.463",
               1561368727463, std::nullopt});
  c.push_back({"sekoia/raw__Beats_winlogbeat__security_event_4723.log", 0, "winlogbeat",
               "1731401944.757", 1731401944757, std::nullopt});
  // Graph shape, app-initiated "Update user": LastDirSyncTime (0041) and an Authenticator
  // device detail refresh (0061, StrongAuthenticationPhoneAppDetail) are not MFA changes.
  c.push_back({"sekoia/raw__Microsoft_microsoft-entraid-graphapi__test_event_0041.log", 0, graph,
               "1762954168.930", 1762954168930, std::nullopt});
  c.push_back({"sekoia/raw__Microsoft_microsoft-entraid-graphapi__test_event_0061.log", 0, graph,
               "1762954553.640", 1762954553640, std::nullopt});
  c.push_back({"sekoia/raw__Office_365_o365__add_member_to_role.log", 0, o365, "1720621549",
               1720621549000, std::nullopt});
  c.push_back({"sekoia/raw__Office_365_o365__update_user.log", 0, o365, "1575901099", 1575901099000,
               std::nullopt});
  c.push_back({"sekoia/raw__Office_365_o365__update_user_empty_source_ip.log", 0, o365,
               "1614955397", 1614955397000, std::nullopt});
  // Sentinel AuditLogs export (OTRF): application management only.
  for (size_t i = 0; i < 4; ++i) {
    c.push_back({"otrf/GoldenSAMLADFSMailAccess__AADAuditEvents.json", i, "azure:loganalytics",
                 "1627910965.983", 1627910965983, std::nullopt});
  }
  // Graph beta doc example: an admin's "Update user" adding two methods to
  // StrongAuthenticationMethod ([6,7] -> [7,6,0,5]).
  c.push_back(
      {"graph/directoryaudit_beta_example1_update_user_StrongAuthenticationMethod.json", 0, graph,
       "1655853900.145", 1655853900145,
       Expected{K::kMfa, S::kEntra, O::kSuccess, "tadmin@contoso.com", "tuser@contoso.com",
                1655853900145, "Update user", "", "", "StrongAuthenticationMethod registered",
                "504a302a-8f2d-418d-b7df-bf77de6ed831",
                "Directory_504a302a-8f2d-418d-b7df-bf77de6ed831_M1N6X_27777783"}});
  return c;
}

// The JSON text of case `c` (one line of a JSON-lines file, or a whole file).
std::string CaseJson(const JsonCase& c) {
  if (c.file.ends_with(".ndjson") || c.file.starts_with("otrf/"))
    return ReadLines(c.file).at(c.line);
  return ReadFile(c.file);
}

class JsonFixtureTest : public ::testing::TestWithParam<bool> {};  // param: __mv_ columns

TEST_P(JsonFixtureTest, EveryEventRecognizedOrIgnoredFromExtractedFields) {
  for (const JsonCase& c : JsonCases()) {
    SCOPED_TRACE(c.file + " #" + std::to_string(c.line));
    StringPool pool;
    Recognizer r(&pool);
    TestRow row = FlattenJsonLikeSplunk(CaseJson(c), GetParam());
    row.Set("_time", c.splunk_time);
    row.Set("sourcetype", c.sourcetype);
    IdentityEvent e;
    RecognizeResult res = RecognizeRow(&r, row, &e);
    if (!c.expected) {
      EXPECT_EQ(res.verdict, Verdict::kIrrelevant) << ReasonName(res.reason);
      continue;
    }
    ASSERT_EQ(res.verdict, Verdict::kRecognized) << ReasonName(res.reason);
    ExpectEvent(pool, e, *c.expected);
  }
}

TEST_P(JsonFixtureTest, WithoutSplunkTimeTheSourceTimeFieldIsUsed) {
  for (const JsonCase& c : JsonCases()) {
    if (!c.expected) continue;
    SCOPED_TRACE(c.file);
    StringPool pool;
    Recognizer r(&pool);
    TestRow row = FlattenJsonLikeSplunk(CaseJson(c), GetParam());
    IdentityEvent e;
    ASSERT_TRUE(RecognizeRow(&r, row, &e).recognized());
    EXPECT_EQ(e.time, c.source_time_ms);
  }
}

TEST_P(JsonFixtureTest, RawOnlyRowsAreReadFromRawJson) {
  // A sourcetype without JSON extraction: only _time, sourcetype and _raw.
  for (const JsonCase& c : JsonCases()) {
    SCOPED_TRACE(c.file + " #" + std::to_string(c.line));
    StringPool pool;
    Recognizer r(&pool);
    TestRow row;
    row.Set("_time", c.splunk_time);
    row.Set("sourcetype", c.sourcetype);
    row.Set("_raw", CaseJson(c));
    IdentityEvent e;
    RecognizeResult res = RecognizeRow(&r, row, &e);
    if (!c.expected) {
      EXPECT_EQ(res.verdict, Verdict::kIrrelevant) << ReasonName(res.reason);
      continue;
    }
    ASSERT_EQ(res.verdict, Verdict::kRecognized) << ReasonName(res.reason);
    ExpectEvent(pool, e, *c.expected);
  }
}

INSTANTIATE_TEST_SUITE_P(PlainAndMvEncoded, JsonFixtureTest, ::testing::Bool());

// --- Windows Security XML -------------------------------------------------------------

struct WinExpected {
  std::string record_id;
  Expected event;
};

std::vector<WinExpected> WindowsResets() {
  return {
      {"276779", Expected{K::kReset, S::kAd, O::kSuccess, "ATTACKRANGE\\Administrator",
                          "ATTACKRANGE\\TRUMAN_CLEMENTS", 1708538542774, "4724", "", "", "", "",
                          "ar-win-dc.attackrange.local:276779"}},
      {"233279999",
       Expected{K::kReset, S::kAd, O::kSuccess, "OFFSEC\\admmig", "OFFSEC\\hacker2", 1638655753680,
                "4724", "", "", "", "", "rootdc1.offsec.lan:233279999"}},
  };
}

std::vector<std::string> WindowsEvents() {
  std::vector<std::string> events;
  for (const char* f :
       {"escu/xmlwineventlog__4723_strtlabs.xml", "escu/xmlwineventlog__4724_attackrange.xml",
        "escu/xmlwineventlog__4738_attackrange.xml",
        "evtx/mdecrevoisier__ID4723_password_change_changeNTLM.oneline.xml",
        "evtx/mdecrevoisier__ID4724-5145_password_reset_setNTLM.oneline.xml",
        "evtx/mdecrevoisier__ID4738_password_never_expires.oneline.xml",
        "evtx/mdecrevoisier__ID4781-4738_user_renamed.oneline.xml",
        "evtx/sbousseaden__ACL_ForcePwd_SPNAdd_User_Computer_Accounts.oneline.xml",
        "evtx/sbousseaden__remote_pwd_reset_rpc_mimikatz_postzerologon_DC.oneline.xml",
        "evtx/sbousseaden__samaccount_spoofing_DC_securitylogs.oneline.xml"}) {
    std::string text = ReadFile(f);
    // The truncated ESCU 4738 sample spans lines; every other file has one event a line.
    if (std::string(f).starts_with("escu/")) {
      events.push_back(text);
      continue;
    }
    for (auto& line : ReadLines(f)) events.push_back(line);
  }
  return events;
}

const WinExpected* FindWin(const std::vector<WinExpected>& all, const std::string& xml) {
  for (const auto& w : all) {
    if (xml.find("<EventRecordID>" + w.record_id + "</EventRecordID>") != std::string::npos)
      return &w;
  }
  return nullptr;
}

TEST(WindowsFixtureTest, Only4724OfPeopleIsAReset) {
  auto expected = WindowsResets();
  auto events = WindowsEvents();
  ASSERT_EQ(events.size(), 3u + 93u);
  int recognized = 0;
  for (int form = 0; form < 2; ++form) {  // 0: TA fields + _raw; 1: _raw only, no _time
    for (const std::string& xml : events) {
      StringPool pool;
      Recognizer r(&pool);
      TestRow row = form == 0 ? XmlWinEventFields(xml) : XmlWinEventRawOnly(xml);
      const WinExpected* w = FindWin(expected, xml);
      if (form == 0 && w) row.Set("_time", FormatEpochSeconds(w->event.time));
      IdentityEvent e;
      RecognizeResult res = RecognizeRow(&r, row, &e);
      SCOPED_TRACE(xml.substr(0, 400));
      if (w == nullptr) {
        // 4723, 4738, 4781, 5145, 4624, ... and the two 4724s of computer accounts
        // (01566S-WIN16-IR$, DC012$).
        EXPECT_EQ(res.verdict, Verdict::kIrrelevant) << ReasonName(res.reason);
        continue;
      }
      ASSERT_EQ(res.verdict, Verdict::kRecognized) << ReasonName(res.reason);
      ExpectEvent(pool, e, w->event);
      ++recognized;
    }
  }
  EXPECT_EQ(recognized, 4);
}

TEST(WindowsFixtureTest, ComputerAccountResetsAreIrrelevantNotSkipped) {
  int computer_4724 = 0;
  for (const std::string& xml : WindowsEvents()) {
    if (xml.find(">4724<") == std::string::npos || xml.find("$</Data>") == std::string::npos)
      continue;
    ++computer_4724;
    StringPool pool;
    Recognizer r(&pool);
    IdentityEvent e;
    EXPECT_EQ(RecognizeRow(&r, XmlWinEventFields(xml), &e).verdict, Verdict::kIrrelevant);
    EXPECT_EQ(pool.size(), 1u);  // nothing interned for an unrecognized row
  }
  EXPECT_EQ(computer_4724, 2);
}

TEST(WindowsFixtureTest, AuditFailureKeywordsGiveAFailedReset) {
  // The 4723 sample carries Keywords 0x8010000000000000 (Audit Failure); the same event
  // relabelled 4724 must come out as a failed reset, in field and in raw form.
  std::string xml =
      ReadLines("evtx/mdecrevoisier__ID4723_password_change_changeNTLM.oneline.xml").at(0);
  size_t at = xml.find(">4723<");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at + 1, 4, "4724");
  for (bool fields : {true, false}) {
    StringPool pool;
    Recognizer r(&pool);
    IdentityEvent e;
    TestRow row = fields ? XmlWinEventFields(xml) : XmlWinEventRawOnly(xml);
    ASSERT_TRUE(RecognizeRow(&r, row, &e).recognized());
    EXPECT_EQ(e.outcome, Outcome::kFailure);
    EXPECT_EQ(pool.Get(e.initiator), "OFFSEC\\admmig");
    EXPECT_EQ(pool.Get(e.target), "OFFSEC\\hacker2");
    EXPECT_EQ(e.time, 1638658067872);  // SystemTime 2021-12-04 22:47:47.872774
  }
}

// --- Graph list responses and sign-ins (JSON-lines replay shape) -----------------------

TEST(GraphFixtureTest, SigninListEntryIsASuccessfulSignin) {
  std::string body = ReadFile("graph/signins_list_example1_response.fixed.json");
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  ASSERT_TRUE(doc.IsObject());
  const auto& v = doc["value"][0];
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  StringPool pool;
  Recognizer r(&pool);
  TestRow row = FlattenJsonLikeSplunk(sb.GetString());
  row.Set("sourcetype", "azure:aad:signin");
  IdentityEvent e;
  ASSERT_TRUE(RecognizeRow(&r, row, &e).recognized());
  ExpectEvent(pool, e,
              Expected{K::kSignin, S::kEntra, O::kSuccess, "testaccount1@contoso.com",
                       "testaccount1@contoso.com", 1584126941619, "Sign-in activity", "", "", "",
                       "d79f5bee-5860-4832-928f-3133e22ae912",
                       "66ea54eb-6301-4ee5-be62-ff5a759b0100", "131.107.159.37"});
}

}  // namespace
}  // namespace vd::events::testing
