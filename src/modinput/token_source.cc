#include "modinput/token_source.h"

#include <algorithm>

#include "modinput/graph_json.h"
#include "modinput/url_text.h"

namespace vd::modinput {

TokenSource::TokenSource(Endpoint endpoint, std::string secret, net::HttpsClient& client,
                         net::RateLimiter& limiter, net::Sleeper& sleeper, net::Clock& clock,
                         net::RetryPolicy policy, net::RetryLogger log)
    : endpoint_(std::move(endpoint)),
      secret_(std::move(secret)),
      client_(client),
      limiter_(limiter),
      sleeper_(sleeper),
      clock_(clock),
      policy_(policy),
      log_(std::move(log)) {}

Result<std::string> TokenSource::Get() {
  if (!token_.empty() && clock_.NowMs() < refresh_at_ms_) return token_;
  return Refresh();
}

Result<std::string> TokenSource::Refresh() {
  token_.clear();
  net::HttpRequest request;
  request.method = "POST";
  request.url =
      endpoint_.authority_url + "/" + PercentEncode(endpoint_.tenant_id) + "/oauth2/v2.0/token";
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("Accept", "application/json");
  request.body = "client_id=" + PercentEncode(endpoint_.client_id) +
                 "&scope=" + PercentEncode(endpoint_.scope) +
                 "&client_secret=" + PercentEncode(secret_) + "&grant_type=client_credentials";
  ++requests_;
  int64_t sent_at = clock_.NowMs();
  Result<net::HttpResponse> response =
      net::SendWithRetry(client_, limiter_, request, policy_, sleeper_, log_);
  if (!response.ok()) {
    return Status::Remote("token request to " + endpoint_.authority_url +
                          " failed: " + response.status().message());
  }
  const net::HttpResponse& r = response.value();
  if (r.status != 200) {
    return Status::Remote("token request refused: " + DescribeTokenError(r.status, r.body));
  }
  Result<TokenResponse> token = ParseTokenResponse(r.body);
  if (!token.ok()) return Status::Parse("token request: " + token.status().message());
  // Refresh ahead of expiry: 5 minutes, or half the lifetime when that is shorter.
  int64_t lifetime_ms = token.value().expires_in_s * 1000;
  int64_t margin_ms = std::min<int64_t>(300'000, lifetime_ms / 2);
  refresh_at_ms_ = sent_at + lifetime_ms - margin_ms;
  token_ = std::move(token.value().access_token);
  return token_;
}

}  // namespace vd::modinput
