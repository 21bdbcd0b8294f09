// The built-in services of tests/support/fake_cloud.py, driven through the real client: the
// modular input's tests rely on these shapes.
#include <string>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "net/https_client.h"
#include "support/fake_cloud_fixture.h"

namespace vd::net {
namespace {

class FakeCloudServicesTest : public vd::testing::FakeCloudTest {
 protected:
  void SetUp() override {
    FakeCloudTest::SetUp();
    ClientOptions o;
    o.ca_file = cloud_.ca_file();
    client_ = std::make_unique<HttpsClient>(o);
  }
  std::string Token() {
    Result<HttpResponse> r =
        client_->Send({"POST",
                       cloud_.BaseUrl() + "/contoso.example/oauth2/v2.0/token",
                       {{"Content-Type", "application/x-www-form-urlencoded"}},
                       "client_id=cid&client_secret=s3cret&grant_type=client_credentials&scope="
                       "https%3A%2F%2Fgraph.microsoft.com%2F.default"});
    if (!r.ok() || r.value().status != 200) return "";
    rapidjson::Document d;
    d.Parse(r.value().body.c_str());
    return d.HasParseError() ? "" : d["access_token"].GetString();
  }
  std::unique_ptr<HttpsClient> client_;
};

TEST_F(FakeCloudServicesTest, TokenThenPagedAuditLogsOldestFirst) {
  ASSERT_TRUE(cloud_.Config(R"("clients":{"cid":"s3cret"})"));
  std::string records = "[";
  for (int i = 0; i < 7; ++i) {
    records += std::string(i ? "," : "") + R"({"id":"r)" + std::to_string(i) +
               R"(","activityDateTime":"2024-06-01T10:0)" + std::to_string(6 - i) +
               R"(:00.1234567Z"})";
  }
  records +=
      R"(,{"id":"late","activityDateTime":"2024-06-01T10:03:30Z","_visible_from":"2999-01-01T00:00:00Z"}])";
  ASSERT_NE(
      cloud_.Command(R"({"cmd":"records","log":"audit","records":)" + records + "}").find("true"),
      std::string::npos);
  const std::string token = Token();
  ASSERT_FALSE(token.empty());

  std::string url =
      cloud_.BaseUrl() +
      "/v1.0/auditLogs/directoryAudits?$filter=activityDateTime%20ge%202024-06-01T10:01:00Z"
      "%20and%20activityDateTime%20le%202024-06-01T10:05:01Z&$orderby=activityDateTime&$top=2";
  std::vector<std::string> ids;
  int pages = 0;
  while (!url.empty()) {
    Result<HttpResponse> r =
        client_->Send({"GET", url, {{"Authorization", "Bearer " + token}}, {}});
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r.value().status, 200) << r.value().body;
    rapidjson::Document d;
    d.Parse(r.value().body.c_str());
    ASSERT_FALSE(d.HasParseError());
    for (const auto& rec : d["value"].GetArray()) {
      ids.emplace_back(rec["id"].GetString());
      EXPECT_FALSE(rec.HasMember("_visible_from"));
    }
    url = d.HasMember("@odata.nextLink") ? d["@odata.nextLink"].GetString() : "";
    ++pages;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"r5", "r4", "r3", "r2", "r1"}));
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(cloud_.Stat("tokens_issued"), 1);
  EXPECT_EQ(cloud_.Stat("connections"), 1);
}

TEST_F(FakeCloudServicesTest, WrongSecretIsAnAadstsError) {
  ASSERT_TRUE(cloud_.Config(R"("clients":{"cid":"other"})"));
  Result<HttpResponse> r = client_->Send(
      {"POST",
       cloud_.BaseUrl() + "/t/oauth2/v2.0/token",
       {{"Content-Type", "application/x-www-form-urlencoded"}},
       "client_id=cid&client_secret=s3cret&grant_type=client_credentials&scope=x%2F.default"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().status, 401);
  EXPECT_NE(r.value().body.find("AADSTS7000215"), std::string::npos);
}

TEST_F(FakeCloudServicesTest, ExpiredTokenGets401) {
  const std::string token = Token();
  ASSERT_FALSE(token.empty());
  const std::string url = cloud_.BaseUrl() + "/v1.0/auditLogs/signIns";
  Result<HttpResponse> r = client_->Send({"GET", url, {{"Authorization", "Bearer " + token}}, {}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().status, 200);
  ASSERT_NE(cloud_.Command(R"({"cmd":"expire_tokens"})").find("true"), std::string::npos);
  r = client_->Send({"GET", url, {{"Authorization", "Bearer " + token}}, {}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().status, 401);
  EXPECT_NE(r.value().body.find("InvalidAuthenticationToken"), std::string::npos);
}

TEST_F(FakeCloudServicesTest, SplunkdStoragePasswords) {
  ASSERT_TRUE(cloud_.Config(
      R"("session_key":"sk-1","passwords":[{"realm":"entra_audit","username":"cid","password":"s3cret"}])"));
  const std::string url = cloud_.BaseUrl() +
                          "/servicesNS/nobody/vishing_detection/storage/passwords/"
                          "entra_audit%3Acid%3A?output_mode=json";
  Result<HttpResponse> r = client_->Send({"GET", url, {{"Authorization", "Splunk sk-1"}}, {}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r.value().status, 200);
  rapidjson::Document d;
  d.Parse(r.value().body.c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_STREQ(d["entry"][0]["content"]["clear_password"].GetString(), "s3cret");

  r = client_->Send({"GET", url, {{"Authorization", "Splunk wrong"}}, {}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().status, 401);
}

}  // namespace
}  // namespace vd::net
