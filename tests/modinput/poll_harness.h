#pragma once
// In-process polls against the real TLS fake cloud (tests/support/fake_cloud.py): real
// HttpsClient, real rate limiter and retry, real files.

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "common/time.h"
#include "modinput/checkpoint.h"
#include "modinput/event_writer.h"
#include "modinput/poller.h"
#include "modinput/settings.h"
#include "modinput/token_source.h"
#include "net/clock.h"
#include "net/https_client.h"
#include "net/rate_limiter.h"
#include "net/retry.h"
#include "support/fake_cloud_fixture.h"
#include "test_util.h"

namespace vd::modinput::testing {

inline constexpr const char* kTenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
inline constexpr const char* kClient = "535fb089-9ff3-47b6-9bfb-4f1264799865";

inline TimeMs Iso(const char* text) {
  TimeMs t = 0;
  EXPECT_TRUE(TryParseTime(text, &t)) << text;
  return t;
}

// One audit record in Graph's shape (fields the detections read included).
inline std::string AuditRecord(const std::string& id, TimeMs time,
                               const std::string& activity = "Reset user password",
                               TimeMs visible_from = 0) {
  std::string r = R"({"id":")" + id + R"(","category":"UserManagement","correlationId":"c-)" + id +
                  R"(","result":"success","resultReason":"","activityDisplayName":")" + activity +
                  R"(","activityDateTime":")" + FormatIso8601(time) +
                  R"(","loggedByService":"Core Directory","operationType":"Update",)" +
                  R"("initiatedBy":{"app":null,"user":{"id":"u1","displayName":"Help Desk",)" +
                  R"("userPrincipalName":"helpdesk@contoso.com","ipAddress":"10.0.0.1"}},)" +
                  R"("targetResources":[{"id":"t1","displayName":"Victim","type":"User",)" +
                  R"("userPrincipalName":"victim@contoso.com","modifiedProperties":[]}],)" +
                  R"("additionalDetails":[])";
  if (visible_from != 0) r += R"(,"_visible_from":")" + FormatIso8601(visible_from) + "\"";
  return r + "}";
}

// Events read back from an output file.
struct Written {
  std::string id;
  TimeMs time = 0;
  std::string sourcetype;
  std::string stanza;
};

inline std::vector<Written> ParseEvents(const std::string& xml) {
  std::vector<Written> out;
  if (xml.empty()) return out;
  auto tree = ParseXml(xml);
  for (const auto& [k, ev] : tree.get_child("stream")) {
    EXPECT_EQ(k, "event");
    Written w;
    w.stanza = ev.get<std::string>("<xmlattr>.stanza");
    w.sourcetype = ev.get<std::string>("sourcetype");
    EXPECT_TRUE(TryParseTime(ev.get<std::string>("time"), &w.time));
    std::string data = ev.get<std::string>("data");
    EXPECT_EQ(data.find('\n'), std::string::npos) << "data must be single-line JSON";
    rapidjson::Document doc;
    doc.Parse(data.c_str());
    EXPECT_FALSE(doc.HasParseError()) << data;
    if (!doc.HasParseError() && doc.IsObject() && doc.HasMember("id")) w.id = doc["id"].GetString();
    out.push_back(w);
  }
  return out;
}

