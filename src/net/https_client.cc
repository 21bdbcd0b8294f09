#include "net/https_client.h"

namespace vd::net {

class HttpsClient::Impl {
 public:
  explicit Impl(ClientOptions o) : options(std::move(o)) {}
  ClientOptions options;
  int connections = 0;
};

HttpsClient::HttpsClient(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpsClient::~HttpsClient() = default;
Result<HttpResponse> HttpsClient::Send(const HttpRequest&) { return Status::Io("not implemented yet"); }
void HttpsClient::Close() {}
int HttpsClient::connections_opened() const { return impl_->connections; }
const ClientOptions& HttpsClient::options() const { return impl_->options; }

}  // namespace vd::net
