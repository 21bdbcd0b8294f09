#include "modinput/settings.h"

#include <charconv>

#include <boost/url/parse.hpp>

#include "common/text.h"

namespace vd::modinput {
namespace {

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string WithoutTrailingSlash(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return std::string(s);
}

// "2024-03-01" (midnight UTC) or any date-time TryParseTime accepts.
bool TryParseStartDate(std::string_view text, TimeMs* out) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    return TryParseTime(std::string(text) + "T00:00:00Z", out);
  }
  return text.size() > 10 && TryParseTime(text, out);
}

}  // namespace

const LogSpec& SpecFor(LogKind kind) {
  static const LogSpec kAudit{"audit", "/v1.0/auditLogs/directoryAudits", "activityDateTime",
                              "ms:entra:audit"};
  static const LogSpec kSignin{"signin", "/v1.0/auditLogs/signIns", "createdDateTime",
                               "ms:entra:signin"};
  return kind == LogKind::kAudit ? kAudit : kSignin;
}

const std::vector<std::string>& DefaultActivities() {
  static const std::vector<std::string> kDefault = {
      "Reset user password",
      "Reset password (by admin)",
      "Change user password",
      "User registered security info",
      "User updated security info",
      "User deleted security info",
      "User changed default security info",
      "Admin registered security info",
      "Admin updated security info",
      "Admin deleted security info",
      "User registered all required security info",
      "Create Temporary Access Pass method for user",
      "Admin registered security info for a user",
      "Admin deleted security info for a user",
  };
  return kDefault;
}

std::string Settings::Scope() const {
  auto url = boost::urls::parse_uri(graph_url);
  if (!url) return graph_url + "/.default";
  return std::string(url->scheme()) + "://" + std::string(url->encoded_authority()) + "/.default";
}

bool IsGuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !IsHex(s[i])) return false;
  }
  return true;
}

bool IsDomainName(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  int labels = 0;
  std::string_view last;
  while (true) {
    size_t dot = s.find('.');
    std::string_view label = s.substr(0, dot);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!IsAlnum(c) && c != '-') return false;
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  if (labels < 2) return false;
  for (char c : last) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;  // TLD is letters
  }
  return true;
}

Status CheckProxyUrl(std::string_view text) {
  auto url = boost::urls::parse_uri(text);
  const std::string expected = "proxy_url must look like http://[user:password@]host:port";
  if (!url) return Status::InvalidArgument(expected);
  if (url->scheme() != "http") {
    return Status::InvalidArgument(expected +
                                   " (the scheme must be http: the proxy is asked to "
                                   "CONNECT, and TLS runs end to end inside the tunnel)");
  }
  if (url->encoded_host().empty() || !url->has_port() || url->port_number() == 0) {
    return Status::InvalidArgument(expected + " (host and port are required)");
  }
  if (!(url->encoded_path().empty() || url->encoded_path() == "/") || url->has_query() ||
      url->has_fragment()) {
    return Status::InvalidArgument(expected + " (no path, query or fragment)");
  }
  return Status::Ok();
}

Status CheckHttpsUrl(std::string_view text) {
  auto url = boost::urls::parse_uri(text);
  if (!url || url->scheme() != "https" || url->encoded_host().empty()) {
    return Status::InvalidArgument("must be an absolute https:// URL");
  }
  if (url->has_userinfo() || url->has_query() || url->has_fragment()) {
    return Status::InvalidArgument("must not carry user info, a query or a fragment");
  }
  return Status::Ok();
}

Result<Settings> ParseSettings(const Stanza& stanza) {
  Settings s;
  s.stanza = stanza.name;
  s.app = stanza.app;
  auto param = [&](std::string_view key) { return Trim(stanza.Param(key)); };

  s.tenant_id = std::string(param("tenant_id"));
  if (s.tenant_id.empty()) return Status::InvalidArgument("tenant_id is required");
  if (!IsGuid(s.tenant_id) && !IsDomainName(s.tenant_id)) {
    return Status::InvalidArgument(
        "tenant_id must be the tenant's GUID or a verified domain "
        "name such as contoso.onmicrosoft.com");
  }
  s.client_id = std::string(param("client_id"));
  if (s.client_id.empty()) return Status::InvalidArgument("client_id is required");
  if (!IsGuid(s.client_id)) {
    return Status::InvalidArgument("client_id must be the application (client) ID, a GUID");
  }

  std::string_view log = param("log");
  if (log.empty() || log == "audit") {
    s.log = LogKind::kAudit;
  } else if (log == "signin") {
    s.log = LogKind::kSignin;
  } else {
    return Status::InvalidArgument("log must be audit or signin");
  }

  std::string_view cloud = param("cloud");
  if (cloud.empty() || cloud == "global") {
    s.cloud = Cloud::kGlobal;
    s.authority_url = "https://login.microsoftonline.com";
    s.graph_url = "https://graph.microsoft.com";
  } else if (cloud == "usgov") {
    s.cloud = Cloud::kUsGov;
    s.authority_url = "https://login.microsoftonline.us";
    s.graph_url = "https://graph.microsoft.us";
  } else {
    return Status::InvalidArgument("cloud must be global or usgov");
  }

  std::string_view activities = param("activities");
  if (activities.empty()) {
    if (s.log == LogKind::kAudit) s.activities = DefaultActivities();
  } else {
    if (s.log != LogKind::kAudit) {
      return Status::InvalidArgument("activities applies to log=audit only");
    }
    while (!activities.empty()) {
      size_t comma = activities.find(',');
      std::string_view item = Trim(activities.substr(0, comma));
      if (!item.empty()) s.activities.emplace_back(item);
      if (comma == std::string_view::npos) break;
      activities.remove_prefix(comma + 1);
    }
    if (s.activities.empty()) {
      return Status::InvalidArgument("activities must list at least one activity name");
    }
  }

  std::string_view lag = param("lag_minutes");
  if (!lag.empty()) {
    int v = -1;
    auto [ptr, ec] = std::from_chars(lag.data(), lag.data() + lag.size(), v);
    if (ec != std::errc() || ptr != lag.data() + lag.size() || v < 0 || v > kMaxLagMinutes) {
      return Status::InvalidArgument("lag_minutes must be a whole number from 0 to " +
                                     std::to_string(kMaxLagMinutes));
    }
    s.lag_minutes = v;
  }

  std::string_view start = param("start_date");
  if (!start.empty()) {
    TimeMs t = 0;
    if (!TryParseStartDate(start, &t)) {
      return Status::InvalidArgument("start_date must be an ISO date such as 2024-03-01");
    }
    s.start_date = t;
  }

  s.proxy_url = std::string(param("proxy_url"));
  if (!s.proxy_url.empty()) {
    if (Status st = CheckProxyUrl(s.proxy_url); !st.ok()) return st;
  }
  s.ca_file = std::string(param("ca_file"));

  for (auto [key, target] :
       {std::pair{"authority_url", &s.authority_url}, std::pair{"graph_url", &s.graph_url}}) {
    std::string_view v = param(key);
    if (v.empty()) continue;
    if (Status st = CheckHttpsUrl(v); !st.ok()) {
      return Status::InvalidArgument(std::string(key) + " " + st.message());
    }
    *target = WithoutTrailingSlash(v);
  }
  return s;
}

}  // namespace vd::modinput
