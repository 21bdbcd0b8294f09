#include "events/normalized_row.h"

#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/time.h"
#include "events/recognizer.h"
#include "splunk_rows.h"

namespace vd::events::testing {
namespace {

void ExpectSameEvent(const StringPool& pool, const IdentityEvent& a, const IdentityEvent& b) {
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.helpdesk, b.helpdesk);
  EXPECT_EQ(a.allowlisted, b.allowlisted);
  EXPECT_EQ(a.arrival, b.arrival);
  // Same pool: equal ids mean equal strings.
  EXPECT_EQ(pool.Get(a.operation), pool.Get(b.operation));
  EXPECT_EQ(pool.Get(a.initiator), pool.Get(b.initiator));
  EXPECT_EQ(pool.Get(a.initiator_ip), pool.Get(b.initiator_ip));
  EXPECT_EQ(pool.Get(a.initiator_app), pool.Get(b.initiator_app));
  EXPECT_EQ(pool.Get(a.target), pool.Get(b.target));
  EXPECT_EQ(pool.Get(a.correlation_id), pool.Get(b.correlation_id));
  EXPECT_EQ(pool.Get(a.event_id), pool.Get(b.event_id));
  EXPECT_EQ(pool.Get(a.detail), pool.Get(b.detail));
  EXPECT_EQ(pool.Get(a.signin_ip), pool.Get(b.signin_ip));
  EXPECT_EQ(pool.Get(a.initiator_key), pool.Get(b.initiator_key));
  EXPECT_EQ(pool.Get(a.target_key), pool.Get(b.target_key));
  EXPECT_EQ(pool.Get(a.identity_initiator_override), pool.Get(b.identity_initiator_override));
  EXPECT_EQ(pool.Get(a.identity_target_override), pool.Get(b.identity_target_override));
}

// The map phase's path writes vc_time into *time_text's storage, reused from row to row.
TEST(NormalizedRowTest, ViewTimeTextReusedAcrossRows) {
  std::string time_text = "left over", arrival_text;
  std::array<std::string_view, kVcColumnCount> cells;
  for (TimeMs t : {TimeMs{1748822399999}, TimeMs{0}, TimeMs{-1500}, TimeMs{1748822399000},
                   TimeMs{INT64_MIN}, TimeMs{12}}) {
    EventView v;
    v.time = t;
    v.target = "user@x.com";
    WriteNormalizedCells(v, &time_text, &arrival_text, cells);
    EXPECT_EQ(cells[0], FormatEpochSeconds(t)) << t;
    EXPECT_EQ(cells[7], "user@x.com");
  }
}

// Writes e as a vc_* row and reads it back.
IdentityEvent RoundTrip(StringPool* pool, const IdentityEvent& e, IdentityMode mode) {
  std::array<std::string_view, kVcColumnCount> cells;
  std::string time_text, arrival_text;
  WriteNormalizedCells(e, *pool, &time_text, &arrival_text, cells);
  Recognizer r(pool, mode);
  r.SetHeader(kVcColumns);
  IdentityEvent back;
  RecognizeResult res = r.Recognize(cells, &back);
  EXPECT_TRUE(res.recognized()) << ReasonName(res.reason);
  return back;
}

std::vector<TestRow> SampleRows() {
  std::vector<TestRow> rows;
  for (const char* f :
       {"escu/azure_monitor_aad__reset_password_by_admin.json",
        "escu/azure_monitor_aad__user_registered_security_info.json",
        "escu/azure_monitor_aad__signin_50076.json",
        "escu/o365_management_activity__update_user_strongauthenticationmethod.json",
        "escu/o365_management_activity__userloggedin.json",
        "graph/directoryaudit_beta_example1_update_user_StrongAuthenticationMethod.json"}) {
    rows.push_back(FlattenJsonLikeSplunk(ReadFile(f)));
  }
  rows.push_back(XmlWinEventFields(ReadFile("escu/xmlwineventlog__4724_attackrange.xml")));
  TestRow app = FlattenJsonLikeSplunk(
      ReadFile("sekoia/raw__Microsoft_microsoft-entraid-graphapi__test_event_0061.log"));
  app.Set("activityDisplayName", "Reset user password");  // app-initiated (display name testValue1)
  rows.push_back(app);
  TestRow tuned = XmlWinEventFields(ReadFile("escu/xmlwineventlog__4724_attackrange.xml"));
  tuned.Set("vc_identity_initiator", "Person:Admin");
  tuned.Set("vc_identity_target", "person:truman");
  tuned.Set("vc_helpdesk", "true");
  tuned.Set("vc_allowlisted", "TRUE");
  rows.push_back(tuned);
  return rows;
}

TEST(NormalizedRowTest, RoundTripGivesAnIdenticalEventInEveryMode) {
  for (IdentityMode mode : {IdentityMode::kLocalpart, IdentityMode::kUpn, IdentityMode::kExact}) {
    int n = 0;
    for (const TestRow& row : SampleRows()) {
      StringPool pool;
      Recognizer r(&pool, mode);
      IdentityEvent e;
      ASSERT_TRUE(RecognizeRow(&r, row, &e).recognized());
      ExpectSameEvent(pool, e, RoundTrip(&pool, e, mode));
      ++n;
    }
    EXPECT_EQ(n, 9);
  }
}

TEST(NormalizedRowTest, CellSpellings) {
  StringPool pool;
  Recognizer r(&pool);
  TestRow tuned = SampleRows().back();
  IdentityEvent e;
  ASSERT_TRUE(RecognizeRow(&r, tuned, &e).recognized());
  std::array<std::string_view, kVcColumnCount> cells;
  std::string t, t_arrival;
  WriteNormalizedCells(e, pool, &t, &t_arrival, cells);
  auto cell = [&](std::string_view name) {
    for (size_t i = 0; i < kVcColumnCount; ++i) {
      if (kVcColumns[i] == name) return cells[i];
    }
    ADD_FAILURE() << name;
    return std::string_view();
  };
  EXPECT_EQ(cell("vc_time"), "1708538542.774");  // no _time on the row: SystemTime from _raw
  EXPECT_EQ(cell("vc_kind"), "reset");
  EXPECT_EQ(cell("vc_source"), "ad");
  EXPECT_EQ(cell("vc_result"), "success");
  EXPECT_EQ(cell("vc_initiator"), "ATTACKRANGE\\Administrator");  // spelling, not key
  EXPECT_EQ(cell("vc_target"), "ATTACKRANGE\\TRUMAN_CLEMENTS");
  EXPECT_EQ(cell("vc_identity_initiator"), "Person:Admin");
  EXPECT_EQ(cell("vc_helpdesk"), "true");
  EXPECT_EQ(cell("vc_allowlisted"), "true");
  EXPECT_EQ(cell("vc_arrival"), "");  // no _indextime on the row

  IdentityEvent plain = e;
  plain.arrival = 1708538600250;
  plain.identity_initiator_override = plain.identity_target_override = kEmptyStr;
  plain.helpdesk = plain.allowlisted = false;
  plain.kind = Kind::kSignin;
  plain.source = Source::kOther;
  plain.outcome = Outcome::kFailure;
  WriteNormalizedCells(plain, pool, &t, &t_arrival, cells);
  EXPECT_EQ(cell("vc_identity_initiator"), "");
  EXPECT_EQ(cell("vc_helpdesk"), "");
  EXPECT_EQ(cell("vc_allowlisted"), "");
  EXPECT_EQ(cell("vc_kind"), "signin");
  EXPECT_EQ(cell("vc_arrival"), "1708538600.25");
  plain.kind = Kind::kKnownIp;
  WriteNormalizedCells(plain, pool, &t, &t_arrival, cells);
  EXPECT_EQ(cell("vc_kind"), "known_ip");
  EXPECT_EQ(cell("vc_source"), "other");
  EXPECT_EQ(cell("vc_result"), "failure");
}

TEST(NormalizedRowTest, VcTimeWinsOverRowTime) {
  StringPool pool;
  Recognizer r(&pool);
  std::vector<std::string_view> header = {"_time", "vc_time", "vc_kind", "vc_target"};
  std::vector<std::string_view> cells = {"1000", "2000.5", "mfa", "jdoe"};
  r.SetHeader(header);
  IdentityEvent e;
  ASSERT_TRUE(r.Recognize(cells, &e).recognized());
  EXPECT_EQ(e.time, 2000500);
  EXPECT_EQ(e.source, Source::kOther);
}

TEST(NormalizedRowTest, NamesParseBack) {
  for (Kind k :
       {Kind::kReset, Kind::kMfa, Kind::kSignin, Kind::kMfaReset, Kind::kTap, Kind::kCreated}) {
    Kind out;
    ASSERT_TRUE(TryParseKind(KindName(k), &out));
    EXPECT_EQ(out, k);
  }
  for (Source s : {Source::kAd, Source::kO365, Source::kEntra, Source::kOther}) {
    Source out;
    ASSERT_TRUE(TryParseSource(VcSourceName(s), &out));
    EXPECT_EQ(out, s);
  }
}

}  // namespace
}  // namespace vd::events::testing

