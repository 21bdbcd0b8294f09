// Fuzz target for Graph's response JSON: arbitrary bytes as a directoryAudits / signIns page
// (both time fields), a Graph error body, an Entra token response and a storage/passwords
// answer. Checks: every parse ends in a result or an error (no crash, no stack exhaustion
// however deep the nesting); a page's records re-serialize as single-line JSON; error
// descriptions are printable ASCII.
//
// Built two ways: with -fsanitize=fuzzer (libFuzzer's main), and with replay_main.cc for
// the CTest replay of the corpus under a normal compiler.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "modinput/graph_json.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

bool Printable(const std::string& s) {
  for (char c : s) {
    if (c < 0x20 || c >= 0x7F) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (std::string_view field : {"activityDateTime", "createdDateTime"}) {
    auto page = vd::modinput::ParseGraphPage(body, field);
    if (!page.ok()) continue;
    for (const auto& rec : page.value().records) {
      Check(!rec.json.empty() && rec.json.find('\n') == std::string::npos);
    }
  }
  Check(Printable(vd::modinput::DescribeGraphError(400, body)));
  Check(Printable(vd::modinput::DescribeTokenError(401, body)));
  auto token = vd::modinput::ParseTokenResponse(body);
  if (token.ok()) Check(!token.value().access_token.empty() && token.value().expires_in_s > 0);
  (void)vd::modinput::ParseStoragePassword(body);
  return 0;
}
