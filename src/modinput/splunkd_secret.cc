#include "modinput/splunkd_secret.h"

#include <unistd.h>

#include "modinput/graph_json.h"
#include "modinput/url_text.h"

namespace vd::modinput {

Result<std::string> FetchClientSecret(net::HttpsClient& client, std::string_view server_uri,
                                      std::string_view session_key, std::string_view app,
                                      std::string_view client_id) {
  while (!server_uri.empty() && server_uri.back() == '/') server_uri.remove_suffix(1);
  std::string entity = std::string(kPasswordRealm) + ":" + std::string(client_id) + ":";
  net::HttpRequest request;
  request.url = std::string(server_uri) + "/servicesNS/nobody/" +
                PercentEncode(app.empty() ? std::string_view("-") : app) + "/storage/passwords/" +
                PercentEncode(entity) + "?output_mode=json";
  request.headers.emplace_back("Authorization", "Splunk " + std::string(session_key));
  Result<net::HttpResponse> response = client.Send(request);
  if (!response.ok()) {
    return Status::Remote("reading the client secret from splunkd failed: " +
                          response.status().message());
  }
  const net::HttpResponse& r = response.value();
  const std::string how =
      "store it with: curl -k -u admin https://localhost:8089/servicesNS/nobody/" +
      std::string(app.empty() ? "<app>" : app) +
      "/storage/passwords -d realm=" + std::string(kPasswordRealm) +
      " -d name=" + std::string(client_id) + " -d password=<client secret>";
  if (r.status == 404) {
    return Status::NotFound("no client secret in storage/passwords for realm " +
                            std::string(kPasswordRealm) + " and user " + std::string(client_id) +
                            "; " + how);
  }
  if (r.status != 200) {
    return Status::Remote("splunkd storage/passwords answered HTTP " + std::to_string(r.status) +
                          " (the session key needs the list_storage_passwords capability)");
  }
  Result<std::string> secret = ParseStoragePassword(r.body);
  if (!secret.ok()) {
    if (secret.status().code() == Status::Code::kNotFound) {
      return Status::NotFound(secret.status().message() + "; " + how);
    }
    return secret.status();
  }
  return secret;
}

net::ClientOptions SplunkdClientOptions(std::string_view splunk_home) {
  net::ClientOptions options;
  if (!splunk_home.empty()) {
    std::string ca = std::string(splunk_home) + "/etc/auth/cacert.pem";
    if (::access(ca.c_str(), R_OK) == 0) options.ca_file = ca;
  }
  options.skip_host_name_check_on_loopback = true;
  options.connect_timeout = std::chrono::milliseconds(10'000);
  options.io_timeout = std::chrono::milliseconds(30'000);
  options.total_timeout = std::chrono::milliseconds(60'000);
  options.max_body = 1u << 20;
  return options;
}

}  // namespace vd::modinput
