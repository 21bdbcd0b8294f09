#include "net/retry.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/fake_cloud_fixture.h"
#include "support/fake_time.h"

namespace vd::net {
namespace {

using std::chrono::milliseconds;

TEST(ParseRetryAfterTest, DeltaSeconds) {
  EXPECT_EQ(ParseRetryAfter("120", 0), 120'000);
  EXPECT_EQ(ParseRetryAfter(" 0 ", 0), 0);
}

TEST(ParseRetryAfterTest, HttpDatesRelativeToNow) {
  const int64_t now = 1445412480000;  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now), 30'000);
  EXPECT_EQ(ParseRetryAfter("Wednesday, 21-Oct-15 07:29:00 GMT", now), 60'000);
  EXPECT_EQ(ParseRetryAfter("Wed Oct 21 07:28:05 2015", now), 5'000);
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now), 0);  // in the past: no wait
}

TEST(ParseRetryAfterTest, GarbageIsRejected) {
  for (const char* bad :
       {"", "soon", "-5", "1.5", "Wed, 32 Oct 2015 07:28:00 GMT", "Wed, 21 Foo 2015 07:28:00 GMT",
        "Wed, 21 Oct 2015 25:28:00 GMT", "99999999999999999999"}) {
    EXPECT_FALSE(ParseRetryAfter(bad, 0).has_value()) << bad;
  }
}

TEST(RetryClassificationTest, StatusesAndErrors) {
  EXPECT_TRUE(IsRetryableStatus(429));
  EXPECT_TRUE(IsRetryableStatus(500));
  EXPECT_TRUE(IsRetryableStatus(503));
  EXPECT_FALSE(IsRetryableStatus(400));
  EXPECT_FALSE(IsRetryableStatus(401));
  EXPECT_FALSE(IsRetryableStatus(200));
  EXPECT_TRUE(IsRetryableError(Status::Timeout("t")));
  EXPECT_TRUE(IsRetryableError(Status::Io("i")));
  EXPECT_TRUE(IsRetryableError(Status::Partial("p")));
  EXPECT_FALSE(IsRetryableError(Status::Remote("cert")));
  EXPECT_FALSE(IsRetryableError(Status::Limit("big")));
}

class SendWithRetryTest : public vd::testing::FakeCloudTest {
 protected:
  void SetUp() override {
    FakeCloudTest::SetUp();
    ClientOptions o;
    o.ca_file = cloud_.ca_file();
    o.io_timeout = milliseconds(400);
    client_ = std::make_unique<HttpsClient>(o);
    policy_.base_delay_ms = 1'000;
    policy_.max_delay_ms = 8'000;
    policy_.jitter = 0;
  }
  Result<HttpResponse> Send(const std::string& path) {
    return SendWithRetry(*client_, limiter_, {"GET", cloud_.BaseUrl() + path, {}, {}}, policy_,
                         time_, [this](LogLevel level, std::string_view msg) {
                           if (level == LogLevel::kWarn) warnings_.emplace_back(msg);
                         });
  }
  FakeTime time_;
  RateLimiter limiter_{time_, time_};
  RetryPolicy policy_;
  std::unique_ptr<HttpsClient> client_;
  std::vector<std::string> warnings_;
};

TEST_F(SendWithRetryTest, TooManyRequestsHonoursRetryAfterSeconds) {
  ASSERT_TRUE(cloud_.Script(
      "GET", "/x", R"([{"status":429,"headers":{"Retry-After":"7"}},{"status":200,"body":"ok"}])"));
  Result<HttpResponse> r = Send("/x");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().status, 200);
  EXPECT_EQ(r.value().body, "ok");
  EXPECT_EQ(time_.sleeps_ms(), std::vector<int64_t>{7'000});
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_EQ(warnings_[0], "retrying GET " + cloud_.BaseUrl() +
                              "/x (attempt 2 of 5) in 7000 ms after HTTP 429 with Retry-After 7");
  EXPECT_EQ(cloud_.Stat("requests:GET /x"), 2);
}

TEST_F(SendWithRetryTest, UnavailableHonoursRetryAfterHttpDate) {
  ASSERT_TRUE(cloud_.Script(
      "GET", "/x",
      R"([{"status":503,"headers":{"Date":"Wed, 21 Oct 2015 07:28:00 GMT","Retry-After":"Wed, 21 Oct 2015 07:28:12 GMT"}},{"status":200}])"));
  Result<HttpResponse> r = Send("/x");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().status, 200);
  EXPECT_EQ(time_.sleeps_ms(), std::vector<int64_t>{12'000});
}

TEST_F(SendWithRetryTest, RetryAfterIsClamped) {
  policy_.max_retry_after_ms = 60'000;
  ASSERT_TRUE(cloud_.Script(
      "GET", "/x", R"([{"status":429,"headers":{"Retry-After":"86400"}},{"status":200}])"));
  ASSERT_TRUE(Send("/x").ok());
  EXPECT_EQ(time_.sleeps_ms(), std::vector<int64_t>{60'000});
}

TEST_F(SendWithRetryTest, ServerErrorsBackOffExponentiallyThenSucceed) {
  ASSERT_TRUE(cloud_.Script(
      "GET", "/x",
      R"([{"status":500},{"status":503},{"status":502},{"status":200,"body":"fine"}])"));
  Result<HttpResponse> r = Send("/x");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().body, "fine");
  EXPECT_EQ(time_.sleeps_ms(), (std::vector<int64_t>{1'000, 2'000, 4'000}));
  EXPECT_EQ(warnings_.size(), 3u);
  EXPECT_EQ(cloud_.Stat("requests:GET /x"), 4);
  EXPECT_EQ(cloud_.Stat("connections"), 1);  // error responses keep the connection
}

TEST_F(SendWithRetryTest, JitterStaysWithinItsBounds) {
  policy_.jitter = 0.5;
  policy_.seed = 7;
  ASSERT_TRUE(cloud_.Script(
      "GET", "/x",
      R"([{"status":500},{"status":500},{"status":500},{"status":500},{"status":200}])"));
  ASSERT_TRUE(Send("/x").ok());
  ASSERT_EQ(time_.sleeps_ms().size(), 4u);
  const int64_t nominal[] = {1'000, 2'000, 4'000, 8'000};
  bool any_off_nominal = false;
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_GE(time_.sleeps_ms()[i], nominal[i] / 2);
    EXPECT_LE(time_.sleeps_ms()[i], nominal[i] * 3 / 2);
    any_off_nominal |= time_.sleeps_ms()[i] != nominal[i];
  }
  EXPECT_TRUE(any_off_nominal);
}

TEST_F(SendWithRetryTest, AttemptsAreBounded) {
  policy_.max_attempts = 3;
  ASSERT_TRUE(
      cloud_
          .Command(
              R"({"cmd":"default","method":"GET","path":"/x","response":{"status":500,"body":"down"}})")
          .find("true") != std::string::npos);
  Result<HttpResponse> r = Send("/x");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().status, 500);  // the caller logs Graph's error from the last response
  EXPECT_EQ(r.value().body, "down");
  EXPECT_EQ(cloud_.Stat("requests:GET /x"), 3);
  EXPECT_EQ(time_.sleeps_ms().size(), 2u);
}

TEST_F(SendWithRetryTest, ClientErrorsAreReturnedAtOnce) {
  ASSERT_TRUE(cloud_.Script("GET", "/x", R"([{"status":403,"body":"no"}])"));
  Result<HttpResponse> r = Send("/x");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().status, 403);
  EXPECT_TRUE(time_.sleeps_ms().empty());
  EXPECT_TRUE(warnings_.empty());
  EXPECT_EQ(cloud_.Stat("requests:GET /x"), 1);
}

TEST_F(SendWithRetryTest, StalledResponseTimesOutThenRetrySucceeds) {
  ASSERT_TRUE(
      cloud_.Script("GET", "/x", R"([{"stall":true},{"status":200,"body":"late but fine"}])"));
  Result<HttpResponse> r = Send("/x");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().body, "late but fine");
  EXPECT_EQ(time_.sleeps_ms(), std::vector<int64_t>{1'000});
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("timed out (io_timeout)"), std::string::npos) << warnings_[0];
  EXPECT_EQ(client_->connections_opened(), 2);
}

TEST_F(SendWithRetryTest, TruncatedBodyIsRetried) {
  ASSERT_TRUE(cloud_.Script(
      "GET", "/x",
      R"([{"status":200,"body_size":500,"truncate_after":20},{"status":200,"body":"whole"}])"));
  Result<HttpResponse> r = Send("/x");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().body, "whole");
}

TEST_F(SendWithRetryTest, OversizeBodyIsNotRetried) {
  ClientOptions o;
  o.ca_file = cloud_.ca_file();
  o.max_body = 100;
  client_ = std::make_unique<HttpsClient>(o);
  ASSERT_TRUE(cloud_.Script("GET", "/x", R"([{"status":200,"body_size":500},{"status":200}])"));
  Result<HttpResponse> r = Send("/x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kLimit);
  EXPECT_EQ(cloud_.Stat("requests:GET /x"), 1);
}

TEST_F(SendWithRetryTest, EveryAttemptSpendsARateLimitToken) {
  // 12 requests, with throttling retries among them: simulated send times never put more than
  // 5 in any 10 s window, counted on the server side in request order.
  ASSERT_TRUE(cloud_.Script("GET", "/x",
                            R"([{"status":429,"headers":{"Retry-After":"1"}},{"status":503}])"));
  std::vector<int64_t> sent;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(Send("/x").ok());
  }
  EXPECT_EQ(cloud_.Stat("requests:GET /x"), 12);
  // Budget: 12 sends at 5 per 10 s take at least 20 s of simulated time.
  EXPECT_GE(time_.NowMs(), 20'000);
}

}  // namespace
}  // namespace vd::net
