#include "net/trust_store.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

namespace vd::net {
namespace {

namespace fs = std::filesystem;

class TrustStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "vd_trust_XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    root_ = templ;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string Touch(const std::string& rel) {
    fs::path p = fs::path(root_) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "-----BEGIN CERTIFICATE-----\n";
    return p.string();
  }
  EnvLookup Env() const {
    return [this](std::string_view name) -> std::optional<std::string> {
      auto it = env_.find(std::string(name));
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
  }
  std::string root_;
  std::map<std::string, std::string> env_;
};

TEST_F(TrustStoreTest, FindsEachListedLocation) {
  for (const char* rel : {"etc/ssl/certs/ca-certificates.crt", "etc/pki/tls/certs/ca-bundle.crt",
                          "etc/ssl/ca-bundle.pem", "etc/ssl/cert.pem"}) {
    SCOPED_TRACE(rel);
    fs::remove_all(fs::path(root_) / "etc");
    const std::string expected = Touch(rel);
    Result<std::string> found = FindTrustStore("", Env(), root_);
    ASSERT_TRUE(found.ok()) << found.status().message();
    EXPECT_EQ(found.value(), expected);
  }
}

TEST_F(TrustStoreTest, PrefersLocationsInTheDocumentedOrder) {
  Touch("etc/ssl/cert.pem");
  Touch("etc/ssl/ca-bundle.pem");
  const std::string rhel = Touch("etc/pki/tls/certs/ca-bundle.crt");
  Result<std::string> found = FindTrustStore("", Env(), root_);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found.value(), rhel);
  const std::string debian = Touch("etc/ssl/certs/ca-certificates.crt");
  found = FindTrustStore("", Env(), root_ + "/");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found.value(), debian);
}

TEST_F(TrustStoreTest, SslCertFileWinsOverSystemLocations) {
  Touch("etc/ssl/certs/ca-certificates.crt");
  env_["SSL_CERT_FILE"] = Touch("custom/bundle.pem");
  Result<std::string> found = FindTrustStore("", Env(), root_);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found.value(), env_["SSL_CERT_FILE"]);
}

TEST_F(TrustStoreTest, MissingSslCertFileFallsThrough) {
  env_["SSL_CERT_FILE"] = root_ + "/nope.pem";
  const std::string suse = Touch("etc/ssl/ca-bundle.pem");
  Result<std::string> found = FindTrustStore("", Env(), root_);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found.value(), suse);
}

TEST_F(TrustStoreTest, CaFileIsUsedAsGivenAndMustExist) {
  Touch("etc/ssl/certs/ca-certificates.crt");
  const std::string mine = Touch("mine/ca.pem");
  Result<std::string> found = FindTrustStore(mine, Env(), root_);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found.value(), mine);

  Result<std::string> missing = FindTrustStore(root_ + "/mine/absent.pem", Env(), root_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("absent.pem"), std::string::npos);
}

TEST_F(TrustStoreTest, DirectoryIsNotABundle) {
  fs::create_directories(fs::path(root_) / "etc/ssl/cert.pem");
  EXPECT_FALSE(FindTrustStore("", Env(), root_).ok());
}

TEST_F(TrustStoreTest, NoneFoundIsAClearError) {
  env_["SSL_CERT_FILE"] = root_ + "/gone.pem";
  Result<std::string> found = FindTrustStore("", Env(), root_);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), Status::Code::kNotFound);
  const std::string msg = found.status().message();
  EXPECT_NE(msg.find("no CA trust store found"), std::string::npos) << msg;
  EXPECT_NE(msg.find(root_ + "/etc/ssl/certs/ca-certificates.crt"), std::string::npos) << msg;
  EXPECT_NE(msg.find(root_ + "/etc/pki/tls/certs/ca-bundle.crt"), std::string::npos) << msg;
  EXPECT_NE(msg.find(root_ + "/etc/ssl/ca-bundle.pem"), std::string::npos) << msg;
  EXPECT_NE(msg.find(root_ + "/etc/ssl/cert.pem"), std::string::npos) << msg;
  EXPECT_NE(msg.find("gone.pem"), std::string::npos) << msg;
  EXPECT_NE(msg.find("ca_file"), std::string::npos) << msg;
}

TEST_F(TrustStoreTest, ProcessEnvReadsTheEnvironment) {
  ::setenv("VD_TRUST_STORE_TEST_VAR", "x", 1);
  EnvLookup env = ProcessEnv();
  EXPECT_EQ(env("VD_TRUST_STORE_TEST_VAR").value_or(""), "x");
  ::unsetenv("VD_TRUST_STORE_TEST_VAR");
  EXPECT_FALSE(env("VD_TRUST_STORE_TEST_VAR").has_value());
}

}  // namespace
}  // namespace vd::net
