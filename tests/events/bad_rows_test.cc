// Rows that cannot be read are skipped with a reason, never crash, and intern nothing.

#include <string>

#include <gtest/gtest.h>

#include "events/json_row.h"
#include "events/recognizer.h"
#include "splunk_rows.h"

namespace vd::events::testing {
namespace {

TestRow Reset4724() {
  TestRow row;
  row.Set("_time", "1700000000.5");
  row.Set("EventCode", "4724");
  row.Set("SubjectUserName", "admin");
  row.Set("TargetUserName", "jdoe");
  return row;
}

RecognizeResult RunRow(const TestRow& row, StringPool* pool) {
  Recognizer r(pool);
  IdentityEvent e;
  return RecognizeRow(&r, row, &e);
}

void ExpectSkipped(const TestRow& row, SkipReason reason) {
  StringPool pool;
  RecognizeResult res = RunRow(row, &pool);
  EXPECT_EQ(res.verdict, Verdict::kSkipped);
  EXPECT_EQ(res.reason, reason) << ReasonName(res.reason);
  EXPECT_EQ(pool.size(), 1u) << "a skipped row interned strings";
}

TEST(BadRowsTest, BaselineIsRecognized) {
  StringPool pool;
  EXPECT_TRUE(RunRow(Reset4724(), &pool).recognized());
}

TEST(BadRowsTest, MissingAndUnparseableTime) {
  TestRow row = Reset4724();
  row.Drop("_time");
  ExpectSkipped(row, SkipReason::kMissingTime);
  row.Set("_time", "yesterday");
  ExpectSkipped(row, SkipReason::kBadTime);
  TestRow o365;
  o365.Set("Operation", "Reset user password.");
  o365.Set("UserId", "a@x.com");
  o365.Set("ObjectId", "b@x.com");
  o365.Set("CreationTime", "2021-02-30T99:00:00");
  ExpectSkipped(o365, SkipReason::kBadTime);
}

TEST(BadRowsTest, MissingTargetAndInitiator) {
  TestRow row = Reset4724();
  row.Drop("TargetUserName");
  ExpectSkipped(row, SkipReason::kMissingTarget);
  row = Reset4724();
  row.Set("SubjectUserName", "-");
  ExpectSkipped(row, SkipReason::kMissingInitiator);
  TestRow entra;
  entra.Set("_time", "1700000000");
  entra.Set("activityDisplayName", "Reset password (by admin)");
  entra.Set("initiatedBy.user.userPrincipalName", "admin@contoso.com");
  entra.Set("targetResources{}.type", "Group");
  entra.Set("targetResources{}.userPrincipalName", "");
  ExpectSkipped(entra, SkipReason::kMissingTarget);
}

TEST(BadRowsTest, InvalidUtf8InAKeyField) {
  for (const char* bad : {"j\xFF"
                          "doe",
                          "\xC0\xAF", "\xED\xA0\x80", "ok\xE2\x82"}) {
    TestRow row = Reset4724();
    row.Set("TargetUserName", bad);
    ExpectSkipped(row, SkipReason::kInvalidUtf8);
  }
  TestRow row = Reset4724();
  row.Set("vc_identity_initiator", "\xFE");
  ExpectSkipped(row, SkipReason::kInvalidUtf8);
}

TEST(BadRowsTest, GarbageRaw) {
  TestRow xml;
  xml.Set("_time", "1700000000");
  xml.Set("sourcetype", "XmlWinEventLog");
  xml.Set("_raw", "<Event><System><Provider Name='x'/></Sys");
  ExpectSkipped(xml, SkipReason::kMalformedRaw);

  TestRow json;
  json.Set("_time", "1700000000");
  json.Set("sourcetype", "azure:aad:audit");
  json.Set("_raw", R"j({"activityDisplayName": "Reset user password", "targetResources": [)j");
  ExpectSkipped(json, SkipReason::kMalformedRaw);

  // Misaligned lists and a _raw that is not JSON.
  TestRow entra;
  entra.Set("_time", "1700000000");
  entra.Set("activityDisplayName", "Reset user password");
  entra.Set("initiatedBy.user.userPrincipalName", "admin@contoso.com");
  entra.Set("targetResources{}.type", "Device\nUser\nOther");
  entra.Set("targetResources{}.userPrincipalName", "a@x.com\nb@x.com");
  entra.Set("_raw", "not json at all");
  ExpectSkipped(entra, SkipReason::kMalformedRaw);

  TestRow sentinel;
  sentinel.Set("TimeGenerated", "2021-08-02T13:29:25.983Z");
  sentinel.Set("OperationName", "Reset password (by admin)");
  sentinel.Set("InitiatedBy", R"j({"user":{"userPrincipalName":"a@x.com"}})j");
  sentinel.Set("TargetResources", "[{\"type\":\"User\",");
  ExpectSkipped(sentinel, SkipReason::kMalformedRaw);

  // Irrelevant XML events are irrelevant even when truncated (the ESCU 4738 sample).
  TestRow trunc;
  trunc.Set("_time", "1700000000");
  trunc.Set("_raw",
            "<Event xmlns='x'><System><EventID>4738</EventID></System><EventData><Data "
            "Name='SidHistory'>");
  StringPool pool;
  EXPECT_EQ(RunRow(trunc, &pool).verdict, Verdict::kIrrelevant);
}

TEST(BadRowsTest, TenMegabyteCells) {
  const std::string big(10u << 20, 'a');
  TestRow row = Reset4724();
  row.Set("TargetUserName", big);
  ExpectSkipped(row, SkipReason::kOversized);

  TestRow raw_only;
  raw_only.Set("_time", "1700000000");
  raw_only.Set("_raw", "{\"a\":\"" + big + "\"}");
  ExpectSkipped(raw_only, SkipReason::kOversized);

  TestRow xml;
  xml.Set("_time", "1700000000");
  xml.Set("sourcetype", "XmlWinEventLog");
  xml.Set("_raw", "<Event><System><EventID>4724</EventID></System>" + big);
  ExpectSkipped(xml, SkipReason::kOversized);

  // A big _raw that is not needed (fields present) does not matter.
  TestRow fine = Reset4724();
  fine.Set("_raw", big);
  StringPool pool;
  EXPECT_TRUE(RunRow(fine, &pool).recognized());
}

TEST(BadRowsTest, DeepNestingDoesNotExhaustTheStack) {
  std::string deep = "{\"a\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  JsonRow jr;
  EXPECT_TRUE(jr.Parse(deep).ok());  // parsed iteratively; flattening stops at its depth limit
  std::string under_limit = "{\"a\":" + std::string(900000, '[') + "}";
  TestRow row;
  row.Set("_time", "1700000000");
  row.Set("_raw", under_limit);
  ExpectSkipped(row, SkipReason::kMalformedRaw);
}

TEST(BadRowsTest, BadVcValuesAndShortRows) {
  TestRow vc;
  vc.Set("vc_time", "1700000000");
  vc.Set("vc_kind", "password");
  vc.Set("vc_target", "jdoe");
  ExpectSkipped(vc, SkipReason::kBadValue);
  vc.Set("vc_kind", "reset");
  vc.Set("vc_result", "maybe");
  ExpectSkipped(vc, SkipReason::kBadValue);
  vc.Set("vc_result", "failure");
  vc.Set("vc_source", "ldap");
  ExpectSkipped(vc, SkipReason::kBadValue);

  // Fewer cells than header fields: the missing ones read as empty.
  StringPool pool;
  Recognizer r(&pool);
  std::vector<std::string_view> header = {"_time", "EventCode", "SubjectUserName",
                                          "TargetUserName"};
  std::vector<std::string_view> cells = {"1700000000", "4724"};
  r.SetHeader(header);
  IdentityEvent e;
  RecognizeResult res = r.Recognize(cells, &e);
  EXPECT_EQ(res.reason, SkipReason::kMissingTarget);
  std::vector<std::string_view> none;
  EXPECT_EQ(r.Recognize(none, &e).verdict, Verdict::kIrrelevant);
  r.SetHeader(none);
  EXPECT_EQ(r.Recognize(cells, &e).verdict, Verdict::kIrrelevant);
}

TEST(BadRowsTest, EveryReasonHasAName) {
  for (int i = 0; i < kSkipReasonCount; ++i) {
    EXPECT_FALSE(ReasonName(static_cast<SkipReason>(i)).empty());
    EXPECT_NE(ReasonName(static_cast<SkipReason>(i)), "unknown");
  }
}

}  // namespace
}  // namespace vd::events::testing
