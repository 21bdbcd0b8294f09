#pragma once

#include <string>
#include <string_view>

#include "events/identity_event.h"

namespace vd::events {

// Identity keys (DESIGN.md §3.2): the form under which two spellings of one person
// compare equal, so an on-prem 4724 of CONTOSO\jdoe joins an Entra event of
// jdoe@contoso.com.
//   kLocalpart: fold ASCII case, strip "DOMAIN\", strip "@domain"   -> "jdoe"
//   kUpn:       fold ASCII case, strip "DOMAIN\", keep the UPN      -> "jdoe@contoso.com"
//   kExact:     the spelling as it is (only surrounding blanks trimmed)
// Non-ASCII bytes are kept as they are (no Unicode case folding: the sources agree on
// ASCII names, and a byte-exact key never merges two different people).
// Writes the key into *out (cleared first); no allocation once *out has capacity.
void UserKey(std::string_view spelling, IdentityMode mode, std::string* out);

// An application initiator (service principal) is keyed by its display name: folded,
// never split at '\' or '@' (kExact keeps it as it is).
void AppKey(std::string_view display_name, IdentityMode mode, std::string* out);

// "localpart" | "upn" | "exact" -> mode; false for anything else.
bool TryParseIdentityMode(std::string_view text, IdentityMode* out);

}  // namespace vd::events
