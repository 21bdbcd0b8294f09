#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "net/https_client.h"

namespace vd::modinput {

// The realm under which the client secret is stored (user name = the client id).
inline constexpr std::string_view kPasswordRealm = "entra_audit";

// GET {server_uri}/servicesNS/nobody/{app}/storage/passwords/entra_audit%3A{client_id}%3A
//     ?output_mode=json   with  Authorization: Splunk {session_key}
// and returns entry[0].content.clear_password. A missing secret is kNotFound with a message
// that tells the admin how to store it. The session key and secret are never logged.
Result<std::string> FetchClientSecret(net::HttpsClient& client, std::string_view server_uri,
                                      std::string_view session_key, std::string_view app,
                                      std::string_view client_id);

// The client options for talking to splunkd: its own CA ($SPLUNK_HOME/etc/auth/cacert.pem)
// when present, and no host-name check on a loopback server_uri (splunkd's default
// certificate names no host). Chains are always verified.
net::ClientOptions SplunkdClientOptions(std::string_view splunk_home);

}  // namespace vd::modinput
