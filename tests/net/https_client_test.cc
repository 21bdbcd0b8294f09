#include "net/https_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include "support/fake_cloud_fixture.h"

namespace vd::net {
namespace {

using std::chrono::milliseconds;

class HttpsClientTest : public vd::testing::FakeCloudTest {
 protected:
  ClientOptions Options() const {
    ClientOptions o;
    o.ca_file = cloud_.ca_file();
    o.connect_timeout = milliseconds(5'000);
    o.io_timeout = milliseconds(5'000);
    o.total_timeout = milliseconds(20'000);
    return o;
  }
  HttpRequest Get(const std::string& path) const {
    return {"GET", cloud_.BaseUrl() + path, {}, {}};
  }
};

TEST_F(HttpsClientTest, GetsOverVerifiedTls) {
  HttpsClient client(Options());
  Result<HttpResponse> r = client.Send(Get("/ping"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().status, 200);
  EXPECT_EQ(r.value().body, R"({"pong": true})");
  EXPECT_EQ(r.value().Header("content-TYPE"), "application/json");
  EXPECT_EQ(r.value().Header("X-Absent"), "");
}

TEST_F(HttpsClientTest, VerifiesHostNameForDnsNames) {
  HttpsClient client(Options());
  HttpRequest req = Get("/ping");
  req.url = "https://localhost:" + std::to_string(cloud_.port()) + "/ping";
  Result<HttpResponse> r = client.Send(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().status, 200);
}

TEST_F(HttpsClientTest, SendsMethodHeadersQueryAndBody) {
  HttpsClient client(Options());
  HttpRequest req{"POST",
                  cloud_.BaseUrl() + "/echo?$filter=a%20ge%201&x=y",
                  {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Test", "v1"}},
                  "grant_type=client_credentials&scope=a%2F.default"};
  Result<HttpResponse> r = client.Send(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const std::string& body = r.value().body;
  EXPECT_NE(body.find(R"("method": "POST")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("query": "$filter=a%20ge%201&x=y")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("body": "grant_type=client_credentials&scope=a%2F.default")"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find(R"("x-test": "v1")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("user-agent": "vishing_detection/1.0")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("host": "127.0.0.1:)" + std::to_string(cloud_.port())), std::string::npos)
      << body;
}

TEST_F(HttpsClientTest, ErrorStatusesAreResponsesNotErrors) {
  HttpsClient client(Options());
  Result<HttpResponse> r = client.Send(Get("/no/such/route"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().status, 404);
  EXPECT_NE(r.value().body.find("ResourceNotFound"), std::string::npos);
}

TEST_F(HttpsClientTest, FiveRequestsShareOneConnection) {
  HttpsClient client(Options());
  for (int i = 0; i < 5; ++i) {
    Result<HttpResponse> r = client.Send(Get("/ping"));
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r.value().status, 200);
  }
  EXPECT_EQ(client.connections_opened(), 1);
  EXPECT_EQ(cloud_.Stat("connections"), 1);
  EXPECT_EQ(cloud_.Stat("requests:GET /ping"), 5);
}

TEST_F(HttpsClientTest, ReconnectsWhenTheServerClosesTheConnection) {
  ASSERT_TRUE(cloud_.Script("GET", "/ping", R"([{"status":200,"body":"bye","close":true}])"));
  HttpsClient client(Options());
  Result<HttpResponse> first = client.Send(Get("/ping"));
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first.value().body, "bye");
  Result<HttpResponse> second = client.Send(Get("/ping"));
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second.value().status, 200);
  EXPECT_EQ(client.connections_opened(), 2);
  EXPECT_EQ(cloud_.Stat("connections"), 2);
}

TEST_F(HttpsClientTest, ResendsOnceWhenAKeptAliveConnectionWasDropped) {
  // The server hangs up on the second request without answering, as an idle keep-alive
  // connection closed by the server looks to the client; the client must open a new one.
  ASSERT_TRUE(cloud_.Script("GET", "/ping", R"([{"status":200,"body":"one"},{"drop":true}])"));
  HttpsClient client(Options());
  ASSERT_TRUE(client.Send(Get("/ping")).ok());
  Result<HttpResponse> r = client.Send(Get("/ping"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().status, 200);
  EXPECT_EQ(client.connections_opened(), 2);
  EXPECT_EQ(cloud_.Stat("requests:GET /ping"), 3);
}

TEST_F(HttpsClientTest, DropOnAFreshConnectionIsAnError) {
  ASSERT_TRUE(cloud_.Script("GET", "/ping", R"([{"drop":true}])"));
  HttpsClient client(Options());
  Result<HttpResponse> r = client.Send(Get("/ping"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().code() == Status::Code::kPartial || r.status().code() == Status::Code::kIo)
      << r.status().message();
  EXPECT_EQ(cloud_.Stat("requests:GET /ping"), 1);
}

TEST_F(HttpsClientTest, StalledResponseHitsTheIoDeadline) {
  ASSERT_TRUE(cloud_.Script("GET", "/ping", R"([{"stall":true}])"));
  ClientOptions o = Options();
  o.io_timeout = milliseconds(300);
  HttpsClient client(o);
  Result<HttpResponse> r = client.Send(Get("/ping"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTimeout);
  EXPECT_NE(
      r.status().message().find("timed out (io_timeout) waiting for the response from 127.0.0.1:"),
      std::string::npos)
      << r.status().message();
  // The connection in an unknown state is not reused.
  Result<HttpResponse> again = client.Send(Get("/ping"));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(client.connections_opened(), 2);
}

TEST_F(HttpsClientTest, TotalDeadlineBoundsASlowServer) {
  ASSERT_TRUE(cloud_.Script("GET", "/ping", R"([{"delay_ms":3000,"status":200}])"));
  ClientOptions o = Options();
  o.io_timeout = milliseconds(10'000);
  o.total_timeout = milliseconds(400);
  HttpsClient client(o);
  Result<HttpResponse> r = client.Send(Get("/ping"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTimeout);
  EXPECT_NE(r.status().message().find("total_timeout"), std::string::npos) << r.status().message();
}

TEST_F(HttpsClientTest, ConnectToAClosedPortFails) {
  HttpsClient client(Options());
  // Port 1 on loopback is not listening in any sane test environment.
  Result<HttpResponse> r = client.Send({"GET", "https://127.0.0.1:1/", {}, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIo);
  EXPECT_NE(r.status().message().find("cannot connect to 127.0.0.1:1"), std::string::npos)
      << r.status().message();
}

TEST_F(HttpsClientTest, UnknownHostNameIsAnError) {
  HttpsClient client(Options());
  // .invalid never resolves (RFC 6761), with or without network access.
  Result<HttpResponse> r = client.Send({"GET", "https://no-such-host.invalid/", {}, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().code() == Status::Code::kIo || r.status().code() == Status::Code::kTimeout)
      << r.status().message();
  EXPECT_NE(r.status().message().find("no-such-host.invalid:443"), std::string::npos)
      << r.status().message();
}

TEST_F(HttpsClientTest, TruncatedBodyIsAnError) {
  ASSERT_TRUE(
      cloud_.Script("GET", "/page", R"([{"status":200,"body_size":1000,"truncate_after":100}])"));
  HttpsClient client(Options());
  Result<HttpResponse> r = client.Send(Get("/page"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kPartial) << r.status().message();
  EXPECT_NE(r.status().message().find("before the response was complete"), std::string::npos);
}

TEST_F(HttpsClientTest, OversizeBodyIsAnError) {
  ASSERT_TRUE(cloud_.Script("GET", "/page", R"([{"status":200,"body_size":50000}])"));
  ClientOptions o = Options();
  o.max_body = 10'000;
  HttpsClient client(o);
  Result<HttpResponse> r = client.Send(Get("/page"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kLimit);
  EXPECT_NE(r.status().message().find("exceeds the response size limit"), std::string::npos);
}

TEST_F(HttpsClientTest, BodyAtTheLimitIsAccepted) {
  ASSERT_TRUE(cloud_.Script("GET", "/page", R"([{"status":200,"body_size":10000}])"));
  ClientOptions o = Options();
  o.max_body = 10'000;
  HttpsClient client(o);
  Result<HttpResponse> r = client.Send(Get("/page"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().body.size(), 10'000u);
}

TEST_F(HttpsClientTest, MalformedResponseIsAnError) {
  ASSERT_TRUE(cloud_.Script("GET", "/page", R"([{"raw":"HTTP/1.1 2x0 What\r\n\r\n"}])"));
  HttpsClient client(Options());
  Result<HttpResponse> r = client.Send(Get("/page"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kProtocol) << r.status().message();
}

TEST_F(HttpsClientTest, PlainHttpIsRefused) {
  HttpsClient client(Options());
  Result<HttpResponse> r =
      client.Send({"GET", "http://127.0.0.1:" + std::to_string(cloud_.port()) + "/ping", {}, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("must use https://"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(cloud_.Stat("connections"), 0);
}

TEST_F(HttpsClientTest, GarbageUrlIsRefused) {
  HttpsClient client(Options());
  for (const char* url : {"", "not a url", "https://", "https://[::1/"}) {
    Result<HttpResponse> r = client.Send({"GET", url, {}, {}});
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << url;
  }
}

// A percent-encoded CR LF (or any byte a host name cannot hold) in the host used to reach the
// resolver and come back as "bad port"; it is named for what it is, and nothing is sent.
TEST_F(HttpsClientTest, ControlCharactersInTheHostAreRefusedByName) {
  HttpsClient client(Options());
  const std::string port = std::to_string(cloud_.port());
  for (const std::string& url :
       {"https://127.0.0.1%0D%0A:" + port + "/ping", "https://local%0D%0Ahost:" + port + "/ping",
        "https://local%20host:" + port + "/ping", std::string("https://ex%00ample.com/ping")}) {
    Result<HttpResponse> r = client.Send({"GET", url, {}, {}});
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << url;
    EXPECT_NE(r.status().message().find("request URL has a character a host name cannot hold"),
              std::string::npos)
        << r.status().message();
  }
  EXPECT_EQ(cloud_.Stat("connections"), 0);
}

TEST_F(HttpsClientTest, MissingCaFileIsAnError) {
  ClientOptions o = Options();
  o.ca_file = cloud_.ca_file() + ".missing";
  HttpsClient client(o);
  Result<HttpResponse> r = client.Send(Get("/ping"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(cloud_.Stat("connections"), 0);
}

// A peer that completes TCP (the kernel's backlog does) but never answers the ClientHello:
// the handshake must end at connect_timeout.
TEST(HttpsClientHandshakeTest, SilentPeerHitsTheConnectDeadline) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int port = ntohs(addr.sin_port);

  ClientOptions o;
  o.ca_file = vd::testing::TestCerts::Get().ca_file();
  o.connect_timeout = milliseconds(300);
  HttpsClient client(o);
  Result<HttpResponse> r =
      client.Send({"GET", "https://127.0.0.1:" + std::to_string(port) + "/", {}, {}});
  close(fd);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kTimeout);
  EXPECT_EQ(
      r.status().message(),
      "timed out (connect_timeout) in the TLS handshake with 127.0.0.1:" + std::to_string(port));
}

}  // namespace
}  // namespace vd::net
