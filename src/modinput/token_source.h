#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "net/clock.h"
#include "net/https_client.h"
#include "net/rate_limiter.h"
#include "net/retry.h"

namespace vd::modinput {

// OAuth2 client-credentials tokens for one (authority, tenant, client, scope). The token is
// requested once and reused until shortly before expires_in; Refresh() forces a new one (the
// caller does that once, after a 401). Neither the secret nor the token is ever logged.
class TokenSource {
 public:
  struct Endpoint {
    std::string authority_url;  // https://login.microsoftonline.com
    std::string tenant_id;
    std::string client_id;
    std::string scope;  // https://graph.microsoft.com/.default
  };

  TokenSource(Endpoint endpoint, std::string secret, net::HttpsClient& client,
              net::RateLimiter& limiter, net::Sleeper& sleeper, net::Clock& clock,
              net::RetryPolicy policy, net::RetryLogger log);

  // The cached token, or a new one when none is cached or it expires within the margin.
  Result<std::string> Get();
  // Always requests a new token.
  Result<std::string> Refresh();

  int requests() const { return requests_; }

 private:
  Endpoint endpoint_;
  std::string secret_;
  net::HttpsClient& client_;
  net::RateLimiter& limiter_;
  net::Sleeper& sleeper_;
  net::Clock& clock_;
  net::RetryPolicy policy_;
  net::RetryLogger log_;
  std::string token_;
  int64_t refresh_at_ms_ = 0;  // monotonic
  int requests_ = 0;
};

}  // namespace vd::modinput
