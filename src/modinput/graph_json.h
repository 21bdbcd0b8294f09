#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace vd::modinput {

// One record of a Graph page, with the fields this input reads and the record itself
// re-serialized as single-line JSON (the event's <data>, forwarded unchanged otherwise).
struct GraphRecord {
  std::string id;  // "" when the record has none (it then cannot be deduplicated)
  TimeMs time = 0;
  bool has_time = false;  // false: the time field is missing or unparseable
  std::string activity;   // activityDisplayName ("" for sign-ins)
  std::string json;
};

struct GraphPage {
  std::vector<GraphRecord> records;
  std::string next_link;  // @odata.nextLink, "" on the last page
};

// Parses a 200 response of directoryAudits/signIns. Anything but {"value": [objects…]} (with
// an optional string @odata.nextLink) is kParse: the page is not written and the checkpoint
// does not move.
Result<GraphPage> ParseGraphPage(std::string_view body, std::string_view time_field);

// "HTTP 403 Authorization_RequestDenied: Insufficient privileges… (request-id …)" from a Graph
// error response; falls back to the status and a short, sanitized body excerpt.
std::string DescribeGraphError(int status, std::string_view body);

// "HTTP 401 invalid_client AADSTS7000215: Invalid client secret provided… (trace_id …,
// correlation_id …)" from an Entra token error; the description's trailing Trace/Correlation
// lines are dropped (they are given once, as fields).
std::string DescribeTokenError(int status, std::string_view body);

struct TokenResponse {
  std::string access_token;
  int64_t expires_in_s = 0;
};
Result<TokenResponse> ParseTokenResponse(std::string_view body);

// The secret in splunkd's storage/passwords answer (entry[0].content.clear_password).
Result<std::string> ParseStoragePassword(std::string_view body);

}  // namespace vd::modinput
