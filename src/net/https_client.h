#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "common/status.h"
#include "net/http_types.h"

namespace vd::net {

struct ClientOptions {
  // CA bundle (PEM). Empty: the system trust store found by FindTrustStore (trust_store.h).
  std::string ca_file;
  // "http://[user:pass@]host:port": HTTP CONNECT tunnel, Basic auth when user info is given
  // (percent-decoded). Empty: direct connection. Only the proxy may be plain http.
  std::string proxy_url;
  std::chrono::milliseconds connect_timeout{
      10'000};  // resolve + TCP connect + proxy CONNECT + TLS handshake
  std::chrono::milliseconds io_timeout{30'000};      // each write and each read of the response
  std::chrono::milliseconds total_timeout{120'000};  // whole Send, whatever the phases do
  std::size_t max_body = 64u << 20;                  // response bodies larger than this -> kLimit
  std::string user_agent = "vishing_detection/1.0";
  // Certificate chains are ALWAYS verified; there is no option to turn that off. The only
  // relaxation: splunkd's default certificate names no host, so for a loopback URL host
  // (127.0.0.0/8, ::1, "localhost") the host name check may be skipped (DESIGN.md §4).
  // Ignored for every other host.
  bool skip_host_name_check_on_loopback = false;
};

// A blocking HTTPS/1.1 client over one keep-alive connection per host:port (plus proxy).
//
// Send() never throws. Transport failures come back as Status:
//   kInvalidArgument  bad URL, non-https scheme, bad proxy_url
//   kNotFound         no trust store (FindTrustStore's message)
//   kTimeout          a deadline (connect/io/total) expired — retryable
//   kIo               resolve/connect/reset/closed errors — retryable
//   kPartial          the connection ended inside the response (truncated body) — retryable
//   kLimit            response body larger than max_body — not retryable
//   kRemote           the peer was refused: certificate verification failed (self-signed,
//                     expired, hostname mismatch) or the proxy refused CONNECT (407 ...) —
//                     not retryable
// Any HTTP status (including 4xx/5xx) is a successful Send: look at HttpResponse::status.
// Messages name the host and the reason, e.g. "TLS handshake with graph.example:443 failed:
// certificate verify failed (self-signed certificate)"; they never contain header values
// (tokens) or proxy passwords.
//
// When a reused keep-alive connection turns out to be closed by the server before any byte
// of the response arrived, the request is re-sent once on a fresh connection.
// Not thread-safe; one client per poller. Not copyable.
class HttpsClient {
 public:
  explicit HttpsClient(ClientOptions options);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request);

  // Drops the kept-alive connection (the next Send opens a new one).
  void Close();

  // TCP connections opened so far (to the server, or to the proxy when one is set).
  int connections_opened() const;

  const ClientOptions& options() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vd::net
