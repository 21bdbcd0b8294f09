// The poll algorithm of DESIGN.md §4 against a real TLS server playing Graph and Entra.
#include <algorithm>
#include <set>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "poll_harness.h"

namespace vd::modinput {
namespace {

using testing::AuditRecord;
using testing::Iso;
using testing::PollHarness;

constexpr const char* kAuditPath = "/v1.0/auditLogs/directoryAudits";

// Server-side log of requests to one path: (monotonic time, query, Authorization header).
struct SeenRequest {
  double t;
  std::string query;
  std::string authorization;
  int conn;
};
std::vector<SeenRequest> RequestsTo(vd::testing::FakeCloud& cloud, const std::string& path) {
  std::string reply = cloud.Command(R"({"cmd":"requests"})");
  rapidjson::Document doc;
  doc.Parse(reply.c_str());
  std::vector<SeenRequest> out;
  if (doc.HasParseError()) return out;
  for (const auto& r : doc["requests"].GetArray()) {
    if (std::string(r["path"].GetString()) != path) continue;
    SeenRequest s{r["t"].GetDouble(), r["query"].GetString(), "", r["conn"].GetInt()};
    if (r["headers"].HasMember("authorization"))
      s.authorization = r["headers"]["authorization"].GetString();
    out.push_back(s);
  }
  return out;
}

std::vector<std::string> Records(int n, TimeMs first, DurationMs step, const std::string& prefix) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i)
    out.push_back(AuditRecord(prefix + std::to_string(i), first + i * step));
  return out;
}

std::string PageJson(vd::testing::FakeCloud& cloud, const std::vector<std::string>& records,
                     const std::string& next_token) {
  std::string json = R"({"value":[)";
  for (size_t i = 0; i < records.size(); ++i) json += (i ? "," : "") + records[i];
  json += "]";
  if (!next_token.empty()) {
    json += R"(,"@odata.nextLink":")" + cloud.BaseUrl() + kAuditPath + "?$skiptoken=" + next_token +
            "\"";
  }
  return json + "}";
}

class PollerTest : public vd::testing::FakeCloudTest {
 protected:
  // The control channel takes one JSON object per line.
  bool Script(const std::string& method, const std::string& path, std::string responses) {
    std::erase(responses, '\n');
    return cloud_.Script(method, path, responses);
  }
  void SetUp() override {
    FakeCloudTest::SetUp();
    harness_ = std::make_unique<PollHarness>(cloud_);
  }
  void PageSize(int n) { ASSERT_TRUE(cloud_.Config(R"("page_size":)" + std::to_string(n))); }
  std::unique_ptr<PollHarness> harness_;
  const TimeMs t0_ = Iso("2024-03-01T10:00:00Z");
};

