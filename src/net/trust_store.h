#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace vd::net {

// Reads one environment variable; nullopt when unset. Injectable so tests never touch the
// process environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The real process environment (getenv).
EnvLookup ProcessEnv();

// The CA bundle every TLS connection verifies against. A static binary carries the build
// machine's OpenSSL directory defaults, which are wrong on other distributions, so the search
// is explicit (DESIGN.md §4):
//   1. `ca_file` when non-empty (it must exist; no fallback, the admin asked for it);
//   2. $SSL_CERT_FILE when set and existing;
//   3. the first existing of <root>/etc/ssl/certs/ca-certificates.crt (Debian, Ubuntu),
//      <root>/etc/pki/tls/certs/ca-bundle.crt (RHEL, CentOS, Amazon Linux),
//      <root>/etc/ssl/ca-bundle.pem (SUSE), <root>/etc/ssl/cert.pem.
// `root` relocates step 3 (tests); `ca_file` and $SSL_CERT_FILE are used as given.
// None found -> kNotFound with a message naming every place searched and how to fix it.
Result<std::string> FindTrustStore(const std::string& ca_file, const EnvLookup& env,
                                   const std::string& root = "/");

}  // namespace vd::net
