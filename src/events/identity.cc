#include "events/identity.h"

#include "events/text_util.h"

namespace vd::events {
namespace {

void AppendFolded(std::string_view s, std::string* out) {
  size_t at = out->size();
  out->resize(at + s.size());
  char* d = out->data() + at;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    d[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
}

}  // namespace

void UserKey(std::string_view spelling, IdentityMode mode, std::string* out) {
  out->clear();
  std::string_view s = Trim(spelling);
  if (mode == IdentityMode::kExact) {
    out->append(s);
    return;
  }
  // "DOMAIN\user" -> "user" (the NetBIOS domain is not part of the person).
  if (size_t bs = s.rfind('\\'); bs != std::string_view::npos && bs + 1 < s.size()) {
    s.remove_prefix(bs + 1);
  }
  if (mode == IdentityMode::kLocalpart) {
    // The last '@' splits a UPN; guest UPNs ("a_b.com#EXT#@t.onmicrosoft.com") keep their
    // whole local part. A leading '@' would leave nothing: keep the spelling then.
    if (size_t at = s.rfind('@'); at != std::string_view::npos && at > 0) s = s.substr(0, at);
  }
  AppendFolded(s, out);
}

void AppKey(std::string_view display_name, IdentityMode mode, std::string* out) {
  out->clear();
  std::string_view s = Trim(display_name);
  if (mode == IdentityMode::kExact) {
    out->append(s);
    return;
  }
  AppendFolded(s, out);
}

bool TryParseIdentityMode(std::string_view text, IdentityMode* out) {
  if (text == "localpart") {
    *out = IdentityMode::kLocalpart;
  } else if (text == "upn") {
    *out = IdentityMode::kUpn;
  } else if (text == "exact") {
    *out = IdentityMode::kExact;
  } else {
    return false;
  }
  return true;
}

}  // namespace vd::events
