#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "modinput/input_definition.h"

namespace vd::modinput {

enum class LogKind { kAudit, kSignin };
enum class Cloud { kGlobal, kUsGov };

// What differs between the two Graph logs this input reads.
struct LogSpec {
  std::string_view name;        // "audit" | "signin"
  std::string_view path;        // appended to the Graph root
  std::string_view time_field;  // filtered and ordered on; the event's <time>
  std::string_view sourcetype;
};
const LogSpec& SpecFor(LogKind kind);

// One stanza's arguments, validated and with defaults applied (DESIGN.md §4).
struct Settings {
  std::string stanza;  // full "entra_audit://name" (run mode) or item name (validation)
  std::string app;
  std::string tenant_id;
  std::string client_id;
  LogKind log = LogKind::kAudit;
  Cloud cloud = Cloud::kGlobal;
  std::vector<std::string> activities;  // audit only; compared case-insensitively
  int lag_minutes = 30;
  std::optional<TimeMs> start_date;  // absent: 7 days before the first poll
  std::string proxy_url;             // "" = direct
  std::string ca_file;               // "" = system trust store
  std::string authority_url;         // resolved from cloud unless overridden; no trailing '/'
  std::string graph_url;             // resolved from cloud unless overridden; no trailing '/'

  // "<scheme>://<host>[:port]/.default" of graph_url: the client-credentials scope.
  std::string Scope() const;
};

inline constexpr int kMaxLagMinutes = 24 * 60;

// The reset and security-info activities of DESIGN.md §3.1 (Entra audit, Graph shape).
const std::vector<std::string>& DefaultActivities();

// Validates and resolves the parameters of one stanza. Errors name the argument and say what
// is wrong in words an admin can act on (they are shown in Splunk's UI).
Result<Settings> ParseSettings(const Stanza& stanza);

bool IsGuid(std::string_view s);
bool IsDomainName(std::string_view s);
// Checks "http://[user[:password]@]host:port" (the only proxy form supported).
Status CheckProxyUrl(std::string_view url);
// Checks an absolute https URL without query, fragment or user info.
Status CheckHttpsUrl(std::string_view url);

}  // namespace vd::modinput
