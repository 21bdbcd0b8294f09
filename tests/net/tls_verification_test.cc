// Certificates the client must refuse, each served by a real TLS server with a certificate
// generated for the test (tests/support/fake_cloud.py gen-certs).
#include <string>

#include <gtest/gtest.h>

#include "net/https_client.h"
#include "support/fake_cloud_fixture.h"

namespace vd::net {
namespace {

class BadCertTest : public vd::testing::FakeCloudTest,
                    public ::testing::WithParamInterface<std::pair<const char*, const char*>> {
 protected:
  vd::testing::FakeCloudOptions CloudOptions() const override {
    vd::testing::FakeCloudOptions o;
    o.cert = GetParam().first;
    return o;
  }
};

TEST_P(BadCertTest, IsRefusedWithAClearReason) {
  ClientOptions o;
  o.ca_file = cloud_.ca_file();
  HttpsClient client(o);
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    Result<HttpResponse> r = client.Send(
        {"GET", "https://" + host + ":" + std::to_string(cloud_.port()) + "/ping", {}, {}});
    ASSERT_FALSE(r.ok()) << host;
    EXPECT_EQ(r.status().code(), Status::Code::kRemote) << r.status().message();
    // OpenSSL names the mismatch after what was expected: an IP address or a host name.
    std::string reason = GetParam().second;
    if (reason == "hostname mismatch" && host == "127.0.0.1") reason = "IP address mismatch";
    const std::string expected = "TLS handshake with " + host + ":" +
                                 std::to_string(cloud_.port()) +
                                 " failed: certificate verify failed (" + reason + ")";
    EXPECT_EQ(r.status().message(), expected);
  }
  EXPECT_EQ(cloud_.Stat("requests_total"), 0);  // nothing was sent to the impostor
}

INSTANTIATE_TEST_SUITE_P(Certificates, BadCertTest,
                         ::testing::Values(std::make_pair("wronghost", "hostname mismatch"),
                                           std::make_pair("selfsigned", "self-signed certificate"),
                                           std::make_pair("expired", "certificate has expired")),
                         [](const auto& info) { return std::string(info.param.first); });

// The loopback relaxation (splunkd's default certificate names no host) skips only the name
// check: the chain is still verified.
class LoopbackRelaxationTest : public BadCertTest {};

TEST_P(LoopbackRelaxationTest, SkipsOnlyTheNameCheck) {
  ClientOptions o;
  o.ca_file = cloud_.ca_file();
  o.skip_host_name_check_on_loopback = true;
  HttpsClient client(o);
  Result<HttpResponse> r =
      client.Send({"GET", "https://127.0.0.1:" + std::to_string(cloud_.port()) + "/ping", {}, {}});
  if (std::string(GetParam().first) == "wronghost") {
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r.value().status, 200);
  } else {
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find(GetParam().second), std::string::npos)
        << r.status().message();
  }
}

INSTANTIATE_TEST_SUITE_P(Certificates, LoopbackRelaxationTest,
                         ::testing::Values(std::make_pair("wronghost", "hostname mismatch"),
                                           std::make_pair("selfsigned", "self-signed certificate"),
                                           std::make_pair("expired", "certificate has expired")),
                         [](const auto& info) { return std::string(info.param.first); });

// A CA bundle that does not hold the server's CA: the good certificate is unknown too.
class WrongBundleTest : public vd::testing::FakeCloudTest {};

TEST_F(WrongBundleTest, CertificateFromAnotherCaIsRefused) {
  ClientOptions o;
  o.ca_file = vd::testing::TestCerts::Get().cert("selfsigned");  // a valid PEM, wrong CA
  HttpsClient client(o);
  Result<HttpResponse> r = client.Send({"GET", cloud_.BaseUrl() + "/ping", {}, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kRemote);
  EXPECT_NE(r.status().message().find(
                "certificate verify failed (unable to get local issuer certificate)"),
            std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace vd::net
