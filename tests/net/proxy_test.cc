#include <string>

#include <gtest/gtest.h>

#include "net/https_client.h"
#include "support/fake_cloud_fixture.h"

namespace vd::net {
namespace {

class ProxyTest : public vd::testing::FakeCloudTest {
 protected:
  vd::testing::FakeCloudOptions CloudOptions() const override {
    vd::testing::FakeCloudOptions o;
    o.proxy = true;
    o.proxy_auth = "svc-proxy:p@ss:word";
    return o;
  }
  ClientOptions Options(const std::string& userinfo) const {
    ClientOptions o;
    o.ca_file = cloud_.ca_file();
    o.proxy_url = cloud_.ProxyUrl(userinfo);
    return o;
  }
};

TEST_F(ProxyTest, TunnelsWithBasicAuthAndReusesTheTunnel) {
  // Reserved characters in the password are percent-encoded in the URL and decoded for Basic.
  HttpsClient client(Options("svc-proxy:p%40ss%3Aword"));
  for (int i = 0; i < 3; ++i) {
    Result<HttpResponse> r = client.Send({"GET", cloud_.BaseUrl() + "/ping", {}, {}});
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r.value().status, 200);
  }
  EXPECT_EQ(cloud_.Stat("tunnels"), 1);
  EXPECT_EQ(cloud_.Stat("proxy_connections"), 1);
  EXPECT_EQ(cloud_.Stat("connections"), 1);
  EXPECT_EQ(cloud_.Stat("requests:GET /ping"), 3);
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_F(ProxyTest, TlsIsStillVerifiedThroughTheTunnel) {
  ClientOptions o = Options("svc-proxy:p%40ss%3Aword");
  o.ca_file = vd::testing::TestCerts::Get().cert("selfsigned");
  HttpsClient client(o);
  Result<HttpResponse> r = client.Send({"GET", cloud_.BaseUrl() + "/ping", {}, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kRemote);
  EXPECT_NE(r.status().message().find("certificate verify failed"), std::string::npos);
  EXPECT_EQ(cloud_.Stat("tunnels"), 1);
}

TEST_F(ProxyTest, MissingCredentialsGiveAClear407Error) {
  HttpsClient client(Options(""));
  Result<HttpResponse> r = client.Send({"GET", cloud_.BaseUrl() + "/ping", {}, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kRemote);
  EXPECT_EQ(r.status().message(),
            "proxy 127.0.0.1:" + std::to_string(cloud_.proxy_port()) +
                " requires authentication (407 Proxy Authentication Required): give "
                "http://user:pass@host:port in proxy_url");
  EXPECT_EQ(cloud_.Stat("proxy_auth_failures"), 1);
  EXPECT_EQ(cloud_.Stat("tunnels"), 0);
}

TEST_F(ProxyTest, WrongPasswordIsRefusedWithoutEchoingIt) {
  HttpsClient client(Options("svc-proxy:hunter2"));
  Result<HttpResponse> r = client.Send({"GET", cloud_.BaseUrl() + "/ping", {}, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kRemote);
  EXPECT_NE(r.status().message().find("407"), std::string::npos);
  EXPECT_EQ(r.status().message().find("hunter2"), std::string::npos) << r.status().message();
}

TEST_F(ProxyTest, ProxyMustBePlainHttpUrl) {
  ClientOptions o = Options("");
  o.proxy_url = "socks5://127.0.0.1:1080";
  HttpsClient client(o);
  Result<HttpResponse> r = client.Send({"GET", cloud_.BaseUrl() + "/ping", {}, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("proxy_url must use http://"), std::string::npos)
      << r.status().message();
}

TEST_F(ProxyTest, RefusedTunnelTargetIsReported) {
  HttpsClient client(Options("svc-proxy:p%40ss%3Aword"));
  // The fake proxy only tunnels to loopback, like a proxy with an allow-list.
  Result<HttpResponse> r = client.Send({"GET", "https://192.0.2.1/ping", {}, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kRemote);
  EXPECT_NE(r.status().message().find("refused CONNECT to 192.0.2.1:443: 403"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace vd::net
