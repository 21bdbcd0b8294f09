#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vd::net {

// Header fields in wire order; names compare case-insensitively (RFC 9110 §5.1).
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;     // absolute https:// URL; the query is sent verbatim (already encoded)
  HeaderList headers;  // extra fields; Host, User-Agent and Content-Length are added by the client
  std::string body;    // sent with Content-Length when non-empty or when method is POST/PUT/PATCH
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;
  std::string body;

  // Value of the first field named `name` (case-insensitive); empty when absent.
  std::string_view Header(std::string_view name) const;
};

}  // namespace vd::net
