#include "net/trust_store.h"

#include <sys/stat.h>

#include <array>
#include <cstdlib>

namespace vd::net {

namespace {

bool IsRegularFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string JoinRoot(const std::string& root, std::string_view absolute) {
  if (root.empty() || root == "/") return std::string(absolute);
  std::string out = root;
  while (!out.empty() && out.back() == '/') out.pop_back();
  out.append(absolute);
  return out;
}

// DESIGN.md §4, in order: Debian/Ubuntu, RHEL/CentOS/Amazon Linux, SUSE, others.
constexpr std::array<std::string_view, 4> kSystemBundles = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
};

}  // namespace

EnvLookup ProcessEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<std::string> FindTrustStore(const std::string& ca_file, const EnvLookup& env,
                                   const std::string& root) {
  if (!ca_file.empty()) {
    if (IsRegularFile(ca_file)) return ca_file;
    return Status::NotFound("ca_file " + ca_file + " does not exist or is not a regular file");
  }
  std::string searched;
  if (env) {
    if (std::optional<std::string> from_env = env("SSL_CERT_FILE");
        from_env && !from_env->empty()) {
      if (IsRegularFile(*from_env)) return *from_env;
      searched = "SSL_CERT_FILE=" + *from_env + ", ";
    }
  }
  for (std::string_view bundle : kSystemBundles) {
    std::string path = JoinRoot(root, bundle);
    if (IsRegularFile(path)) return path;
    searched += path;
    searched += ", ";
  }
  searched.resize(searched.size() - 2);
  return Status::NotFound("no CA trust store found (searched " + searched +
                          "); set ca_file to a PEM bundle of trusted CAs or SSL_CERT_FILE");
}

}  // namespace vd::net