TEST_F(PollerTest, PagesOldestFirstWithOneTokenAndOneConnection) {
  auto records = Records(25, t0_, 60'000, "Directory_r");
  for (int i = 0; i < 5; ++i) {
    records.push_back(
        AuditRecord("noise" + std::to_string(i), t0_ + i * 90'000, "Add member to group"));
  }
  harness_->SetRecords(records);
  PageSize(7);
  Settings settings = harness_->MakeSettings();
  const TimeMs now = Iso("2024-03-01T12:00:00Z");
  auto out = harness_->Poll(settings, now);
  ASSERT_TRUE(out.status.ok()) << out.status.message();

  EXPECT_EQ(out.stats.pages, 5);  // 30 records, 7 a page
  ASSERT_EQ(out.events.size(), 25u);
  EXPECT_EQ(out.stats.filtered_out, 5);
  for (size_t i = 0; i < out.events.size(); ++i) {
    EXPECT_EQ(out.events[i].id, "Directory_r" + std::to_string(i));
    EXPECT_EQ(out.events[i].time, t0_ + static_cast<TimeMs>(i) * 60'000);
    EXPECT_EQ(out.events[i].sourcetype, "ms:entra:audit");
    EXPECT_EQ(out.events[i].stanza, "entra_audit://test");
  }
  // One token for all five pages; one kept-alive connection to Graph.
  EXPECT_EQ(out.token_requests, 1);
  EXPECT_EQ(cloud_.Stat("tokens_issued"), 1);
  EXPECT_EQ(cloud_.Stat("requests:POST /" + std::string(testing::kTenant) + "/oauth2/v2.0/token"),
            1);
  EXPECT_EQ(out.graph_connections, 1);
  auto graph = RequestsTo(cloud_, kAuditPath);
  ASSERT_EQ(graph.size(), 5u);
  std::set<int> conns;
  for (const auto& r : graph) conns.insert(r.conn);
  EXPECT_EQ(conns.size(), 1u);
  EXPECT_EQ(cloud_.Stat("connections"), 2);  // the authority and Graph

  // The first query filters the window on activityDateTime and orders oldest first; the
  // next ones are the nextLinks, verbatim.
  EXPECT_NE(graph[0].query.find("$filter=activityDateTime%20ge%202024-03-01T00%3A00%3A00.000Z"
                                "%20and%20activityDateTime%20le%202024-03-01T11%3A58%3A00.000Z"),
            std::string::npos)
      << graph[0].query;
  EXPECT_NE(graph[0].query.find("orderby=activityDateTime%20asc"), std::string::npos);
  for (size_t i = 1; i < graph.size(); ++i) EXPECT_EQ(graph[i].query.rfind("$skiptoken=st", 0), 0u);
  EXPECT_EQ(graph[0].authorization, "Bearer fake-access-token-1");

  // The window is complete: the watermark is its upper end, now - 2 min.
  Checkpoint cp = harness_->LoadCheckpoint(settings);
  EXPECT_EQ(cp.watermark, now - kSettleMs);
  EXPECT_TRUE(out.stats.window_complete);
}

TEST_F(PollerTest, HonoursRetryAfterOn429) {
  harness_->SetRecords(Records(3, t0_, 60'000, "r"));
  ASSERT_TRUE(Script("GET", kAuditPath, R"([{"status":429,"headers":{"Retry-After":"2"},
      "json":{"error":{"code":"TooManyRequests","message":"Too many requests"}}}])"));
  auto out = harness_->Poll(harness_->MakeSettings(), Iso("2024-03-01T12:00:00Z"));
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.events.size(), 3u);
  auto graph = RequestsTo(cloud_, kAuditPath);
  ASSERT_EQ(graph.size(), 2u);
  // The backoff alone would be ~50 ms: the retry waited for Retry-After.
  EXPECT_GE(graph[1].t - graph[0].t, 1.9);
}

TEST_F(PollerTest, Retries500And503ThenSucceeds) {
  harness_->SetRecords(Records(3, t0_, 60'000, "r"));
  ASSERT_TRUE(Script("GET", kAuditPath, R"([
      {"status":500,"json":{"error":{"code":"InternalServerError","message":"boom"}}},
      {"status":503,"headers":{"Retry-After":"1"},"json":{"error":{"code":"ServiceUnavailable","message":"busy"}}}])"));
  auto out = harness_->Poll(harness_->MakeSettings(), Iso("2024-03-01T12:00:00Z"));
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.events.size(), 3u);
  EXPECT_EQ(RequestsTo(cloud_, kAuditPath).size(), 3u);
  EXPECT_EQ(out.token_requests, 1);
}

TEST_F(PollerTest, PersistentServerErrorsEndTheRunWithoutMovingTheCheckpoint) {
  harness_->SetRecords(Records(3, t0_, 60'000, "r"));
  Settings settings = harness_->MakeSettings();
  ASSERT_TRUE(harness_->Poll(settings, Iso("2024-03-01T11:00:00Z")).status.ok());
  std::string before = harness_->CheckpointBytes(settings);
  ASSERT_NE(cloud_.Command(R"({"cmd":"default","method":"GET","path":")" + std::string(kAuditPath) +
                           R"(","response":{"status":502,"body":"<html>bad gateway</html>"}})"),
            "");
  auto out = harness_->Poll(settings, Iso("2024-03-01T12:00:00Z"));
  ASSERT_FALSE(out.status.ok());
  EXPECT_NE(out.status.message().find("502"), std::string::npos) << out.status.message();
  EXPECT_EQ(RequestsTo(cloud_, kAuditPath).size(), 1u + harness_->retry.max_attempts);
  EXPECT_EQ(harness_->CheckpointBytes(settings), before);
}

TEST_F(PollerTest, StalledResponseHitsTheDeadlineAndIsRetried) {
  harness_->SetRecords(Records(3, t0_, 60'000, "r"));
  harness_->options.io_timeout = std::chrono::milliseconds(1'000);
  ASSERT_TRUE(Script("GET", kAuditPath, R"([{"stall":true,"stall_ms":8000}])"));
  auto out = harness_->Poll(harness_->MakeSettings(), Iso("2024-03-01T12:00:00Z"));
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.events.size(), 3u);
  EXPECT_EQ(RequestsTo(cloud_, kAuditPath).size(), 2u);
}

TEST_F(PollerTest, MalformedJsonIsAnErrorAndTheCheckpointDoesNotMove) {
  harness_->SetRecords(Records(3, t0_, 60'000, "r"));
  Settings settings = harness_->MakeSettings();
  ASSERT_TRUE(harness_->Poll(settings, Iso("2024-03-01T11:00:00Z")).status.ok());
  const std::string before = harness_->CheckpointBytes(settings);
  ASSERT_FALSE(before.empty());

  harness_->SetRecords(Records(3, t0_ + 3'600'000, 60'000, "late"));
  ASSERT_TRUE(Script("GET", kAuditPath,
                     R"([{"status":200,"headers":{"Content-Type":"application/json"},
                                 "body":"{\"value\":[{\"id\":\"x\",\"activityDateTime\":"}])"));
  auto out = harness_->Poll(settings, Iso("2024-03-01T12:00:00Z"));
  ASSERT_FALSE(out.status.ok());
  EXPECT_EQ(out.status.code(), Status::Code::kParse);
  EXPECT_NE(out.status.message().find("malformed JSON"), std::string::npos);
  EXPECT_TRUE(out.events.empty());
  EXPECT_EQ(harness_->CheckpointBytes(settings), before);

  // The next poll reads the same window again and gets the records.
  auto again = harness_->Poll(settings, Iso("2024-03-01T12:00:00Z"));
  ASSERT_TRUE(again.status.ok()) << again.status.message();
  EXPECT_EQ(again.events.size(), 3u);
}

TEST_F(PollerTest, TruncatedBodyIsAnErrorAndTheCheckpointDoesNotMove) {
  harness_->SetRecords(Records(3, t0_, 60'000, "r"));
  Settings settings = harness_->MakeSettings();
  ASSERT_TRUE(harness_->Poll(settings, Iso("2024-03-01T11:00:00Z")).status.ok());
  const std::string before = harness_->CheckpointBytes(settings);
  std::string page = PageJson(cloud_, Records(5, t0_ + 3'600'000, 1'000, "t"), "");
  std::string escaped;
  for (char c : page) {
    if (c == '"' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  // Content-Length promises the whole page; the connection ends after 60 bytes. Every attempt.
  ASSERT_NE(cloud_.Command(R"({"cmd":"default","method":"GET","path":")" + std::string(kAuditPath) +
                           R"(","response":{"status":200,"body":")" + escaped +
                           R"(","truncate_after":60}})"),
            "");
  auto out = harness_->Poll(settings, Iso("2024-03-01T12:00:00Z"));
  ASSERT_FALSE(out.status.ok());
  EXPECT_TRUE(out.events.empty());
  EXPECT_EQ(harness_->CheckpointBytes(settings), before);
  EXPECT_EQ(RequestsTo(cloud_, kAuditPath).size(), 1u + harness_->retry.max_attempts);
}

TEST_F(PollerTest, FailureOnPageTwoKeepsPageOnesProgressOnly) {
  Settings settings = harness_->MakeSettings();
  auto page1 = Records(4, t0_, 60'000, "p1_");
  ASSERT_TRUE(Script("GET", kAuditPath,
                     "[{\"status\":200,\"json\":" + PageJson(cloud_, page1, "two") +
                         R"(},{"status":200,"body":"{\"value\":[{\"id\""}])"));
  auto out = harness_->Poll(settings, Iso("2024-03-01T12:00:00Z"));
  ASSERT_FALSE(out.status.ok());
  EXPECT_EQ(out.events.size(), 4u);
  Checkpoint cp = harness_->LoadCheckpoint(settings);
  EXPECT_EQ(cp.watermark, t0_ + 3 * 60'000);  // the newest record of page 1, not the window end
  EXPECT_EQ(cp.ids.size(), 4u);
}

TEST_F(PollerTest, A401MidRunRefreshesTheTokenExactlyOnce) {
  Settings settings = harness_->MakeSettings();
  auto page1 = Records(3, t0_, 60'000, "a");
  auto page2 = Records(3, t0_ + 600'000, 60'000, "b");
  ASSERT_TRUE(Script("GET", kAuditPath,
                     "[{\"status\":200,\"json\":" + PageJson(cloud_, page1, "two") + "}," +
                         R"({"status":401,"json":{"error":{"code":"InvalidAuthenticationToken",
                                   "message":"Access token has expired or is not yet valid."}}},)" +
                         "{\"status\":200,\"json\":" + PageJson(cloud_, page2, "") + "}]"));
  auto out = harness_->Poll(settings, Iso("2024-03-01T12:00:00Z"));
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.events.size(), 6u);
  EXPECT_EQ(out.token_requests, 2);
  EXPECT_EQ(cloud_.Stat("tokens_issued"), 2);
  auto graph = RequestsTo(cloud_, kAuditPath);
  ASSERT_EQ(graph.size(), 3u);
  EXPECT_EQ(graph[1].authorization, "Bearer fake-access-token-1");
  EXPECT_EQ(graph[2].authorization, "Bearer fake-access-token-2");
  EXPECT_EQ(graph[2].query, graph[1].query);  // the same page again
}

TEST_F(PollerTest, ASecond401IsAnErrorNotALoop) {
  Settings settings = harness_->MakeSettings();
  ASSERT_TRUE(Script("GET", kAuditPath, R"([
      {"status":401,"json":{"error":{"code":"InvalidAuthenticationToken","message":"expired"}}},
      {"status":401,"json":{"error":{"code":"InvalidAuthenticationToken","message":"expired"}}},
      {"status":401,"json":{"error":{"code":"InvalidAuthenticationToken","message":"expired"}}}])"));
  auto out = harness_->Poll(settings, Iso("2024-03-01T12:00:00Z"));
  ASSERT_FALSE(out.status.ok());
  EXPECT_NE(out.status.message().find("InvalidAuthenticationToken"), std::string::npos);
  EXPECT_EQ(out.token_requests, 2);
  EXPECT_EQ(RequestsTo(cloud_, kAuditPath).size(), 2u);
}

TEST_F(PollerTest, EntraTokenErrorsAreReadable) {
  ASSERT_TRUE(cloud_.Config(R"("clients":{"535fb089-9ff3-47b6-9bfb-4f1264799865":"another"})"));
  auto out = harness_->Poll(harness_->MakeSettings(), Iso("2024-03-01T12:00:00Z"));
  ASSERT_FALSE(out.status.ok());
  EXPECT_NE(out.status.message().find("AADSTS7000215: Invalid client secret provided"),
            std::string::npos)
      << out.status.message();
  EXPECT_NE(out.status.message().find("invalid_client"), std::string::npos);
  EXPECT_EQ(out.status.message().find("s3cret"), std::string::npos);
  EXPECT_TRUE(RequestsTo(cloud_, kAuditPath).empty());
}

TEST_F(PollerTest, GraphRateLimitIsNeverExceeded) {
  harness_->SetRecords(Records(60, t0_, 10'000, "r"));
  PageSize(5);
  // The production limiter; Graph's budget is 5 requests per 10 s. Twelve pages, two waits.
  auto out = harness_->Poll(harness_->MakeSettings(), Iso("2024-03-01T12:00:00Z"),
                            kGraphMaxRequests, kGraphRateWindowMs);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.events.size(), 60u);
  auto graph = RequestsTo(cloud_, kAuditPath);
  ASSERT_EQ(graph.size(), 12u);
  // Counted where Graph counts, at arrival: no 10 s window holds more than five requests.
  int max_in_window = 0;
  for (size_t i = 0; i < graph.size(); ++i) {
    int n = 0;
    for (size_t j = i; j < graph.size() && graph[j].t - graph[i].t < 10.0; ++j) ++n;
    max_in_window = std::max(max_in_window, n);
  }
  EXPECT_LE(max_in_window, 5);
  EXPECT_EQ(max_in_window, 5);  // and the budget was used, not wasted
}

TEST_F(PollerTest, LateRecordsInsideTheLagAreEmittedOnceAndCounted) {
  Settings settings = harness_->MakeSettings(LogKind::kAudit, 30);
  const TimeMs m = 60'000;
  std::vector<std::string> records = {
      AuditRecord("A", t0_),                                                // 10:00
      AuditRecord("B", t0_ + 20 * m),                                       // 10:20
      AuditRecord("L", t0_ + 10 * m, "Reset user password", t0_ + 35 * m),  // late, in the lag
      AuditRecord("C", t0_ + 40 * m, "Admin registered security info"),
      AuditRecord("X", t0_ - 60 * m, "Reset user password", t0_ + 45 * m),  // later than the lag
  };
  harness_->SetRecords(records);
  auto first = harness_->Poll(settings, t0_ + 30 * m);  // window ends 10:28
  ASSERT_TRUE(first.status.ok()) << first.status.message();
  ASSERT_EQ(first.events.size(), 2u);
  EXPECT_EQ(first.events[0].id, "A");
  EXPECT_EQ(first.events[1].id, "B");

  auto second = harness_->Poll(settings, t0_ + 50 * m);  // window 09:58 .. 10:48
  ASSERT_TRUE(second.status.ok()) << second.status.message();
  std::vector<std::string> ids;
  for (const auto& e : second.events) ids.push_back(e.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"L", "C"}));
  EXPECT_EQ(second.stats.late_caught, 1);
  EXPECT_EQ(second.stats.duplicates_skipped, 2);  // A and B, written by the first poll

  auto third = harness_->Poll(settings, t0_ + 60 * m);
  ASSERT_TRUE(third.status.ok());
  EXPECT_TRUE(third.events.empty());
  EXPECT_EQ(third.raw, "");  // nothing to say: not even <stream>
  // X arrived 105 minutes late, beyond lag_minutes: never queried (the stated trade-off).
}

TEST_F(PollerTest, AnIdWrittenInAnEarlierPollIsNotWrittenAgain) {
  Settings settings = harness_->MakeSettings(LogKind::kAudit, 30);
  const TimeMs m = 60'000;
  // Three records in the same millisecond, then one more with the same time in a later poll.
  harness_->SetRecords({AuditRecord("s1", t0_), AuditRecord("s2", t0_), AuditRecord("s3", t0_)});
  PageSize(2);
  auto first = harness_->Poll(settings, t0_ + 10 * m);
  ASSERT_TRUE(first.status.ok());
  EXPECT_EQ(first.events.size(), 3u);
  Checkpoint cp = harness_->LoadCheckpoint(settings);
  EXPECT_EQ(cp.ids.size(), 3u);

  harness_->SetRecords({AuditRecord("s1", t0_), AuditRecord("s2", t0_), AuditRecord("s3", t0_),
                        AuditRecord("s4", t0_)});
  auto second = harness_->Poll(settings, t0_ + 20 * m);
  ASSERT_TRUE(second.status.ok());
  ASSERT_EQ(second.events.size(), 1u);
  EXPECT_EQ(second.events[0].id, "s4");

  // Once the watermark is more than lag_minutes past them, their ids leave the checkpoint.
  harness_->SetRecords({});
  ASSERT_TRUE(harness_->Poll(settings, t0_ + 120 * m).status.ok());
  EXPECT_TRUE(harness_->LoadCheckpoint(settings).ids.empty());
}

TEST_F(PollerTest, SigninLogEndToEnd) {
  std::string doc_text = testing::DataFile("graph/signins_list_example1_response.fixed.json");
  rapidjson::Document doc;
  doc.Parse(doc_text.c_str());
  ASSERT_FALSE(doc.HasParseError());
  const auto& sample = doc["value"][0];
  std::vector<std::string> records;
  for (int i = 0; i < 4; ++i) {
    rapidjson::Document rec;
    rec.CopyFrom(sample, rec.GetAllocator());
    std::string id = "signin-" + std::to_string(i);
    std::string when = FormatIso8601(t0_ + i * 60'000);
    rec["id"].SetString(id.c_str(), rec.GetAllocator());
    rec["createdDateTime"].SetString(when.c_str(), rec.GetAllocator());
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    rec.Accept(w);
    records.push_back(buf.GetString());
  }
  harness_->SetRecords(records, LogKind::kSignin);
  PageSize(3);
  Settings settings = harness_->MakeSettings(LogKind::kSignin);
  auto out = harness_->Poll(settings, Iso("2024-03-01T12:00:00Z"));
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  ASSERT_EQ(out.events.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(out.events[i].id, "signin-" + std::to_string(i));
    EXPECT_EQ(out.events[i].sourcetype, "ms:entra:signin");
    EXPECT_EQ(out.events[i].time, t0_ + static_cast<TimeMs>(i) * 60'000);
  }
  EXPECT_EQ(out.stats.pages, 2);
  auto graph = RequestsTo(cloud_, "/v1.0/auditLogs/signIns");
  ASSERT_EQ(graph.size(), 2u);
  EXPECT_NE(graph[0].query.find("createdDateTime%20ge%20"), std::string::npos);
  EXPECT_NE(graph[0].query.find("orderby=createdDateTime%20asc"), std::string::npos);
  // The sample's nested objects and full-precision coordinates survive unchanged.
  EXPECT_NE(out.raw.find("47.68050003051758"), std::string::npos);
  EXPECT_TRUE(RequestsTo(cloud_, kAuditPath).empty());
}

// Requests a server saw carrying a bearer token, as "host path" (host from the Host header).
std::vector<std::string> BearerRequests(vd::testing::FakeCloud& cloud) {
  rapidjson::Document doc;
  doc.Parse(cloud.Command(R"({"cmd":"requests"})").c_str());
  std::vector<std::string> out;
  if (doc.HasParseError()) return {"unreadable request log"};
  for (const auto& r : doc["requests"].GetArray()) {
    const auto& h = r["headers"];
    if (!h.HasMember("authorization") ||
        std::string(h["authorization"].GetString()).rfind("Bearer ", 0) != 0)
      continue;
    out.push_back(std::string(h.HasMember("host") ? h["host"].GetString() : "?") + " " +
                  r["path"].GetString());
  }
  return out;
}

// The token goes to graph_url's origin only. A nextLink naming another host (localhost: the
// same server, another name), another port (a second server) or another scheme is an error
// before the page counts: nothing written, no checkpoint; no server but Graph's (and the
// authority's, for the token itself) ever sees the token.
TEST_F(PollerTest, NextLinkOutsideGraphsOriginIsRefusedAndNeverGetsTheToken) {
  vd::testing::FakeCloud other;
  std::string error;
  ASSERT_TRUE(other.Start(vd::testing::FakeCloudOptions(), &error)) << error;
  const std::string port = cloud_.BaseUrl().substr(cloud_.BaseUrl().rfind(':') + 1);
  const std::string graph_host = "127.0.0.1:" + port;
  Settings settings = harness_->MakeSettings();
  const std::string query = std::string(kAuditPath) + "?$skiptoken=st1";
  for (const std::string& next :
       {"https://localhost:" + port + query, other.BaseUrl() + query,
        "http://127.0.0.1:" + port + query, "HTTPS://LOCALHOST:" + port + query,
        "https://127.0.0.1" + query, "https://127.0.0.1:" + port + "@evil.example" + query,
        std::string("/relative") + query}) {
    SCOPED_TRACE(next);
    cloud_.Command(R"({"cmd":"reset_stats"})");
    auto page = Records(3, t0_, 60'000, "o");
    std::string json = R"({"value":[)" + page[0] + "," + page[1] + "," + page[2] +
                       R"(],"@odata.nextLink":")" + next + "\"}";
    ASSERT_TRUE(Script("GET", kAuditPath, "[{\"status\":200,\"json\":" + json + "}]"));
    auto out = harness_->Poll(settings, Iso("2024-03-01T12:00:00Z"));
    ASSERT_FALSE(out.status.ok());
    EXPECT_EQ(out.status.code(), Status::Code::kProtocol);
    EXPECT_NE(out.status.message().find("outside https://127.0.0.1:" + port), std::string::npos)
        << out.status.message();
    EXPECT_TRUE(out.events.empty());
    EXPECT_EQ(harness_->CheckpointBytes(settings), "");
    EXPECT_EQ(BearerRequests(cloud_), std::vector<std::string>{graph_host + " " + kAuditPath});
  }
  EXPECT_EQ(other.Stat("requests_total"), 0);
  EXPECT_EQ(other.Stat("connections"), 0);
}

// Graph's own origin spelled differently (host case, explicit default port) is still Graph.
TEST_F(PollerTest, NextLinkToGraphsOriginInAnotherSpellingIsFollowed) {
  Settings settings = harness_->MakeSettings();
  const std::string base = cloud_.BaseUrl();
  auto page1 = Records(2, t0_, 60'000, "a");
  auto page2 = Records(2, t0_ + 600'000, 60'000, "b");
  std::string next =
      "HTTPS://127.0.0.1:" + base.substr(base.rfind(':') + 1) + kAuditPath + "?$skiptoken=two";
  std::string json1 =
      R"({"value":[)" + page1[0] + "," + page1[1] + R"(],"@odata.nextLink":")" + next + "\"}";
  ASSERT_TRUE(Script("GET", kAuditPath,
                     "[{\"status\":200,\"json\":" + json1 +
                         "},{\"status\":200,\"json\":" + PageJson(cloud_, page2, "") + "}]"));
  auto out = harness_->Poll(settings, Iso("2024-03-01T12:00:00Z"));
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.events.size(), 4u);
}

// A nextLink that was already followed ends the poll with an error (it used to page forever);
// so does a server that keeps paging past the per-poll budget, after saving the pages read.
TEST_F(PollerTest, RepeatedNextLinkAndThePageBudgetEndThePoll) {
  Settings settings = harness_->MakeSettings();
  auto page = Records(2, t0_, 60'000, "loop");
  const std::string self = cloud_.BaseUrl() + kAuditPath + "?$skiptoken=again";
  std::string json =
      R"({"value":[)" + page[0] + "," + page[1] + R"(],"@odata.nextLink":")" + self + "\"}";
  ASSERT_NE(cloud_.Command(R"({"cmd":"default","method":"GET","path":")" + std::string(kAuditPath) +
                           R"(","response":{"status":200,"json":)" + json + "}}"),
            "");
  auto out = harness_->Poll(settings, Iso("2024-03-01T12:00:00Z"));
  ASSERT_FALSE(out.status.ok());
  EXPECT_EQ(out.status.code(), Status::Code::kProtocol);
  EXPECT_NE(out.status.message().find("already followed"), std::string::npos)
      << out.status.message();
  EXPECT_EQ(RequestsTo(cloud_, kAuditPath).size(), 2u);  // the first page and the nextLink once
  EXPECT_EQ(out.events.size(), 2u);                      // the first page only
  ASSERT_TRUE(cloud_.Command(R"({"cmd":"clear_scripts"})").find("\"ok\": true") !=
              std::string::npos);

  // 11 records, 2 a page = 6 pages; a budget of 3 pages stops after the third, saved.
  harness_->SetRecords(Records(11, t0_, 60'000, "p"));
  PageSize(2);
  harness_->max_pages = 3;
  Settings fresh = harness_->MakeSettings();
  fresh.stanza = "entra_audit://budget";
  auto budget = harness_->Poll(fresh, Iso("2024-03-01T12:00:00Z"));
  ASSERT_FALSE(budget.status.ok());
  EXPECT_EQ(budget.status.code(), Status::Code::kLimit);
  EXPECT_NE(budget.status.message().find("stopped after 3 pages"), std::string::npos);
  EXPECT_EQ(budget.events.size(), 6u);
  EXPECT_EQ(harness_->LoadCheckpoint(fresh).watermark, t0_ + 5 * 60'000);
  harness_->max_pages = kMaxPagesPerPoll;
  auto rest = harness_->Poll(fresh, Iso("2024-03-01T12:00:00Z"));
  ASSERT_TRUE(rest.status.ok()) << rest.status.message();
  std::set<std::string> ids;
  for (const auto& e : budget.events) ids.insert(e.id);
  for (const auto& e : rest.events) ids.insert(e.id);
  EXPECT_EQ(ids.size(), 11u);
}

// A watermark after now (+ skew) used to stop collection silently until the clock passed it
// (never, for 9999); INT64_MIN wrapped. Each is refused with a WARN naming it, and the poll
// starts as a first poll does (start_date).
TEST_F(PollerTest, AWatermarkInTheFutureOrOutOfRangeIsRefusedWithAWarning) {
  harness_->SetRecords(Records(3, t0_, 60'000, "f"));
  const TimeMs now = Iso("2024-03-01T12:00:00Z");
  struct Case {
    TimeMs watermark;
    std::string named;
  };
  for (const Case& c : {Case{now + 86'400'000, "2024-03-02T12:00:00.000Z is after now"},
                        Case{Iso("9999-12-31T00:00:00Z"), "9999-12-31T00:00:00.000Z is after now"},
                        Case{INT64_MAX, "9223372036854775807 ms since 1970 is after now"},
                        Case{INT64_MIN, "-9223372036854775808 ms since 1970 is before 1970"}}) {
    SCOPED_TRACE(c.named);
    Settings settings = harness_->MakeSettings();
    Checkpoint cp;
    cp.watermark = c.watermark;
    ASSERT_TRUE(CheckpointStore(harness_->dir(), settings.stanza).Save(cp).ok());
    ::testing::internal::CaptureStderr();
    auto out = harness_->Poll(settings, now);
    const std::string err = ::testing::internal::GetCapturedStderr();
    ASSERT_TRUE(out.status.ok()) << out.status.message();
    EXPECT_NE(err.find("WARN [entra_audit://test] checkpoint watermark " + c.named),
              std::string::npos)
        << err;
    EXPECT_EQ(out.events.size(), 3u);
    EXPECT_EQ(out.stats.window_start, Iso("2024-03-01T00:00:00Z"));
    EXPECT_EQ(harness_->LoadCheckpoint(settings).watermark, now - kSettleMs);
  }
  // Within the skew it is a watermark like any other.
  Settings settings = harness_->MakeSettings();
  Checkpoint cp;
  cp.watermark = now + 60'000;
  ASSERT_TRUE(CheckpointStore(harness_->dir(), settings.stanza).Save(cp).ok());
  ::testing::internal::CaptureStderr();
  auto out = harness_->Poll(settings, now);
  EXPECT_EQ(::testing::internal::GetCapturedStderr().find("checkpoint watermark"),
            std::string::npos);
  EXPECT_TRUE(out.events.empty());
}

class ProxyPollerTest : public PollerTest {
 protected:
  vd::testing::FakeCloudOptions CloudOptions() const override {
    vd::testing::FakeCloudOptions o;
    o.proxy = true;
    o.proxy_auth = "svc-splunk:p@ss word";
    return o;
  }
};

TEST_F(ProxyPollerTest, TrafficGoesThroughTheProxyWithBasicAuth) {
  harness_->SetRecords(Records(8, t0_, 60'000, "p"));
  PageSize(3);
  harness_->options.proxy_url = cloud_.ProxyUrl("svc-splunk:p%40ss%20word");
  auto out = harness_->Poll(harness_->MakeSettings(), Iso("2024-03-01T12:00:00Z"));
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.events.size(), 8u);
  EXPECT_EQ(cloud_.Stat("proxy_auth_failures"), 0);
  EXPECT_EQ(cloud_.Stat("tunnels"), 2);  // one for the authority, one for Graph's three pages
  EXPECT_EQ(cloud_.Stat("requests:GET " + std::string(kAuditPath)), 3);

  // Wrong proxy password: a clear error, nothing written.
  harness_->options.proxy_url = cloud_.ProxyUrl("svc-splunk:wrong");
  auto refused = harness_->Poll(harness_->MakeSettings(), Iso("2024-03-01T12:00:00Z"));
  ASSERT_FALSE(refused.status.ok());
  EXPECT_NE(refused.status.message().find("407"), std::string::npos) << refused.status.message();
  EXPECT_EQ(refused.status.message().find("wrong"), std::string::npos);
}

}  // namespace
}  // namespace vd::modinput
