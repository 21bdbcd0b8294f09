#pragma once

#include <cstdint>

#include "common/time.h"
#include "events/string_pool.h"

namespace vd::events {

// kKnownIp: a known sign-in address of the target (vc_kind=known_ip: vc_target, vc_signin_ip,
// vc_time = first seen), the new-IP baseline of DESIGN.md §3.7.
enum class Kind : uint8_t { kReset, kMfa, kSignin, kKnownIp };

// IdentityEvent::arrival when the row said nothing of it.
inline constexpr TimeMs kNoArrival = INT64_MIN;
enum class Source : uint8_t { kAd, kO365, kEntra, kOther };
enum class Outcome : uint8_t { kSuccess, kFailure };

// One normalized identity event: what every recognizer produces and everything detect/
// consumes. Strings are interned in a StringPool owned by the caller. Spellings are kept
// as the source wrote them (for output); *_key fields are the identity keys of DESIGN.md
// §3.2 (case-folded etc., or the identity-map override), used for every comparison.
struct IdentityEvent {
  TimeMs time = 0;
  Kind kind = Kind::kReset;
  Source source = Source::kOther;
  Outcome outcome = Outcome::kSuccess;
  bool helpdesk = false;     // vc_helpdesk=true: initiator is a known help-desk account
  bool allowlisted = false;  // vc_allowlisted=true: counted, but qualifies no bulk incident
  // When the event reached Splunk (_indextime, carried as vc_arrival), else kNoArrival:
  // report_since (§3.7) counts arrivals.
  TimeMs arrival = kNoArrival;

  StrId operation = kEmptyStr;  // e.g. "Reset user password", "4724"
  StrId initiator = kEmptyStr;  // spelling: UPN, DOMAIN\user, or app display name
  StrId initiator_ip = kEmptyStr;
  StrId initiator_app = kEmptyStr;  // service principal display name when an app initiated
  StrId target = kEmptyStr;         // spelling of the target account
  StrId correlation_id = kEmptyStr;
  StrId event_id = kEmptyStr;
  StrId detail = kEmptyStr;     // MFA method / modified property
  StrId signin_ip = kEmptyStr;  // sign-ins: the client IP

  StrId initiator_key = kEmptyStr;  // identity keys (§3.2)
  StrId target_key = kEmptyStr;

  // Carried through map output so the reporting phase can recompute keys when no override:
  StrId identity_initiator_override = kEmptyStr;  // vc_identity_initiator as received
  StrId identity_target_override = kEmptyStr;     // vc_identity_target as received
};

// How identity keys are derived (DESIGN.md §3.2).
enum class IdentityMode : uint8_t { kLocalpart, kUpn, kExact };

}  // namespace vd::events
