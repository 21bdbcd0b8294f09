#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/string_pool.h"
#include "common/time.h"
#include "events/event_fields.h"

namespace vd::events {

// What an event is (vc_kind). A recovery (DESIGN.md §3.6) hands an account back to whoever
// asks: a password reset, an MFA reset (methods deleted), a Temporary Access Pass; each is
// one when its initiator is another account, and starts chains and counts in bulk
// incidents. kMfa is an MFA change (the chain's second leg); kCreated an account creation.
// kKnownIp: a known sign-in address of the target (vc_kind=known_ip: vc_target, vc_signin_ip,
// vc_time = first seen), the new-IP baseline of DESIGN.md §3.7.
enum class Kind : uint8_t { kReset, kMfa, kSignin, kKnownIp, kMfaReset, kTap, kCreated };
// vc_kind spellings, by Kind.
inline constexpr std::array<std::string_view, 7> kKindNames = {
    "reset", "mfa", "signin", "known_ip", "mfa_reset", "tap", "created"};
inline constexpr size_t kKindCount = kKindNames.size();
static_assert(kKindCount == static_cast<size_t>(Kind::kCreated) + 1, "one name per Kind");
inline constexpr bool IsRecovery(Kind kind) {
  return kind == Kind::kReset || kind == Kind::kMfaReset || kind == Kind::kTap;
}

// IdentityEvent::arrival when the row said nothing of it.
inline constexpr TimeMs kNoArrival = INT64_MIN;
enum class Outcome : uint8_t { kSuccess, kFailure };

// Where an event came from. A new source is one enumerator here, one row of kSourceNames and
// its recognizer (events/recognizer.h).
enum class Source : uint8_t { kAd, kO365, kEntra, kOther };
struct SourceNames {
  std::string_view vc;       // its vc_source spelling
  std::string_view printed;  // its name in findings (ResetSource, MFASource, Sources): the seed's
};
inline constexpr std::array<SourceNames, 4> kSourceNames = {{
    {"ad", "AD"},
    {"o365", "O365"},
    {"entra", "Entra"},
    {"other", "Other"},
}};
inline constexpr size_t kSourceCount = kSourceNames.size();
static_assert(kSourceCount == static_cast<size_t>(Source::kOther) + 1, "one row per Source");
// Both names of `source`; a value outside the enum reads as kOther.
inline const SourceNames& NamesOf(Source source) {
  const size_t i = static_cast<size_t>(source);
  return kSourceNames[i < kSourceCount ? i : static_cast<size_t>(Source::kOther)];
}

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

  // The string fields of event_fields.h, interned: operation ("Reset user password", "4724"),
  // initiator (UPN, DOMAIN\user, or app display name), initiator_ip, initiator_app (service
  // principal display name when an app initiated), target, correlation_id, event_id, detail
  // (MFA method / modified property), signin_ip, and the identity-map overrides as received
  // (vc_identity_initiator / vc_identity_target), carried through map output so the
  // reporting phase can recompute keys when there is none.
#define VD_FIELD_MEMBER(e, member, column) StrId member = kEmptyStr;
  VD_EVENT_FIELDS(VD_FIELD_IGNORE, VD_FIELD_MEMBER, VD_FIELD_MEMBER)
#undef VD_FIELD_MEMBER

  StrId initiator_key = kEmptyStr;  // identity keys (§3.2)
  StrId target_key = kEmptyStr;
};

// How identity keys are derived (DESIGN.md §3.2).
enum class IdentityMode : uint8_t { kLocalpart, kUpn, kExact };

}  // namespace vd::events