class PollHarness {
 public:
  explicit PollHarness(vd::testing::FakeCloud& cloud) : cloud_(cloud) {
    std::string templ = (std::filesystem::temp_directory_path() / "vd_poll_XXXXXX").string();
    dir_ = mkdtemp(templ.data());
    options.ca_file = cloud.ca_file();
    options.connect_timeout = std::chrono::milliseconds(5'000);
    options.io_timeout = std::chrono::milliseconds(5'000);
    options.total_timeout = std::chrono::milliseconds(20'000);
    retry.base_delay_ms = 50;
    retry.max_delay_ms = 500;
    retry.max_attempts = 4;
    retry.seed = 42;
  }
  ~PollHarness() { std::filesystem::remove_all(dir_); }

  Settings MakeSettings(LogKind log = LogKind::kAudit, int lag_minutes = 30) {
    Stanza s;
    s.name = "entra_audit://test";
    s.app = "vishing";
    s.params = {{"tenant_id", kTenant},
                {"client_id", kClient},
                {"log", log == LogKind::kAudit ? "audit" : "signin"},
                {"lag_minutes", std::to_string(lag_minutes)},
                {"graph_url", cloud_.BaseUrl()},
                {"authority_url", cloud_.BaseUrl()},
                {"start_date", "2024-03-01"}};
    Result<Settings> r = ParseSettings(s);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.value();
  }

  void SetRecords(const std::vector<std::string>& records, LogKind log = LogKind::kAudit) {
    std::string json = R"({"cmd":"records","log":")" +
                       std::string(log == LogKind::kAudit ? "audit" : "signin") +
                       R"(","records":[)";
    for (size_t i = 0; i < records.size(); ++i) json += (i ? "," : "") + records[i];
    json += "]}";
    ASSERT_NE(cloud_.Command(json).find("\"ok\": true"), std::string::npos);
  }

  void SetServerNow(TimeMs now) {
    ASSERT_TRUE(cloud_.Config(R"("now":")" + FormatIso8601(now) + "\""));
  }

  struct Outcome {
    Status status;
    PollStats stats;
    std::vector<Written> events;
    std::string raw;
    int token_requests = 0;
    int graph_connections = 0;
  };

  // One poll at wall-clock `now` (the server is told the same time).
  Outcome Poll(const Settings& settings, TimeMs now, int max_requests = 1000,
               int64_t window_ms = 10'000) {
    SetServerNow(now);
    Outcome out;
    std::string path = dir_ + "/out" + std::to_string(polls_++) + ".xml";
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    EXPECT_GE(fd, 0);
    net::RealClock clock;
    net::RealSleeper sleeper;
    net::HttpsClient graph(options);
    net::HttpsClient authority(options);
    net::RateLimiter graph_limiter(clock, sleeper, max_requests, window_ms);
    net::RateLimiter token_limiter(clock, sleeper);
    auto log = [](LogLevel level, std::string_view m) { Log(level, m); };
    TokenSource tokens(
        {settings.authority_url, settings.tenant_id, settings.client_id, settings.Scope()},
        "s3cret", authority, token_limiter, sleeper, clock, retry, log);
    CheckpointStore store(dir_, settings.stanza);
    EventWriter writer(fd);
    PollContext ctx;
    ctx.graph = &graph;
    ctx.graph_limiter = &graph_limiter;
    ctx.sleeper = &sleeper;
    ctx.retry = retry;
    ctx.tokens = &tokens;
    ctx.writer = &writer;
    ctx.store = &store;
    ctx.now = [now] { return now; };
    ctx.max_pages = max_pages;
    out.status = vd::modinput::Poll(settings, ctx, &out.stats);
    EXPECT_TRUE(writer.Close().ok());
    ::close(fd);
    out.raw = ReadFile(path);
    out.events = ParseEvents(out.raw);
    out.token_requests = tokens.requests();
    out.graph_connections = graph.connections_opened();
    return out;
  }

  std::string CheckpointPath(const Settings& s) const {
    return CheckpointStore(dir_, s.stanza).path();
  }
  std::string CheckpointBytes(const Settings& s) const { return ReadFile(CheckpointPath(s)); }
  Checkpoint LoadCheckpoint(const Settings& s) const {
    auto r = CheckpointStore(dir_, s.stanza).Load();
    EXPECT_TRUE(r.ok() && r.value().has_value());
    return r.ok() && r.value() ? *r.value() : Checkpoint();
  }

  net::ClientOptions options;
  net::RetryPolicy retry;
  int max_pages = kMaxPagesPerPoll;
  const std::string& dir() const { return dir_; }

 private:
  vd::testing::FakeCloud& cloud_;
  std::string dir_;
  int polls_ = 0;
};

}  // namespace vd::modinput::testing