namespace vd::events {
namespace {

// report_since counts arrivals: vc_arrival (the map phase's output, or the SPL's), else the
// row's _indextime, else none (the event then counts by its time); known_ip rows are events.
TEST(NormalizedRowTest, ArrivalFromVcArrivalElseIndextimeAndKnownIpRows) {
  StringPool pool;
  Recognizer r(&pool);
  auto read = [&](std::string_view indextime, std::string_view arrival, std::string_view kind) {
    testing::TestRow row;
    row.Set("_time", "1700000000");
    row.Set("vc_kind", kind);
    row.Set("vc_target", "jdoe@contoso.com");
    row.Set("vc_initiator", "helpdesk@contoso.com");
    row.Set("vc_signin_ip", "192.0.2.7");
    row.Set("_indextime", indextime);
    row.Set("vc_arrival", arrival);
    IdentityEvent e;
    EXPECT_TRUE(testing::RecognizeRow(&r, row, &e).recognized()) << kind;
    return e;
  };
  EXPECT_EQ(read("1700000600", "", "reset").arrival, 1700000600000);
  EXPECT_EQ(read("1700000600", "1700000900.5", "reset").arrival, 1700000900500);
  EXPECT_EQ(read("", "", "reset").arrival, kNoArrival);
  EXPECT_EQ(read("soon", "", "reset").arrival, kNoArrival);
  IdentityEvent known = read("", "", "known_ip");
  EXPECT_EQ(known.kind, Kind::kKnownIp);
  EXPECT_EQ(pool.Get(known.signin_ip), "192.0.2.7");
  EXPECT_EQ(known.time, 1700000000000);
  // And back out as a vc_* row, arrival included.
  IdentityEvent e = read("1700000600", "", "mfa");
  std::array<std::string_view, kVcColumnCount> cells;
  std::string t, ta;
  WriteNormalizedCells(e, pool, &t, &ta, cells);
  EXPECT_EQ(cells[17], "1700000600");
  EXPECT_EQ(kVcColumns[17], "vc_arrival");
}

}  // namespace
}  // namespace vd::events
